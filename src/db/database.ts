import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  sql,
  type Compilable,
  type KyselyPlugin,
  type Transaction,
} from 'kysely';
import { CurrentSchemaPostgresDialect } from './current-schema-dialect.ts';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DatabaseConfig } from '../config/config.ts';
import type { Database } from './schema.ts';

export type Dialect = DatabaseConfig['dialect'];
export type Db = Kysely<Database>;
/** Repositories accept either the database or an open transaction. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
/** An open transaction: what a writer that must not run outside a use case's transaction takes (`writeAudit`). */
export type Trx = Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Resolves when the database answers a trivial query; rejects with the driver's reason otherwise. */
  ping(): Promise<void>;
  /** PostgreSQL connection pool use (metrics); null on SQLite, which has one connection and no pool. */
  poolUsage(): { total: number; idle: number; waiting: number } | null;
  /**
   * PostgreSQL only (null on SQLite): the bytes of `COPY (…) TO STDOUT` for a statement whose text holds no
   * parameters, as PostgreSQL sent them, never decoded into strings (the TAXII pages: see sharing-repository.ts).
   */
  copyOut: CopyOut | null;
  close(): Promise<void>;
}

export type CopyOut = (text: string) => Promise<Buffer>;

// Bigints (count(*), sums) come back from pg as strings; amounts stay well inside 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** The SQL texts run as named prepared statements on PostgreSQL, and their names (see `prepared`). */
const preparedNames = new Map<string, string>();
// A bound on what each connection keeps prepared; past it, queries are simply parsed each time.
const MAX_PREPARED = 64;

/**
 * Compiles a hot query of fixed shape (its text the same on every call: no lists of varying length) so that on
 * PostgreSQL each connection parses and plans it once, as a named prepared statement, instead of on every call.
 * For the statements every report runs (the token check, the intake statement): their parsing and planning cost
 * PostgreSQL more than executing them. Run the result with `db.executeQuery`.
 */
export function prepared<R>(query: Compilable<R>): CompiledQuery<R> {
  const compiled = query.compile();
  namePrepared(compiled.sql);
  return compiled;
}

/** A statement written as text (fixed shape, as for `prepared`) with its parameters, prepared the same way. */
export function preparedText<R>(text: string, parameters: readonly unknown[]): CompiledQuery<R> {
  namePrepared(text);
  return CompiledQuery.raw(text, [...parameters]);
}

function namePrepared(text: string): void {
  if (!preparedNames.has(text) && preparedNames.size < MAX_PREPARED)
    preparedNames.set(text, `bl_prepared_${preparedNames.size}`);
}

type Query = (...args: unknown[]) => unknown;

/** Makes a pg client run the texts `prepared` named as named statements (pg prepares each once per connection). */
function runPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (...args: unknown[]) => {
    const [text, values, callback] = args;
    const name = typeof text === 'string' && callback === undefined ? preparedNames.get(text) : undefined;
    return name === undefined ? query(...args) : query({ name, text, values });
  };
}

/** `plugins`: what every query and transaction of the handle carries (services add the audit signer). */
export function openDatabase(
  config: DatabaseConfig,
  options: { plugins?: KyselyPlugin[] } = {},
): DatabaseHandle {
  const plugins = options.plugins ?? [];
  let db: Db;
  let closeDriver = () => Promise.resolve();
  let poolUsage: DatabaseHandle['poolUsage'] = () => null;
  let copyOut: CopyOut | null = null;
  if (config.dialect === 'sqlite') {
    if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true });
    const sqlite = new SQLite(config.filename);
    // WAL keeps readers and the single writer apart; synchronous=FULL makes a commit durable before we acknowledge it.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins });
    // Kysely only closes a handle it has used; close it ourselves so nothing can reopen it.
    closeDriver = () => {
      if (sqlite.open) sqlite.close();
      return Promise.resolve();
    };
  } else {
    const pool = new pg.Pool({
      connectionString: config.connectionString,
      max: 10,
      connectionTimeoutMillis: 5000,
    });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => {
      runPreparedByName(client);
      // A connection cut mid-query fails that query, whose caller hears it; unheard, the client's own 'error' would
      // end the process (the pool listens only on idle clients). The pool drops the broken client on release.
      client.on('error', () => undefined);
    });
    poolUsage = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    copyOut = async (text) => {
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of client.query(copyTo(text))) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } catch (error) {
        // The connection may be mid-COPY: the pool closes it rather than lend it again.
        failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(failure);
      }
    };
    closeDriver = async () => {
      if (!pool.ended) await pool.end();
    };
    db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }), plugins });
  }
  return {
    db,
    dialect: config.dialect,
    async ping() {
      await sql`select 1`.execute(db);
    },
    poolUsage: () => poolUsage(),
    copyOut,
    async close() {
      await db.destroy();
      await closeDriver();
    },
  };
}
