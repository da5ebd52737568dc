import { createHash } from 'node:crypto';
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { repositories, type Repositories } from '../../../db/repositories/index.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { createInvestigations } from '../../../services/investigations/index.ts';
import { createApp } from '../../app.ts';
import { readLocale } from '../../plugins/i18n.ts';

const OFFICER = 'oic@cumbria.example';
const COLLEAGUE = 'colleague@cumbria.example';
const KENT = 'officer@kent.example';

const CSV = [
  'timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude',
  '2025-11-20T08:59:00Z,call,+447700900111,+447700900222,65,CELL-1,54.8925,-2.9329',
  '2025-11-20T09:10:00Z,cell,+447700900111,,,CELL-2,54.8951,-2.9360',
  '2025-11-20T11:00:00Z,sms,+447700900111,+447700900333,,CELL-9,54.5,-3.5',
].join('\n');

/** The error summary's messages and the inputs they link to. */
function errorSummary(html: string): { text: string; href: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
    href: m[1] ?? '',
    text: (m[2] ?? '').trim().replace(/&#39;|&rsquo;/g, '’'),
  }));
}

/** A string of the Welsh locale, with its placeholders filled. */
function welsh(path: string, params: Record<string, string> = {}): string {
  let value: unknown = readLocale('cy');
  for (const key of path.split('.')) value = (value as Record<string, unknown>)[key];
  return String(value).replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? '');
}

describe(`exhibit pages and the case team in the unit workspace (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, TOTP>();
  let officer: StaffMember;
  let caseRef = '';
  let exhibitId = 0;

  const signIn = async (email: string): Promise<FormClient> => {
    const client = await signInStaff(ctx.app, email, totps.get(email) as TOTP);
    expect(client.path).toBe('/staff');
    return client;
  };
  const exhibitPage = () => `/staff/cases/${caseRef}/exhibits/${exhibitId}`;

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, forceId] of [
      [OFFICER, 'cumbria'],
      [COLLEAGUE, 'cumbria'],
      [KENT, 'kent'],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role: 'force-officer', forceId }));
    const found = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(OFFICER))?.id ?? 0);
    if (found === null) throw new Error('fixture officer missing');
    officer = found;
    caseRef = await ctx.services.investigations.createCase(officer, {
      title: 'Operation Wren',
      reports: [],
      restricted: true,
      members: [],
    });
    exhibitId = (
      await ctx.services.investigations.addExhibit(officer, caseRef, {
        initials: 'JS',
        kind: 'phone',
        description: 'Black smartphone',
        seizedAt: '2025-11-20T09:15:00.000Z',
        seizedWhere: '1 High Street, Carlisle',
        sealNumbers: ['SEAL-0001'],
      })
    ).id;
  });
  afterAll(() => ctx.close());

  it('names a colleague on a restricted case’s team, who then sees it, and takes them off again', async () => {
    const client = await signIn(OFFICER);
    const overview = await client.get(`/staff/cases/${caseRef}`);
    expect(overview.body).toContain('only the officers listed here can see it');
    expect(overview.body).toContain(`<option value="${COLLEAGUE}">${COLLEAGUE}</option>`);
    expect(overview.body).not.toContain(`<option value="${KENT}"`);
    const colleague = await signIn(COLLEAGUE);
    expect((await colleague.get(`/staff/cases/${caseRef}`)).statusCode).toBe(404);

    const none = await client.post(`/staff/cases/${caseRef}/members`, { email: '' });
    expect(errorSummary(none.body)).toEqual([
      { href: '#member', text: 'Choose an officer to add to the team' },
    ]);
    const stranger = await client.post(`/staff/cases/${caseRef}/members`, { email: KENT });
    expect(errorSummary(stranger.body)).toEqual([
      { href: '#member', text: 'Choose an officer or supervisor of this case’s units' },
    ]);

    const added = await client.post(`/staff/cases/${caseRef}/members`, { email: COLLEAGUE });
    expect(client.path).toBe(`/staff/cases/${caseRef}?done=memberAdded`);
    expect(added.body).toContain('The officer has been added to the team.');
    expect(added.body).toContain(`${COLLEAGUE} added to the team`);
    expect(added.body).toContain('Every officer who can be added is already on the team.');
    expect((await colleague.get(`/staff/cases/${caseRef}`)).statusCode).toBe(200);

    const oic = await colleague.post(`/staff/cases/${caseRef}/members/remove`, { email: OFFICER });
    expect(errorSummary(oic.body)).toEqual([
      { href: '#member', text: 'The officer in charge stays on the team' },
    ]);
    const removed = await client.post(`/staff/cases/${caseRef}/members/remove`, { email: COLLEAGUE });
    expect(client.path).toBe(`/staff/cases/${caseRef}?done=memberRemoved`);
    expect(removed.body).toContain(`${COLLEAGUE} taken off the team`);
    expect((await colleague.get(`/staff/cases/${caseRef}`)).statusCode).toBe(404);

    // Leaving a restricted case yourself takes you back to the list, where it no longer shows.
    await client.post(`/staff/cases/${caseRef}/members`, { email: COLLEAGUE });
    const left = await colleague.post(`/staff/cases/${caseRef}/members/remove`, { email: COLLEAGUE });
    expect(colleague.path).toBe('/staff/cases?done=memberRemoved');
    expect(left.body).not.toContain(caseRef);
  });

  it('adds files to an exhibit: stored by SHA-256, logged in the chain, never shown, checked against hash lists', async () => {
    const client = await signIn(OFFICER);
    const page = await client.get(exhibitPage());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No files have been added to this exhibit yet.');
    expect(page.body).toContain('enctype="multipart/form-data"');

    const nothing = await client.upload(`${exhibitPage()}/files`, [{ name: '', content: '' }]);
    expect(errorSummary(nothing.body)).toEqual([{ href: '#files', text: 'Choose a file to add' }]);

    const image = Buffer.from('\x89PNG\r\n\x1a\n pixel-bytes-zq7');
    const report = Buffer.from('%PDF-1.4 extraction report');
    await ctx.services.investigations.importHashlist(
      'national-db',
      createHash('md5').update(image).digest('hex'),
      'cli:operator',
    );
    const added = await client.upload(`${exhibitPage()}/files`, [
      { name: 'C:\\exports\\extraction.pdf', content: report },
      { name: 'image <1>.png', content: image },
    ]);
    expect(client.path).toBe(`${exhibitPage()}?done=files&count=2`);
    expect(added.body).toContain('Files added to the exhibit and its chain of custody: 2.');
    for (const bytes of [report, image])
      expect(added.body).toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(added.body).toContain('>extraction.pdf</th>');
    expect(added.body).toContain('image &lt;1&gt;.png');
    expect(added.body).toMatch(/govuk-tag--red">\s*On national-db/);
    expect(added.body).toContain('Files of this exhibit on a known hash list: 1.');
    expect(added.body).not.toContain('<img');
    expect(added.body).not.toContain('pixel-bytes-zq7');

    const verified = await ctx.services.investigations.verify(caseRef);
    expect(verified).toMatchObject({ ok: true, files: 2 });
    const exhibits = await client.get(`/staff/cases/${caseRef}/exhibits`);
    expect(exhibits.body).toMatch(/govuk-table__cell--numeric">2</);
  });

  it('stores an upload of several files in one transaction: when the second cannot be stored, the first is not kept', async () => {
    // The same app, but the evidence store fails on the second file of the upload.
    let stored = 0;
    const failing: Repositories = {
      ...repositories,
      evidence: {
        ...repositories.evidence,
        storeEvidenceBlob: (...args: Parameters<typeof repositories.evidence.storeEvidenceBlob>) =>
          (stored += 1) === 2
            ? Promise.reject(new Error('the evidence store is full'))
            : repositories.evidence.storeEvidenceBlob(...args),
      },
    };
    const { services } = ctx;
    const app = await createApp(
      {
        ...services,
        investigations: createInvestigations(
          services.database.db,
          services.database.dialect,
          services.clock,
          services.reference,
          failing,
        ),
      },
      { logger: false },
    );
    try {
      const client = await signInStaff(app, OFFICER, totps.get(OFFICER) as TOTP);
      const chainBefore = (await services.investigations.verify(caseRef))?.entries;
      expect(chainBefore).toBeGreaterThan(0);
      const first = Buffer.from('%PDF-1.4 only the first of two');
      const res = await client.upload(`${exhibitPage()}/files`, [
        { name: 'first.pdf', content: first },
        { name: 'second.pdf', content: Buffer.from('%PDF-1.4 the second of two') },
      ]);
      expect(res.statusCode).toBe(500);
      expect(stored).toBe(2);
      expect((await services.investigations.verify(caseRef))?.entries).toBe(chainBefore);
      const sha256 = createHash('sha256').update(first).digest('hex');
      expect(
        await services.database.db
          .selectFrom('evidence_blobs')
          .select('sha256')
          .where('sha256', '=', sha256)
          .execute(),
      ).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('imports call data records from a CSV, naming the row of a mistake, and pages the timeline', async () => {
    const client = await signIn(OFFICER);
    const calls = `${exhibitPage()}/calls`;
    const empty = await client.get(calls);
    expect(empty.body).toContain('No call data records have been imported for this exhibit.');

    const badRow = await client.upload(
      `${calls}/import`,
      [{ name: 'cdr.csv', content: `${CSV}\n2025-11-20T11:05:00Z,fax` }],
      'csv',
    );
    expect(errorSummary(badRow.body)).toEqual([
      { href: '#csv', text: 'Row 5: the type must be call, sms, data or cell' },
    ]);
    const binary = await client.upload(
      `${calls}/import`,
      [{ name: 'x.csv', content: Buffer.from([0xff, 0xfe, 0]) }],
      'csv',
    );
    expect(errorSummary(binary.body)).toEqual([
      { href: '#csv', text: 'The file must be a CSV file saved as UTF-8 text' },
    ]);
    const huge = await client.upload(
      `${calls}/import`,
      [{ name: 'big.csv', content: `${CSV}\n${'2025-11-20T11:00:00Z,data\n'.repeat(220_000)}` }],
      'csv',
    );
    expect(errorSummary(huge.body)).toEqual([
      { href: '#csv', text: 'The CSV file must be smaller than 5 MB' },
    ]);
    const none = await client.upload(`${calls}/import`, [{ name: '', content: '' }], 'csv');
    expect(errorSummary(none.body)).toEqual([{ href: '#csv', text: 'Choose a CSV file to import' }]);
    expect(
      (await ctx.services.investigations.timeline(officer, exhibitId))?.total,
      'a refused file imports nothing',
    ).toBe(0);

    const imported = await client.upload(`${calls}/import`, [{ name: 'cdr.csv', content: CSV }], 'csv');
    expect(client.path).toBe(`${calls}?done=imported&count=3`);
    expect(imported.body).toContain('Call data records imported: 3.');
    expect(imported.body).toContain('Call data records: 3 events, 0 marked.');
    const rows = [...imported.body.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toEqual([
      '2025-11-20T08:59:00.000Z',
      '2025-11-20T09:10:00.000Z',
      '2025-11-20T11:00:00.000Z',
    ]);
    expect(imported.body).toContain('Text message');
    expect(imported.body).not.toContain('govuk-pagination');

    // 250 more events: three pages of 100.
    const many = Array.from(
      { length: 250 },
      (_, i) =>
        `2025-11-21T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z,data`,
    );
    await client.upload(
      `${calls}/import`,
      [{ name: 'more.csv', content: `timestamp,type\n${many.join('\n')}` }],
      'csv',
    );
    const first = await client.get(calls);
    expect(first.body).toContain('Events 1 to 25 of 253, oldest first');
    expect(first.body).toContain(`href="${calls}?page=2"`);
    const third = await client.get(`${calls}?page=3`);
    expect(third.body).toContain('Events 51 to 75 of 253, oldest first');
    const last = await client.get(`${calls}?page=11`);
    expect(last.body).toContain('Events 251 to 253 of 253, oldest first');
    expect([...last.body.matchAll(/<time datetime=/g)]).toHaveLength(3);
    expect((await client.get(`${calls}?page=12`)).statusCode).toBe(404);
  });

  it('marks the events that place the number near a place and time', async () => {
    const client = await signIn(OFFICER);
    const calls = `${exhibitPage()}/calls`;
    const bad = await client.post(`${calls}/mark`, {
      latitude: '91',
      longitude: 'west',
      radius: '',
      'from-day': '20',
      'from-month': '11',
      'from-year': '2025',
      'from-hour': '09',
      'from-minute': '30',
      'to-day': '20',
      'to-month': '11',
      'to-year': '2025',
      'to-hour': '08',
      'to-minute': '30',
    });
    expect(errorSummary(bad.body)).toEqual([
      { href: '#latitude', text: 'Enter the latitude as a number between -90 and 90' },
      { href: '#longitude', text: 'Enter the longitude as a number between -180 and 180' },
      { href: '#radius', text: 'Enter the distance from the place in metres' },
      { href: '#to-day', text: 'The to date and time must be after the from date and time' },
    ]);
    expect(bad.body).toContain('value="west"');

    const marked = await client.post(`${calls}/mark`, {
      latitude: '54.8931',
      longitude: '-2.934',
      radius: '500',
      'from-day': '20',
      'from-month': '11',
      'from-year': '2025',
      'from-hour': '08',
      'from-minute': '30',
      'to-day': '20',
      'to-month': '11',
      'to-year': '2025',
      'to-hour': '09',
      'to-minute': '10',
      note: 'Near the victim’s address',
    });
    expect(client.path).toBe(`${calls}?done=marked&count=2`);
    expect(marked.body).toContain('Events marked as near the place and time: 2.');
    const only = await client.get(`${calls}?marked=1`);
    expect(only.body).toContain('Events 1 to 2 of 2, oldest first');
    expect([...only.body.matchAll(/govuk-tag--yellow">\s*Near/g)]).toHaveLength(2);
    expect(only.body).toContain('Near the victim’s address');
  });

  it('says what the service wrote in the log and the chain in Welsh on Welsh pages', async () => {
    await ctx.services.investigations.share(officer, caseRef, 'kent-cyber', 'Suspect lives in Kent');
    const client = await signIn(OFFICER);
    const overview = await client.get(`/staff/cases/${caseRef}?lng=cy`);
    expect(overview.body).toContain(
      welsh('cases.decisions.shared', { unit: ctx.services.reference.unit('kent-cyber')?.nameCy ?? '?' }),
    );
    expect(overview.body).toContain(welsh('cases.decisions.member-added', { email: COLLEAGUE }));
    expect(overview.body).not.toContain('shared with Kent');
    const custody = await client.get(`/staff/cases/${caseRef}/custody?lng=cy`);
    expect(custody.body).toContain(welsh('cases.custody.evidenceStore'));
    expect(custody.body).toContain(welsh('cases.custody.sealedWith', { seals: 'SEAL-0001' }));
    expect(custody.body).not.toContain('evidence store');
    const calls = await client.get(`${exhibitPage()}/calls?lng=cy`);
    expect(calls.body).toContain(welsh('cases.calls.title', { ref: 'JS/1' }));
  });

  it('answers 404 for another force’s officer and for an exhibit of another case', async () => {
    const kent = await signIn(KENT);
    for (const url of [exhibitPage(), `${exhibitPage()}/calls`])
      expect((await kent.get(url)).statusCode, url).toBe(404);
    expect((await kent.post(`${exhibitPage()}/calls/mark`, {})).statusCode).toBe(404);
    expect((await kent.upload(`${exhibitPage()}/files`, [{ name: 'a.txt', content: 'a' }])).statusCode).toBe(
      404,
    );
    const other = await ctx.services.investigations.createCase(officer, {
      title: 'Other',
      reports: [],
      restricted: false,
      members: [],
    });
    const client = await signIn(OFFICER);
    expect((await client.get(`/staff/cases/${other}/exhibits/${exhibitId}`)).statusCode).toBe(404);
    expect((await client.get(`/staff/cases/${caseRef}/exhibits/0`)).statusCode).toBe(404);
  });
});
