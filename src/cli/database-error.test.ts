import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDatabaseError } from './main.ts';

describe('the command line’s database errors', () => {
  it('are told from bugs: SQLite’s and PostgreSQL’s own errors, and a server that is not there', async () => {
    const sqlite = new SQLite(':memory:');
    const sqliteError = (() => {
      try {
        sqlite.exec('select * from nowhere');
      } catch (error) {
        return error as Error;
      }
      throw new Error('no error');
    })();
    sqlite.close();
    const refused = await new pg.Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 })
      .connect()
      .then(() => new Error('connected'))
      .catch((error: unknown) => error as Error);
    const postgresError = Object.assign(new Error('deadlock detected'), { severity: 'ERROR', code: '40P01' });
    expect([sqliteError, refused, postgresError].map(isDatabaseError)).toEqual([true, true, true]);
    expect([new TypeError('x is undefined'), new Error('boom')].map(isDatabaseError)).toEqual([false, false]);
  });
});
