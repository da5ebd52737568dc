import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../../../db/repositories/index.ts';
import { COLLECTIONS } from '../../../services/taxii.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

const ROOT = '/taxii2/bluelight';
const collectionId = (sector: string, tlp: string) =>
  COLLECTIONS.find((c) => c.sector === sector && c.tlp === tlp)?.id ?? 'missing';

/** Stored objects as a publisher might write them, with text that a re-serialiser could change. */
const STORED = [
  { tlp: '*', sectors: '*', extra: { name: 'Marking for everyone' } },
  { tlp: 'amber', sectors: ',finance,', extra: { name: 'Café “quotes” \u2028 line sep, emoji 🦊' } },
  { tlp: 'green', sectors: ',finance,hosting,', extra: { name: 'Back\\slash and "quote" </script>' } },
  { tlp: 'amber', sectors: ',telecoms,', extra: { name: 'Not for the bank: telecoms only' } },
  { tlp: 'clear', sectors: ',finance,', extra: { confidence: 1e21, small: 5e-7, nested: [{ a: null }] } },
  { tlp: 'amber', sectors: '*', extra: { name: 'All sectors' } },
  { tlp: 'green', sectors: ',finance,', extra: { name: 'Seventh' } },
  { tlp: 'red', sectors: ',finance,', extra: { name: 'Never served: not a sharing TLP' } },
];

/**
 * Two stored bodies are valid JSON in a form JSON.stringify does not write (an escaped letter, indentation):
 * served as they are, they show that nothing parses and re-serialises them on the way out.
 */
function bodyText(i: number, object: object): string {
  if (i === 2) return JSON.stringify(object).replace('Back', '\\u0042ack');
  if (i === 5) return JSON.stringify(object, null, 1);
  return JSON.stringify(object);
}

const stixId = (i: number) => `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('TAXII objects envelope', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let bank = '';
  let telco = '';
  /** What the store holds, in id order, with each body's exact text. */
  let stored: { id: number; tlp: string; sectors: string; body: string }[] = [];

  beforeAll(async () => {
    ctx = await createTestApp();
    bank = `Bearer ${(await ctx.services.partners.add({ name: 'Bank', sectors: ['finance'], tlp: 'amber' })).token}`;
    telco = `Bearer ${(await ctx.services.partners.add({ name: 'Telco', sectors: ['telecoms'], tlp: 'green' })).token}`;
    const db = ctx.services.database.db;
    for (const [i, row] of STORED.entries()) {
      const object = {
        type: 'indicator',
        spec_version: '2.1',
        id: stixId(i),
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        ...row.extra,
      };
      await repositories.sharing.insertObjectVersion(db, {
        stix_id: object.id,
        stix_type: 'indicator',
        version: object.modified,
        date_added: `2026-01-01T00:00:00.00000${i}Z`,
        tlp: row.tlp,
        sectors: row.sectors,
        latest: 1,
        first: 1,
        body: bodyText(i, object),
      });
    }
    stored = await db
      .selectFrom('taxii_objects')
      .select(['id', 'tlp', 'sectors', 'body'])
      .orderBy('id')
      .execute();
  });
  afterAll(() => ctx.close());

  /** Every page of a collection as served: status, headers and the raw text. */
  async function pages(who: string, collection: string, limit: number) {
    const served: { text: string; first?: string; last?: string }[] = [];
    let next: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await ctx.app.inject({
        url: `${ROOT}/collections/${collection}/objects/?limit=${limit}${next === undefined ? '' : `&next=${next}`}`,
        headers: { authorization: who, accept: TAXII_MEDIA_TYPE },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.payload));
      served.push({
        text: res.payload,
        first: res.headers['x-taxii-date-added-first'] as string | undefined,
        last: res.headers['x-taxii-date-added-last'] as string | undefined,
      });
      const body = JSON.parse(res.payload) as { more?: boolean; next?: string };
      if (body.more !== true) return served;
      next = body.next;
    }
    throw new Error('paging never ended');
  }

  it('serves each stored object byte for byte, in a valid envelope with the right more and next', async () => {
    const visible = stored.filter(
      (r) => (r.tlp === '*' || r.tlp === 'amber') && (r.sectors === '*' || r.sectors.includes(',finance,')),
    );
    expect(visible.length).toBe(3);
    const served = await pages(bank, collectionId('finance', 'amber'), 2);
    expect(served.length).toBe(2);
    const [one, two] = served;
    const first = JSON.parse(one?.text ?? '') as { more: boolean; next: string; objects: unknown[] };
    expect(Object.keys(first)).toEqual(['more', 'next', 'objects']);
    expect(first.more).toBe(true);
    expect(first.next).toMatch(/^[A-Za-z0-9_-]+$/);
    // The exact text: the stored bodies, unchanged, between the envelope's keys.
    expect(one?.text).toBe(
      `{"more":true,"next":"${first.next}","objects":[${visible[0]?.body},${visible[1]?.body}]}`,
    );
    expect(two?.text).toBe(`{"more":false,"objects":[${visible[2]?.body}]}`);
    expect(JSON.parse(two?.text ?? '')).toEqual({
      more: false,
      objects: [JSON.parse(visible[2]?.body ?? '')],
    });
    expect(one?.first).toBe('2026-01-01T00:00:00.000000Z');
    expect(one?.last).toBe('2026-01-01T00:00:00.000001Z');
    expect(two?.first).toBe('2026-01-01T00:00:00.000005Z');
    // A last page that is exactly full says more: false and gives no next.
    const exact = await pages(bank, collectionId('finance', 'amber'), 3);
    expect(exact.map((p) => p.text)).toEqual([
      `{"more":false,"objects":[${visible.map((r) => r.body).join(',')}]}`,
    ]);
  });

  it('keeps TLP and sector visibility per partner, and answers {} when nothing matches', async () => {
    const green = stored.filter(
      (r) => (r.tlp === '*' || r.tlp === 'green') && (r.sectors === '*' || r.sectors.includes(',finance,')),
    );
    const served = await pages(bank, collectionId('finance', 'green'), 1000);
    expect(served.map((p) => p.text)).toEqual([
      `{"more":false,"objects":[${green.map((r) => r.body).join(',')}]}`,
    ]);
    expect(served[0]?.text).not.toContain('telecoms only');
    expect(served[0]?.text).not.toContain('Never served');
    // The telco reads telecoms at green and below: the amber telecoms object is not in its scope.
    const forbidden = await ctx.app.inject({
      url: `${ROOT}/collections/${collectionId('telecoms', 'amber')}/objects/`,
      headers: { authorization: telco, accept: TAXII_MEDIA_TYPE },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.payload).not.toContain('telecoms only');
    const after = await ctx.app.inject({
      url: `${ROOT}/collections/${collectionId('finance', 'amber')}/objects/?added_after=2026-01-01T00:00:00.000005Z`,
      headers: { authorization: bank, accept: TAXII_MEDIA_TYPE },
    });
    expect(after.payload).toBe('{}');
  });
});
