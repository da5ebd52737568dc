import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStixPattern } from '../../../domain/sharing/stix-pattern.ts';
import { COLLECTIONS, FEEDBACK_COLLECTION } from '../../../services/taxii.ts';
import { stixValidators } from '../../../../test/support/stix-schemas.ts';
import { submitPartnerReport } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

type Envelope = {
  more?: boolean;
  next?: string;
  objects?: { id: string; type: string; [k: string]: unknown }[];
};

const ROOT = '/taxii2/bluelight';
const collectionId = (sector: string, tlp: string) =>
  COLLECTIONS.find((c) => c.sector === sector && c.tlp === tlp)?.id ?? 'missing';

// Personal data in the reports below: none of it may reach any collection.
const PERSONAL = [
  'Jane Victimson',
  'jane.victimson@example.org',
  '+447911123456',
  '07911 123456',
  'CA1 1AA',
  'ME1 1AA',
  'my grandson',
  '309950-11223344',
  '11223344',
  'Acme Widgets',
];

describe('TAXII 2.1 server', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const auth: Record<string, string> = {};
  let bankBasic = '';

  const get = (who: string, url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      url,
      headers: { authorization: auth[who] ?? '', accept: TAXII_MEDIA_TYPE, ...headers },
    });

  beforeAll(async () => {
    ctx = await createTestApp();
    const bank = await ctx.services.partners.add({ name: 'Big Bank', sectors: ['finance'], tlp: 'amber' });
    auth.bank = `Bearer ${bank.token}`;
    bankBasic = `Basic ${Buffer.from(`${bank.username}:${bank.password}`).toString('base64')}`;
    const telco = await ctx.services.partners.add({ name: 'Telco', sectors: ['telecoms'], tlp: 'clear' });
    auth.telco = `Bearer ${telco.token}`;
    const security = await ctx.services.partners.add({
      name: 'SecFirm',
      sectors: ['all-sectors', 'hosting'],
      tlp: 'amber',
    });
    auth.security = `Bearer ${security.token}`;

    const report = (body: object) => submitPartnerReport(ctx.app, ctx.services, body);
    const references = [
      await report({
        reporter: {
          type: 'individual',
          name: 'Jane Victimson',
          postcode: 'CA1 1AA',
          email: 'jane.victimson@example.org',
          phone: '07911 123456',
        },
        incident: {
          narrative:
            'My grandson was impersonated. I paid into my own account 309950 11223344 first, then they made me send £900 to their account. They used https://secure-pay-verify.com/login and rang from 0113 496 0415.',
          losses: [{ amount_pence: 90_000, method: 'bank-transfer' }],
        },
        suspect: {
          phones: ['0113 496 0415'],
          bank_accounts: ['20-00-00 55667788'],
          emails: ['agent@secure-pay-verify.com'],
        },
        consents: { victim_support: true },
      }),
      await report({
        reporter: {
          type: 'organisation',
          name: 'IT lead',
          postcode: 'ME1 1AA',
          organisation: { name: 'Acme Widgets', sector: 'retail' },
        },
        incident: {
          narrative:
            'Fake invoice from agent@secure-pay-verify.com, link hxxps://secure-pay-verify[.]com/login',
        },
        suspect: { websites: ['https://secure-pay-verify.com/login'] },
        consents: { victim_support: false },
      }),
    ];
    for (const reference of references) {
      await ctx.services.intelligence.linkPending();
      const id = await ctx.services.intelligence.reportIdOf(reference);
      await ctx.services.sharing.publishReport(id ?? 0);
    }
  });
  afterAll(() => ctx.close());

  async function everything(who: string, collection: string): Promise<Envelope['objects'] & object> {
    const all: NonNullable<Envelope['objects']> = [];
    let next: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const res = await get(
        who,
        `${ROOT}/collections/${collection}/objects/?limit=3${next ? `&next=${next}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      const body = res.json<Envelope>();
      all.push(...(body.objects ?? []));
      if (body.more !== true) return all;
      next = body.next;
      expect(next).toBeTypeOf('string');
    }
    throw new Error('paging never ended');
  }

  it('answers discovery, the API root and collections with the TAXII media type, and needs credentials', async () => {
    const discovery = await get('bank', '/taxii2/');
    expect(discovery.statusCode).toBe(200);
    expect(discovery.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(discovery.json()).toMatchObject({
      default: expect.stringMatching(/\/taxii2\/bluelight\/$/) as unknown,
    });
    const root = await ctx.app.inject({ url: `${ROOT}/`, headers: { authorization: bankBasic } });
    expect(root.json()).toMatchObject({
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: expect.any(Number) as unknown,
    });

    const anonymous = await ctx.app.inject({ url: '/taxii2/' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    expect(anonymous.json()).toMatchObject({ title: 'Unauthorized', http_status: '401' });
    expect((await get('bank', '/taxii2/', { authorization: 'Bearer blx_wrong' })).statusCode).toBe(401);
    expect((await get('bank', '/taxii2/', { accept: 'application/taxii+json;version=2.0' })).statusCode).toBe(
      406,
    );
    expect((await get('bank', '/taxii2/', { accept: 'text/html' })).statusCode).toBe(406);
    const noSlash = await get('bank', `${ROOT}/collections`);
    expect(noSlash.statusCode).toBe(404);
    expect(noSlash.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
  });

  it('shows each partner only the collections its sectors and TLP allow; 403 outside, 404 unknown', async () => {
    const titles = async (who: string) =>
      (await get(who, `${ROOT}/collections/`)).json<{
        collections: { id: string; can_read: boolean; can_write: boolean }[];
      }>().collections;
    const bank = await titles('bank');
    expect(bank.map((c) => c.id).sort()).toEqual(
      [
        collectionId('finance', 'clear'),
        collectionId('finance', 'green'),
        collectionId('finance', 'amber'),
        FEEDBACK_COLLECTION.id,
      ].sort(),
    );
    expect(bank.find((c) => c.id === FEEDBACK_COLLECTION.id)).toMatchObject({
      can_read: false,
      can_write: true,
    });
    const telco = await titles('telco');
    expect(telco.map((c) => c.id)).toContain(collectionId('telecoms', 'clear'));
    expect(telco.map((c) => c.id)).not.toContain(collectionId('telecoms', 'amber'));
    expect(
      (await get('telco', `${ROOT}/collections/${collectionId('telecoms', 'amber')}/objects/`)).statusCode,
    ).toBe(403);
    expect((await get('bank', `${ROOT}/collections/${collectionId('hosting', 'amber')}/`)).statusCode).toBe(
      403,
    );
    expect((await get('bank', `${ROOT}/collections/00000000-0000-4000-8000-000000000000/`)).statusCode).toBe(
      404,
    );
    expect((await get('bank', `${ROOT}/collections/${FEEDBACK_COLLECTION.id}/objects/`)).statusCode).toBe(
      403,
    );
  });

  it('serves valid STIX 2.1 — identity, TLP markings, indicators with parseable patterns, campaign, relationships, report', async () => {
    const validate = stixValidators();
    const objects = await everything('security', collectionId('all-sectors', 'amber'));
    const types = new Set(objects.map((o) => o.type));
    for (const type of [
      'identity',
      'marking-definition',
      'indicator',
      'campaign',
      'relationship',
      'report',
    ]) {
      expect(types, type).toContain(type);
    }
    for (const object of objects) {
      expect(validate(object), `${object.type} ${object.id}`).toEqual([]);
      if (object.type === 'indicator') {
        expect(() => {
          checkStixPattern(String(object.pattern));
        }).not.toThrow();
      }
    }
    const patterns = objects.filter((o) => o.type === 'indicator').map((o) => String(o.pattern));
    expect(patterns).toContain("[url:value = 'https://secure-pay-verify.com/login']");
    expect(patterns).toContain(
      "[user-account:account_type = 'uk-bank-account' AND user-account:user_id = '200000-55667788']",
    );
    expect(patterns).toContain(
      "[user-account:account_type = 'phone-number' AND user-account:user_id = '+441134960415']",
    );
    // Every object appears once per page run (latest versions only by default), ascending by date added.
    expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
  });

  it('never puts personal data from a report in any collection', async () => {
    const seen: string[] = [];
    for (const collection of COLLECTIONS.filter((c) => c.tlp !== null)) {
      for (const who of ['bank', 'telco', 'security']) {
        const res = await get(
          who,
          `${ROOT}/collections/${collection.id}/objects/?match[version]=all&limit=1000`,
        );
        if (res.statusCode === 200) seen.push(res.body);
      }
    }
    const all = seen.join('\n');
    expect(all).toContain('indicator--');
    for (const value of PERSONAL) expect(all, value).not.toContain(value);
    // The victim's own account, from the narrative, is not shared; the one they paid is.
    expect(all).not.toContain('309950');
    expect(all).toContain('200000-55667788');
  });

  it('pages like real clients: an OpenCTI-style added_after loop and a taxii2client-style next loop, both bounded', async () => {
    const collection = collectionId('all-sectors', 'amber');
    const full = await everything('security', collection);
    // OpenCTI: keeps X-TAXII-Date-Added-Last and asks for what was added after it, with `next` while `more`.
    const opencti: string[] = [];
    let addedAfter = '1970-01-01T00:00:00.000Z';
    for (let round = 0; round < 50; round++) {
      let next: string | undefined;
      let got = 0;
      for (let page = 0; page < 50; page++) {
        const res = await get(
          'security',
          `${ROOT}/collections/${collection}/objects/?added_after=${addedAfter}&limit=2${next ? `&next=${next}` : ''}`,
        );
        expect(res.statusCode).toBe(200);
        const body = res.json<Envelope>();
        const objects = body.objects ?? [];
        opencti.push(...objects.map((o) => o.id));
        got += objects.length;
        const last = res.headers['x-taxii-date-added-last'];
        if (objects.length > 0) {
          expect(res.headers['x-taxii-date-added-first']).toBeTypeOf('string');
          expect(last).toBeTypeOf('string');
          addedAfter = String(last);
        } else {
          expect(body).toEqual({});
        }
        if (body.more !== true) break;
        next = body.next;
      }
      if (got === 0) break;
    }
    expect(opencti).toEqual(full.map((o) => o.id));
    // taxii2client as_pages: the same limit each time, following `next`; changing limit mid-way keeps working.
    const pages: string[] = [];
    let next: string | undefined;
    for (let page = 0, limit = 1; page < 100; page++, limit = limit === 1 ? 4 : 1) {
      const res = await get(
        'security',
        `${ROOT}/collections/${collection}/objects/?limit=${limit}${next ? `&next=${next}` : ''}`,
      );
      const body = res.json<Envelope>();
      pages.push(...(body.objects ?? []).map((o) => o.id));
      if (body.more !== true) break;
      next = body.next;
    }
    expect(pages).toEqual(full.map((o) => o.id));
  });

  it('filters by id, type, version and spec version; rejects malformed parameters with 400', async () => {
    const collection = collectionId('all-sectors', 'amber');
    const base = `${ROOT}/collections/${collection}`;
    const indicators =
      (await get('security', `${base}/objects/?match[type]=indicator`)).json<Envelope>().objects ?? [];
    expect(indicators.length).toBeGreaterThan(0);
    expect(indicators.every((o) => o.type === 'indicator')).toBe(true);
    const first = indicators[0]?.id ?? '';
    const byId = (await get('security', `${base}/objects/?match[id]=${first}`)).json<Envelope>();
    expect(byId.objects?.map((o) => o.id)).toEqual([first]);
    expect((await get('security', `${base}/objects/?match[spec_version]=2.0`)).json()).toEqual({});
    expect(
      (await get('security', `${base}/objects/?added_after=2999-01-01T00:00:00.123456789Z`)).json(),
    ).toEqual({});
    const manifest = await get('security', `${base}/manifest/?match[id]=${first}`);
    const listed = manifest.json<{ objects: { id: string; media_type: string }[] }>().objects[0];
    expect(listed).toMatchObject({ id: first, media_type: 'application/stix+json;version=2.1' });
    // A TAXII manifest record as the specification names its fields, dated as the headers say.
    expect(Object.keys(listed ?? {})).toEqual(['id', 'date_added', 'version', 'media_type']);
    expect(listed).toMatchObject({ date_added: manifest.headers['x-taxii-date-added-first'] });
    for (const bad of [
      'limit=0',
      'limit=abc',
      'added_after=yesterday',
      'next=nonsense!',
      // A well-formed cursor past the largest row id (PostgreSQL's ids are 32-bit): refused, not a database error.
      `next=${Buffer.from('bl1:2147483648').toString('base64url')}`,
      `next=${Buffer.from('bl1:2147483648').toString('base64url')}&match[type]=indicator`,
      'match[version]=newest',
      'match[id]=not-an-id',
    ]) {
      const res = await get('security', `${base}/objects/?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    }
    const pastLast = await get(
      'security',
      `${base}/manifest/?next=${Buffer.from('bl1:2147483648').toString('base64url')}`,
    );
    expect(pastLast.statusCode).toBe(400);
    expect(pastLast.body).not.toMatch(/integer|range|select/i);
    expect(
      (await get('security', `${base}/objects/indicator--00000000-0000-4000-8000-000000000000/`)).statusCode,
    ).toBe(404);
  });

  it('revokes a held-back indicator under the same id without its value, replacing every version, and versions it when shared again', async () => {
    const base = `${ROOT}/collections/${collectionId('all-sectors', 'amber')}`;
    const row = await ctx.services.database.db
      .selectFrom('indicators')
      .select('id')
      .where('type', '=', 'domain')
      .where('value', '=', 'secure-pay-verify.com')
      .executeTakeFirstOrThrow();
    const before =
      (await get('security', `${base}/objects/?match[type]=indicator`)).json<Envelope>().objects ?? [];
    const domain = before.find((o) => o.pattern === "[domain-name:value = 'secure-pay-verify.com']");
    expect(domain).toBeDefined();
    const heldBack = async (value: 0 | 1) => {
      // As the unit's "hold back" and "release" actions do (tested with the workspace).
      await ctx.services.database.db
        .updateTable('indicators')
        .set({ held_back: value })
        .where('id', '=', row.id)
        .execute();
      await ctx.services.sharing.publishIndicators([row.id]);
    };
    const versionsOf = async () =>
      (await get('security', `${base}/objects/${domain?.id ?? ''}/versions/`)).json<{ versions: string[] }>()
        .versions;
    const objectsOf = async (version: string) =>
      (
        await get('security', `${base}/objects/${domain?.id ?? ''}/?match[version]=${version}`)
      ).json<Envelope>().objects ?? [];
    await heldBack(1);
    // The revocation is the only version left: no earlier version gives the value again.
    expect(await versionsOf()).toHaveLength(1);
    for (const version of ['last', 'first', 'all']) {
      const objects = await objectsOf(version);
      expect(objects).toHaveLength(1);
      expect(objects[0]).toMatchObject({
        id: domain?.id,
        revoked: true,
        pattern: "[domain-name:value = 'withdrawn']",
      });
    }
    await heldBack(0);
    const versions = await versionsOf();
    expect(versions).toHaveLength(2);
    expect([...versions].sort()).toEqual(versions);
    expect((await objectsOf('all')).length).toBe(2);
    expect((await objectsOf('first'))[0]).toMatchObject({ revoked: true });
    expect((await objectsOf('last'))[0]).toMatchObject({
      revoked: false,
      pattern: "[domain-name:value = 'secure-pay-verify.com']",
    });
  });

  it('takes sightings and takedown notes on the feedback collection and reports their status', async () => {
    const indicators =
      (
        await get(
          'bank',
          `${ROOT}/collections/${collectionId('finance', 'amber')}/objects/?match[type]=indicator`,
        )
      ).json<Envelope>().objects ?? [];
    const target = indicators[0]?.id ?? '';
    expect(target).toMatch(/^indicator--/);
    const post = (payload: object, contentType = TAXII_MEDIA_TYPE) =>
      ctx.app.inject({
        method: 'POST',
        url: `${ROOT}/collections/${FEEDBACK_COLLECTION.id}/objects/`,
        headers: { authorization: auth.bank ?? '', accept: TAXII_MEDIA_TYPE, 'content-type': contentType },
        payload: JSON.stringify(payload),
      });
    const res = await post({
      objects: [
        {
          type: 'sighting',
          spec_version: '2.1',
          id: 'sighting--6b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b10',
          created: '2026-11-29T10:00:00.000Z',
          modified: '2026-11-29T10:00:00.000Z',
          sighting_of_ref: target,
          count: 3,
        },
        {
          type: 'note',
          spec_version: '2.1',
          id: 'note--6b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b11',
          created: '2026-11-29T11:00:00.000Z',
          modified: '2026-11-29T11:00:00.000Z',
          content: 'Account closed',
          labels: ['takedown'],
          object_refs: [target],
        },
        {
          type: 'sighting',
          spec_version: '2.1',
          id: 'sighting--6b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b12',
          created: '2026-11-29T10:00:00.000Z',
          sighting_of_ref: 'indicator--00000000-0000-4000-8000-000000000000',
        },
        {
          type: 'malware',
          spec_version: '2.1',
          id: 'malware--6b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b13',
          created: '2026-11-29T10:00:00.000Z',
        },
      ],
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    const status = res.json<{
      id: string;
      status: string;
      total_count: number;
      success_count: number;
      failure_count: number;
    }>();
    expect(status).toMatchObject({ status: 'complete', total_count: 4, success_count: 2, failure_count: 2 });
    expect((await get('bank', `${ROOT}/status/${status.id}/`)).json()).toEqual(status);
    expect((await get('telco', `${ROOT}/status/${status.id}/`)).statusCode).toBe(404);
    const feedback = await ctx.services.database.db
      .selectFrom('taxii_feedback')
      .select(['kind', 'indicator_stix_id'])
      .execute();
    expect(feedback.map((f) => f.kind).sort()).toEqual(['sighting', 'takedown']);

    expect((await post({ objects: [] }, 'application/json')).statusCode).toBe(415);
    expect((await post({ nothing: true })).statusCode).toBe(400);
    const readOnly = await ctx.app.inject({
      method: 'POST',
      url: `${ROOT}/collections/${collectionId('finance', 'amber')}/objects/`,
      headers: { authorization: auth.bank ?? '', 'content-type': TAXII_MEDIA_TYPE },
      payload: '{"objects":[]}',
    });
    expect(readOnly.statusCode).toBe(403);
  });
});
