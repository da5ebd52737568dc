/**
 * Signing each case's custody head (domain/tamper-evidence/custody-head.ts). The custody code calls
 * `sealCustodyHead` in the transaction that appends an entry and `sealNewCase` when it opens a case; `custody
 * verify` asks `custodySealProblem`.
 */
import { auditSignerOf } from '../../db/audit-signer.ts';
import type { DbOrTrx, Trx } from '../../db/database.ts';
import type { CaseRow } from '../../db/repositories/case-repository.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';
import { SYSTEM_ACTOR } from '../../domain/tamper-evidence/audit-chain.ts';
import {
  custodyHeadProblem,
  signCustodyHead,
  type CustodyHead,
} from '../../domain/tamper-evidence/custody-head.ts';
import type { Keyring } from '../../domain/tamper-evidence/signing-key.ts';

/** The audit row written when an append finds the case's head already altered. */
export const CUSTODY_ALTERED_ACTION = 'custody-chain-altered';

type CaseHeadColumns = Pick<
  CaseRow,
  'id' | 'reference' | 'custody_count' | 'custody_head' | 'custody_signature' | 'custody_key_id'
>;

const headOf = (row: CaseHeadColumns): CustodyHead => ({
  reference: row.reference,
  count: row.custody_count,
  hash: row.custody_head,
});

async function store(
  q: DbOrTrx,
  keyring: Keyring,
  caseId: number,
  head: CustodyHead,
  repos: Repositories,
): Promise<{ signature: string; keyId: string }> {
  const seal = signCustodyHead(keyring, head);
  await repos.custody.setCustodySeal(q, caseId, seal);
  return seal;
}

/** A new case: signs its empty head, so removing every entry later (count back to 0) shows too. */
export async function sealNewCase(
  q: DbOrTrx,
  created: { id: number; reference: string },
  repos: Repositories = repositories,
): Promise<void> {
  await store(
    q,
    auditSignerOf(q).keyring,
    created.id,
    { reference: created.reference, count: 0, hash: null },
    repos,
  );
}

/**
 * After an entry is appended to the case `before` (read with the case row locked): checks the head it extended
 * and signs the new one, which it returns (so a second append in the same transaction checks against it). A head
 * that no longer verifies is written to the audit log first, so signing on top of it never hides what was done.
 */
export async function sealCustodyHead(
  trx: Trx,
  before: CaseHeadColumns,
  after: { count: number; hash: string },
  now: Date,
  repos: Repositories = repositories,
): Promise<{ signature: string; keyId: string }> {
  const { keyring } = auditSignerOf(trx);
  const problem = custodyHeadProblem(keyring, headOf(before), {
    signature: before.custody_signature,
    keyId: before.custody_key_id,
  });
  if (problem !== null)
    await repos.audit.writeAudit(trx, {
      at: now,
      actor: SYSTEM_ACTOR,
      action: CUSTODY_ALTERED_ACTION,
      reference: before.reference,
      detail: `${problem} (found when entry ${after.count} was added)`,
    });
  return store(trx, keyring, before.id, { reference: before.reference, ...after }, repos);
}

/** Why the case's custody head cannot be believed, or null: a trusted signature, and no break recorded on it. */
export async function custodySealProblem(
  q: DbOrTrx,
  row: CaseHeadColumns,
  repos: Repositories = repositories,
): Promise<string | null> {
  const problem = custodyHeadProblem(auditSignerOf(q).keyring, headOf(row), {
    signature: row.custody_signature,
    keyId: row.custody_key_id,
  });
  if (problem !== null) return problem;
  const [recorded] = await repos.audit.auditRowsAbout(q, row.reference, CUSTODY_ALTERED_ACTION);
  return recorded === undefined
    ? null
    : `audit row ${recorded.seq ?? '?'} records that the chain had been altered: ${recorded.detail}`;
}

/** When signing begins: signs the heads of cases from before it, as they stand. */
export async function sealUnsignedCases(
  q: DbOrTrx,
  keyring: Keyring,
  repos: Repositories = repositories,
): Promise<number> {
  const rows = await repos.custody.unsealedCustodyHeads(q);
  for (const row of rows)
    await store(
      q,
      keyring,
      row.id,
      { reference: row.reference, count: row.custody_count, hash: row.custody_head },
      repos,
    );
  return rows.length;
}
