import { expect } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { Repositories } from '../../src/db/repositories/index.ts';
import type { Database } from '../../src/db/schema.ts';
import { Killed, killedAt } from './killed-repositories.ts';

/** Every row of these tables, as JSON strings in a stable order (bytes as hex). */
export function tableSnapshot(db: Db, tables: readonly (keyof Database)[]) {
  return async (): Promise<Record<string, string[]>> => {
    const state: Record<string, string[]> = {};
    for (const table of tables) {
      state[table] = (await db.selectFrom(table).selectAll().execute())
        .map((row) =>
          JSON.stringify(row, (_k, v: unknown) =>
            v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
          ),
        )
        .sort();
    }
    return state;
  };
}

/**
 * Runs `run` with the kill at repository call 1, 2, 3… until it completes, checking after each killed run that
 * `snapshot` is unchanged; then that the completed run made no call outside its transaction, changed the database,
 * and wrote exactly the `audit` action (none when null: a public use case that writes no audit row).
 */
export async function killEverywhere<T>(
  snapshot: () => Promise<Record<string, string[]>>,
  name: string,
  audit: string | null,
  run: (repos: Repositories) => Promise<T>,
): Promise<{ result: T; before: Record<string, string[]>; after: Record<string, string[]> }> {
  for (let at = 1; at < 200; at++) {
    const before = await snapshot();
    const killed = killedAt(at);
    let result: T;
    try {
      result = await run(killed.repos);
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
      expect(await snapshot(), `${name}, killed at repository call ${String(at)}`).toEqual(before);
      continue;
    }
    expect(killed.calls(), name).toBe(at - 1);
    expect(killed.outside(), `${name}: calls outside its transaction`).toEqual([]);
    expect(at, `${name} made no repository calls`).toBeGreaterThan(2);
    const after = await snapshot();
    expect(after, name).not.toEqual(before);
    expect(
      (after.audit_log ?? [])
        .filter((row) => !(before.audit_log ?? []).includes(row))
        .map((row) => (JSON.parse(row) as { action: string }).action),
      name,
    ).toEqual(audit === null ? [] : [audit]);
    return { result, before, after };
  }
  throw new Error(`${name} never completed`);
}
