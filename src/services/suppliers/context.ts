/** What the supplier modules are built from (index.ts makes one), and what they share. */
import type { Db, DbOrTrx, Dialect } from '../../db/database.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import type { CaseAccess } from '../investigations/access.ts';
import type { CustodyChain } from '../investigations/custody.ts';
import { ServiceError } from '../service-error.ts';
import {
  canSeeTaskingAsSupplier,
  type PartnerUser,
  type PortalPartner,
} from '../../domain/access/access-policy.ts';
import { isSupplierStatus, nextTaskingStatus, type TaskingAction } from '../../domain/suppliers/suppliers.ts';

export interface SuppliersContext {
  db: Db;
  dialect: Dialect;
  clock: () => Date;
  reference: ReferenceData;
  /** Every query goes through these (tests pass a copy with a failing call). */
  repos: Repositories;
  caseAccess: CaseAccess;
  custody: CustodyChain;
}

export const invalid = (code: string, message: string, field: string) =>
  new ServiceError('invalid', code, message, { field });
export const taskingNotFound = () =>
  new ServiceError('not-found', 'tasking-not-found', 'No tasking with that number is available to you');

/** Capabilities in words, as custody notes and the audit log say them (pages use the locale files). */
export const capabilityWords = (capability: string) => capability.replace(/-/g, ' ');

/** Moves the tasking on, or refuses (conflict) when it is not in a state this step starts from. */
export async function moveTasking(
  { repos }: SuppliersContext,
  trx: DbOrTrx,
  row: TaskingRow,
  action: TaskingAction,
  change: object,
): Promise<TaskingRow> {
  const to = nextTaskingStatus(row.status, action);
  if (
    to === null ||
    !(await repos.suppliers.moveTasking(trx, row.id, [row.status], { ...change, status: to }))
  )
    throw new ServiceError(
      'conflict',
      'tasking-state',
      `The tasking is ${row.status}: it cannot take that step now`,
      {
        params: { status: row.status },
      },
    );
  return (await repos.suppliers.findTasking(trx, row.id)) ?? row;
}

/** How the case's decision log names a tasking, before each step (the tasking's history reads it back). */
export const caseLogPrefix = (row: TaskingRow) =>
  `Supplier tasking ${String(row.id)} (${capabilityWords(row.capability)}) to ${row.supplier_name}: `;

/** The case's decision log names each step of a tasking (who, what), never the supplier's files' contents. */
export async function logOnCase(
  { repos }: SuppliersContext,
  trx: DbOrTrx,
  row: TaskingRow,
  by: string,
  what: string,
  now: Date,
) {
  await repos.cases.insertCaseDecision(trx, {
    caseId: row.case_id,
    decidedBy: by,
    decision: `${caseLogPrefix(row)}${what}`,
    reason: '',
    at: now.toISOString(),
  });
}

/** Whether this supplier's user sees the tasking: its own organisation's, once approved. */
export const supplierSees = (
  user: PartnerUser,
  partner: PortalPartner,
  row: TaskingRow | undefined,
): row is TaskingRow =>
  row !== undefined &&
  canSeeTaskingAsSupplier(user, partner, {
    partnerId: row.partner_id,
    released: isSupplierStatus(row.status, row.approved_at),
  });

/** The supplier's tasking (held on PostgreSQL), or not-found, as one that does not exist, for anyone else. */
export async function requireTaskingForSupplier(
  { repos, dialect }: SuppliersContext,
  trx: DbOrTrx,
  user: PartnerUser,
  partner: PortalPartner,
  id: number,
): Promise<TaskingRow> {
  const row = await repos.suppliers.findTasking(trx, id, dialect === 'postgres');
  if (!supplierSees(user, partner, row)) throw taskingNotFound();
  return row;
}
