/**
 * Investigations: cases that group reports, exhibits seized in them (with files stored by SHA-256), and a
 * tamper-evident chain of custody for every exhibit. Cases are scoped to the unit that owns them and units it is
 * shared with; a restricted case (child sexual abuse) is visible only to its officer in charge and named members.
 * Every action goes through one visibility check (case-access.ts); every read is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAudit } from '../db/repositories/audit-repository.ts';
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import {
  findCaseByReference,
  insertCaseDecision,
  staffOfUnits,
  type CaseRow,
} from '../db/repositories/case-repository.ts';
import { storeEvidenceBlob } from '../db/repositories/evidence-repository.ts';
import { findReportByReference } from '../db/repositories/report-repository.ts';
import {
  canManageTeam,
  canDirectCase,
  canJoinTeam,
  canReadReport,
  canWorkCases,
  isRole,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type CustodyEvent,
  type StoredEntry,
} from '../domain/custody/custody-chain.ts';
import { CROCKFORD, parseCrimeReference } from '../domain/reference/crime-reference.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { createCaseAccess } from './case-access.ts';
import { CaseError } from './case-error.ts';
import { createCaseTeam } from './case-team.ts';
import { custodySealProblem, sealCustodyHead, sealNewCase } from './tamper-evidence/custody-seal.ts';
import { writeCustodyProof } from './tamper-evidence/tamper-evidence.ts';

export { CaseError } from './case-error.ts';

export const EXHIBIT_KINDS = [
  'phone',
  'laptop',
  'storage',
  'cloud-export',
  'call-data-records',
  'other',
] as const;

/** What the service itself writes into a chain of custody; `systemCustodyText` reads it back for pages. */
const SYSTEM_LOCATIONS = { evidenceStore: 'evidence store', forensics: 'digital forensics' } as const;
const sealedNote = (seals: string[]) => `sealed: ${seals.join(', ')}`;
const examinedNote = (requestId: number) => `examination ${requestId} complete`;

/**
 * The service's own words in a custody entry, coded so a page can say them in its language (the stored entry,
 * which the hash covers, stays as written); null parts were typed by an officer.
 */
export function systemCustodyText(entry: { event: string; location: string; note: string }) {
  const place = Object.entries(SYSTEM_LOCATIONS).find(([, text]) => text === entry.location)?.[0];
  const sealed = entry.event === 'seized' ? /^sealed: (.+)$/.exec(entry.note) : null;
  const examined = entry.event === 'examined' ? /^examination (\d+) complete$/.exec(entry.note) : null;
  return {
    location: (place ?? null) as keyof typeof SYSTEM_LOCATIONS | null,
    note:
      sealed !== null
        ? { code: 'sealed' as const, seals: sealed[1] ?? '' }
        : examined !== null
          ? { code: 'examined' as const, id: examined[1] ?? '' }
          : null,
  };
}

export type VerifyResult =
  | { case: string; entries: number; files: number; ok: true }
  | { case: string; entries: number; files: number; ok: false; broken: string };

export function createInvestigations(db: Db, dialect: Dialect, clock: () => Date, reference: ReferenceData) {
  const access = createCaseAccess(dialect);
  const caseTeam = createCaseTeam(db, clock, reference, access);
  const audit = (q: DbOrTrx, staff: StaffMember, action: string, reference: string | null, detail = '') =>
    writeAudit(q, {
      at: clock().toISOString(),
      actor: staff.email,
      forceId: staff.forceId,
      action,
      reference,
      detail,
    });

  /**
   * Appends one entry to the case's chain. `locked` must have been read in `trx` with the case row held (the
   * visibility check's `lock`), so entries are numbered and chained one at a time.
   */
  async function append(
    trx: DbOrTrx,
    locked: CaseRow,
    entry: {
      exhibitId: number;
      exhibitRef: string;
      event: CustodyEvent;
      actor: string;
      at: string;
      location: string;
      note: string;
      fileSha256?: string;
      fileName?: string;
    },
  ): Promise<StoredEntry> {
    const content = {
      caseReference: locked.reference,
      seq: locked.custody_count + 1,
      exhibitRef: entry.exhibitRef,
      event: entry.event,
      actor: entry.actor,
      at: entry.at,
      location: entry.location,
      note: entry.note,
      fileSha256: entry.fileSha256 ?? null,
      fileName: entry.fileName ?? null,
    };
    const prevHash = locked.custody_head ?? GENESIS_HASH;
    const hash = entryHash(content, prevHash);
    await trx
      .insertInto('custody_entries')
      .values({
        case_id: locked.id,
        seq: content.seq,
        exhibit_id: entry.exhibitId,
        event: content.event,
        actor: content.actor,
        at: content.at,
        location: content.location,
        note: content.note,
        file_sha256: content.fileSha256,
        file_name: content.fileName,
        prev_hash: prevHash,
        hash,
      })
      .execute();
    await trx
      .updateTable('cases')
      .set({ custody_head: hash, custody_count: content.seq })
      .where('id', '=', locked.id)
      .execute();
    await sealCustodyHead(trx, locked, { count: content.seq, hash }, clock());
    return { ...content, prevHash, hash };
  }

  async function cdrCounts(exhibitId: number) {
    const counts = await db
      .selectFrom('cdr_events')
      .select((eb) => [
        // PostgreSQL answers count and sum as strings.
        eb.fn.countAll<number | string>().as('total'),
        eb.fn.sum<number | string | null>('marked').as('marked'),
      ])
      .where('exhibit_id', '=', exhibitId)
      .executeTakeFirstOrThrow();
    return { total: Number(counts.total), marked: Number(counts.marked ?? 0) };
  }

  /** The MD5 of a stored file, worked out once (files added before it was kept are done on first use). */
  async function md5Of(sha256: string): Promise<string | null> {
    const known = await db
      .selectFrom('exhibit_file_md5')
      .select('md5')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (known !== undefined) return known.md5;
    const blob = await db
      .selectFrom('evidence_blobs')
      .select('content')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (blob === undefined) return null;
    return keepMd5(db, sha256, blob.content);
  }

  async function keepMd5(q: DbOrTrx, sha256: string, content: Uint8Array): Promise<string> {
    const md5 = createHash('md5').update(content).digest('hex');
    await q
      .insertInto('exhibit_file_md5')
      .values({ sha256, md5 })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    return md5;
  }

  /** Files of the case's exhibits found on any imported hash list (by SHA-256 or MD5). */
  async function hashMatches(caseId: number) {
    const files = await db
      .selectFrom('custody_entries')
      .innerJoin('exhibits', 'exhibits.id', 'custody_entries.exhibit_id')
      .leftJoin('exhibit_file_md5', 'exhibit_file_md5.sha256', 'custody_entries.file_sha256')
      .select([
        'exhibits.exhibit_ref',
        'custody_entries.file_name',
        'custody_entries.file_sha256',
        'exhibit_file_md5.md5',
      ])
      .where('custody_entries.case_id', '=', caseId)
      .where('custody_entries.file_sha256', 'is not', null)
      .execute();
    const matches: {
      exhibit: string;
      file_name: string | null;
      file_sha256: string;
      list: string;
      hash: string;
    }[] = [];
    for (const file of files) {
      const sha256 = file.file_sha256 ?? '';
      const md5 = file.md5 ?? (await md5Of(sha256));
      const lists = await db
        .selectFrom('hashlist_entries')
        .innerJoin('hashlists', 'hashlists.id', 'hashlist_entries.hashlist_id')
        .select(['hashlists.name', 'hashlist_entries.hash'])
        .where('hashlist_entries.hash', 'in', md5 === null ? [sha256] : [sha256, md5])
        .execute();
      for (const l of lists)
        matches.push({
          exhibit: file.exhibit_ref,
          file_name: file.file_name,
          file_sha256: sha256,
          list: l.name,
          hash: l.hash,
        });
    }
    return matches;
  }

  async function chainOf(caseId: number): Promise<StoredEntry[]> {
    const rows = await db
      .selectFrom('custody_entries')
      .innerJoin('exhibits', 'exhibits.id', 'custody_entries.exhibit_id')
      .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
      .select([
        'cases.reference',
        'custody_entries.seq',
        'exhibits.exhibit_ref',
        'custody_entries.event',
        'custody_entries.actor',
        'custody_entries.at',
        'custody_entries.location',
        'custody_entries.note',
        'custody_entries.file_sha256',
        'custody_entries.file_name',
        'custody_entries.prev_hash',
        'custody_entries.hash',
      ])
      .where('custody_entries.case_id', '=', caseId)
      // Stored order: a reordering behind the application's back shows up as a broken chain.
      .orderBy('custody_entries.id')
      .execute();
    return rows.map((r) => ({
      caseReference: r.reference,
      seq: r.seq,
      exhibitRef: r.exhibit_ref,
      event: r.event,
      actor: r.actor,
      at: r.at,
      location: r.location,
      note: r.note,
      fileSha256: r.file_sha256,
      fileName: r.file_name,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  const entryJson = (e: StoredEntry) => ({
    seq: e.seq,
    exhibit: e.exhibitRef,
    event: e.event,
    actor: e.actor,
    at: e.at,
    location: e.location,
    note: e.note,
    file_sha256: e.fileSha256,
    file_name: e.fileName,
    prev_hash: e.prevHash,
    hash: e.hash,
  });

  return {
    async createCase(
      staff: StaffMember,
      input: {
        title: string;
        reports: string[];
        restricted: boolean;
        members: string[];
        campaigns?: number[];
      },
    ): Promise<string> {
      if (staff.unitId === null || !canWorkCases(staff))
        throw new CaseError(404, 'Your role cannot open cases');
      const unitId = staff.unitId;
      const reportIds: number[] = [];
      for (const input_ref of input.reports) {
        const ref = parseCrimeReference(input_ref);
        const report = ref === null ? undefined : await findReportByReference(db, ref);
        if (
          report === undefined ||
          !canReadReport(staff, { unitId: report.unit_id, forceId: report.force_id })
        )
          throw new CaseError(400, `No report ${input_ref} is available to you`, 'reports');
        reportIds.push(report.id);
      }
      // A campaign brings in every report of it that this unit holds (other forces' stay with them).
      for (const campaignId of input.campaigns ?? []) {
        const held = await db
          .selectFrom('reports')
          .innerJoin('campaigns', 'campaigns.id', 'reports.campaign_id')
          .select('reports.id')
          .where('campaigns.id', '=', campaignId)
          .where('campaigns.merged_into', 'is', null)
          .where('reports.unit_id', '=', unitId)
          .execute();
        if (held.length === 0)
          throw new CaseError(400, `Campaign ${campaignId} holds no report of your unit`, 'campaigns');
        for (const r of held) if (!reportIds.includes(r.id)) reportIds.push(r.id);
      }
      const team = (await staffOfUnits(db, [unitId])).filter(
        (p) => isRole(p.role) && canJoinTeam({ role: p.role, unitId: p.unit_id }, [unitId]),
      );
      const members = [...new Set(input.members.map((m) => m.trim().toLowerCase()))];
      const stranger = members.find((m) => !team.some((t) => t.email === m));
      if (stranger !== undefined)
        throw new CaseError(400, `${stranger} is not an officer or supervisor of your unit`, 'members');
      for (let attempt = 0; attempt < 5; attempt++) {
        const reference = `CASE-${Array.from(randomBytes(8), (b) => CROCKFORD.charAt(b & 31)).join('')}`;
        const inserted = await db
          .insertInto('cases')
          .values({
            reference,
            title: input.title,
            force_id: staff.forceId,
            unit_id: unitId,
            officer_in_charge: staff.email,
            status: 'open',
            outcome: null,
            restricted: input.restricted ? 1 : 0,
            custody_head: null,
            custody_count: 0,
            created_by: staff.email,
            created_at: clock().toISOString(),
          })
          .onConflict((oc) => oc.column('reference').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) continue;
        await sealNewCase(db, { id: inserted.id, reference });
        for (const reportId of reportIds)
          await db.insertInto('case_reports').values({ case_id: inserted.id, report_id: reportId }).execute();
        for (const email of new Set([staff.email, ...members]))
          await db.insertInto('case_members').values({ case_id: inserted.id, email }).execute();
        for (const campaignId of input.campaigns ?? [])
          await insertCaseDecision(db, {
            caseId: inserted.id,
            decidedBy: staff.email,
            decision: `linked campaign ${campaignId}`,
            reason: 'reports linked by shared indicators',
            at: clock().toISOString(),
            coded: { code: 'campaign', subject: String(campaignId) },
          });
        await audit(db, staff, 'case-opened', reference, input.title);
        return reference;
      }
      throw new Error('could not allocate a case reference');
    },

    /** The unit's cases and those shared with it (restricted ones only for their members), open first. */
    async listCases(staff: StaffMember) {
      const unitId = staff.unitId;
      if (unitId === null || !canWorkCases(staff)) return [];
      const rows = await db
        .selectFrom('cases')
        .select([
          'reference',
          'title',
          'unit_id',
          'officer_in_charge',
          'status',
          'outcome',
          'restricted',
          'created_at',
        ])
        .where((eb) =>
          eb.or([
            eb('unit_id', '=', unitId),
            eb.exists(
              eb
                .selectFrom('case_units')
                .select('case_units.case_id')
                .whereRef('case_units.case_id', '=', 'cases.id')
                .where('case_units.unit_id', '=', unitId),
            ),
          ]),
        )
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      const visible = [];
      for (const row of rows)
        if (row.restricted === 0 || (await access.findVisibleCase(db, staff, row.reference)) !== null)
          visible.push({ ...row, restricted: row.restricted === 1, shared: row.unit_id !== unitId });
      return [...visible.filter((c) => c.status === 'open'), ...visible.filter((c) => c.status !== 'open')];
    },

    async readCase(staff: StaffMember, reference: string) {
      const found = await access.findVisibleCase(db, staff, reference);
      if (found === null) return null;
      const { row, scope } = found;
      await audit(db, staff, 'read-case', row.reference);
      const reports = await db
        .selectFrom('case_reports')
        .innerJoin('reports', 'reports.id', 'case_reports.report_id')
        .select(['reports.reference', 'reports.category'])
        .where('case_reports.case_id', '=', row.id)
        .execute();
      const exhibits = await db
        .selectFrom('exhibits')
        .selectAll()
        .where('case_id', '=', row.id)
        .orderBy('id')
        .execute();
      const files = await db
        .selectFrom('custody_entries')
        .select(['exhibit_id', 'file_name', 'file_sha256', 'actor', 'at'])
        .where('case_id', '=', row.id)
        .where('file_sha256', 'is not', null)
        .orderBy('id')
        .execute();
      return {
        reference: row.reference,
        title: row.title,
        unit: row.unit_id,
        officer_in_charge: row.officer_in_charge,
        status: row.status,
        outcome: row.outcome,
        restricted: row.restricted === 1,
        reports,
        exhibits: exhibits.map((e) => ({
          id: e.id,
          exhibit_ref: e.exhibit_ref,
          kind: e.kind,
          description: e.description,
          seized_by: e.seized_by,
          seized_at: e.seized_at,
          seized_where: e.seized_where,
          seal_numbers: e.seal_numbers === '' ? [] : e.seal_numbers.split(','),
          files: files
            .filter((f) => f.exhibit_id === e.id)
            .map((f) => ({ name: f.file_name, sha256: f.file_sha256, added_by: f.actor, added_at: f.at })),
        })),
        custody_entries: row.custody_count,
        shared_with: (
          await db
            .selectFrom('case_units')
            .select(['unit_id', 'reason', 'at'])
            .where('case_id', '=', row.id)
            .execute()
        ).map((u) => ({ unit: u.unit_id, reason: u.reason, at: u.at })),
        tasks: await db
          .selectFrom('case_tasks')
          .select(['id', 'title', 'owner', 'due_on', 'status', 'done_at'])
          .where('case_id', '=', row.id)
          .orderBy('due_on')
          .orderBy('id')
          .execute(),
        members: [...scope.members],
        /** What this person may do beyond working the case (pages show only the forms they may use). */
        permissions: {
          share_transfer_close: canDirectCase(staff, scope),
          change_team: canManageTeam(staff, scope),
        },
        decisions: await db
          .selectFrom('case_decisions')
          .select(['decided_by', 'decision', 'reason', 'at', 'code', 'subject'])
          .where('case_id', '=', row.id)
          .orderBy('id')
          .execute(),
        examinations: await db
          .selectFrom('forensic_requests')
          .select(['id', 'exhibit_id', 'what', 'priority', 'status', 'requested_at', 'completed_at'])
          .where('case_id', '=', row.id)
          .orderBy('id')
          .execute(),
        hash_matches: await hashMatches(row.id),
      };
    },

    async addTask(
      staff: StaffMember,
      reference: string,
      task: { title: string; owner: string; dueOn: string },
    ) {
      const { row } = await access.requireVisibleCase(db, staff, reference);
      const created = await db
        .insertInto('case_tasks')
        .values({
          case_id: row.id,
          title: task.title,
          owner: task.owner,
          due_on: task.dueOn,
          status: 'open',
          created_at: clock().toISOString(),
          done_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(db, staff, 'case-task-added', row.reference, task.title);
      return created.id;
    },

    async completeTask(staff: StaffMember, reference: string, taskId: number) {
      const { row } = await access.requireVisibleCase(db, staff, reference);
      const result = await db
        .updateTable('case_tasks')
        .set({ status: 'done', done_at: clock().toISOString() })
        .where('id', '=', taskId)
        .where('case_id', '=', row.id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new CaseError(404, 'No such task in this case');
      await audit(db, staff, 'case-task-done', row.reference, String(taskId));
    },

    async addDecision(staff: StaffMember, reference: string, decision: string, reason: string) {
      const { row } = await access.requireVisibleCase(db, staff, reference);
      await insertCaseDecision(db, {
        caseId: row.id,
        decidedBy: staff.email,
        decision,
        reason,
        at: clock().toISOString(),
      });
      await audit(db, staff, 'case-decision', row.reference, decision);
    },

    ...caseTeam,

    /** A request to the force's digital forensics queue to examine an exhibit. */
    async requestExamination(
      staff: StaffMember,
      exhibitId: number,
      input: { what: string; why: string; priority: string; legalAuthority: string },
    ) {
      const found = await access.requireVisibleExhibit(db, staff, exhibitId);
      const created = await db
        .insertInto('forensic_requests')
        .values({
          case_id: found.row.id,
          exhibit_id: exhibitId,
          unit_id: found.row.unit_id,
          what: input.what,
          why: input.why,
          priority: input.priority,
          legal_authority: input.legalAuthority,
          status: 'requested',
          requested_by: staff.email,
          requested_at: clock().toISOString(),
          examiner: null,
          findings: null,
          completed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(db, staff, 'examination-requested', found.row.reference, found.exhibit.exhibit_ref);
      return created.id;
    },

    /**
     * An examiner takes a request in their unit's queue on, completes it with findings (an `examined` custody
     * entry), or rejects it: only for a case they can see, checked in the transaction that writes.
     */
    async updateExamination(
      staff: StaffMember,
      requestId: number,
      update: { status: 'in-progress' | 'complete' | 'rejected'; findings?: string },
    ) {
      await db.transaction().execute(async (trx) => {
        const { row, request } = await access.requireExaminable(trx, staff, requestId, true);
        if (request.status === 'complete' || request.status === 'rejected')
          throw new CaseError(400, 'This examination is already finished', 'status', 'examination-finished');
        if (update.status === 'complete' && (update.findings ?? '').trim() === '')
          throw new CaseError(400, 'A completed examination needs the findings', 'findings');
        const done = update.status !== 'in-progress';
        await trx
          .updateTable('forensic_requests')
          .set({
            status: update.status,
            examiner: staff.email,
            findings: update.findings ?? request.findings,
            completed_at: done ? clock().toISOString() : null,
          })
          .where('id', '=', requestId)
          .execute();
        if (update.status === 'complete') {
          const exhibit = await trx
            .selectFrom('exhibits')
            .select('exhibit_ref')
            .where('id', '=', request.exhibit_id)
            .executeTakeFirstOrThrow();
          await append(trx, row, {
            exhibitId: request.exhibit_id,
            exhibitRef: exhibit.exhibit_ref,
            event: 'examined',
            actor: staff.email,
            at: clock().toISOString(),
            location: SYSTEM_LOCATIONS.forensics,
            note: examinedNote(requestId),
          });
        }
        await audit(trx, staff, `examination-${update.status}`, row.reference, String(requestId));
      });
    },

    /** The unit's forensics queue with each request's turnaround and the queue's median, in hours. */
    async examinationQueue(staff: StaffMember) {
      if (staff.unitId === null || !canWorkCases(staff)) return { requests: [], medianTurnaroundHours: null };
      const queued = await db
        .selectFrom('forensic_requests')
        .innerJoin('exhibits', 'exhibits.id', 'forensic_requests.exhibit_id')
        .innerJoin('cases', 'cases.id', 'forensic_requests.case_id')
        .select([
          'forensic_requests.id',
          'cases.reference',
          'exhibits.exhibit_ref',
          'forensic_requests.what',
          'forensic_requests.priority',
          'forensic_requests.status',
          'forensic_requests.requested_at',
          'forensic_requests.completed_at',
          'cases.restricted',
        ])
        .where('forensic_requests.unit_id', '=', staff.unitId)
        .orderBy('forensic_requests.id')
        .execute();
      // A restricted case's requests are there only for its team, as if nobody else's queue held them.
      const rows = [];
      for (const r of queued)
        if (r.restricted === 0 || (await access.findVisibleCase(db, staff, r.reference)) !== null)
          rows.push(r);
      const hours = (r: { requested_at: string; completed_at: string | null }) =>
        r.completed_at === null
          ? null
          : (Date.parse(r.completed_at) - Date.parse(r.requested_at)) / 3_600_000;
      const done = rows.flatMap((r) => {
        const h = hours(r);
        return h === null ? [] : [h];
      });
      done.sort((a, b) => a - b);
      const median = done.length === 0 ? null : (done[Math.floor((done.length - 1) / 2)] ?? null);
      return {
        requests: rows.map((r) => ({
          id: r.id,
          case: r.reference,
          exhibit: r.exhibit_ref,
          restricted: r.restricted === 1,
          what: r.what,
          priority: r.priority,
          status: r.status,
          requested_at: r.requested_at,
          turnaround_hours: hours(r),
        })),
        medianTurnaroundHours: median,
      };
    },

    /** Imports call data records or cell-site events for an exhibit (columns in docs/investigations.md). */
    async importCdr(staff: StaffMember, exhibitId: number, csv: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireVisibleExhibit(trx, staff, exhibitId, true);
        const rows = parseCdr(csv);
        for (const row of rows)
          await trx
            .insertInto('cdr_events')
            .values({ exhibit_id: exhibitId, ...row, marked: 0, note: null })
            .execute();
        await audit(
          trx,
          staff,
          'cdr-imported',
          found.row.reference,
          `${found.exhibit.exhibit_ref}: ${rows.length} events`,
        );
        return rows.length;
      });
    },

    /** Marks events placing the number within `radiusM` metres of a point between two times. */
    async markNear(
      staff: StaffMember,
      exhibitId: number,
      place: { lat: number; lon: number; radiusM: number; from: string; to: string; note: string },
    ): Promise<number> {
      const found = await access.requireVisibleExhibit(db, staff, exhibitId);
      const events = await db
        .selectFrom('cdr_events')
        .select(['id', 'lat', 'lon'])
        .where('exhibit_id', '=', exhibitId)
        .where('at', '>=', place.from)
        .where('at', '<=', place.to)
        .execute();
      const near = events.filter(
        (e) =>
          e.lat !== null &&
          e.lon !== null &&
          metresBetween(e.lat, e.lon, place.lat, place.lon) <= place.radiusM,
      );
      if (near.length > 0)
        await db
          .updateTable('cdr_events')
          .set({ marked: 1, note: place.note })
          .where(
            'id',
            'in',
            near.map((e) => e.id),
          )
          .execute();
      await audit(
        db,
        staff,
        'cdr-marked',
        found.row.reference,
        `${found.exhibit.exhibit_ref}: ${near.length} events`,
      );
      return near.length;
    },

    /** How many call data records an exhibit has, and how many are marked (null when it is not available). */
    async cdrSummary(staff: StaffMember, exhibitId: number) {
      return (await access.findVisibleExhibit(db, staff, exhibitId)) === null ? null : cdrCounts(exhibitId);
    },

    /**
     * An exhibit's call data records, oldest first: all of them, or one page (optionally only the marked ones),
     * with how many there are and how many are marked.
     */
    async timeline(
      staff: StaffMember,
      exhibitId: number,
      page?: { offset: number; limit: number; markedOnly: boolean },
    ) {
      const found = await access.findVisibleExhibit(db, staff, exhibitId);
      if (found === null) return null;
      await audit(db, staff, 'read-cdr', found.row.reference, found.exhibit.exhibit_ref);
      let query = db
        .selectFrom('cdr_events')
        .select([
          'at',
          'kind',
          'from_number',
          'to_number',
          'duration_s',
          'cell_id',
          'lat',
          'lon',
          'marked',
          'note',
        ])
        .where('exhibit_id', '=', exhibitId)
        .orderBy('at')
        .orderBy('id');
      if (page !== undefined) {
        if (page.markedOnly) query = query.where('marked', '=', 1);
        query = query.offset(page.offset).limit(page.limit);
      }
      const events = await query.execute();
      return {
        exhibit: found.exhibit.exhibit_ref,
        ...(await cdrCounts(exhibitId)),
        events: events.map((e) => ({ ...e, marked: e.marked === 1 })),
      };
    },

    async addExhibit(
      staff: StaffMember,
      reference: string,
      input: {
        initials: string;
        kind: string;
        description: string;
        seizedAt: string;
        seizedWhere: string;
        sealNumbers: string[];
      },
    ) {
      return db.transaction().execute(async (trx) => {
        const { row } = await access.requireVisibleCase(trx, staff, reference, true);
        const existing = await trx
          .selectFrom('exhibits')
          .select('exhibit_ref')
          .where('case_id', '=', row.id)
          .where('exhibit_ref', 'like', `${input.initials}/%`)
          .execute();
        const exhibitRef = `${input.initials}/${existing.length + 1}`;
        const created = await trx
          .insertInto('exhibits')
          .values({
            case_id: row.id,
            exhibit_ref: exhibitRef,
            kind: input.kind,
            description: input.description,
            seized_by: staff.email,
            seized_at: input.seizedAt,
            seized_where: input.seizedWhere,
            seal_numbers: input.sealNumbers.join(','),
            created_at: clock().toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await append(trx, row, {
          exhibitId: created.id,
          exhibitRef,
          event: 'seized',
          actor: staff.email,
          at: input.seizedAt,
          location: input.seizedWhere,
          note: input.sealNumbers.length > 0 ? sealedNote(input.sealNumbers) : '',
        });
        await audit(trx, staff, 'exhibit-added', row.reference, exhibitRef);
        return { id: created.id, exhibit_ref: exhibitRef };
      });
    },

    async addCustody(
      staff: StaffMember,
      exhibitId: number,
      input: { event: CustodyEvent; at: string; location: string; note: string },
    ) {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireVisibleExhibit(trx, staff, exhibitId, true);
        const entry = await append(trx, found.row, {
          exhibitId,
          exhibitRef: found.exhibit.exhibit_ref,
          actor: staff.email,
          ...input,
        });
        await audit(
          trx,
          staff,
          'custody-added',
          found.row.reference,
          `${found.exhibit.exhibit_ref}: ${input.event}`,
        );
        return entryJson(entry);
      });
    },

    /** A file derived from an exhibit (extraction report, image), stored by SHA-256 and logged in the chain. */
    async addFile(staff: StaffMember, exhibitId: number, fileName: string, content: Uint8Array) {
      const sha256 = createHash('sha256').update(content).digest('hex');
      return db.transaction().execute(async (trx) => {
        const found = await access.requireVisibleExhibit(trx, staff, exhibitId, true);
        await storeEvidenceBlob(trx, sha256, content, clock());
        await keepMd5(trx, sha256, content);
        const entry = await append(trx, found.row, {
          exhibitId,
          exhibitRef: found.exhibit.exhibit_ref,
          event: 'file-added',
          actor: staff.email,
          at: clock().toISOString(),
          location: SYSTEM_LOCATIONS.evidenceStore,
          note: '',
          fileSha256: sha256,
          fileName,
        });
        await audit(
          trx,
          staff,
          'exhibit-file-added',
          found.row.reference,
          `${found.exhibit.exhibit_ref}: ${sha256}`,
        );
        return entryJson(entry);
      });
    },

    async custody(staff: StaffMember, exhibitId: number) {
      const found = await access.findVisibleExhibit(db, staff, exhibitId);
      if (found === null) return null;
      await audit(db, staff, 'read-custody', found.row.reference, found.exhibit.exhibit_ref);
      const entries = (await chainOf(found.row.id)).filter((e) => e.exhibitRef === found.exhibit.exhibit_ref);
      return {
        exhibit: found.exhibit.exhibit_ref,
        case: found.row.reference,
        entries: entries.map(entryJson),
      };
    },

    /** Imports (or replaces) a hash list: one SHA-256 or MD5 per line; returns how many were read. */
    async importHashlist(name: string, text: string): Promise<{ entries: number; skipped: number[] }> {
      const hashes = new Set<string>();
      const skipped: number[] = [];
      for (const [index, raw] of text.split(/\r?\n/).entries()) {
        const line = raw.trim().toLowerCase();
        if (line === '' || line.startsWith('#')) continue;
        if (/^(?:[0-9a-f]{32}|[0-9a-f]{64})$/.test(line)) hashes.add(line);
        else skipped.push(index + 1);
      }
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('hashlists')
          .select('id')
          .where('name', '=', name)
          .executeTakeFirst();
        if (existing !== undefined) {
          await trx.deleteFrom('hashlist_entries').where('hashlist_id', '=', existing.id).execute();
          await trx.deleteFrom('hashlists').where('id', '=', existing.id).execute();
        }
        const list = await trx
          .insertInto('hashlists')
          .values({ name, entries: hashes.size, imported_at: clock().toISOString() })
          .returning('id')
          .executeTakeFirstOrThrow();
        const all = [...hashes];
        for (let i = 0; i < all.length; i += 500) {
          await trx
            .insertInto('hashlist_entries')
            .values(all.slice(i, i + 500).map((hash) => ({ hashlist_id: list.id, hash })))
            .execute();
        }
      });
      return { entries: hashes.size, skipped };
    },

    /** Re-computes the chain and every stored file's SHA-256 (CLI; no staff scope: run by the evidence officer). */
    async verify(reference: string): Promise<VerifyResult | null> {
      const row = await findCaseByReference(db, reference);
      if (row === undefined) return null;
      const entries = await chainOf(row.id);
      const files = entries.filter((e) => e.fileSha256 !== null);
      const result = { case: row.reference, entries: entries.length, files: files.length };
      const chain = verifyChain(entries, { hash: row.custody_head, count: row.custody_count });
      if (!chain.ok) return { ...result, ok: false, broken: chain.problem };
      const unsigned = await custodySealProblem(db, row);
      if (unsigned !== null) return { ...result, ok: false, broken: unsigned };
      for (const file of files) {
        const blob = await db
          .selectFrom('evidence_blobs')
          .select('content')
          .where('sha256', '=', file.fileSha256 ?? '')
          .executeTakeFirst();
        if (blob === undefined)
          return {
            ...result,
            ok: false,
            broken: `file ${file.fileName ?? ''} (entry ${file.seq}) is missing`,
          };
        const actual = createHash('sha256').update(blob.content).digest('hex');
        if (actual !== file.fileSha256)
          return {
            ...result,
            ok: false,
            broken: `file ${file.fileName ?? ''} (entry ${file.seq}) has been changed`,
          };
      }
      return { ...result, ok: true };
    },

    /** The prosecutor's bundle: exhibits' files, manifest.json and a readable manifest.html with the whole log. */
    async exportCase(reference: string, dir: string): Promise<{ files: number; entries: number } | null> {
      const row = await findCaseByReference(db, reference);
      if (row === undefined) return null;
      const entries = await chainOf(row.id);
      const exhibits = await db
        .selectFrom('exhibits')
        .selectAll()
        .where('case_id', '=', row.id)
        .orderBy('id')
        .execute();
      await mkdir(join(dir, 'files'), { recursive: true });
      const files: { file: string; sha256: string; exhibit: string }[] = [];
      for (const entry of entries) {
        if (entry.fileSha256 === null) continue;
        const blob = await db
          .selectFrom('evidence_blobs')
          .select('content')
          .where('sha256', '=', entry.fileSha256)
          .executeTakeFirst();
        if (blob === undefined) continue;
        const name = `${entry.fileSha256}-${(entry.fileName ?? 'file').replace(/[^A-Za-z0-9._-]/g, '_')}`;
        await writeFile(join(dir, 'files', name), blob.content);
        files.push({ file: `files/${name}`, sha256: entry.fileSha256, exhibit: entry.exhibitRef });
      }
      const manifest = {
        case: row.reference,
        title: row.title,
        exported_at: clock().toISOString(),
        hash_algorithm: 'SHA-256',
        chain: {
          rule: 'hash = SHA-256 of the JSON array [case, seq, exhibit, event, actor, at, location, note, file_sha256, file_name, prev_hash]; the first prev_hash is 64 zeros',
          head: row.custody_head,
          entries: entries.length,
        },
        exhibits: exhibits.map((e) => ({
          exhibit_ref: e.exhibit_ref,
          kind: e.kind,
          description: e.description,
          seized_by: e.seized_by,
          seized_at: e.seized_at,
          seized_where: e.seized_where,
          seal_numbers: e.seal_numbers === '' ? [] : e.seal_numbers.split(','),
        })),
        files,
        custody_log: entries.map(entryJson),
      };
      await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await writeFile(join(dir, 'manifest.html'), manifestHtml(manifest));
      await writeCustodyProof(db, dir, row, entries);
      return { files: files.length, entries: entries.length };
    },
  };
}

const CDR_KINDS = ['call', 'sms', 'data', 'cell'] as const;
/** The CSV's columns, in the documented order. */
export const CDR_COLUMNS = [
  'timestamp',
  'type',
  'from',
  'to',
  'duration_seconds',
  'cell_id',
  'latitude',
  'longitude',
] as const;
/** Rows in one import: a year of a busy phone's records is well under this. */
export const MAX_CDR_ROWS = 100_000;

const cdrError = (message: string, code: string, params: Record<string, string | number> = {}) =>
  new CaseError(400, message, 'csv', code, params);

/**
 * Call data records CSV: timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude (header row required;
 * timestamp ISO 8601 with a zone; type call|sms|data|cell; empty cells allowed except timestamp and type).
 * Each refusal names the row (as numbered in a spreadsheet: the header is row 1) and carries a code for pages.
 */
export function parseCdr(csv: string) {
  let records: Record<string, string>[];
  try {
    records = parseCsv<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      // Spreadsheets leave trailing empty cells off; a short row's missing cells are empty.
      relax_column_count: true,
      to: MAX_CDR_ROWS + 1,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw cdrError(`The CSV could not be read: ${(error as Error).message}`, 'cdr-unreadable', {
      row: line ?? 1,
    });
  }
  if (records.length === 0) throw cdrError('The CSV has no records under its header row', 'cdr-empty');
  if (records.length > MAX_CDR_ROWS)
    throw cdrError(`The CSV has more than ${MAX_CDR_ROWS} records`, 'cdr-many', { max: MAX_CDR_ROWS });
  const missing = ['timestamp', 'type'].filter((c) => !(c in (records[0] ?? {})));
  if (missing.length > 0)
    throw cdrError(`The header row has no ${missing.join(' or ')} column`, 'cdr-columns', {
      columns: missing.join(', '),
    });
  return records.map((r, i) => {
    const row = i + 2;
    const at = Date.parse(r.timestamp ?? '');
    if (Number.isNaN(at) || !/(?:Z|[+-]\d{2}:?\d{2})$/.test(r.timestamp ?? ''))
      throw cdrError(`Row ${row}: timestamp must be ISO 8601 with a time zone`, 'cdr-timestamp', { row });
    const kind = r.type?.toLowerCase() ?? '';
    if (!(CDR_KINDS as readonly string[]).includes(kind))
      throw cdrError(`Row ${row}: type must be one of ${CDR_KINDS.join(', ')}`, 'cdr-type', { row });
    const num = (value: string | undefined, min: number, max: number, column: string) => {
      if (value === undefined || value === '') return null;
      const n = Number(value);
      if (!Number.isFinite(n) || n < min || n > max)
        throw cdrError(`Row ${row}: ${column} is out of range`, 'cdr-range', { row, column });
      return n;
    };
    const text = (value: string | undefined) =>
      value === undefined || value === '' ? null : value.slice(0, 40);
    return {
      at: new Date(at).toISOString(),
      kind,
      from_number: text(r.from),
      to_number: text(r.to),
      duration_s: num(r.duration_seconds, 0, 86_400 * 7, 'duration_seconds'),
      cell_id: text(r.cell_id),
      lat: num(r.latitude, -90, 90, 'latitude'),
      lon: num(r.longitude, -180, 180, 'longitude'),
    };
  });
}

/** Great-circle distance (haversine), good to a few metres at cell-site scale. */
export function metresBetween(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function manifestHtml(manifest: {
  case: string;
  title: string;
  exported_at: string;
  files: { file: string; sha256: string; exhibit: string }[];
  custody_log: Record<string, string | number | null>[];
}): string {
  const rows = manifest.custody_log
    .map(
      (e) =>
        `<tr>${['seq', 'exhibit', 'event', 'actor', 'at', 'location', 'note', 'file_name', 'hash']
          .map((k) => `<td>${escapeHtml(String(e[k] ?? ''))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const files = manifest.files
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.exhibit)}</td><td>${escapeHtml(f.file)}</td><td><code>${f.sha256}</code></td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence bundle ${escapeHtml(manifest.case)}</title>
<style>body{font-family:Arial,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #b1b4b6;padding:4px;text-align:left;vertical-align:top;font-size:14px}code{word-break:break-all}</style></head>
<body><h1>Evidence bundle: ${escapeHtml(manifest.case)}</h1><p>${escapeHtml(manifest.title)}. Exported ${escapeHtml(manifest.exported_at)}.</p>
<p>Check each file's SHA-256 against the table below (for example with <code>sha256sum</code>), and the chain with manifest.json: each entry's hash is the SHA-256 of the JSON array [case, seq, exhibit, event, actor, at, location, note, file_sha256, file_name, prev_hash].</p>
<h2>Files</h2><table><thead><tr><th>Exhibit</th><th>File</th><th>SHA-256</th></tr></thead><tbody>
${files}
</tbody></table>
<h2>Chain of custody</h2><table><thead><tr><th>#</th><th>Exhibit</th><th>Event</th><th>By</th><th>At</th><th>Where</th><th>Note</th><th>File</th><th>Hash</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

export type Investigations = ReturnType<typeof createInvestigations>;
