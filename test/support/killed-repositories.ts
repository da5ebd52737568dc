import { repositories, type Repositories } from '../../src/db/repositories/index.ts';

/** What a repository call throws where the work was killed. */
export class Killed extends Error {
  constructor(readonly call: number) {
    super(`killed at repository call ${call}`);
  }
}

/**
 * The repositories with every call counted, and call number `at` throwing instead of running: as if the process
 * died between that statement and the one before it. Services take these through their factories.
 */
export function killedAt(at: number): { repos: Repositories; calls: () => number } {
  let calls = 0;
  const wrap =
    (fn: (...args: never[]) => unknown) =>
    (...args: never[]) => {
      calls += 1;
      if (calls === at) return Promise.reject(new Killed(calls));
      return fn(...args);
    };
  const repos = Object.fromEntries(
    Object.entries(repositories).map(([name, module]) => [
      name,
      Object.fromEntries(
        Object.entries(module).map(([key, value]) => [
          key,
          typeof value === 'function' ? wrap(value as (...args: never[]) => unknown) : value,
        ]),
      ),
    ]),
  ) as Repositories;
  return { repos, calls: () => calls };
}

/** The repositories with every call counted and none killed. */
export const countedRepositories = () => killedAt(0);
