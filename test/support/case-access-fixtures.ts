/**
 * The world the case access matrix runs in: three case "families" (cases owned by a force unit, a regional unit and
 * a national unit, each shared with one more unit of its kind), people of every role in the owning, sharing and
 * other units, a campaign of one force's reports, and a snapshot of everything a refused request could write.
 */
import { sql } from 'kysely';
import type { TOTP } from 'otpauth';
import type { Role, StaffMember } from '../../src/domain/access/access-policy.ts';
import type { FormClient } from './form-client.ts';
import { addStaff, signInStaff, submitPartnerReport } from './staff-fixtures.ts';
import type { createTestApp } from './test-app.ts';

type Ctx = Awaited<ReturnType<typeof createTestApp>>;

export const FAMILIES = {
  force: { owner: 'cumbria-cyber', shared: 'kent-cyber', lead: 'force-officer' },
  regional: { owner: 'nwrocu-rccu', shared: 'ersou-rccu', lead: 'regional-officer' },
  national: { owner: 'nccu', shared: 'fraud-assessment', lead: 'national-officer' },
} as const satisfies Record<string, { owner: string; shared: string; lead: Role }>;
export type Family = keyof typeof FAMILIES;

/** A unit no fixture person works in: where allowed shares go, so no one's relation to a case changes. */
export const UNWATCHED_UNIT = 'psni-cyber';
/** The unit the campaign's reports are routed to. */
export const REPORT_UNIT = 'cumbria-cyber';

export const personEmail = (role: Role, unit: string | null) => `${role}.${unit ?? 'none'}@police.example`;
export const leadEmail = (family: Family) => `lead.${family}@police.example`;
export const spareEmail = (family: Family) => `spare.${family}@police.example`;

export interface Target {
  family: Family;
  reference: string;
  exhibitId: number;
  requestId: number;
  taskId: number;
}

const CSV =
  'timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude\n2025-11-20T08:59:00Z,call,+447700900111,+447700900222,65,CELL-1,54.8925,-2.9329';

export async function seedCaseAccess(ctx: Ctx, people: { role: Role; unit: string | null }[]) {
  const totps = new Map<string, TOTP>();
  const tokens = new Map<string, string>();
  const members = new Map<string, StaffMember>();
  const clients = new Map<string, FormClient>();

  async function addPerson(email: string, role: Role, unit: string | null) {
    if (totps.has(email)) return;
    const force = unit === null ? undefined : ctx.services.reference.unit(unit)?.force;
    const place = unit === null ? {} : force ? { forceId: force } : { unitId: unit };
    totps.set(email, await addStaff(ctx.services, { email, role, ...place }));
    const id = (await ctx.services.staff.userIdByEmail(email))?.id ?? null;
    const member = await ctx.services.staff.byId(id ?? 0);
    if (member === null) throw new Error(`fixture ${email} missing`);
    members.set(email, member);
    tokens.set(email, (await ctx.services.tokens.create(email, ['staff'], id)).token);
  }

  for (const p of people) await addPerson(personEmail(p.role, p.unit), p.role, p.unit);
  for (const [family, f] of Object.entries(FAMILIES) as [Family, (typeof FAMILIES)[Family]][]) {
    await addPerson(leadEmail(family), f.lead, f.owner);
    await addPerson(spareEmail(family), f.lead, f.owner);
    // Whoever receives an allowed transfer as officer in charge.
    await addPerson(personEmail(f.lead, f.shared), f.lead, f.shared);
  }

  const inv = ctx.services.investigations;
  const staff = (email: string) => {
    const member = members.get(email);
    if (member === undefined) throw new Error(`no fixture ${email}`);
    return member;
  };

  /** A case of the family's owning unit, shared with its sharing unit, with something in every part of it. */
  async function seedCase(family: Family, restricted: boolean): Promise<Target> {
    const lead = staff(leadEmail(family));
    const reference = await inv.createCase(lead, {
      title: `Operation ${family}`,
      reports: [],
      restricted,
      members: [],
    });
    await inv.share(lead, reference, FAMILIES[family].shared, 'Offenders there too');
    await inv.addMember(lead, reference, spareEmail(family));
    const exhibit = await inv.addExhibit(lead, reference, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seizedAt: '2025-11-20T09:15:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    await inv.importCdr(lead, exhibit.id, CSV);
    return {
      family,
      reference,
      exhibitId: exhibit.id,
      requestId: await newRequest(family, exhibit.id),
      taskId: await inv.addTask(lead, reference, {
        title: 'Enquiries',
        owner: lead.email,
        dueOn: '2026-12-01',
      }),
    };
  }

  /** A new examination request in the owning unit's queue (finished ones cannot be finished again). */
  function newRequest(family: Family, exhibitId: number) {
    return inv.requestExamination(staff(leadEmail(family)), exhibitId, {
      what: 'Extraction',
      why: 'Messages',
      priority: 'routine',
      legalAuthority: 'PACE s.19',
    });
  }

  const cases = {} as Record<Family, { open: Target; restricted: Target }>;
  for (const family of Object.keys(FAMILIES) as Family[])
    cases[family] = { open: await seedCase(family, false), restricted: await seedCase(family, true) };

  // Two reports to Cumbria naming the same number form a campaign.
  const submit = (narrative: string) =>
    submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
      incident: { narrative },
      consents: { victim_support: false },
    });
  const report = await submit('someone hacked my email account and rang me from 07700 900321');
  await submit('my facebook was hacked, the hacker uses 07700 900321');
  const db = ctx.services.database.db;
  const reportRow = await db
    .selectFrom('reports')
    .select(['id', 'campaign_id'])
    .where('reference', '=', report)
    .executeTakeFirstOrThrow();
  const indicator = await db
    .selectFrom('indicators')
    .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .select(['indicators.type', 'indicators.value'])
    .where('report_indicators.report_id', '=', reportRow.id)
    .where('indicators.type', '=', 'phone')
    .executeTakeFirstOrThrow();
  if (reportRow.campaign_id === null) throw new Error('fixture reports formed no campaign');

  return {
    cases,
    campaign: { id: reportRow.campaign_id, report, indicator },
    staff,
    token: (email: string) => tokens.get(email) ?? '',
    /** The person signed in through the web (once; later calls reuse the session). */
    async client(email: string): Promise<FormClient> {
      let client = clients.get(email);
      if (client === undefined) {
        const totp = totps.get(email);
        if (totp === undefined) throw new Error(`no fixture ${email}`);
        client = await signInStaff(ctx.app, email, totp);
        // A call handler's first page is the adviser's home.
        if (client.path !== '/staff' && client.path !== '/staff/adviser')
          throw new Error(`${email} could not sign in`);
        clients.set(email, client);
      }
      return client;
    },
    seedCase,
    newRequest,
    /** Puts the spare officer back on the case's team (an allowed removal takes them off). */
    async restoreSpare(target: Target) {
      const row = await db
        .selectFrom('cases')
        .select('id')
        .where('reference', '=', target.reference)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('case_members')
        .values({ case_id: row.id, email: spareEmail(target.family) })
        .onConflict((oc) => oc.columns(['case_id', 'email']).doNothing())
        .execute();
    },
  };
}

export type CaseAccessWorld = Awaited<ReturnType<typeof seedCaseAccess>>;

/**
 * Everything a case, exhibit, examination, custody, campaign or indicator request could write: row counts, the
 * audit log (all of it, and the changes alone: a person who may see a case leaves a read row), and the rows whose
 * state changes in place.
 */
export async function writableState(ctx: Ctx) {
  const db = ctx.services.database.db;
  const count = (table: string, where = sql`1 = 1`) =>
    sql<number | string>`(select count(*) from ${sql.table(table)} where ${where})`;
  const counts = await db
    .selectNoFrom([
      count('audit_log').as('audit'),
      count('audit_log', sql`action not like 'read-%'`).as('changes'),
      count('cases').as('cases'),
      count('case_members').as('members'),
      count('case_units').as('units'),
      count('case_tasks', sql`status = 'done'`).as('tasks_done'),
      count('case_tasks').as('tasks'),
      count('case_decisions').as('decisions'),
      count('exhibits').as('exhibits'),
      count('custody_entries').as('custody'),
      count('forensic_requests').as('requests'),
      count('cdr_events').as('cdr'),
      count('cdr_events', sql`marked = 1`).as('cdr_marked'),
      count('evidence_blobs').as('blobs'),
      count('outbox').as('outbox'),
      count('taxii_objects').as('taxii'),
    ])
    .executeTakeFirstOrThrow();
  return {
    counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])),
    cases: await db
      .selectFrom('cases')
      .select([
        'reference',
        'unit_id',
        'officer_in_charge',
        'status',
        'outcome',
        'restricted',
        'custody_head',
      ])
      .orderBy('id')
      .execute(),
    requests: await db
      .selectFrom('forensic_requests')
      .select(['id', 'status', 'unit_id', 'examiner', 'findings'])
      .orderBy('id')
      .execute(),
    indicators: await db
      .selectFrom('indicators')
      .select(['id', 'held_back', 'retracted'])
      .orderBy('id')
      .execute(),
  };
}
