/**
 * A unit's workspace as it looks after months of work, for measuring every staff page (test/e2e/staff-pages.test.ts):
 * the demo (reports over a year, campaigns, cases with exhibits and call records, Protect requests, an Ask the unit
 * event, partners, one account per role), then what the demo leaves empty or short: more than a page of cases, a case
 * with several tasks, exhibits and examinations, alerts, incidents, Prevent referrals, working groups, disruption
 * requests, supplier taskings and staff accounts.
 */
import { Secret, TOTP } from 'otpauth';
import type { Role, StaffMember } from '../../src/domain/access/access-policy.ts';
import { DEMO_DOMAIN } from '../../src/domain/access/demo-accounts.ts';
import { loadDemo } from '../../src/services/demo/demo.ts';
import type { Services } from '../../src/services/index.ts';
import { addStaff } from './staff-fixtures.ts';
import { makeSubmission, suspect } from './submissions.ts';
import { supplierWorld } from './supplier-fixtures.ts';

const BIRDS = [
  'Avocet',
  'Bittern',
  'Chough',
  'Dunlin',
  'Eider',
  'Fulmar',
  'Gannet',
  'Hobby',
  'Ibis',
  'Jackdaw',
  'Knot',
  'Lapwing',
  'Merlin',
  'Nightjar',
  'Osprey',
  'Puffin',
  'Quail',
  'Redshank',
  'Shag',
  'Twite',
  'Avocet II',
  'Wryneck',
  'Yellowhammer',
  'Smew',
  'Goshawk',
  'Whimbrel',
  'Sanderling',
  'Ptarmigan',
];

export interface StaffPagesWorld {
  /** Every role's demo account: email, password and authenticator. */
  accounts: Map<Role, { email: string; password: string; totp: TOTP }>;
  /** A Cumbria report with indicators, held by the force unit. */
  report: string;
  /** The case with several tasks, exhibits and examinations; one of its exhibits, with call records. */
  busyCase: string;
  exhibitId: number;
  callsExhibitId: number;
  alertId: number;
  incidentId: number;
  preventId: number;
  groupId: number;
  disruptionId: number;
  taskingId: number;
  campaignId: number;
  askEventId: number;
  protectRequestId: number;
  indicatorId: number;
  userId: number;
  partnerId: number;
  review: { subject: string; id: number };
}

export async function staffPagesWorld(
  services: Services,
  setClock: (at: Date) => void,
): Promise<StaffPagesWorld> {
  const db = services.database.db;
  const demo = await loadDemo(services, { reports: 120, clock: { set: setClock } });
  const accounts = new Map(
    demo.accounts.map((a) => [
      a.role,
      { email: a.email, password: a.password, totp: new TOTP({ secret: Secret.fromBase32(a.totpSecret) }) },
    ]),
  );
  const member = async (email: string): Promise<StaffMember> => {
    const found = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
    if (found === null) throw new Error(`no ${email}`);
    return found;
  };
  const as = (role: Role) => member(`${role}@${DEMO_DOMAIN}`);
  const officer = await as('force-officer');
  const supervisor = await as('force-supervisor');
  const regional = await as('regional-officer');
  const inv = services.investigations;
  const w = await supplierWorld(services);

  // More than a page of cases (25), some restricted.
  for (const [i, bird] of BIRDS.entries())
    await inv.createCase(i % 2 === 0 ? officer : supervisor, {
      title: `Operation ${bird}: ${i % 3 === 0 ? 'invoice fraud against a care home' : 'account takeover series'}`,
      reports: [],
      restricted: i % 9 === 0,
      members: [],
    });
  // The demo's first case, busy: tasks, exhibits and examinations.
  const busyCase = demo.cases[0] ?? '';
  const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  for (let i = 0; i < 8; i++)
    await inv.addTask(officer, busyCase, {
      title: `${['Request subscriber data', 'Interview the victim', 'Production order', 'Check ANPR'][i % 4] ?? ''} (${String(i + 1)})`,
      owner: i % 2 === 0 ? officer.email : supervisor.email,
      dueOn: day(i - 3).slice(0, 10),
    });
  let exhibitId = 0;
  for (let i = 0; i < 5; i++) {
    const exhibit = await inv.addExhibit(officer, busyCase, {
      initials: 'JH',
      kind: ['Mobile phone', 'Laptop', 'USB stick'][i % 3] ?? 'Laptop',
      description: `Item ${String(i + 1)} seized at the suspect’s address`,
      seizedAt: day(-10 + i),
      seizedWhere: 'Botchergate, Carlisle',
      sealNumbers: [`EVB${String(5100 + i)}`],
    });
    exhibitId = exhibit.id;
    await inv.requestExamination(officer, exhibit.id, {
      what: 'Logical extraction of messages and call history',
      why: 'Link the device to the parcel-fee texts',
      priority: i % 2 === 0 ? 'high' : 'routine',
      legalAuthority: 'PACE s.19 seizure',
    });
  }
  const callsExhibit = await db.selectFrom('cdr_events').select('exhibit_id as id').executeTakeFirstOrThrow();

  // Alerts: a dozen, half approved by a second writer.
  let alertId = 0;
  for (let i = 0; i < 12; i++) {
    alertId = await services.alerts.create(supervisor, {
      titleEn: `Courier fraud calls in Cumbria, week ${String(i + 1)}`,
      bodyEn:
        'Callers claim to be police and ask for your bank card. Hang up and call 101 from another phone.',
      titleCy: `Galwadau twyll negesydd yn Cumbria, wythnos ${String(i + 1)}`,
      bodyCy: 'Mae galwyr yn honni eu bod yn heddlu ac yn gofyn am eich cerdyn banc.',
    });
    if (i % 2 === 0) await services.alerts.approve(officer, alertId);
  }
  // Incidents declared by the region.
  let incidentId = 0;
  for (let i = 0; i < 6; i++)
    incidentId = await services.incidents.declare(regional, {
      name: `Payroll phishing wave ${String(i + 1)}`,
      nameCy: `Ton gwe-rwydo cyflogres ${String(i + 1)}`,
      description: 'Emails pretending to be payroll providers ask staff to confirm their bank details.',
      descriptionCy: 'E-byst yn esgus bod yn ddarparwyr cyflogres.',
      indicators: `payroll-update-${String(i)}.example.com\n`,
      category: null,
      sector: null,
      from: day(-30),
      to: null,
    });
  // Prevent referrals for the region.
  let preventId = 0;
  for (let i = 0; i < 14; i++)
    preventId = (
      await services.prevent.referFromPublic(
        {
          kind: 'school',
          name: 'Ms Quillfeather',
          email: 'quillfeather@school.example',
          phone: '07911 123456',
          organisation: 'Lakeside Academy',
        },
        {
          youngPerson: `Pupil ${String(i + 1)}`,
          age: 13 + (i % 5),
          forceId: 'cumbria',
          concern: 'Runs a booter service from his bedroom and boasts of taking down the school network.',
          aware: i % 2 === 0,
          lng: i % 4 === 0 ? 'cy' : 'en',
        },
      )
    ).id;
  // Working groups with posts.
  let groupId = 0;
  for (const [i, sector] of ['finance', 'telecoms', 'retail'].entries()) {
    groupId = await services.workingGroups.create(supervisor, { name: `North West ${sector} fraud`, sector });
    await services.workingGroups.addMember(supervisor, groupId, { partnerId: w.bank.id });
    for (let j = 0; j < 4; j++)
      await services.workingGroups.post(supervisor, groupId, {
        kind: 'request',
        text: `Has anyone seen this domain? (${String(i)}.${String(j)})`,
        tlp: 'green',
        indicatorType: 'domain',
        indicatorValue: `fake-bank-login-${String(i)}-${String(j)}.co.uk`,
        deadline: day(3),
      });
  }
  // Disruption requests from reports naming scam sites.
  let disruptionId = 0;
  for (let i = 0; i < 8; i++) {
    const site = `https://fake-parcel-fees-${String(i)}.co.uk/pay`;
    const { reference } = await services.reportIntake.submit(
      makeSubmission({ narrative: `I paid a fee on ${site}`, suspect: suspect({ websites: [site] }) }),
    );
    await services.intelligence.linkPending();
    await db
      .updateTable('reports')
      .set({ status: 'assessed', unit_id: 'cumbria-cyber' })
      .where('reference', '=', reference)
      .execute();
    disruptionId = await services.disruption.raise(w.officer, {
      report: reference,
      partnerId: w.bank.id,
      type: 'takedown',
      targetType: 'url',
      targetValue: site,
      urgency: 'high',
      legalBasis: 'partner-terms',
      submit: true,
    });
  }
  // Supplier taskings for the world's case.
  let taskingId = 0;
  for (let i = 0; i < 6; i++)
    taskingId = await services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: `Extract the handset and report on the messages (${String(i + 1)})`,
      deadline: day(14 + i).slice(0, 10),
      budgetCapPence: 100_000,
      exhibitIds: [w.exhibitId],
    });
  // Cyber Protect requests from Cumbria, for its region's unit.
  for (let i = 0; i < 12; i++)
    await services.protectRequests.submit({
      organisation: `Lakeland Care Homes ${String(i + 1)} Ltd`,
      contactName: 'Sam Fell',
      email: 'it@lakeland.example',
      phone: null,
      postcode: 'CA1 1AA',
      forceId: 'cumbria',
      help: [(['talk', 'exercise', 'review'] as const)[i % 3] ?? 'talk'],
      message: 'We would like advice on phishing awareness for our staff and a check of our backups.',
    });
  // Enough staff for the accounts list to need its pages.
  for (let i = 0; i < 30; i++)
    await addStaff(services, {
      email: `officer${String(i).padStart(2, '0')}@cumbria.example`,
      role: i % 5 === 0 ? 'force-supervisor' : 'force-officer',
      forceId: 'cumbria',
    });

  const first = <T>(rows: T[], what: string): T => {
    const row = rows[0];
    if (row === undefined) throw new Error(`no ${what}`);
    return row;
  };
  const report = first(
    await db
      .selectFrom('reports')
      .innerJoin('report_indicators', 'report_indicators.report_id', 'reports.id')
      .select(['reports.reference', 'reports.id as reportId', 'report_indicators.indicator_id as id'])
      .where('reports.unit_id', '=', 'cumbria-cyber')
      .limit(1)
      .execute(),
    'report with indicators',
  );
  return {
    accounts,
    report: report.reference,
    indicatorId: report.id,
    busyCase,
    exhibitId,
    callsExhibitId: callsExhibit.id,
    alertId,
    incidentId,
    preventId,
    groupId,
    disruptionId,
    taskingId,
    campaignId: first(
      await db.selectFrom('campaigns').select('id').where('merged_into', 'is', null).execute(),
      'campaign',
    ).id,
    askEventId: first(await db.selectFrom('ask_events').select('id').execute(), 'ask event').id,
    protectRequestId: first(await services.protectRequests.forUnit(regional), 'protect request').id,
    userId: first(await db.selectFrom('users').select('id').execute(), 'user').id,
    partnerId: w.bank.id,
    // Every classification waits for review (CLASSIFY_REVIEW_BELOW=1), this report's too.
    review: { subject: 'report', id: report.reportId },
  };
}
