import type { Generated } from 'kysely';

/** Durable background work, written in the same transaction as the change that causes it. */
export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  /** Deduplicates retried writes of the same job. */
  dedupe_key: string;
  payload: string;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  run_after: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  outbox: OutboxTable;
}
