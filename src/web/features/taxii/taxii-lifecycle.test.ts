import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { stixValidators } from '../../../../test/support/stix-schemas.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { runPublication, submitAssessed } from '../../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { indicatorStixId } from '../../../services/intelligence.ts';
import { COLLECTIONS, FEEDBACK_COLLECTION } from '../../../services/taxii.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

const DAY = 86_400_000;
const DOMAIN = 'secure-parcel-fees.co.uk';
const URL = 'https://secure-parcel-fees.co.uk/pay';
const HOSTING_AMBER = COLLECTIONS.find((c) => c.sector === 'hosting' && c.tlp === 'amber');

describe(`indicator lifecycle: valid until, a decaying score, false positives, re-sightings (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-12-08T10:00:00.000Z');
  const auth: Record<string, string> = {};
  let sightings = 0;
  let analysts = 0;

  /** The latest version of an indicator in the hosting TLP:AMBER collection, as a partner reads it. */
  const latest = async (type: 'domain' | 'url', value: string) => {
    const res = await ctx.app.inject({
      url: `/taxii2/bluelight/collections/${HOSTING_AMBER?.id ?? ''}/objects/?match[id]=${indicatorStixId(type, value)}`,
      headers: { authorization: auth.A ?? '', accept: TAXII_MEDIA_TYPE },
    });
    const objects = res.json<{ objects?: Record<string, unknown>[] }>().objects ?? [];
    return { object: objects.at(-1), body: res.body };
  };
  /** A partner's sighting of one of our indicators, false positive or not. */
  const sight = async (who: string, type: 'domain' | 'url', value: string, falsePositive: boolean) => {
    sightings++;
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/taxii2/bluelight/collections/${FEEDBACK_COLLECTION.id}/objects/`,
      headers: { authorization: auth[who] ?? '', accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE },
      payload: {
        objects: [
          {
            type: 'sighting',
            spec_version: '2.1',
            id: `sighting--3c1d2e4f-0000-4000-8000-${String(sightings).padStart(12, '0')}`,
            created: now.toISOString(),
            modified: now.toISOString(),
            sighting_of_ref: indicatorStixId(type, value),
            ...(falsePositive
              ? who === 'B'
                ? { x_opencti_negative: true }
                : { labels: ['false-positive'] }
              : {}),
          },
        ],
      },
    });
    expect(res.json()).toMatchObject({ success_count: 1 });
    await runPublication(ctx.services);
  };
  const analystPage = async (type: string, value: string) => {
    const row = await ctx.services.database.db
      .selectFrom('indicators')
      .select('id')
      .where('type', '=', type)
      .where('value', '=', value)
      .executeTakeFirstOrThrow();
    analysts++;
    const email = `analyst${String(analysts)}@nfib.example`;
    const client = await signInStaff(
      ctx.app,
      email,
      await addStaff(ctx.services, { email, role: 'analyst' }),
      now,
    );
    return { page: await client.get(`/staff/indicators/${String(row.id)}`), id: row.id };
  };

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const who of ['A', 'B', 'C']) {
      const created = await ctx.services.partners.add({
        name: `Host ${who}`,
        sectors: ['hosting'],
        tlp: 'amber',
      });
      auth[who] = `Bearer ${created.token}`;
    }
    await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'V',
          victimName: null,
          email: 'v@victims.example',
          phone: null,
          preferredContact: 'email',
        },
        suspect: suspect({ websites: [URL] }),
      }),
    );
    await runPublication(ctx.services);
  });
  afterAll(() => ctx.close());

  it('publishes valid_until, 90 days from the day it was last named, and validates as STIX 2.1', async () => {
    const { object } = await latest('domain', DOMAIN);
    expect(object).toMatchObject({ valid_until: '2027-03-08T00:00:00.000Z', confidence: 50, revoked: false });
    expect(stixValidators()(object as { type: string })).toEqual([]);
  });

  it('lowers the score for one partner’s false positive, counts that partner once, and revokes after a second partner’s', async () => {
    await sight('A', 'domain', DOMAIN, true);
    expect((await latest('domain', DOMAIN)).object).toMatchObject({ confidence: 25, revoked: false });
    // The same partner again changes nothing: one partner alone never takes it out.
    await sight('A', 'domain', DOMAIN, true);
    expect((await latest('domain', DOMAIN)).object).toMatchObject({ confidence: 25, revoked: false });
    await sight('B', 'domain', DOMAIN, true);
    const { object, body } = await latest('domain', DOMAIN);
    expect(object).toMatchObject({ revoked: true, pattern: "[domain-name:value = 'withdrawn']" });
    // The revocation replaced every earlier version: the value is nowhere in what a partner reads.
    expect(body).not.toContain(DOMAIN);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'partner-feedback')
      .execute();
    expect(audit.at(-1)?.detail).toContain(
      `false positives from 2 or more partners: ${indicatorStixId('domain', DOMAIN)}`,
    );
    expect(audit.at(-1)?.detail).toContain('1 false-positive');
  });

  it('shows staff why: valid until, score and the partners behind a revocation', async () => {
    const { page } = await analystPage('domain', DOMAIN);
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/\s+/g, ' ');
    expect(text).toContain('Revoked: partners reported it a false positive');
    expect(text).toContain('8 March 2027');
    expect(text).toContain('0 out of 100');
    expect(text).toContain('False positive according to Host A, Host B: minus 50');
    expect(text).toContain('2 partners reported it a false positive and the evidence score fell below 50');
    const reads = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'read-indicator')
      .execute();
    expect(reads.map((r) => r.detail)).toContainEqual(expect.stringContaining(`domain ${DOMAIN}`));
  });

  it('decays the score with time and refreshes it, and valid_until, when a partner sights it again', async () => {
    now = new Date(now.getTime() + 20 * DAY);
    const before = await analystPage('url', URL);
    expect(before.page.body).toContain('31 out of 100');
    expect((await latest('url', URL)).object).toMatchObject({ valid_until: '2027-03-08T00:00:00.000Z' });
    await sight('C', 'url', URL, false);
    expect((await latest('url', URL)).object).toMatchObject({
      valid_until: '2027-03-28T00:00:00.000Z',
      revoked: false,
    });
    const after = await analystPage('url', URL);
    expect(after.page.body).toContain('50 out of 100');
    expect(after.page.body).toContain('Seen by Host C');
  });

  it('shows an indicator only to analysts and to officers of a unit whose report names it', async () => {
    const { id } = await analystPage('url', URL);
    const elsewhere = await addStaff(ctx.services, {
      email: 'officer@met.example',
      role: 'force-officer',
      forceId: 'metropolitan',
    });
    const client = await signInStaff(ctx.app, 'officer@met.example', elsewhere, now);
    expect((await client.get(`/staff/indicators/${String(id)}`)).statusCode).toBe(404);
    expect((await client.get('/staff/indicators/999999')).statusCode).toBe(404);
  });

  it('refreshes valid_until when a new report names it, and keeps a revoked value revoked and unread', async () => {
    now = new Date(now.getTime() + 5 * DAY);
    await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'W',
          victimName: null,
          email: 'w@victims.example',
          phone: null,
          preferredContact: 'email',
        },
        suspect: suspect({ websites: [URL] }),
      }),
    );
    await runPublication(ctx.services);
    expect((await latest('url', URL)).object).toMatchObject({
      valid_until: '2027-04-02T00:00:00.000Z',
      revoked: false,
    });
    // The domain the two partners revoked: a new report does not undo their false positives or give the value back.
    const { object, body } = await latest('domain', DOMAIN);
    expect(object).toMatchObject({ revoked: true });
    expect(body).not.toContain(DOMAIN);
    // Nor may a partner sight it again: answered as for an unknown id.
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/taxii2/bluelight/collections/${FEEDBACK_COLLECTION.id}/objects/`,
      headers: { authorization: auth.C ?? '', accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE },
      payload: {
        objects: [
          {
            type: 'sighting',
            spec_version: '2.1',
            id: 'sighting--3c1d2e4f-0000-4000-8000-999999999999',
            created: now.toISOString(),
            modified: now.toISOString(),
            sighting_of_ref: indicatorStixId('domain', DOMAIN),
          },
        ],
      },
    });
    expect(res.json()).toMatchObject({ success_count: 0, failure_count: 1 });
  });
});
