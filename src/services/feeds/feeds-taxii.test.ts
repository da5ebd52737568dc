/**
 * External feeds in, against a live second Bluelight: the remote instance is the real app listening on a port,
 * publishing its own reports' indicators over TAXII 2.1; this instance pulls them as a feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../taxii.ts';
import { runPublication, submitAssessed } from '../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { makeSubmission, suspect } from '../../../test/support/submissions.ts';
import { addStaff, signInStaff } from '../../../test/support/staff-fixtures.ts';
import { auditsOf } from '../../../test/support/admin-fixtures.ts';
import { answerJson, forwardTo, freePort, switchableServer } from '../../../test/support/feed-servers.ts';
import { testDialect } from '../../../test/support/test-services.ts';

const SECRET_VARIABLE = 'FEED_SECRET_LANCASHIRE';
const AMBER = COLLECTIONS.find((c) => c.sector === 'all-sectors' && c.tlp === 'amber')?.id ?? '';

// What the other force's victims reported: websites (URL and domain indicators) and a phone number.
const REMOTE_SITES = [
  'https://parcel-redelivery-fee.co.uk/pay',
  'https://hmrc-refund-claim.org.uk/start',
  'https://cheap-concert-tix.co.uk/order',
  'https://crypto-doubling.uk/invest',
];

describe(`external feeds: TAXII 2.1 from a second Bluelight (${testDialect})`, () => {
  let remote: Awaited<ReturnType<typeof createTestApp>>;
  let local: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date();
  const remoteRequests: string[] = [];
  let remoteUrl = '';
  let password = '';
  let username = '';
  let feedId = 0;
  let localReference = '';
  let corroboratedId = '';
  const logLines: string[] = [];
  const log = {
    info: (obj: object, msg: string) => logLines.push(JSON.stringify({ ...obj, msg })),
    error: (obj: object, msg: string) => logLines.push(JSON.stringify({ ...obj, msg })),
  };

  const remoteIndicators = async (tlp = 'amber') =>
    remote.services.database.db
      .selectFrom('taxii_objects')
      .select(['date_added', 'body'])
      .where('stix_type', '=', 'indicator')
      .where('latest', '=', 1)
      .where('tlp', '=', tlp)
      .orderBy('id')
      .execute();
  const objectsRequests = () =>
    remoteRequests.filter((url) => url.includes(`/collections/${AMBER}/objects/`));

  beforeAll(async () => {
    // The remote names its own address in discovery, as a deployed instance does (BASE_URL).
    const port = await freePort();
    remote = await createTestApp({ BASE_URL: `http://127.0.0.1:${port}` });
    remote.app.addHook('onRequest', (request, _reply, done) => {
      remoteRequests.push(request.url);
      done();
    });
    await remote.app.listen({ port, host: '127.0.0.1' });
    remoteUrl = `http://127.0.0.1:${port}/taxii2/`;
    const partner = await remote.services.partners.add({
      name: 'Cumbria Constabulary',
      sectors: ['all-sectors'],
      tlp: 'amber',
    });
    ({ username, password } = partner);
    for (const [i, site] of REMOTE_SITES.entries())
      await submitAssessed(
        remote.services,
        makeSubmission({
          reporter: {
            name: 'A',
            victimName: null,
            email: `victim${i}@example.org`,
            phone: null,
            preferredContact: null,
          },
          suspect: suspect({ websites: [site], phones: i === 0 ? ['0113 496 0001'] : [] }),
        }),
      );
    await runPublication(remote.services);

    local = await createTestApp({ [SECRET_VARIABLE]: password }, { clock: () => now });
    // A report here naming one of the remote's websites; an anonymous suspicious message naming another.
    localReference = (
      await submitAssessed(
        local.services,
        makeSubmission({
          reporter: {
            name: 'B',
            victimName: null,
            email: 'local@example.org',
            phone: null,
            preferredContact: null,
          },
          suspect: suspect({ websites: ['https://parcel-redelivery-fee.co.uk/pay'] }),
        }),
      )
    ).reference;
    await local.services.reportIntake.submit(
      makeSubmission({
        category: 'phishing-attempt',
        suspect: suspect({ websites: ['https://crypto-doubling.uk/invest'] }),
      }),
    );
    await local.services.intelligence.linkPending();
  });

  afterAll(async () => {
    await local.close();
    await remote.close();
  });

  it('pulls discovery → API root → collections → objects, page by page, and resumes from its saved cursor', async () => {
    const added = await local.services.feeds.add(
      {
        name: 'Lancashire Bluelight',
        kind: 'taxii',
        url: remoteUrl,
        auth: 'basic',
        username,
        secretEnv: SECRET_VARIABLE,
        pageSize: 3,
        corroborates: true,
      },
      'cli:operator',
    );
    feedId = added.id;
    const published = await remoteIndicators();
    expect(published.length).toBeGreaterThan(6);

    const [result] = await local.services.feeds.pullDue(log);
    expect(result).toMatchObject({ feed: 'Lancashire Bluelight', outcome: 'pulled', error: null });
    // Every indicator the remote published, one value each, over several pages of three.
    expect(result?.stored).toBe(published.length);
    expect(objectsRequests().length).toBe(Math.ceil(published.length / 3));
    expect(
      objectsRequests().every((url) => url.includes('limit=3') && url.includes('match%5Btype%5D=indicator')),
    ).toBe(true);
    expect(remoteRequests[0]).toBe('/taxii2/');
    expect(remoteRequests).toContain('/taxii2/bluelight/collections/');

    const [feed] = await local.services.feeds.list();
    expect(feed).toMatchObject({ state: 'ok', failures: 0, lastError: null });
    // The cursor is the remote's date added of its last indicator (X-TAXII-Date-Added-Last).
    expect(feed?.cursors.find((c) => c.collection === AMBER)?.cursor).toBe(published.at(-1)?.date_added);

    // Nothing new: one request from the cursor, nothing stored, nothing read from the start again.
    remoteRequests.length = 0;
    const again = await local.services.feeds.pull(feedId, log);
    expect(again).toMatchObject({ outcome: 'pulled', stored: 0 });
    expect(objectsRequests()).toHaveLength(1);
    expect(objectsRequests()[0]).toContain(
      `added_after=${encodeURIComponent(published.at(-1)?.date_added ?? '')}`,
    );

    // The remote publishes more: only that is fetched.
    await submitAssessed(
      remote.services,
      makeSubmission({
        reporter: {
          name: 'C',
          victimName: null,
          email: 'victim9@example.org',
          phone: null,
          preferredContact: null,
        },
        suspect: suspect({ websites: ['https://fake-energy-grant.uk/apply'] }),
      }),
    );
    await runPublication(remote.services);
    remoteRequests.length = 0;
    const more = await local.services.feeds.pull(feedId, log);
    const after = await remoteIndicators();
    expect(more).toMatchObject({ outcome: 'pulled', stored: after.length - published.length });
    expect(objectsRequests()[0]).toContain(
      `added_after=${encodeURIComponent(published.at(-1)?.date_added ?? '')}`,
    );
  });

  it('marks the matching report indicator for staff: "Known to <feed> since …" on the report page and in the staff API', async () => {
    // Online shopping fraud goes to the national fraud assessment unit.
    const totp = await addStaff(local.services, {
      email: 'officer@nfib.example',
      role: 'national-officer',
      unitId: 'fraud-assessment',
    });
    const client = await signInStaff(local.app, 'officer@nfib.example', totp);
    const page = await client.get(`/staff/reports/${localReference}/indicators`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Known to Lancashire Bluelight since');
    // Both the URL and its domain are known; the reporter's own values are not marked.
    expect(page.body.match(/Known to Lancashire Bluelight since/g)).toHaveLength(2);
    // The staff API says the same, by feed and date.
    const user = await local.services.staff.userIdByEmail('officer@nfib.example');
    const { token } = await local.services.tokens.create('officer laptop', ['staff'], user?.id ?? null);
    const api = await local.app.inject({
      url: `/api/v1/reports/${localReference}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const indicators = api.json<{ indicators: { type: string; known_to_feeds: unknown[] }[] }>().indicators;
    expect(indicators.find((i) => i.type === 'domain')?.known_to_feeds).toEqual([
      {
        feed: 'Lancashire Bluelight',
        since: expect.any(String) as unknown,
        valid_until: expect.any(String) as unknown,
        tlp: 'amber',
      },
    ]);
    const known = await local.services.feeds.knownTo([
      { type: 'domain', value: 'parcel-redelivery-fee.co.uk' },
    ]);
    expect([...known.values()].flat()).toEqual([
      expect.objectContaining({ feed: 'Lancashire Bluelight', tlp: 'amber' }),
    ]);
  });

  it('lets a corroborating feed vouch for a value only an anonymous report names: it is shared, at the feed’s TLP', async () => {
    const row = await local.services.database.db
      .selectFrom('indicators')
      .select('id')
      .where('type', '=', 'domain')
      .where('value', '=', 'crypto-doubling.uk')
      .executeTakeFirstOrThrow();
    expect(await local.services.sharing.awaitingRelease([row.id])).toEqual(new Set());
    await runPublication(local.services);
    const shared = await local.services.database.db
      .selectFrom('taxii_objects')
      .select(['body', 'tlp'])
      .where('stix_type', '=', 'indicator')
      .where('latest', '=', 1)
      .execute();
    const mine = shared.find((s) => s.body.includes("[domain-name:value = 'crypto-doubling.uk']"));
    expect(mine?.tlp).toBe('amber');
    corroboratedId = (JSON.parse(mine?.body ?? '{}') as { id: string }).id;
  });

  it('forgets a value the remote revokes, and values past their validity', async () => {
    // The remote retracts the domain: its revocation (no value) replaces what it published.
    const retracted = await remote.services.database.db
      .selectFrom('indicators')
      .select('id')
      .where('type', '=', 'domain')
      .where('value', '=', 'parcel-redelivery-fee.co.uk')
      .executeTakeFirstOrThrow();
    await remote.services.database.db
      .updateTable('indicators')
      .set({ retracted: 1 })
      .where('id', '=', retracted.id)
      .execute();
    await remote.services.sharing.publishIndicators([retracted.id]);
    await local.services.feeds.pull(feedId, log);
    const domain = { type: 'domain', value: 'parcel-redelivery-fee.co.uk' };
    const url = { type: 'url', value: 'https://parcel-redelivery-fee.co.uk/pay' };
    const known = await local.services.feeds.knownTo([domain, url]);
    expect([...known.keys()]).toEqual([`url\u0000${url.value}`]);

    // Bluelight's objects carry no valid_until: the feed's lifetime (90 days by default) ends them.
    now = new Date(now.getTime() + 91 * 86_400_000);
    expect((await local.services.feeds.knownTo([url])).size).toBe(0);

    // What only the feed's word shared is withdrawn once that word expires (hourly housekeeping).
    await local.services.feeds.expire();
    await runPublication(local.services);
    const latest = await local.services.database.db
      .selectFrom('taxii_objects')
      .select('body')
      .where('stix_type', '=', 'indicator')
      .where('latest', '=', 1)
      .execute();
    const withdrawn = latest.map(
      (r) => JSON.parse(r.body) as { id: string; revoked: boolean; pattern: string },
    );
    const corroborated = withdrawn.find((o) => o.id === corroboratedId);
    expect(corroborated).toMatchObject({ revoked: true, pattern: "[domain-name:value = 'withdrawn']" });
    now = new Date();
  });

  it('backs off a failing server, records why, shows it to admins, and resumes a half-read collection', async () => {
    const proxy = await switchableServer(answerJson(503, { title: 'down' }));
    try {
      const { id } = await local.services.feeds.add(
        {
          name: 'Lancashire via proxy',
          kind: 'taxii',
          url: `${proxy.url}/taxii2/bluelight/`,
          auth: 'basic',
          username,
          secretEnv: SECRET_VARIABLE,
          collections: [AMBER],
          pageSize: 2,
        },
        'cli:operator',
      );
      const start = new Date();
      now = start;
      const first = await local.services.feeds.pull(id, log);
      expect(first).toMatchObject({ outcome: 'failed', stored: 0 });
      expect(first.error).toContain('answered HTTP 503');
      expect(first.nextPullAt).toBe(new Date(start.getTime() + 60_000).toISOString());

      // Not due again until the back-off ends: however often the scheduler runs, no request is made.
      const hits = proxy.requests.length;
      for (let round = 0; round < 3; round++)
        expect((await local.services.feeds.pullDue(log)).map((r) => r.feedId)).not.toContain(id);
      expect(proxy.requests.length).toBe(hits);
      now = new Date(start.getTime() + 61_000);
      const second = (await local.services.feeds.pullDue(log)).find((r) => r.feedId === id);
      expect(second).toMatchObject({ outcome: 'failed' });
      expect(second?.nextPullAt).toBe(new Date(now.getTime() + 120_000).toISOString());

      // Admins see the failing feed and why.
      const adminTotp = await addStaff(local.services, { email: 'admin@feeds.example', role: 'admin' });
      const admin = await signInStaff(local.app, 'admin@feeds.example', adminTotp, now);
      const jobs = await admin.get('/staff/admin/jobs');
      expect(jobs.body).toContain('Lancashire via proxy');
      expect(jobs.body).toContain('Failing');
      expect(jobs.body).toContain('answered HTTP 503');
      expect(jobs.body).toContain('Lancashire Bluelight');

      // Back up, but the second page fails: the first page is kept with its cursor, and the next pull resumes there.
      let objectPages = 0;
      const forward = forwardTo(remoteUrl.replace(/\/taxii2\/$/, ''));
      proxy.answer(async (request, response) => {
        if ((request.url ?? '').includes('/objects/') && ++objectPages === 2) {
          response.writeHead(502);
          response.end();
          return;
        }
        await forward(request, response);
      });
      now = new Date(now.getTime() + 121_000);
      const third = await local.services.feeds.pull(id, log);
      expect(third).toMatchObject({ outcome: 'failed', stored: 2 });
      const [, viaProxy] = await local.services.feeds.list();
      const cursor = viaProxy?.cursors[0]?.cursor ?? '';
      expect(cursor).toBe((await remoteIndicators())[1]?.date_added);
      expect(viaProxy).toMatchObject({ state: 'failing', failures: 3 });

      proxy.requests.length = 0;
      now = new Date(now.getTime() + 5 * 60_000);
      const fourth = await local.services.feeds.pull(id, log);
      expect(fourth).toMatchObject({ outcome: 'pulled' });
      expect(proxy.requests.find((u) => u.includes('/objects/'))).toContain(
        `added_after=${encodeURIComponent(cursor)}`,
      );
      const total = await local.services.database.db
        .selectFrom('feed_indicators')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('feed_id', '=', id)
        .executeTakeFirstOrThrow();
      // Everything the remote has live at amber, once each (the retracted domain's revocation holds no value).
      expect(Number(total.n)).toBe((await remoteIndicators()).length - 1);
      expect((await local.services.feeds.list())[1]).toMatchObject({ state: 'ok', failures: 0 });
    } finally {
      await proxy.close();
    }
  });

  it('refuses wrong credentials clearly and never writes the secret anywhere', async () => {
    const { id } = await local.services.feeds.add(
      { name: 'Wrong secret', kind: 'taxii', url: remoteUrl, auth: 'bearer', secretEnv: SECRET_VARIABLE },
      'cli:operator',
    );
    const wrong = await local.services.feeds.pull(id, log);
    expect(wrong.error).toMatch(/refused Bluelight's credentials \(HTTP 401\)/);
    const { id: absent } = await local.services.feeds.add(
      {
        name: 'No secret here',
        kind: 'taxii',
        url: remoteUrl,
        auth: 'basic',
        username,
        secretEnv: 'FEED_SECRET_NOT_SET',
      },
      'cli:operator',
    );
    const missing = await local.services.feeds.pull(absent, log);
    expect(missing.error).toContain('FEED_SECRET_NOT_SET is not set');
    expect((await local.services.feeds.list()).find((f) => f.id === absent)?.state).toBe('secret-missing');

    const everything = JSON.stringify([
      await local.services.feeds.list(),
      await auditsOf(local.services, 'feed-added'),
      logLines,
      wrong,
      missing,
    ]);
    expect(everything).toContain('Lancashire Bluelight');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(Buffer.from(`${username}:${password}`).toString('base64'));
  });
});
