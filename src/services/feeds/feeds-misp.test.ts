/**
 * External feeds in, in the MISP feed format: a recorded feed shipped in the tests (test/fixtures/misp-feed/, a
 * manifest and two events), served from 127.0.0.1 as a web server or bucket would serve it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitAssessed } from '../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { makeSubmission, suspect } from '../../../test/support/submissions.ts';
import { switchableServer, type Handler } from '../../../test/support/feed-servers.ts';
import { testDialect } from '../../../test/support/test-services.ts';

const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/misp-feed');
const SMISHING = '4f0f3c9e-6a1d-4b8e-9a43-1c2d5e7f8a90';
const INVESTMENT = '9d2b7e61-3f4a-4c5d-8e9f-a0b1c2d3e4f5';
const file = (name: string) => readFileSync(join(FIXTURE, name), 'utf8');

/** Serves the feed's files; `overrides` replaces a file's text (or answers with a handler) for one test. */
function feedFiles(overrides: Record<string, string | Handler> = {}): Handler {
  return async (request, response) => {
    const name = /^\/misp\/([\w.-]+)$/.exec(request.url ?? '')?.[1] ?? '';
    const override = overrides[name];
    if (typeof override === 'function') return override(request, response);
    let body: string;
    try {
      body = override ?? file(name);
    } catch {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  };
}

describe(`external feeds: a recorded MISP feed (${testDialect})`, () => {
  let local: Awaited<ReturnType<typeof createTestApp>>;
  let server: Awaited<ReturnType<typeof switchableServer>>;
  let feedId = 0;

  const stored = async () =>
    local.services.database.db
      .selectFrom('feed_indicators')
      .select(['type', 'value', 'tlp', 'external_id', 'known_since', 'origin'])
      .where('feed_id', '=', feedId)
      .orderBy('type')
      .orderBy('value')
      .execute();

  beforeAll(async () => {
    server = await switchableServer(feedFiles());
    local = await createTestApp();
    await submitAssessed(
      local.services,
      makeSubmission({
        reporter: {
          name: 'A',
          victimName: null,
          email: 'a@example.org',
          phone: null,
          preferredContact: null,
        },
        narrative: 'A text said my parcel was held and to pay a fee at royalmail-redelivery-fee.co.uk',
        suspect: suspect({ phones: ['07700 900456'] }),
      }),
    );
    feedId = (
      await local.services.feeds.add(
        { name: 'NW ROCU MISP', kind: 'misp', url: `${server.url}/misp/` },
        'cli:operator',
      )
    ).id;
  });

  afterAll(async () => {
    await local.close();
    await server.close();
  });

  it('takes the detection attributes of every event, normalised, with their markings', async () => {
    const result = await local.services.feeds.pull(feedId);
    expect(result).toMatchObject({ outcome: 'pulled', stored: 12, error: null });
    // What was left out, and why, is said in the result admins see.
    expect(result.summary).toBe(
      '12 value(s) stored from 2 page(s); 4 object(s) skipped (1 values that are not valid, 1 MISP attributes not marked for detection (to_ids), 2 MISP attribute types Bluelight does not match)',
    );
    const rows = await stored();
    expect(rows.map((r) => `${r.type} ${r.value} ${r.tlp}`)).toEqual([
      'btc-address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq clear',
      'domain crypto-doubling.uk clear',
      'domain panel.royalmail-redelivery-fee.co.uk amber',
      'domain royalmail-redelivery-fee.co.uk green',
      'email tracking@royalmail-redelivery-fee.co.uk green',
      'iban GB33BUKB20201555555555 clear',
      'ipv4 198.51.100.23 clear',
      'ipv4 203.0.113.45 green',
      'md5 e99a18c428cb38d5f260853678922e03 clear',
      'phone +447700900456 green',
      'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 green',
      'url https://royalmail-redelivery-fee.co.uk/pay/index.php green',
    ]);
    // Never the recipient of the lure (a victim), nor a deleted attribute.
    expect(JSON.stringify(rows)).not.toContain('jo.bloggs');
    expect(JSON.stringify(rows)).not.toContain('royalmail-parcel-hold');
  });

  it('marks the report naming them: known since the attribute was first seen', async () => {
    const known = await local.services.feeds.knownTo([
      { type: 'domain', value: 'royalmail-redelivery-fee.co.uk' },
      { type: 'phone', value: '+447700900456' },
    ]);
    expect(known.get('domain\u0000royalmail-redelivery-fee.co.uk')).toEqual([
      {
        feed: 'NW ROCU MISP',
        since: '2026-11-18T07:45:00.000Z',
        validUntil: expect.any(String) as unknown,
        tlp: 'green',
      },
    ]);
    expect(known.get('phone\u0000+447700900456')?.[0]?.since).toBe('2026-11-25T09:46:40.000Z');
  });

  it('resumes from the manifest cursor: unchanged events are not fetched again, a changed one is replaced whole', async () => {
    server.requests.length = 0;
    expect(await local.services.feeds.pull(feedId)).toMatchObject({ outcome: 'pulled', stored: 0 });
    expect(server.requests).toEqual(['/misp/manifest.json']);

    // The analyst removes the IP address from the smishing event: its manifest timestamp moves on.
    const manifest = JSON.parse(file('manifest.json')) as Record<string, { timestamp: string }>;
    const event = JSON.parse(file(`${SMISHING}.json`)) as {
      Event: { timestamp: string; Attribute: { type: string }[] };
    };
    manifest[SMISHING] = { ...manifest[SMISHING], timestamp: '1796100000' };
    event.Event.timestamp = '1796100000';
    event.Event.Attribute = event.Event.Attribute.filter((a) => a.type !== 'ip-dst');
    server.answer(
      feedFiles({ 'manifest.json': JSON.stringify(manifest), [`${SMISHING}.json`]: JSON.stringify(event) }),
    );
    server.requests.length = 0;
    expect(await local.services.feeds.pull(feedId)).toMatchObject({ outcome: 'pulled', stored: 6 });
    expect(server.requests).toEqual(['/misp/manifest.json', `/misp/${SMISHING}.json`]);
    const rows = await stored();
    expect(rows.map((r) => r.value)).not.toContain('203.0.113.45');
    expect(rows).toHaveLength(11);
    const [feed] = await local.services.feeds.list();
    expect(feed?.cursors).toEqual([
      expect.objectContaining({ collection: '', cursor: `1796100000 ${SMISHING}`, stored: 18 }),
    ]);
  });

  it.each([
    [
      'a manifest that is not JSON',
      { 'manifest.json': '{"4f0f3c9e-6a1d-4b8e' },
      'answered something that is not valid JSON',
    ],
    [
      'a manifest that is a list',
      { 'manifest.json': '[1, 2, 3]' },
      'manifest.json is not a JSON object keyed by event uuid',
    ],
    [
      'a manifest key that is not a uuid',
      { 'manifest.json': JSON.stringify({ '../../etc/passwd': { timestamp: '1796200000' } }) },
      'is not an event uuid',
    ],
    [
      'an HTML error page',
      {
        'manifest.json': ((_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html' });
          response.end('<html><body>Sign in</body></html>');
        }) as Handler,
      },
      'answered "text/html", not application/json',
    ],
    [
      'an event file holding another event',
      {
        'manifest.json': JSON.stringify({ [INVESTMENT]: { timestamp: '1796200000' } }),
        [`${INVESTMENT}.json`]: file(`${SMISHING}.json`),
      },
      `event ${INVESTMENT}: the file holds another event`,
    ],
  ])('refuses %s with a clear error and keeps what it had', async (_what, overrides, message) => {
    const before = await stored();
    const [cursorBefore] = (await local.services.feeds.list())[0]?.cursors ?? [];
    server.answer(feedFiles(overrides));
    const result = await local.services.feeds.pull(feedId);
    expect(result.outcome).toBe('failed');
    expect(result.error).toContain(message);
    expect(await stored()).toEqual(before);
    expect((await local.services.feeds.list())[0]?.cursors[0]).toEqual(cursorBefore);
  });
});
