/**
 * The signing key travels with the database handle as a Kysely plugin that changes no query: every `db` and
 * every `trx` opened from it can then sign, so the audit writer and the custody chain need no extra argument and
 * a handle opened without the key cannot write either. One per services container; nothing global.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Keyring } from '../domain/tamper-evidence/signing-key.ts';
import type { DbOrTrx } from './database.ts';

export class AuditSigner implements KyselyPlugin {
  #highestCount = 0;
  #committed: { count: number; hash: string } | null = null;
  #lastSigned: { count: number; hash: string; signature: string | null } | null = null;

  constructor(readonly keyring: Keyring) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }

  /**
   * Notes the committed head a writer has locked; false if it is behind one seen before, i.e. the database was
   * rolled back to an earlier signed state while this process ran (a restored old head still verifies).
   */
  sawHead(count: number): boolean {
    if (count < this.#highestCount) return false;
    this.#highestCount = count;
    return true;
  }

  /**
   * The last row of the last transaction this process is sure was committed (a batch of reads' rows): from then on
   * a head below it is a rollback, and a head that is not this process's own must still hold that row.
   */
  committed(end: { count: number; hash: string }): void {
    this.sawHead(end.count);
    if (this.#committed === null || end.count >= this.#committed.count) this.#committed = { ...end };
  }

  lastCommitted(): { count: number; hash: string } | null {
    return this.#committed && { ...this.#committed };
  }

  /** The head this process signed last: found unchanged, it needs no second signature check. */
  signed(head: { count: number; hash: string; signature: string | null }): void {
    this.#lastSigned = { count: head.count, hash: head.hash, signature: head.signature };
  }

  isLastSigned(head: { count: number; hash: string; signature: string | null }): boolean {
    const last = this.#lastSigned;
    return (
      last !== null &&
      last.count === head.count &&
      last.hash === head.hash &&
      last.signature === head.signature
    );
  }
}

export function auditSignerOf(q: DbOrTrx): AuditSigner {
  const signer = q.getExecutor().plugins.find((p) => p instanceof AuditSigner);
  if (signer === undefined)
    throw new Error('this database handle has no signing key: open it through services(config)');
  return signer;
}
