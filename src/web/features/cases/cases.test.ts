import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownCases, statusTab } from '../../../../test/support/case-list-page.ts';
import type { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff, submitPartnerReport } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const OFFICER = 'oic@cumbria.example';
const COLLEAGUE = 'colleague@cumbria.example';
const KENT = 'officer@kent.example';
const ANALYST = 'analyst@x.example';

const EXHIBIT = {
  initials: 'js',
  kind: 'phone',
  description: 'Black smartphone, cracked screen',
  'seized-day': '20',
  'seized-month': '11',
  'seized-year': '2025',
  'seized-hour': '09',
  'seized-minute': '15',
  seizedWhere: '1 High Street, Carlisle',
  seals: 'SEAL-0001\nSEAL-0002',
};

/** The error summary's messages and the inputs they link to. */
function errorSummary(html: string): { text: string; href: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
    href: m[1] ?? '',
    text: (m[2] ?? '').trim().replace(/&#39;|&rsquo;/g, '’'),
  }));
}

describe(`case pages in the unit workspace (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, TOTP>();
  let report = '';
  let kentReport = '';
  let caseRef = '';
  let exhibitId = '';

  const signIn = async (email: string): Promise<FormClient> => {
    const client = await signInStaff(ctx.app, email, totps.get(email) as TOTP);
    expect(client.path).toBe('/staff');
    return client;
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role, forceId] of [
      [OFFICER, 'force-officer', 'cumbria'],
      [COLLEAGUE, 'force-officer', 'cumbria'],
      [KENT, 'force-officer', 'kent'],
      [ANALYST, 'analyst', undefined],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role, ...(forceId ? { forceId } : {}) }));
    const submit = (postcode: string) =>
      submitPartnerReport(ctx.app, ctx.services, {
        reporter: { type: 'individual', name: 'V', postcode },
        incident: { narrative: 'someone hacked my email account and is blackmailing me' },
        consents: { victim_support: false },
      });
    report = await submit('CA1 1AA');
    kentReport = await submit('ME1 1AA');
  });
  afterAll(() => ctx.close());

  it('opens a case from a report, after showing what is wrong with the form', async () => {
    const client = await signIn(OFFICER);
    expect((await client.get('/staff')).body).toContain('href="/staff/cases"');
    const list = await client.get('/staff/cases');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Your unit has no cases yet.');

    const empty = await client.post('/staff/cases', { title: '', reports: 'CYB-NOT-A-REF' });
    expect(client.path).toBe('/staff/cases');
    expect(empty.body).toContain('<title>Error: Cases');
    expect(errorSummary(empty.body)).toEqual([
      { href: '#title', text: 'Enter a title for the case' },
      {
        href: '#reports',
        text: 'CYB-NOT-A-REF is not a crime reference number. Enter one per line, like CYB-7Q2M-XK4P-3',
      },
      { href: '#restricted', text: 'Select yes if this is a restricted case' },
    ]);
    expect(empty.body).toContain('CYB-NOT-A-REF</textarea>');
    // Shown once: the next visit is a clean form.
    expect((await client.get('/staff/cases')).body).not.toContain('govuk-error-summary');

    const elsewhere = await client.post('/staff/cases', {
      title: 'Operation Tern',
      reports: `${report}\n${kentReport}`,
      restricted: 'no',
    });
    expect(errorSummary(elsewhere.body)).toEqual([
      { href: '#reports', text: `There is no report ${kentReport} held by your unit` },
    ]);
    expect(elsewhere.body).toContain('value="Operation Tern"');

    const opened = await client.post('/staff/cases', {
      title: 'Operation Tern',
      reports: `${report.toLowerCase()}\n\n`,
      restricted: 'no',
    });
    expect(client.path).toMatch(/^\/staff\/cases\/CASE-[0-9A-Z]{8}\?done=opened$/);
    caseRef = /CASE-[0-9A-Z]{8}/.exec(client.path)?.[0] ?? '';
    expect(opened.body).toContain('The case has been opened.');
    expect(opened.body).toContain(`<a class="govuk-link" href="/staff/reports/${report}">${report}</a>`);
    expect(opened.body).toContain('<nav class="moj-sub-navigation" aria-label="Case sections">');
    expect(opened.body).toMatch(/aria-current="page" href="\/staff\/cases\/CASE-[0-9A-Z]{8}">Overview</);
    // The identity bar: the case's title as the page's heading, and its actions as a button menu of links.
    expect(opened.body).toContain('class="moj-identity-bar app-identity-bar"');
    expect(opened.body).toMatch(
      /href="\/staff\/cases\/CASE-[0-9A-Z]{8}\/exhibits\?form=add-exhibit#add-exhibit"[^>]*data-case-action="exhibit"/,
    );
    expect((await client.get('/staff/cases')).body).toContain(`href="/staff/cases/${caseRef}"`);
  });

  it('adds an exhibit, whose seizure starts the chain of custody', async () => {
    const client = await signIn(OFFICER);
    const bad = await client.post(`/staff/cases/${caseRef}/exhibits`, {
      ...EXHIBIT,
      initials: 'J',
      'seized-day': '31',
      'seized-month': '2',
      'seized-hour': '25',
      seals: 'A,B',
    });
    expect(client.path).toBe(`/staff/cases/${caseRef}/exhibits`);
    expect(errorSummary(bad.body).map((e) => e.href)).toEqual(['#initials', '#seized-day', '#seals']);
    expect(bad.body).toContain('Enter the date it was seized as a real date, like 20 11 2026');
    expect(bad.body).toContain('Black smartphone, cracked screen</textarea>');

    const added = await client.post(`/staff/cases/${caseRef}/exhibits`, EXHIBIT);
    expect(client.path).toBe(`/staff/cases/${caseRef}/exhibits?done=exhibit`);
    expect(added.body).toContain('The exhibit has been recorded');
    expect(added.body).toMatch(
      /<th scope="row" class="govuk-table__header"><a class="govuk-link" href="\/staff\/cases\/CASE-[0-9A-Z]{8}\/exhibits\/\d+">JS\/1<\/a><\/th>/,
    );
    expect(added.body).toContain('SEAL-0001, SEAL-0002');
    expect(added.body).toContain('20 November 2025 at 09:15');
    const exhibit = await ctx.services.database.db
      .selectFrom('exhibits')
      .select('id')
      .where('exhibit_ref', '=', 'JS/1')
      .executeTakeFirstOrThrow();
    exhibitId = String(exhibit.id);
  });

  it('adds custody events and shows the chain with file names and shortened hashes, never the file', async () => {
    const client = await signIn(OFFICER);
    const bad = await client.post(`/staff/cases/${caseRef}/custody`, { exhibit: '999999', event: 'lost' });
    expect(errorSummary(bad.body).map((e) => e.href)).toEqual([
      '#custody-exhibit',
      '#event',
      '#at-day',
      '#location',
    ]);
    const added = await client.post(`/staff/cases/${caseRef}/custody`, {
      exhibit: exhibitId,
      event: 'booked-in',
      'at-day': '21',
      'at-month': '11',
      'at-year': '2025',
      'at-hour': '10',
      'at-minute': '00',
      location: 'Carlisle property store',
      note: 'Bag intact',
    });
    expect(client.path).toBe(`/staff/cases/${caseRef}/custody?done=custody`);
    expect(added.body).toContain('Booked into the property store');
    expect(added.body).toContain('Carlisle property store');

    const staff = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(OFFICER))?.id ?? 0);
    const file = await ctx.services.investigations.addFile(
      staff ?? (null as never),
      Number(exhibitId),
      'extraction <report>.pdf',
      Buffer.from('%PDF-1.4 extraction report'),
    );
    const custody = await client.get(`/staff/cases/${caseRef}/custody`);
    expect(custody.body).toMatch(/aria-current="page" href="[^"]*\/custody">Custody</);
    expect(custody.body).toContain('extraction &lt;report&gt;.pdf');
    expect(custody.body).toContain(`<code>${(file.fileSha256 ?? '').slice(0, 12)}</code>`);
    expect(custody.body).not.toContain(file.fileSha256 ?? 'x');
    expect(custody.body).toContain(`<code>${file.hash.slice(0, 12)}</code>`);
    expect(custody.body).not.toContain('<img');
    const events = [...custody.body.matchAll(/moj-timeline__title">([^<]+)</g)].map((m) => m[1]);
    expect(events).toEqual(['Seized', 'Booked into the property store', 'File added']);
  });

  it('adds a task and marks it done', async () => {
    const client = await signIn(OFFICER);
    const bad = await client.post(`/staff/cases/${caseRef}/tasks`, {
      title: 'Request subscriber data',
      owner: 'not an email',
      'due-day': '1',
      'due-month': '13',
      'due-year': '2026',
    });
    expect(errorSummary(bad.body)).toEqual([
      {
        href: '#owner',
        text: 'Enter the owner’s email address in the right format, like name@police.example',
      },
      { href: '#due-day', text: 'Enter the due date as a real date, like 20 11 2026' },
    ]);
    const added = await client.post(`/staff/cases/${caseRef}/tasks`, {
      title: 'Request subscriber data',
      owner: COLLEAGUE,
      'due-day': '1',
      'due-month': '12',
      'due-year': '2099',
    });
    expect(client.path).toBe(`/staff/cases/${caseRef}/tasks?done=task`);
    expect(added.body).toContain('Request subscriber data');
    expect(added.body).toContain(`Owner: ${COLLEAGUE}. Due 1 December 2099.`);
    expect(added.body).toContain('govuk-tag--blue');
    const taskId = /tasks\/(\d+)\/done/.exec(added.body)?.[1] ?? '';
    const done = await client.post(`/staff/cases/${caseRef}/tasks/${taskId}/done`);
    expect(client.path).toBe(`/staff/cases/${caseRef}/tasks?done=taskDone`);
    expect(done.body).toContain('The task has been marked as done.');
    expect(done.body).toMatch(/govuk-tag--green">\s*Done/);
    expect(done.body).not.toContain('/done" novalidate');
  });

  it('records a decision in the log', async () => {
    const client = await signIn(OFFICER);
    const bad = await client.post(`/staff/cases/${caseRef}/decisions`, { decision: 'Arrest', reason: '' });
    expect(errorSummary(bad.body)).toEqual([
      { href: '#decision-reason', text: 'Enter the reason for the decision' },
    ]);
    const added = await client.post(`/staff/cases/${caseRef}/decisions`, {
      decision: 'Arrest the suspect',
      reason: 'Subscriber data names him',
    });
    expect(client.path).toBe(`/staff/cases/${caseRef}?done=decision`);
    expect(added.body).toMatch(
      /<div class="moj-timeline">\s*<div class="moj-timeline__item">\s*<div class="moj-timeline__header">\s*<h3 class="moj-timeline__title">Arrest the suspect<\/h3>/,
    );
    expect(added.body).toContain(`by ${OFFICER}`);
    expect(added.body).toContain('Subscriber data names him');
  });

  it('requests an examination and the examiner completes it from the forensics queue', async () => {
    const client = await signIn(OFFICER);
    const bad = await client.post(`/staff/cases/${caseRef}/examinations`, { exhibit: exhibitId });
    expect(errorSummary(bad.body).map((e) => e.href)).toEqual([
      '#what',
      '#why',
      '#priority',
      '#legalAuthority',
    ]);
    const requested = await client.post(`/staff/cases/${caseRef}/examinations`, {
      exhibit: exhibitId,
      what: 'Messages with the suspect',
      why: 'Evidence of blackmail',
      priority: 'high',
      legalAuthority: 'PACE s19',
    });
    expect(client.path).toBe(`/staff/cases/${caseRef}/forensics?done=examination`);
    expect(requested.body).toContain('Messages with the suspect');
    expect(requested.body).toMatch(/govuk-tag--light-blue">\s*Requested/);

    const examiner = await signIn(COLLEAGUE);
    const queue = await examiner.get('/staff/examinations');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('No request has been finished yet');
    const id = /action="\/staff\/examinations\/(\d+)"/.exec(queue.body)?.[1] ?? '';
    const noFindings = await examiner.post(`/staff/examinations/${id}`, { status: 'complete', findings: '' });
    expect(errorSummary(noFindings.body)).toEqual([
      { href: `#findings-${id}`, text: 'Enter the findings to complete the examination' },
    ]);
    const started = await examiner.post(`/staff/examinations/${id}`, { status: 'in-progress' });
    expect(started.body).toContain('The examination has been started.');
    expect(started.body).toMatch(/govuk-tag--yellow">\s*In progress/);
    const completed = await examiner.post(`/staff/examinations/${id}`, {
      status: 'complete',
      findings: 'Threatening messages found',
    });
    expect(examiner.path).toBe('/staff/examinations?done=complete');
    expect(completed.body).toMatch(/govuk-tag--green">\s*Complete/);
    expect(completed.body).toMatch(/Median turnaround of finished requests: [\d.]+ hours?\./);
    expect(completed.body).not.toContain(`action="/staff/examinations/${id}"`);

    const forensics = await client.get(`/staff/cases/${caseRef}/forensics`);
    expect(forensics.body).toMatch(/govuk-tag--green">\s*Complete/);
    expect((await client.get(`/staff/cases/${caseRef}/custody`)).body).toContain('Examined');
  });

  it('closes the case with a Home Office outcome', async () => {
    const client = await signIn(OFFICER);
    const bad = await client.post(`/staff/cases/${caseRef}/close`, { outcome: 'hanged', reason: 'x' });
    expect(errorSummary(bad.body)).toEqual([{ href: '#outcome', text: 'Select the outcome' }]);
    const closed = await client.post(`/staff/cases/${caseRef}/close`, {
      outcome: 'charge-summons',
      reason: 'CPS authorised a charge',
    });
    expect(client.path).toBe(`/staff/cases/${caseRef}?done=closed`);
    expect(closed.body).toContain('Closed: Charge or summons');
    expect(closed.body).toContain('Case closed: Charge or summons');
    expect(closed.body).not.toContain(`action="/staff/cases/${caseRef}/close"`);
    const list = await client.get('/staff/cases');
    expect(list.body).toContain('Charge or summons');
  });

  it('shows the pages in Welsh', async () => {
    const client = await signIn(OFFICER);
    const page = await client.get(`/staff/cases/${caseRef}/custody?lng=cy`);
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Cadwyn warchodaeth');
    expect(page.body).toContain('Wedi’i gofnodi yn y stordy eiddo');
    expect((await client.get('/staff/examinations')).body).toContain('Ciw fforensig digidol');
  });

  it('keeps a restricted case from colleagues who are not members', async () => {
    const client = await signIn(OFFICER);
    await client.post('/staff/cases', { title: 'Operation Wren', reports: '', restricted: 'yes' });
    const restricted = /CASE-[0-9A-Z]{8}/.exec(client.path)?.[0] ?? '';
    expect((await client.get('/staff/cases')).body).toContain(restricted);
    const colleague = await signIn(COLLEAGUE);
    const list = await colleague.get('/staff/cases');
    expect(list.body).toContain(caseRef);
    expect(list.body).not.toContain(restricted);
    expect((await colleague.get(`/staff/cases/${restricted}`)).statusCode).toBe(404);
  });

  it('answers 404 to another force’s officer on every page and form, and to roles without cases', async () => {
    const kent = await signIn(KENT);
    expect((await kent.get('/staff/cases')).body).not.toContain(caseRef);
    for (const tab of ['', '/exhibits', '/tasks', '/custody', '/forensics'])
      expect((await kent.get(`/staff/cases/${caseRef}${tab}`)).statusCode, tab).toBe(404);
    expect((await kent.get(`/staff/cases/${caseRef}/nonsense`)).statusCode).toBe(404);
    for (const action of [
      'decisions',
      'close',
      'exhibits',
      'custody',
      'tasks',
      'examinations',
      'share',
      'tasks/1/done',
    ])
      expect((await kent.post(`/staff/cases/${caseRef}/${action}`, {})).statusCode, action).toBe(404);
    expect((await kent.post('/staff/examinations/1', { status: 'rejected' })).statusCode).toBe(404);
    expect((await kent.get('/staff/examinations')).body).not.toContain(caseRef);

    const analyst = await signIn(ANALYST);
    for (const url of ['/staff/cases', `/staff/cases/${caseRef}`, '/staff/examinations'])
      expect((await analyst.get(url)).statusCode, url).toBe(404);
    expect((await analyst.post('/staff/cases', { title: 'x', restricted: 'no' })).statusCode).toBe(404);
  });

  it('lists a case shared with another unit for that unit, marked as shared', async () => {
    const member = async (email: string) =>
      ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0);
    const [officer, kentOfficer] = [await member(OFFICER), await member(KENT)];
    if (officer === null || kentOfficer?.unitId == null) throw new Error('fixture staff missing');
    await ctx.services.investigations.share(officer, caseRef, kentOfficer.unitId, 'Suspect lives in Kent');
    const kent = await signIn(KENT);
    const list = await kent.get('/staff/cases');
    expect(list.body).toContain(`href="/staff/cases/${caseRef}"`);
    expect(list.body).toContain('Shared by Cumbria');
    expect((await kent.get(`/staff/cases/${caseRef}/custody`)).statusCode).toBe(200);
    // The case stays Cumbria's: Kent is not offered sharing, transfer, closing or the team.
    const overview = await kent.get(`/staff/cases/${caseRef}`);
    for (const form of ['share', 'close', 'members'])
      expect(overview.body).not.toContain(`action="/staff/cases/${caseRef}/${form}"`);
    expect(overview.body).toContain('can share, transfer or close it.');
    expect(overview.body).toContain('can add officers to its team or take them off.');
  });

  it('shares the case with another unit, then transfers it there', async () => {
    const officer = await signIn(OFFICER);
    await officer.get(`/staff/cases/${caseRef}`);
    const bad = await officer.post(`/staff/cases/${caseRef}/share`, { unit: '', kind: '', reason: '' });
    expect(bad.body).toContain('Choose the unit to share with or transfer to');
    expect(bad.body).toContain('Give the reason');
    await officer.post(`/staff/cases/${caseRef}/share`, {
      unit: 'kent-cyber',
      kind: 'share',
      reason: 'Suspect lives in Kent',
    });
    expect(officer.path).toBe(`/staff/cases/${caseRef}?done=shared`);
    const kent = await signIn(KENT);
    expect((await kent.get(`/staff/cases/${caseRef}`)).statusCode).toBe(200);
    const unnamed = await officer.post(`/staff/cases/${caseRef}/share`, {
      unit: 'kent-cyber',
      kind: 'transfer',
      reason: 'Kent will lead',
    });
    expect(errorSummary(unnamed.body)).toEqual([
      {
        href: '#transfer-officer',
        text: 'Enter the email address of the officer in charge in the receiving unit',
      },
    ]);
    const outsider = await officer.post(`/staff/cases/${caseRef}/share`, {
      unit: 'kent-cyber',
      kind: 'transfer',
      officer: COLLEAGUE,
      reason: 'Kent will lead',
    });
    expect(errorSummary(outsider.body)).toEqual([
      {
        href: '#transfer-officer',
        text: 'The officer in charge must be an officer or supervisor of the unit you are transferring the case to',
      },
    ]);
    await officer.post(`/staff/cases/${caseRef}/share`, {
      unit: 'kent-cyber',
      kind: 'transfer',
      officer: KENT,
      reason: 'Kent will lead',
    });
    expect(officer.path).toBe('/staff/cases?done=transferred');
    expect((await officer.get(`/staff/cases/${caseRef}`)).statusCode).toBe(404);
    expect((await kent.get(`/staff/cases/${caseRef}`)).body).toContain('Kent will lead');
  });

  it('badges a case in its identity bar where they apply: vulnerable victim, restricted, a task overdue', async () => {
    const client = await signIn(OFFICER);
    /** The identity bar's badges, in order. */
    const badges = (html: string) =>
      [
        ...html
          .slice(html.indexOf('app-identity-bar__badges'), html.indexOf('moj-identity-bar__actions'))
          .matchAll(/class="moj-badge[^"]*">([^<]+)</g),
      ].map((m) => m[1]);
    const plain = (await client.get(`/staff/cases/${caseRef}`)).body;
    expect(badges(plain)).not.toContain('Vulnerable victim');
    expect(badges(plain)).not.toContain('Restricted');
    const vulnerable = (
      await ctx.services.reportIntake.submit(
        makeSubmission({ category: 'online-harassment', vulnerability: ['over-70'] }),
      )
    ).reference;
    const opened = await client.post('/staff/cases', {
      title: 'Operation Wren',
      reports: vulnerable,
      restricted: 'yes',
    });
    const wren = /CASE-[0-9A-Z]{8}/.exec(client.path)?.[0] ?? '';
    expect(badges(opened.body)).toEqual(['Open', 'Vulnerable victim', 'Restricted']);
    await client.post(`/staff/cases/${wren}/tasks`, {
      title: 'Call the victim',
      owner: OFFICER,
      'due-day': '1',
      'due-month': '1',
      'due-year': '2020',
    });
    expect(badges((await client.get(`/staff/cases/${wren}/custody`)).body)).toEqual([
      'Open',
      'Vulnerable victim',
      'Task overdue',
      'Restricted',
    ]);
  });
});

describe(`the cases list: status tabs, filters and sortable columns (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-11-02T09:00:00Z');
  const totps = new Map<string, TOTP>();
  /** Every case the officer may see, in the order they were opened, with what the columns sort by. */
  const seen: { reference: string; title: string; officer: string; status: string; at: number }[] = [];
  let hidden = '';
  let kentUnit = '';
  /** Cases the colleague opens, beyond a page (20). */
  const BULK = 24;

  const ariaSorts = (body: string): Record<string, string> =>
    Object.fromEntries(
      [...body.matchAll(/aria-sort="(\w+)"><a [^>]*href="[^"]*"\s*>([^<]+)</g)].map((m) => [
        m[2] ?? '',
        m[1] ?? '',
      ]),
    );
  const signIn = (email: string) => {
    now = new Date(now.getTime() + 60_000);
    return signInStaff(ctx.app, email, totps.get(email) as TOTP, now);
  };
  /** Every page of the list under a query, in the order shown. */
  async function wholeList(client: FormClient, query: string): Promise<string[]> {
    const refs: string[] = [];
    for (let page = 1; page < 10; page++) {
      const body = (await client.get(`/staff/cases?${query}&page=${String(page)}`)).body;
      refs.push(...(shownCases(body) as string[]));
      if (!body.includes('rel="next"')) return refs;
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const [email, forceId] of [
      [OFFICER, 'cumbria'],
      [COLLEAGUE, 'cumbria'],
      [KENT, 'kent'],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role: 'force-officer', forceId }));
    totps.set(ANALYST, await addStaff(ctx.services, { email: ANALYST, role: 'analyst' }));
    const member = async (email: string) => {
      const found = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0);
      if (found === null) throw new Error(`no ${email}`);
      return found;
    };
    const inv = ctx.services.investigations;
    const open = async (email: string, title: string, restricted = false) => {
      now = new Date(now.getTime() + 3_600_000);
      const reference = await inv.createCase(await member(email), {
        title,
        reports: [],
        restricted,
        members: [],
      });
      seen.push({ reference, title, officer: email, status: 'open', at: now.getTime() });
      return reference;
    };
    await open(OFFICER, 'alpha');
    const bravo = await open(OFFICER, 'Bravo');
    await inv.close(await member(OFFICER), bravo, 'caution', 'Admitted it');
    (seen[1] as { status: string }).status = 'closed';
    await open(OFFICER, 'charlie', true);
    await open(COLLEAGUE, 'Delta');
    hidden = await open(COLLEAGUE, 'Echo', true);
    seen.pop();
    const foxtrot = await open(KENT, 'Foxtrot');
    kentUnit = (await member(KENT)).unitId ?? '';
    await inv.share(await member(KENT), foxtrot, (await member(OFFICER)).unitId ?? '', 'Victim in Cumbria');
    for (let i = 0; i < BULK; i++) await open(COLLEAGUE, `Kilo ${String(i).padStart(2, '0')}`);
  });
  afterAll(() => ctx.close());

  it('shows open and closed as tabs with their counts under the filters, and pages of 20', async () => {
    const client = await signIn(OFFICER);
    const all = await client.get('/staff/cases');
    expect(all.statusCode).toBe(200);
    expect(statusTab(all.body, 'all')).toBe(`All (${String(seen.length)})`);
    expect(statusTab(all.body, 'open')).toBe(`Open (${String(seen.length - 1)})`);
    expect(statusTab(all.body, 'closed')).toBe('Closed (1)');
    expect(shownCases(all.body)).toHaveLength(20);
    expect(all.body).toContain('Page 1 of 2');
    // The default order: open cases first, newest first.
    const byDefault = await wholeList(client, 'sort=status');
    expect(byDefault).toEqual([
      ...seen
        .filter((c) => c.status === 'open')
        .reverse()
        .map((c) => c.reference),
      ...seen.filter((c) => c.status === 'closed').map((c) => c.reference),
    ]);
    const closed = await client.get('/staff/cases?status=closed');
    expect(shownCases(closed.body)).toEqual([seen[1]?.reference]);
    expect(closed.body).toMatch(/aria-current="page" href="\/staff\/cases\?status=closed&amp;sort=status"/);
    const mine = await client.get('/staff/cases?mine=yes');
    expect(statusTab(mine.body, 'all')).toBe('All (3)');
    expect(statusTab(mine.body, 'open')).toBe('Open (2)');
  });

  it('filters by unit, by the officer’s own and by restricted, each shown as a tag that removes it', async () => {
    const client = await signIn(OFFICER);
    const kent = await client.get(`/staff/cases?unit=${kentUnit}&sort=title`);
    expect(shownCases(kent.body)).toEqual([seen.find((c) => c.title === 'Foxtrot')?.reference]);
    expect(kent.body).toContain('Shared by Kent');
    expect(kent.body).toMatch(/<option value="[^"]+" selected>Kent/);
    const both = await client.get('/staff/cases?status=open&mine=yes&restricted=yes&sort=title');
    expect(shownCases(both.body)).toEqual([seen.find((c) => c.title === 'charlie')?.reference]);
    const tags = [
      ...both.body.matchAll(/<a class="moj-filter__tag" href="([^"]+)">[\s\S]*?<\/span> ([^<]+)<\/a>/g),
    ];
    expect(tags.map((m) => [m[2], m[1]])).toEqual([
      ['Cases I am officer in charge of', '/staff/cases?status=open&amp;restricted=yes&amp;sort=title'],
      ['Restricted cases', '/staff/cases?status=open&amp;mine=yes&amp;sort=title'],
    ]);
    // Clear filters keeps the tab and the order.
    expect(both.body).toContain(
      'class="govuk-link govuk-link--no-visited-state app-clear-filters" href="/staff/cases?status=open&amp;sort=title"',
    );
    expect(both.body).toContain('name="mine" type="checkbox" value="yes" checked');
    expect((await client.get('/staff/cases')).body).not.toContain('moj-filter__tag');
  });

  it('sorts by each column and back, saying which with aria-sort', async () => {
    const client = await signIn(OFFICER);
    const refsBy = (compare: (a: (typeof seen)[number], b: (typeof seen)[number]) => number) =>
      [...seen].sort(compare).map((c) => c.reference);
    const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const newest = (a: (typeof seen)[number], b: (typeof seen)[number]) => b.at - a.at;
    const orders: [string, string, string, (a: (typeof seen)[number], b: (typeof seen)[number]) => number][] =
      [
        ['Case', 'reference', 'ascending', (a, b) => text(a.reference, b.reference)],
        ['Case', 'reference-desc', 'descending', (a, b) => text(b.reference, a.reference)],
        ['Title', 'title', 'ascending', (a, b) => text(a.title.toLowerCase(), b.title.toLowerCase())],
        ['Title', 'title-desc', 'descending', (a, b) => text(b.title.toLowerCase(), a.title.toLowerCase())],
        ['Officer in charge', 'officer', 'ascending', (a, b) => text(a.officer, b.officer) || newest(a, b)],
        [
          'Officer in charge',
          'officer-desc',
          'descending',
          (a, b) => text(b.officer, a.officer) || newest(a, b),
        ],
        ['Status', 'status-desc', 'descending', (a, b) => text(a.status, b.status) || newest(a, b)],
        ['Opened', 'oldest', 'ascending', (a, b) => a.at - b.at],
        ['Opened', 'newest', 'descending', newest],
      ];
    for (const [column, sort, aria, compare] of orders) {
      expect(await wholeList(client, `sort=${sort}`), sort).toEqual(refsBy(compare));
      const body = (await client.get(`/staff/cases?sort=${sort}`)).body;
      const sorts = ariaSorts(body);
      expect(sorts[column], sort).toBe(aria);
      expect(
        Object.values(sorts).filter((v) => v !== 'none'),
        sort,
      ).toHaveLength(1);
    }
    // Pressing a column sorts by it; pressing it again reverses it.
    const byTitle = (await client.get('/staff/cases?sort=oldest')).body;
    expect(byTitle).toMatch(/href="\/staff\/cases\?sort=title"\s*>Title/);
    const again = (await client.get('/staff/cases?sort=title')).body;
    expect(again).toMatch(/href="\/staff\/cases\?sort=title-desc"\s*>Title/);
    expect(again).toContain('Cases: by title, A to Z');
  });

  it('ignores what it does not understand, never failing', async () => {
    const client = await signIn(OFFICER);
    const plain = shownCases((await client.get('/staff/cases')).body);
    for (const query of [
      'status=nonsense&sort=DROP%20TABLE&mine=maybe&restricted=1',
      'unit=__proto__&sort=constructor&status=toString',
      'status=open&status=closed&sort[]=title&unit[x]=y',
      `unit=${encodeURIComponent("'; select 1 --")}`,
      'page=-3',
      'page=1e400',
      'page=abc',
    ]) {
      const list = await client.get(`/staff/cases?${query}`);
      expect(list.statusCode, query).toBe(200);
      expect(shownCases(list.body), query).toEqual(plain);
      expect(list.body, query).not.toContain('moj-filter__tag');
    }
    // A unit that shares no case with the officer's is no filter either.
    const elsewhere = await client.get('/staff/cases?unit=met-cyber');
    expect(shownCases(elsewhere.body)).toEqual(plain);
    const past = await client.get('/staff/cases?page=9999');
    expect(past.statusCode).toBe(200);
    expect(shownCases(past.body)).toEqual([]);
  });

  it('shows only the cases each person may see, and is refused to roles without cases', async () => {
    const officer = await signIn(OFFICER);
    for (const query of ['', 'restricted=yes', `unit=${kentUnit}`, 'status=open&sort=newest'])
      expect(await wholeList(officer, query)).not.toContain(hidden);
    const colleague = await signIn(COLLEAGUE);
    expect(await wholeList(colleague, 'restricted=yes')).toEqual([hidden]);
    const kent = await signIn(KENT);
    expect(await wholeList(kent, 'sort=title')).toEqual([seen.find((c) => c.title === 'Foxtrot')?.reference]);
    expect(statusTab((await kent.get('/staff/cases')).body, 'all')).toBe('All (1)');
    const analyst = await signIn(ANALYST);
    expect(analyst.path).toBe('/staff');
    expect((await analyst.get('/staff/cases?status=open')).statusCode).toBe(404);
  });

  it('speaks Welsh', async () => {
    const client = await signIn(OFFICER);
    const cy = (await client.get('/staff/cases?lng=cy&mine=yes')).body;
    expect(cy).toContain('Achosion yn ôl statws');
    expect(statusTab(cy, 'all')).toBe('Pob un (3)');
    expect(cy).toContain('Achosion lle rwyf yn swyddog â gofal');
    expect(cy).toContain('Achosion: achosion agored yn gyntaf, y mwyaf diweddar yn gyntaf');
  });
});
