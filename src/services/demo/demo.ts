/**
 * A lived-in development database for newcomers: a year of synthetic reports across every force and category (in
 * English and Welsh, some in campaigns spanning forces), a unit's work on its queue, cases with exhibits, custody,
 * an examination and call records, partners, Protect requests and an Ask-the-unit event, and one account per role.
 * Everything goes through the services' own use cases (classification, routing, linking, audit, custody), so the
 * demo is what the service would hold; nothing is written behind their back.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ROLES, type Role, type StaffMember } from '../../domain/access/access-policy.ts';
import { CATEGORIES, type Category } from '../../domain/classification/taxonomy.ts';
import type { ReportSubmission } from '../../domain/report/report-submission.ts';
import type { Services } from '../index.ts';
import { createDataCipher } from '../data-cipher.ts';
import { totpContext, totpFor } from '../staff-sign-in.ts';
import {
  CAMPAIGNS,
  FIRST_NAMES,
  LAST_NAMES,
  NARRATIVES,
  ORGANISATIONS,
  SUSPECT_NAMES,
} from './demo-content.ts';

import { DEMO_DOMAIN, isDemoAccount } from '../../domain/access/demo-accounts.ts';

export { DEMO_DOMAIN, isDemoAccount };

export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
  totpSecret: string;
  unit: string | null;
}

export interface DemoResult {
  accounts: DemoAccount[];
  reports: number;
  campaigns: number;
  cases: string[];
  partner: { name: string; username: string; password: string; token: string };
  /** A report a visitor can follow on the progress page (reference and the email given with it). */
  progress: { reference: string; email: string };
}

/** The moment the services' clock reads: the demo moves it back over the year, then to now. */
export interface DemoClock {
  set(at: Date): void;
}

/** Same seed, same demo: a small deterministic generator (mulberry32). */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('nothing to pick from');
      return item;
    },
  };
}
type Random = ReturnType<typeof seeded>;

const DEMO_UNITS = { force: 'cumbria', regional: 'nwrocu-rccu', national: 'nccu' } as const;

const ACCOUNT_PLACES: Record<Role, { forceId?: string; unitId?: string }> = {
  'force-officer': { forceId: DEMO_UNITS.force },
  'force-supervisor': { forceId: DEMO_UNITS.force },
  'regional-officer': { unitId: DEMO_UNITS.regional },
  'national-officer': { unitId: DEMO_UNITS.national },
  analyst: {},
  admin: {},
  'call-handler': {},
  'prevent-officer': { unitId: DEMO_UNITS.regional },
};

/** Production refuses to start on a database holding demo accounts (their passwords were printed). */
export async function demoAccountsPresent(services: Services): Promise<boolean> {
  const row = await services.database.db
    .selectFrom('users')
    .select('id')
    .where('email', 'like', `%@${DEMO_DOMAIN}`)
    .executeTakeFirst();
  return row !== undefined;
}

/** The current second-factor code of a demo account, or null when there is no such demo account. */
export async function demoCode(services: Services, emailInput: string): Promise<string | null> {
  const email = emailInput.trim().toLowerCase();
  if (!isDemoAccount(email)) return null;
  const row = await services.database.db
    .selectFrom('users')
    .select('totp_secret')
    .where('email', '=', email)
    .executeTakeFirst();
  if (row === undefined) return null;
  const secret = createDataCipher(services.config.dataKey).open(row.totp_secret, totpContext(email));
  return totpFor(email, secret).generate({ timestamp: services.clock().getTime() });
}

/** Refuses unless this is a development database with nothing in it. */
export async function demoRefusal(services: Services): Promise<string | null> {
  if (services.config.nodeEnv === 'production') return 'the demo never runs in production';
  const { db } = services.database;
  for (const table of [
    'reports',
    'users',
    'partners',
    'cases',
    'api_tokens',
    'legacy_records',
    'hashlists',
    'protect_requests',
    'ask_events',
    'indicators',
    'referrals',
  ] as const) {
    const row = await db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    if (row.n > 0) return `the database already holds data (${table}); the demo fills an empty one only`;
  }
  return null;
}

/** One postcode per territorial force that the service's own look-up places in that force alone. */
function postcodesByForce(services: Services): Map<string, string> {
  const found = new Map<string, string>();
  const areas = Object.entries(services.reference.postcodeAreas);
  for (const [area, entry] of areas) {
    const districts = entry.districts === undefined ? [] : Object.keys(entry.districts);
    const candidates = [
      ...districts.map((d) => `${d} 1AB`),
      ...[1, 2, 3, 4, 5, 10].map((n) => `${area}${n} 1AB`),
    ];
    for (const candidate of candidates) {
      const answer = services.postcodes.lookup(candidate);
      if (answer.kind !== 'found' || answer.forces.length !== 1) continue;
      const force = answer.forces[0];
      if (force !== undefined && !found.has(force)) found.set(force, answer.postcode);
    }
  }
  return found;
}

const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB')}`;

function narrative(
  random: Random,
  category: Category,
  lng: 'en' | 'cy',
  fill: Record<'site' | 'email' | 'phone' | 'amount' | 'name', string>,
): string {
  const words = NARRATIVES[category] ?? NARRATIVES['impersonation-fraud'];
  const template = random.pick(words?.[lng] ?? ['']);
  return template.replace(/\{(site|email|phone|amount|name)\}/g, (_, key: keyof typeof fill) => fill[key]);
}

/** A report as a victim or a partner would send it, dated `at`. */
function demoSubmission(
  random: Random,
  input: {
    category: Category;
    forceId: string;
    postcode: string;
    lng: 'en' | 'cy';
    site?: string | undefined;
    email?: string | undefined;
    phone?: string | undefined;
    reporterEmail?: string;
  },
): ReportSubmission {
  const serial = random.int(1_000_000);
  const site = input.site ?? `shop-${serial}-demo.co.uk`;
  const email = input.email ?? `payments${serial}@mail-${serial % 97}-demo.net`;
  const phone = input.phone ?? `07700 900${String(500 + (serial % 499)).padStart(3, '0')}`;
  const fraud = CATEGORIES[input.category].cyber === 'enabled' && input.category !== 'online-harassment';
  const amountPence = fraud ? (20 + random.int(480)) * 500 : 0;
  const organisation = random.next() < 0.12 ? random.pick(ORGANISATIONS) : null;
  const text = narrative(random, input.category, input.lng, {
    site,
    email,
    phone,
    amount: pounds(amountPence),
    name: random.pick(SUSPECT_NAMES),
  });
  const named = (value: string) => text.includes(value);
  return {
    source: random.next() < 0.8 ? 'web' : 'api',
    reporterType: organisation === null ? 'individual' : 'organisation',
    reporter: {
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      victimName: null,
      email: input.reporterEmail ?? null,
      phone: null,
      preferredContact: null,
    },
    organisation:
      organisation === null
        ? null
        : { name: organisation.name, sector: organisation.sector, employees: '10-49' },
    postcode: input.postcode,
    force: { id: input.forceId, candidates: [input.forceId] },
    category: input.category,
    narrative: text,
    startedAt: null,
    ongoing: false,
    contactMethod: named(phone)
      ? 'phone-call'
      : named(site)
        ? 'website'
        : named(email)
          ? 'email'
          : 'social-media',
    losses:
      amountPence > 0
        ? [{ amountPence, method: random.pick(['bank-transfer', 'card', 'cryptocurrency']) }]
        : [],
    suspect: {
      names: [],
      emails: named(email) ? [email] : [],
      phones: named(phone) ? [phone] : [],
      websites: named(site) ? [site] : [],
      socials: [],
      bankAccounts: [],
      wallets: [],
    },
    vulnerability: random.next() < 0.1 ? ['age'] : [],
    consents: { victimSupport: false },
    evidence: [],
  };
}

/** Dates over the past year, oldest first (the audit chain is written in time order), busier in recent months. */
function datesOverYear(random: Random, count: number, now: Date): Date[] {
  const yearMs = 365 * 86_400_000;
  return Array.from({ length: count }, () => {
    const skew = Math.sqrt(random.next());
    return new Date(now.getTime() - yearMs * (1 - skew) - random.int(3_600_000));
  }).sort((a, b) => a.getTime() - b.getTime());
}

async function member(services: Services, email: string): Promise<StaffMember> {
  const found = await services.staff.userIdByEmail(email);
  const person = found === null ? null : await services.staff.byId(found.id);
  if (person === null) throw new Error(`demo account ${email} is missing`);
  return person;
}

/** Cases in the force unit: from its reports, with exhibits, custody, a file, an examination and call records. */
async function demoCases(
  services: Services,
  officer: StaffMember,
  supervisor: StaffMember,
  references: string[],
) {
  const inv = services.investigations;
  const now = services.clock();
  const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  const cases: string[] = [];
  const plans = [
    { title: 'Operation Kestrel: parcel fee texts', reports: references.slice(0, 4), restricted: false },
    { title: 'Operation Heron: romance fraud network', reports: references.slice(4, 6), restricted: false },
    { title: 'Operation Curlew: office ransomware', reports: references.slice(6, 7), restricted: false },
  ];
  for (const [index, plan] of plans.entries()) {
    if (plan.reports.length === 0) continue;
    const reference = await inv.createCase(officer, { ...plan, members: [supervisor.email] });
    cases.push(reference);
    const exhibit = await inv.addExhibit(officer, reference, {
      initials: 'JH',
      kind: index === 0 ? 'Mobile phone' : 'Laptop',
      description:
        index === 0
          ? 'Samsung handset seized from the suspect, screen cracked'
          : 'Dell laptop from the office',
      seizedAt: iso(20 - index),
      seizedWhere: index === 0 ? 'Botchergate, Carlisle' : 'Kendal business park',
      sealNumbers: [`EVB${4100 + index}`],
    });
    const exhibitId = exhibit.id;
    await inv.addCustody(officer, exhibitId, {
      event: 'booked-in',
      at: iso(19 - index),
      location: 'Carlisle property store',
      note: 'Booked in, seal intact',
    });
    await inv.addFile(
      officer,
      exhibitId,
      'extraction-summary.txt',
      new TextEncoder().encode('Extraction summary\n'),
    );
    await inv.requestExamination(officer, exhibitId, {
      what: 'Full logical extraction of messages and call history',
      why: 'Link the handset to the parcel-fee texts',
      priority: index === 0 ? 'high' : 'routine',
      legalAuthority: 'PACE s.19 seizure; consent not required',
    });
    await inv.addTask(officer, reference, {
      title: 'Request bank statements',
      owner: officer.email,
      dueOn: iso(-7).slice(0, 10),
    });
    await inv.addDecision(
      supervisor,
      reference,
      'Investigate as a linked series',
      'Same sender number across forces',
    );
    if (index === 0) {
      const rows = Array.from({ length: 60 }, (_, i) => {
        const at = new Date(now.getTime() - (30 - i / 3) * 86_400_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
        return `${at},${i % 4 === 0 ? 'sms' : 'call'},07700900101,0770090${String(2000 + i).slice(-4)},${i % 4 === 0 ? 0 : 30 + i},CELL${100 + (i % 5)},54.89${i % 10},-2.93${i % 7}`;
      });
      await inv.importCdr(
        officer,
        exhibitId,
        ['timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude', ...rows].join('\n'),
      );
    }
  }
  return cases;
}

export interface DemoOptions {
  reports?: number;
  seed?: number;
  clock: DemoClock;
  /** Told every few hundred reports (the CLI prints progress at a terminal). */
  progress?: (done: number, total: number) => void;
}

export async function loadDemo(services: Services, options: DemoOptions): Promise<DemoResult> {
  const refusal = await demoRefusal(services);
  if (refusal !== null) throw new Error(refusal);
  const random = seeded(options.seed ?? 2026);
  const total = options.reports ?? 5000;
  const now = new Date();
  const postcodes = postcodesByForce(services);
  const forces = services.reference.forces.filter((f) => f.territorial && postcodes.has(f.id));
  const welsh = new Set(forces.filter((f) => f.nation === 'wales').map((f) => f.id));
  // Cyber-dependent crime (which force units hold) weighted up, so every demo queue has work in it.
  const categories = (Object.keys(CATEGORIES) as Category[])
    .filter((c) => NARRATIVES[c] !== undefined)
    .flatMap((c) => (CATEGORIES[c].cyber === 'dependent' ? [c, c, c] : [c]));

  // Campaign reports first in the plan, then the rest; all are submitted in date order.
  const plan: { category: Category; site?: string; email?: string; phone?: string }[] = [];
  // Campaign sizes are for 5,000 reports; a smaller demo keeps the same mix.
  for (const campaign of CAMPAIGNS)
    for (let i = 0; i < Math.max(2, Math.round((campaign.reports * total) / 5000)); i++) plan.push(campaign);
  while (plan.length < total) plan.push({ category: random.pick(categories) });
  const dates = datesOverYear(random, plan.length, now);
  const order = plan.map((_, i) => i).sort(() => random.next() - 0.5);

  // A development database being filled: one fsync per report would make this minutes longer for nothing.
  const sqlite = services.database.dialect === 'sqlite';
  if (sqlite) await sql`pragma synchronous = normal`.execute(services.database.db);
  const progressEmail = `visitor@${DEMO_DOMAIN}`;
  let progressReference = '';
  for (const [n, index] of order.entries()) {
    const item = plan[index];
    const at = dates[n];
    if (item === undefined || at === undefined) continue;
    // Cumbria gets more than its share, so the demo officer's queue is busy.
    const force = random.next() < 0.12 ? DEMO_UNITS.force : random.pick(forces).id;
    const lng = welsh.has(force) ? (random.next() < 0.6 ? 'cy' : 'en') : random.next() < 0.03 ? 'cy' : 'en';
    const last = n === order.length - 1;
    options.clock.set(at);
    const report = await services.reportIntake.submit(
      demoSubmission(random, {
        ...item,
        forceId: force,
        postcode: postcodes.get(force) ?? '',
        lng,
        ...(last ? { reporterEmail: progressEmail } : {}),
      }),
      { lng, clientAddress: '192.0.2.1' },
    );
    if (last) progressReference = report.reference;
    if ((n + 1) % 250 === 0) options.progress?.(n + 1, plan.length);
  }
  options.clock.set(now);
  if (sqlite) await sql`pragma synchronous = full`.execute(services.database.db);

  const accounts: DemoAccount[] = [];
  for (const role of ROLES) {
    const email = `${role}@${DEMO_DOMAIN}`;
    const password = randomBytes(12).toString('base64url');
    const added = await services.staffAccounts.add({
      email,
      role,
      password,
      actor: 'bluelight demo',
      demo: true,
      // Printed for whoever runs the demo, who is the one signing in with it.
      passwordChosenByHolder: true,
      ...ACCOUNT_PLACES[role],
    });
    const totpSecret = new URL(added.otpauthUri).searchParams.get('secret') ?? '';
    const place = ACCOUNT_PLACES[role];
    accounts.push({ role, email, password, totpSecret, unit: place.unitId ?? place.forceId ?? null });
  }
  const officer = await member(services, `force-officer@${DEMO_DOMAIN}`);
  const supervisor = await member(services, `force-supervisor@${DEMO_DOMAIN}`);

  // The force unit works its queue: the older half assessed, some allocated, investigated or closed.
  const held: string[] = [];
  for (let page = 1; ; page++) {
    const queue = await services.casework.queue(supervisor, { page, sort: 'oldest' });
    held.push(...queue.rows.map((row) => row.reference));
    if (queue.rows.length === 0 || held.length >= queue.total) break;
  }
  for (const [i, reference] of held.entries()) {
    if (i % 2 === 1) continue;
    await services.casework.setStatus(supervisor, reference, 'assessed', null);
    if (i % 6 === 0) await services.casework.allocate(supervisor, reference, officer.email);
    if (i % 12 === 0) await services.casework.setStatus(officer, reference, 'investigating', null);
    else if (i % 8 === 0)
      await services.casework.setStatus(supervisor, reference, 'closed', 'evidential-difficulties');
  }
  const cases = await demoCases(services, officer, supervisor, held.slice(-7));

  const partner = await services.partners.add({
    name: 'Example Bank plc',
    sectors: ['finance'],
    tlp: 'amber',
  });
  await services.partners.add({ name: 'Northern Telecom', sectors: ['telecoms'], tlp: 'green' });
  await services.partners.add({ name: 'Hosting Co', sectors: ['hosting', 'retail'], tlp: 'amber' });

  for (let i = 0; i < 24; i++) {
    const force = random.pick(forces).id;
    const organisation = random.pick(ORGANISATIONS);
    await services.protectRequests.submit({
      organisation: organisation.name,
      contactName: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      email: `it@${DEMO_DOMAIN}`,
      phone: null,
      postcode: postcodes.get(force) ?? '',
      forceId: force,
      help: [random.pick(['talk', 'exercise', 'review'])],
      message: 'We would like advice on phishing awareness for our staff and a check of our backups.',
    });
  }

  const event = await services.askTheUnit.createEvent(officer, {
    title: 'Ask Cumbria’s cyber crime unit: shopping safely online',
    titleCy: 'Gofynnwch i uned seiberdroseddu Cumbria: siopa’n ddiogel ar-lein',
    description: 'Officers answer your questions about online shopping fraud and how to spot a fake website.',
    descriptionCy: 'Mae swyddogion yn ateb eich cwestiynau am dwyll siopa ar-lein.',
    startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
    endsAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
  });
  for (const question of [
    'How can I tell if a website selling consoles is fake?',
    'Is paying by bank transfer safe if the seller insists?',
    'Sut ydw i’n gwybod a yw siop ar-lein yn ddilys?',
  ])
    await services.askTheUnit.ask(event, {
      name: null,
      question,
      lng: question.startsWith('Sut') ? 'cy' : 'en',
    });

  const campaigns = await services.database.db
    .selectFrom('campaigns')
    .select(sql<number>`count(*)`.as('n'))
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    accounts,
    reports: plan.length,
    campaigns: campaigns.n,
    cases,
    partner,
    progress: { reference: progressReference, email: progressEmail },
  };
}
