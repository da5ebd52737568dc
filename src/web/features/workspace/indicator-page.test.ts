import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { runPublication, submitAssessed } from '../../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import type { Role } from '../../../domain/access/access-policy.ts';
import { indicatorStixId } from '../../../services/intelligence.ts';
import { FEEDBACK_COLLECTION } from '../../../services/taxii.ts';
import { TAXII_MEDIA_TYPE } from '../taxii/taxii-routes.ts';

const DOMAIN = 'parcel-redelivery-fees.co.uk';
// Named by the victims' own words only: may be a relative's number.
const NARRATIVE_PHONE = '+447700900461';
const SUSPECT_PHONE = '+447700900462';

describe(`the staff indicator page (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const now = new Date('2026-12-09T10:00:00.000Z');
  const refs: string[] = [];
  const units: string[] = [];
  const clients: Record<string, FormClient> = {};
  const idOf = async (type: string, value: string) =>
    (
      await ctx.services.database.db
        .selectFrom('indicators')
        .select('id')
        .where('type', '=', type)
        .where('value', '=', value)
        .executeTakeFirstOrThrow()
    ).id;
  const page = async (who: string, type: string, value: string) =>
    clients[who]?.get(`/staff/indicators/${String(await idOf(type, value))}`);
  const text = (body: string) => body.replace(/\s+/g, ' ');

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const [postcode, force] of [
      ['CA1 1AA', 'cumbria'],
      ['LA1 1AA', 'lancashire'],
    ] as const) {
      const report = await submitAssessed(
        ctx.services,
        makeSubmission({
          postcode,
          force: { id: force, candidates: [force] },
          // Routed to each force's own unit.
          category: 'online-harassment',
          reporter: {
            name: 'V',
            victimName: null,
            email: `v.${force}@victims.example`,
            phone: null,
            preferredContact: 'email',
          },
          narrative: `They rang me from ${NARRATIVE_PHONE} and sent me to https://${DOMAIN}/pay to pay a fee`,
          suspect: suspect({ websites: [`https://${DOMAIN}/pay`], phones: [SUSPECT_PHONE] }),
        }),
      );
      refs.push(report.reference);
      const row = await ctx.services.database.db
        .selectFrom('reports')
        .select('unit_id')
        .where('reference', '=', report.reference)
        .executeTakeFirstOrThrow();
      units.push(row.unit_id ?? '');
    }
    await runPublication(ctx.services);
    // An external feed that knows the domain.
    const feed = await ctx.services.database.db
      .insertInto('feeds')
      .values({
        name: 'Another Force Bluelight',
        kind: 'taxii',
        url: 'https://bluelight.other-force.example/taxii2/',
        collections: '',
        auth: 'none',
        username: null,
        secret_env: null,
        tlp: 'amber',
        valid_days: 90,
        corroborates: 0,
        interval_minutes: 60,
        page_size: 100,
        enabled: 1,
        created_at: now.toISOString(),
        created_by: 'test',
        next_pull_at: now.toISOString(),
        lease_until: null,
        last_attempt_at: null,
        last_success_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.services.database.db
      .insertInto('feed_indicators')
      .values({
        feed_id: feed.id,
        origin: 'collection-1',
        external_id: 'indicator--0d3f6a2e-1111-4000-8000-000000000001',
        version: '2026-12-01T00:00:00.000Z',
        type: 'domain',
        value: DOMAIN,
        known_since: '2026-12-01T00:00:00.000Z',
        valid_until: '2027-01-31T00:00:00.000Z',
        revoked: 0,
        tlp: 'green',
        confidence: 60,
        updated_at: now.toISOString(),
      })
      .execute();
    // A hosting partner confirms a takedown of the domain.
    const partner = await ctx.services.partners.add({ name: 'Host Co', sectors: ['hosting'], tlp: 'amber' });
    const feedback = await ctx.app.inject({
      method: 'POST',
      url: `/taxii2/bluelight/collections/${FEEDBACK_COLLECTION.id}/objects/`,
      headers: {
        authorization: `Bearer ${partner.token}`,
        accept: TAXII_MEDIA_TYPE,
        'content-type': TAXII_MEDIA_TYPE,
      },
      payload: {
        objects: [
          {
            type: 'note',
            spec_version: '2.1',
            id: 'note--5b2d1c3e-0000-4000-8000-000000000001',
            created: now.toISOString(),
            modified: now.toISOString(),
            content: 'Suspended',
            labels: ['takedown'],
            object_refs: [indicatorStixId('domain', DOMAIN)],
          },
        ],
      },
    });
    expect(feedback.json(), feedback.body).toMatchObject({ success_count: 1 });
    const people: [string, Role, string | undefined][] = [
      ['analyst', 'analyst', undefined],
      ['cumbria', 'force-officer', 'cumbria'],
      ['kent', 'force-officer', 'kent'],
      ['admin', 'admin', undefined],
    ];
    for (const [who, role, forceId] of people) {
      const email = `${who}@police.example`;
      const totp = await addStaff(ctx.services, { email, role, ...(forceId ? { forceId } : {}) });
      clients[who] = await signInStaff(ctx.app, email, totp, now);
    }
  });
  afterAll(() => ctx.close());

  it('shows an analyst the value, type, status, score, valid until, feeds, feedback and where the reports are, linking none', async () => {
    const res = await page('analyst', 'domain', DOMAIN);
    expect(res?.statusCode).toBe(200);
    const body = text(res?.body ?? '');
    expect(body).toContain(DOMAIN);
    expect(body).toContain('Active');
    expect(body).toContain('Valid until');
    expect(body).toMatch(/Score <\/dt> <dd class="govuk-summary-list__value"> \d+ out of 100/);
    expect(body).toContain(
      'Another Force Bluelight: known since 1 December 2026, valid until 31 January 2027, TLP:GREEN',
    );
    expect(body).toContain('Taken down, according to Host Co on 9 December 2026');
    // Analysts open no report: the two reports are named by the unit holding them, without a reference.
    for (const ref of refs) expect(body).not.toContain(ref);
    expect(body).toMatch(/1 report\(s\) held by [^<]+/);
    expect(body).not.toContain('/staff/reports/');
  });

  it('withholds from analysts a phone found only in victims’ words, and audits the read without it', async () => {
    const res = await page('analyst', 'phone', NARRATIVE_PHONE);
    expect(res?.statusCode).toBe(200);
    expect(res?.body).not.toContain(NARRATIVE_PHONE);
    expect(res?.body).not.toContain('7700 900461');
    expect(res?.body).toContain('Value not shown');
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'read-indicator')
      .where('actor', '=', 'analyst@police.example')
      .execute();
    expect(audit.map((a) => a.detail).join('\n')).not.toContain(NARRATIVE_PHONE);
    // The suspect's own number names the offender: shown.
    expect((await page('analyst', 'phone', SUSPECT_PHONE))?.body).toContain(SUSPECT_PHONE);
  });

  it('shows an officer the value their own unit’s report names, links only that report, and names the other unit’s holder', async () => {
    const res = await page('cumbria', 'phone', NARRATIVE_PHONE);
    expect(res?.statusCode).toBe(200);
    const body = text(res?.body ?? '');
    expect(body).toContain(NARRATIVE_PHONE);
    expect(body).toContain(`href="/staff/reports/${refs[0] ?? ''}"`);
    expect(body).not.toContain(refs[1] ?? 'never');
    expect(body).toContain('1 report(s) held by');
  });

  it('refuses officers of a unit no report of which names it, and admins, exactly as a missing page', async () => {
    expect((await page('kent', 'domain', DOMAIN))?.statusCode).toBe(404);
    expect((await clients.kent?.get('/staff/indicators/999999'))?.statusCode).toBe(404);
    expect((await page('admin', 'domain', DOMAIN))?.statusCode).toBe(404);
  });

  it('links indicators from the campaign page only where the viewer may open them, masking victims’ words', async () => {
    const campaign = await ctx.services.database.db
      .selectFrom('indicators')
      .select('campaign_id')
      .where('type', '=', 'domain')
      .where('value', '=', DOMAIN)
      .executeTakeFirstOrThrow();
    expect(campaign.campaign_id).not.toBeNull();
    const url = `/staff/campaigns/${String(campaign.campaign_id)}`;
    const analyst = (await clients.analyst?.get(url))?.body ?? '';
    expect(analyst).toContain(`href="/staff/indicators/${String(await idOf('domain', DOMAIN))}"`);
    expect(analyst).not.toContain(NARRATIVE_PHONE);
    expect(analyst).toContain(SUSPECT_PHONE);
    const officer = (await clients.cumbria?.get(url))?.body ?? '';
    expect(officer).toContain(NARRATIVE_PHONE);
    expect(officer).toContain(`href="/staff/indicators/${String(await idOf('phone', NARRATIVE_PHONE))}"`);
  });

  it('renders in Welsh', async () => {
    const res = await clients.analyst?.get(
      `/staff/indicators/${String(await idOf('phone', NARRATIVE_PHONE))}?lng=cy`,
    );
    expect(res?.body).toContain('Nid yw’r gwerth yn cael ei ddangos');
    expect(res?.body).toContain('Ffrydiau allanol sy’n gwybod amdano');
  });
});
