/**
 * A TAXII server that answers badly: what it sends is refused with a clear error on the feed, and nothing stored
 * before is changed (values, cursor). A page is stored whole or not at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/test-app.ts';
import { answerJson, switchableServer, type Handler } from '../../../test/support/feed-servers.ts';
import { testDialect } from '../../../test/support/test-services.ts';

const TAXII = 'application/taxii+json;version=2.1';
const indicator = (n: number, pattern = `[domain-name:value = 'bad-feed-${n}.co.uk']`) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: '2026-11-30T12:00:00.000Z',
  modified: '2026-11-30T12:00:00.000Z',
  pattern_type: 'stix',
  pattern,
  valid_from: '2026-11-30T12:00:00.000Z',
});

/** An API root with one collection, whose objects answer is `objects`. */
function taxiiServer(objects: Handler, extra: Record<string, Handler> = {}): Handler {
  return async (request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const own = extra[path];
    if (own !== undefined) return own(request, response);
    if (path === '/root/')
      return answerJson(200, { title: 'Fake', versions: [TAXII], max_content_length: 1000 })(
        request,
        response,
      );
    if (path === '/root/collections/')
      return answerJson(200, { collections: [{ id: 'c1', title: 'One', can_read: true, can_write: false }] })(
        request,
        response,
      );
    if (path === '/root/collections/c1/objects/') return objects(request, response);
    response.writeHead(404);
    response.end();
  };
}

const page =
  (objects: unknown[], headers: Record<string, string> = {}, extra: object = {}): Handler =>
  (_request, response) => {
    response.writeHead(200, { 'content-type': TAXII, ...headers });
    response.end(JSON.stringify({ more: false, objects, ...extra }));
  };

describe(`external feeds: bad TAXII answers (${testDialect})`, () => {
  let local: Awaited<ReturnType<typeof createTestApp>>;
  let server: Awaited<ReturnType<typeof switchableServer>>;
  let feedId = 0;
  const snapshot = async () => ({
    values: await local.services.database.db
      .selectFrom('feed_indicators')
      .select(['type', 'value', 'version', 'valid_until'])
      .where('feed_id', '=', feedId)
      .orderBy('value')
      .execute(),
    cursors: (await local.services.feeds.list()).find((f) => f.id === feedId)?.cursors,
  });

  beforeAll(async () => {
    server = await switchableServer(
      taxiiServer(
        page(
          [
            indicator(1),
            { hello: 'not STIX' },
            'a string',
            { ...indicator(2), type: 'malware', id: 'malware--00000000-0000-4000-8000-000000000002' },
            indicator(3, "[domain-name:value MATCHES '^bad']"),
            indicator(4),
          ],
          {
            'x-taxii-date-added-first': '2026-11-30T12:00:00.000001Z',
            'x-taxii-date-added-last': '2026-11-30T12:00:00.000004Z',
          },
        ),
      ),
    );
    local = await createTestApp();
    feedId = (
      await local.services.feeds.add(
        { name: 'Fake CTI', kind: 'taxii', url: `${server.url}/root/` },
        'cli:operator',
      )
    ).id;
  });
  afterAll(async () => {
    await local.close();
    await server.close();
  });

  it('stores the indicators of a page, and counts what is not STIX or cannot be matched', async () => {
    const result = await local.services.feeds.pull(feedId);
    expect(result).toMatchObject({ outcome: 'pulled', stored: 2 });
    expect(result.summary).toBe(
      '2 value(s) stored from 1 page(s); 4 object(s) skipped (2 not STIX 2.1 objects, 1 not indicators, 1 patterns Bluelight cannot match)',
    );
    const { values, cursors } = await snapshot();
    expect(values.map((v) => v.value)).toEqual(['bad-feed-1.co.uk', 'bad-feed-4.co.uk']);
    expect(cursors).toEqual([
      expect.objectContaining({ collection: 'c1', cursor: '2026-11-30T12:00:00.000004Z' }),
    ]);
  });

  const huge = Array.from({ length: 2001 }, (_, i) => indicator(100 + i));
  it.each([
    [
      'malformed JSON',
      (_q, r) => {
        r.writeHead(200, { 'content-type': TAXII });
        r.end('{"more": false, "objects": [{"type": "indicator"');
      },
      'answered something that is not valid JSON',
    ],
    [
      'the wrong content type',
      (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        r.end('<html>Maintenance</html>');
      },
      'answered "text/html", not application/taxii+json',
    ],
    [
      'another TAXII version',
      (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/taxii+json;version=2.0' });
        r.end('{}');
      },
      'not version=2.1',
    ],
    [
      'objects that are not a list',
      page([], {}, { objects: { '0': indicator(9) } }),
      '"objects" is not a list',
    ],
    [
      'a page of more objects than Bluelight reads at once',
      page(huge),
      'a page of 2001 objects, more than the 2000',
    ],
    [
      'an answer larger than allowed',
      (_q, r) => {
        r.writeHead(200, { 'content-type': TAXII, 'content-length': String(30 * 1024 * 1024) });
        r.end();
      },
      'more than the 20971520 allowed',
    ],
    [
      'a malformed date-added header',
      page([indicator(7)], { 'x-taxii-date-added-last': 'yesterday' }),
      'X-TAXII-Date-Added-Last is not a timestamp',
    ],
    [
      'more, for ever, with the same cursor',
      page(
        [indicator(8)],
        { 'x-taxii-date-added-last': '2026-11-30T12:00:01Z' },
        { more: true, next: 'again' },
      ),
      'the same "next" cursor twice',
    ],
    ['a redirect', answerJson(302, {}), 'redirected (HTTP 302)'],
    ['a server error', answerJson(500, { title: 'Internal' }), 'answered HTTP 500'],
  ] as [string, Handler, string][])(
    'refuses %s clearly and changes nothing stored',
    async (_what, objects, message) => {
      const before = await snapshot();
      server.answer(taxiiServer(objects));
      const result = await local.services.feeds.pull(feedId);
      expect(result.outcome).toBe('failed');
      expect(result.error).toContain(message);
      // The page that failed its checks is not stored: values and cursor are as before (a looping server's first page
      // was a good page, and is kept with its cursor).
      const after = await snapshot();
      if (message.includes('same "next"')) {
        expect(after.values.map((v) => v.value)).toContain('bad-feed-8.co.uk');
        return;
      }
      expect(after).toEqual(before);
    },
  );

  it('never follows a discovery answer to an API root on another server', async () => {
    server.answer(
      taxiiServer(page([]), {
        '/taxii2/': answerJson(200, {
          title: 'Discovery',
          default: 'http://169.254.169.254/latest/',
          api_roots: [],
        }),
      }),
    );
    const { id } = await local.services.feeds.add(
      { name: 'Redirecting discovery', kind: 'taxii', url: `${server.url}/taxii2/` },
      'cli:operator',
    );
    server.requests.length = 0;
    const result = await local.services.feeds.pull(id);
    expect(result.error).toContain('named an API root on another server (http://169.254.169.254)');
    expect(server.requests).toEqual(['/taxii2/']);
  });
});
