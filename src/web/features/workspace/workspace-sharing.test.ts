import { runPublication } from '../../../../test/support/taxii-publication.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff, submitPartnerReport } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { indicatorStixId } from '../../../services/intelligence.ts';

describe('workspace: sharing with industry, and takedowns back to staff and the victim', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let officer: FormClient;
  let reference = '';

  /** The latest version of the indicator this pattern was first published with (a revocation drops the value). */
  const latestIndicator = async (pattern: string) => {
    const [, type, value] = /^\[(domain-name|url):value = '(.*)'\]$/.exec(pattern) ?? [];
    const rows = await ctx.services.database.db
      .selectFrom('taxii_objects')
      .select('body')
      .where('stix_id', '=', indicatorStixId(type === 'url' ? 'url' : 'domain', value ?? ''))
      .where('latest', '=', 1)
      .execute();
    return rows.map((r) => JSON.parse(r.body) as { pattern: string; revoked: boolean })[0];
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    // Online shopping fraud goes to the national fraud assessment unit.
    const totp = await addStaff(ctx.services, {
      email: 'off@nfib.example',
      role: 'national-officer',
      unitId: 'fraud-assessment',
    });
    reference = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'Vic', email: 'vic@example.org', postcode: 'CA1 1AA' },
      incident: {
        narrative: 'I bought a sofa from https://sofa-bargains-direct.com/checkout and it never came',
      },
      suspect: { websites: ['https://sofa-bargains-direct.com/checkout'] },
      consents: { victim_support: false },
    });
    await ctx.services.intelligence.linkPending();
    await ctx.services.sharing.publishReport((await ctx.services.intelligence.reportIdOf(reference)) ?? 0);
    officer = await signInStaff(ctx.app, 'off@nfib.example', totp);
  });
  afterAll(() => ctx.close());

  it('holds an indicator back (revoking what partners have) and shares it again, audit-logged', async () => {
    const pattern = "[domain-name:value = 'sofa-bargains-direct.com']";
    expect(await latestIndicator(pattern)).toMatchObject({ revoked: false });
    const page = await officer.get(`/staff/reports/${reference}/indicators`);
    expect(page.body).toContain('sofa-bargains-direct.com');
    await officer.post(`/staff/reports/${reference}/hold-back`, {
      type: 'domain',
      value: 'sofa-bargains-direct.com',
    });
    await runPublication(ctx.services);
    expect(await latestIndicator(pattern)).toMatchObject({
      revoked: true,
      pattern: "[domain-name:value = 'withdrawn']",
    });
    expect((await officer.get(`/staff/reports/${reference}/indicators`)).body).toContain(
      'Held back from industry',
    );
    await officer.post(`/staff/reports/${reference}/release`, {
      type: 'domain',
      value: 'sofa-bargains-direct.com',
    });
    await runPublication(ctx.services);
    expect(await latestIndicator(pattern)).toMatchObject({ revoked: false });
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('reference', '=', reference)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['indicator-hold-back', 'indicator-release']),
    );
    // An indicator that is not the report's is refused and changes nothing.
    const other = await officer.post(`/staff/reports/${reference}/hold-back`, {
      type: 'domain',
      value: 'not-in-this-report.com',
    });
    await runPublication(ctx.services);
    expect(other.statusCode).toBe(200);
    expect(officer.path).toBe(`/staff/reports/${reference}/indicators`);
    expect(other.body).toContain('govuk-error-summary');
    expect(other.body).toContain('The report has no indicator of that type and value');
  });

  it('marks the whole report TLP:RED: every indicator only it holds is revoked', async () => {
    await officer.post(`/staff/reports/${reference}/tlp`, { tlp: 'red' });
    await runPublication(ctx.services);
    expect(await latestIndicator("[url:value = 'https://sofa-bargains-direct.com/checkout']")).toMatchObject({
      revoked: true,
    });
    await officer.post(`/staff/reports/${reference}/tlp`, { tlp: 'green' });
    await runPublication(ctx.services);
    const url = await latestIndicator("[url:value = 'https://sofa-bargains-direct.com/checkout']");
    expect(url).toMatchObject({
      revoked: false,
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
  });

  it('shows a partner’s takedown to staff by name, and to the victim in plain words', async () => {
    const partner = await ctx.services.partners.add({ name: 'HostCo', sectors: ['hosting'], tlp: 'amber' });
    const id = indicatorStixId('domain', 'sofa-bargains-direct.com');
    const res = await ctx.app.inject({
      method: 'POST',
      url:
        '/taxii2/bluelight/collections/' +
        (await import('../../../services/taxii.ts')).FEEDBACK_COLLECTION.id +
        '/objects/',
      headers: {
        authorization: `Bearer ${partner.token}`,
        'content-type': 'application/taxii+json;version=2.1',
      },
      payload: JSON.stringify({
        objects: [
          {
            type: 'note',
            spec_version: '2.1',
            id: 'note--0b7c4a9e-1f0e-4c2a-9d3b-6a5e4f3c2b1a',
            created: '2026-11-20T12:00:00.000Z',
            modified: '2026-11-20T12:00:00.000Z',
            content: 'Site suspended',
            labels: ['takedown'],
            object_refs: [id],
          },
        ],
      }),
    });
    expect(res.json<{ success_count: number }>().success_count).toBe(1);
    expect((await officer.get(`/staff/reports/${reference}/indicators`)).body).toContain(
      'Taken down by HostCo on 20 November 2026',
    );
    const victim = new FormClient(ctx.app);
    await victim.get('/report/progress');
    const result = await victim.post('/report/progress', { reference, secret: 'vic@example.org' });
    expect(result.body).toContain('A website used in the crime you reported has been taken down.');
    expect(result.body).not.toContain('HostCo');
  });
});
