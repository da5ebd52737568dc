/** Cases and who they belong to: the rows every case visibility check reads. */
import type { DbOrTrx } from '../database.ts';

const normalised = (reference: string) => reference.trim().toUpperCase();

/** The case row; `forUpdate` (PostgreSQL only) holds it until the transaction ends. */
export function findCaseByReference(q: DbOrTrx, reference: string, forUpdate = false) {
  const query = q.selectFrom('cases').selectAll().where('reference', '=', normalised(reference));
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export function findCaseById(q: DbOrTrx, id: number, forUpdate = false) {
  const query = q.selectFrom('cases').selectAll().where('id', '=', id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCaseById>>>;

export async function sharedUnitsOf(q: DbOrTrx, caseId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('case_units')
    .select('unit_id')
    .where('case_id', '=', caseId)
    .orderBy('unit_id')
    .execute();
  return rows.map((r) => r.unit_id);
}

export async function membersOf(q: DbOrTrx, caseId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('case_members')
    .select('email')
    .where('case_id', '=', caseId)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

/** Staff of these units, with their roles (who may join a case's team is the access policy's to say). */
export function staffOfUnits(q: DbOrTrx, unitIds: readonly string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('users')
    .select(['email', 'unit_id', 'role'])
    .where('unit_id', 'in', [...unitIds])
    .orderBy('email')
    .execute();
}

/** The accounts behind these email addresses (missing ones are simply absent). */
export function staffByEmails(q: DbOrTrx, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('users')
    .select(['email', 'unit_id', 'role'])
    .where('email', 'in', [...emails])
    .execute();
}

/** Appends to the case's decision log; entries the service writes carry a code and subject for other languages. */
export async function insertCaseDecision(
  q: DbOrTrx,
  entry: {
    caseId: number;
    decidedBy: string;
    decision: string;
    reason: string;
    at: string;
    coded?: { code: string; subject: string } | null;
  },
): Promise<void> {
  await q
    .insertInto('case_decisions')
    .values({
      case_id: entry.caseId,
      decided_by: entry.decidedBy,
      decision: entry.decision,
      reason: entry.reason,
      at: entry.at,
      code: entry.coded?.code ?? null,
      subject: entry.coded?.subject ?? null,
    })
    .execute();
}
