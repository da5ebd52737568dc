import { repositories, type Repositories } from '../../src/db/repositories/index.ts';

/** What a repository call throws where the work was killed. */
export class Killed extends Error {
  constructor(readonly call: number) {
    super(`killed at repository call ${call}`);
  }
}

/** Whether a repository call's first argument is a database handle outside any transaction. */
const outsideTransaction = (q: unknown): boolean =>
  typeof q === 'object' && q !== null && 'isTransaction' in q && q.isTransaction === false;

/**
 * The repositories with every call counted, and call number `at` throwing instead of running: as if the process
 * died between that statement and the one before it. Services take these through their factories. `outside`
 * names the calls made on the database itself rather than in a transaction (a use case should make none).
 */
export function killedAt(at: number): { repos: Repositories; calls: () => number; outside: () => string[] } {
  let calls = 0;
  const outside: string[] = [];
  const wrap =
    (name: string, fn: (...args: never[]) => unknown) =>
    (...args: never[]) => {
      calls += 1;
      if (outsideTransaction(args[0])) outside.push(name);
      if (calls === at) return Promise.reject(new Killed(calls));
      return fn(...args);
    };
  const repos = Object.fromEntries(
    Object.entries(repositories).map(([name, module]) => [
      name,
      Object.fromEntries(
        Object.entries(module).map(([key, value]) => [
          key,
          typeof value === 'function'
            ? wrap(`${name}.${key}`, value as (...args: never[]) => unknown)
            : value,
        ]),
      ),
    ]),
  ) as Repositories;
  return { repos, calls: () => calls, outside: () => [...outside] };
}

/** The repositories with every call counted and none killed. */
export const countedRepositories = () => killedAt(0);
