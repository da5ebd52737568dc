import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { PARTNER_OBJECT_LIMIT } from '../../../domain/limits/client-limits.ts';
import { FEEDBACK_COLLECTION, SUBMISSIONS_COLLECTION } from '../../../services/taxii.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

const OBJECTS = `/taxii2/bluelight/collections/${SUBMISSIONS_COLLECTION.id}/objects/`;
const FEEDBACK = `/taxii2/bluelight/collections/${FEEDBACK_COLLECTION.id}/objects/`;

let serial = 0;
const indicator = (domain: string) => {
  serial++;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--7a1c8d1e-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    created: '2026-12-09T09:00:00.000Z',
    modified: '2026-12-09T09:00:00.000Z',
    pattern: `[domain-name:value = '${domain}']`,
    pattern_type: 'stix',
    valid_from: '2026-12-09T09:00:00Z',
    indicator_types: ['malicious-activity'],
  };
};

describe(`partner submissions: objects per partner are limited (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  // A fixed clock 10 minutes into an hour: the whole flood falls in one window.
  let now = new Date('2026-12-09T10:10:00.000Z');
  const auth: Record<string, string> = {};
  const post = (who: string, objects: unknown[], url = OBJECTS) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { authorization: auth[who] ?? '', accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE },
      payload: JSON.stringify({ objects }),
    });
  const storedBy = async (partnerId: number) =>
    (
      await ctx.services.database.db
        .selectFrom('partner_submissions')
        .select('id')
        .where('partner_id', '=', partnerId)
        .execute()
    ).length;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const name of ['Flood Bank', 'Quiet Bank']) {
      const created = await ctx.services.partners.add({
        name,
        sectors: ['finance'],
        tlp: 'amber',
        canSubmit: true,
      });
      auth[name] = `Bearer ${created.token}`;
      ids[name] = created.id;
    }
  });
  afterAll(() => ctx.close());

  it('floods partner-submissions with objects, refused ones too, until 429 with Retry-After; nothing of the refused POST is stored', async () => {
    // Junk counts as much as good objects: a partner cannot flood by sending objects that fail.
    const junk = Array.from({ length: 1000 }, () => ({}));
    const posts = PARTNER_OBJECT_LIMIT.perPartner / junk.length;
    for (let i = 0; i < posts; i++) {
      const res = await post('Flood Bank', junk);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ failure_count: 1000 });
    }
    const refused = await post('Flood Bank', [indicator('one-too-many-fees.co.uk')]);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    // 50 minutes left of the hour's window.
    expect(refused.headers['retry-after']).toBe('3000');
    expect(refused.json()).toMatchObject({
      title: 'Too Many Requests',
      http_status: '429',
      status: 429,
      detail: `At most ${String(PARTNER_OBJECT_LIMIT.perPartner)} objects every 60 minutes`,
    });
    expect(await storedBy(ids['Flood Bank'] ?? 0)).toBe(0);
    const audited = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'partner-submission')
      .execute();
    expect(audited).toHaveLength(posts);

    // Another partner is not held back, and feedback (its own collection) is not counted as submissions.
    const quiet = await post('Quiet Bank', [indicator('quiet-bank-saw-this.co.uk')]);
    expect(quiet.statusCode).toBe(202);
    expect(quiet.json()).toMatchObject({ success_count: 1 });
    expect((await post('Flood Bank', [], FEEDBACK)).statusCode).toBe(202);

    // The next window starts afresh.
    now = new Date('2026-12-09T11:00:00.000Z');
    const later = await post('Flood Bank', [indicator('one-too-many-fees.co.uk')]);
    expect(later.statusCode).toBe(202);
    expect(await storedBy(ids['Flood Bank'] ?? 0)).toBe(1);
  });
});
