/** Specialist suppliers (issue 22, MSP): the framework, units' budgets, taskings, their exhibits and deliverables. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type {
  SupplierAccreditationsTable,
  SupplierCapabilitiesTable,
  SupplierStaffTable,
  SupplierTaskingsTable,
} from '../schema.ts';

/** Flags a live partner as a supplier; false when there is no live partner with that id. */
export async function flagSupplier(q: DbOrTrx, partnerId: number): Promise<boolean> {
  const result = await q
    .updateTable('partners')
    .set({ supplier: 1 })
    .where('id', '=', partnerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertFramework(
  q: DbOrTrx,
  rows: {
    capabilities: Insertable<SupplierCapabilitiesTable>[];
    accreditations: Insertable<SupplierAccreditationsTable>[];
    staff: Insertable<SupplierStaffTable>[];
  },
): Promise<void> {
  await q.insertInto('supplier_capabilities').values(rows.capabilities).execute();
  if (rows.accreditations.length > 0)
    await q.insertInto('supplier_accreditations').values(rows.accreditations).execute();
  if (rows.staff.length > 0) await q.insertInto('supplier_staff').values(rows.staff).execute();
}

/** Removes a supplier's framework entry (rates, accreditations, staff), to be written again (supplier change). */
export async function deleteFramework(q: DbOrTrx, partnerId: number): Promise<void> {
  for (const table of ['supplier_capabilities', 'supplier_accreditations', 'supplier_staff'] as const)
    await q.deleteFrom(table).where('partner_id', '=', partnerId).execute();
}

/** Live suppliers, by name. */
export function liveSuppliers(q: DbOrTrx) {
  return q
    .selectFrom('partners')
    .select(['id', 'name'])
    .where('supplier', '=', 1)
    .where('revoked_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The framework of these suppliers: capabilities, accreditations and named staff (three queries). */
export async function frameworkOf(q: DbOrTrx, partnerIds: readonly number[]) {
  if (partnerIds.length === 0) return { capabilities: [], accreditations: [], staff: [] };
  const ids = [...partnerIds];
  return {
    capabilities: await q
      .selectFrom('supplier_capabilities')
      .selectAll()
      .where('partner_id', 'in', ids)
      .orderBy('id')
      .execute(),
    accreditations: await q
      .selectFrom('supplier_accreditations')
      .selectAll()
      .where('partner_id', 'in', ids)
      .orderBy('id')
      .execute(),
    staff: await q
      .selectFrom('supplier_staff')
      .selectAll()
      .where('partner_id', 'in', ids)
      .orderBy('id')
      .execute(),
  };
}

/** A live supplier's rate for one capability. */
export function findCapability(q: DbOrTrx, partnerId: number, capability: string) {
  return q
    .selectFrom('supplier_capabilities')
    .innerJoin('partners', 'partners.id', 'supplier_capabilities.partner_id')
    .select(['partners.name', 'supplier_capabilities.day_rate_pence'])
    .where('supplier_capabilities.partner_id', '=', partnerId)
    .where('supplier_capabilities.capability', '=', capability)
    .where('partners.supplier', '=', 1)
    .where('partners.revoked_at', 'is', null)
    .executeTakeFirst();
}

/** The unit's budget for the year, held until the transaction ends when `forUpdate` (PostgreSQL). */
export function findBudget(q: DbOrTrx, unitId: string, financialYear: string, forUpdate = false) {
  const query = q
    .selectFrom('supplier_budgets')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('financial_year', '=', financialYear);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function setBudget(
  q: DbOrTrx,
  row: { unit_id: string; financial_year: string; budget_pence: number; set_by: string; set_at: string },
): Promise<'added' | 'changed'> {
  const changed = await q
    .updateTable('supplier_budgets')
    .set({ budget_pence: row.budget_pence, set_by: row.set_by, set_at: row.set_at })
    .where('unit_id', '=', row.unit_id)
    .where('financial_year', '=', row.financial_year)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) > 0) return 'changed';
  await q.insertInto('supplier_budgets').values(row).execute();
  return 'added';
}

export function budgets(q: DbOrTrx) {
  return q.selectFrom('supplier_budgets').selectAll().orderBy('financial_year').orderBy('unit_id').execute();
}

/** What the unit's taskings of the year take from its budget (their statuses, caps and costs). */
export function taskingSpendOf(q: DbOrTrx, unitId: string, financialYear: string) {
  return q
    .selectFrom('supplier_taskings')
    .select(['status', 'budget_cap_pence', 'cost_pence'])
    .where('unit_id', '=', unitId)
    .where('financial_year', '=', financialYear)
    .execute();
}

export async function insertTasking(q: DbOrTrx, row: Insertable<SupplierTaskingsTable>): Promise<number> {
  const { id } = await q
    .insertInto('supplier_taskings')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

const withNames = (q: DbOrTrx) =>
  q
    .selectFrom('supplier_taskings')
    .innerJoin('partners', 'partners.id', 'supplier_taskings.partner_id')
    .innerJoin('cases', 'cases.id', 'supplier_taskings.case_id')
    .selectAll('supplier_taskings')
    .select(['partners.name as supplier_name', 'cases.reference as case_reference']);

/** One tasking; held until the transaction ends when `forUpdate` (PostgreSQL). */
export function findTasking(q: DbOrTrx, id: number, forUpdate = false) {
  const query = withNames(q).where('supplier_taskings.id', '=', id);
  return (forUpdate ? query.forUpdate('supplier_taskings') : query).executeTakeFirst();
}
export type TaskingRow = NonNullable<Awaited<ReturnType<typeof findTasking>>>;

/** Moves a tasking on only if it is still in one of `from`; answers whether it moved. */
export async function moveTasking(
  q: DbOrTrx,
  id: number,
  from: readonly string[],
  change: Updateable<SupplierTaskingsTable>,
): Promise<boolean> {
  const result = await q
    .updateTable('supplier_taskings')
    .set(change)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export function taskingsOfUnit(q: DbOrTrx, unitId: string, limit = 200) {
  return withNames(q)
    .where('supplier_taskings.unit_id', '=', unitId)
    .orderBy('supplier_taskings.id', 'desc')
    .limit(limit)
    .execute();
}

export function taskingsOfSupplier(q: DbOrTrx, partnerId: number, statuses: readonly string[], limit = 200) {
  return withNames(q)
    .where('supplier_taskings.partner_id', '=', partnerId)
    .where('supplier_taskings.status', 'in', [...statuses])
    .orderBy('supplier_taskings.id', 'desc')
    .limit(limit)
    .execute();
}

export async function insertTaskingExhibits(
  q: DbOrTrx,
  taskingId: number,
  exhibitIds: readonly number[],
): Promise<void> {
  await q
    .insertInto('supplier_tasking_exhibits')
    .values(exhibitIds.map((exhibit_id) => ({ tasking_id: taskingId, exhibit_id })))
    .execute();
}

/** The exhibits a tasking releases, in the order they were added to the case. */
export function exhibitsOfTasking(q: DbOrTrx, taskingId: number) {
  return q
    .selectFrom('supplier_tasking_exhibits')
    .innerJoin('exhibits', 'exhibits.id', 'supplier_tasking_exhibits.exhibit_id')
    .select(['exhibits.id', 'exhibits.exhibit_ref', 'exhibits.kind', 'exhibits.case_id'])
    .where('supplier_tasking_exhibits.tasking_id', '=', taskingId)
    .orderBy('exhibits.id')
    .execute();
}

/** The files logged against these exhibits (what a release hands over), oldest first. */
export function filesOfExhibits(q: DbOrTrx, exhibitIds: readonly number[]) {
  if (exhibitIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('custody_entries')
    .select(['exhibit_id', 'file_name', 'file_sha256'])
    .where('exhibit_id', 'in', [...exhibitIds])
    .where('file_sha256', 'is not', null)
    .where('event', 'in', ['file-added', 'received'])
    .orderBy('id')
    .execute();
}

export async function insertDeliverable(
  q: DbOrTrx,
  row: {
    tasking_id: number;
    exhibit_id: number;
    file_name: string;
    sha256: string;
    uploaded_by: string;
    uploaded_at: string;
  },
): Promise<void> {
  await q.insertInto('supplier_deliverables').values(row).execute();
}

export function deliverablesOf(q: DbOrTrx, taskingId: number) {
  return q
    .selectFrom('supplier_deliverables')
    .innerJoin('exhibits', 'exhibits.id', 'supplier_deliverables.exhibit_id')
    .select([
      'supplier_deliverables.exhibit_id',
      'exhibits.exhibit_ref',
      'supplier_deliverables.file_name',
      'supplier_deliverables.sha256',
      'supplier_deliverables.uploaded_by',
      'supplier_deliverables.uploaded_at',
    ])
    .where('supplier_deliverables.tasking_id', '=', taskingId)
    .orderBy('supplier_deliverables.id')
    .execute();
}

/** Every tasking approved or later, for the figures (no scope, case or person). */
export function taskingFigures(q: DbOrTrx) {
  return (
    q
      .selectFrom('supplier_taskings')
      .innerJoin('partners', 'partners.id', 'supplier_taskings.partner_id')
      .select([
        'supplier_taskings.unit_id',
        'supplier_taskings.capability',
        'partners.name as supplier_name',
        'supplier_taskings.status',
        'supplier_taskings.financial_year',
        'supplier_taskings.budget_cap_pence',
        'supplier_taskings.cost_pence',
        'supplier_taskings.deadline',
        'supplier_taskings.delivered_at',
        'supplier_taskings.rating',
      ])
      .where('supplier_taskings.status', '!=', 'awaiting-approval')
      // A tasking cancelled before approval was never given to anyone.
      .where('supplier_taskings.approved_at', 'is not', null)
      .execute()
  );
}

/** Where emails to a supplier go: its active partner admins' addresses. */
export async function supplierContacts(q: DbOrTrx, partnerId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('users')
    .select('email')
    .where('partner_id', '=', partnerId)
    .where('role', '=', 'partner-admin')
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

export async function insertTimeEntry(
  q: DbOrTrx,
  row: {
    tasking_id: number;
    work_date: string;
    minutes: number;
    cost_pence: number;
    note: string;
    logged_by: string;
    logged_at: string;
  },
): Promise<void> {
  await q.insertInto('supplier_time_entries').values(row).execute();
}

/** The supplier's time and cost entries on a tasking, in the order they were logged. */
export function timeEntriesOf(q: DbOrTrx, taskingId: number) {
  return q
    .selectFrom('supplier_time_entries')
    .select(['work_date', 'minutes', 'cost_pence', 'note', 'logged_by', 'logged_at'])
    .where('tasking_id', '=', taskingId)
    .orderBy('id')
    .execute();
}

/** A tasking's history: its entries in the case's decision log (each step's entry names the tasking first). */
export function taskingHistoryOf(q: DbOrTrx, caseId: number, taskingId: number) {
  return q
    .selectFrom('case_decisions')
    .select(['decided_by', 'decision', 'at'])
    .where('case_id', '=', caseId)
    .where('decision', 'like', `Supplier tasking ${String(taskingId)} (%`)
    .orderBy('id')
    .execute();
}
