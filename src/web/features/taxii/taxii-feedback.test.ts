import { submitAssessed } from '../../../../test/support/taxii-publication.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { indicatorStixId } from '../../../services/intelligence.ts';
import { FEEDBACK_COLLECTION } from '../../../services/taxii.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

const UNKNOWN = 'indicator--00000000-0000-4000-8000-000000000000';

describe('TAXII feedback only on what the partner can read; everything else answered like an unknown id', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let bank = '';
  const references: Record<string, string> = {};

  const submit = async (label: string, fields: Parameters<typeof suspect>[0], tlp: string) => {
    const report = await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'A Victim',
          victimName: null,
          email: `${label}@victims.example`,
          phone: null,
          preferredContact: 'email',
        },
        category: 'online-shopping-fraud',
        suspect: suspect(fields),
      }),
    );
    references[label] = report.reference;
    await ctx.services.intelligence.linkPending();
    const id = (await ctx.services.intelligence.reportIdOf(report.reference)) ?? 0;
    await ctx.services.database.db.updateTable('reports').set({ tlp }).where('id', '=', id).execute();
    await ctx.services.sharing.publishReport(id);
  };

  const post = (objects: object[]) =>
    ctx.app.inject({
      method: 'POST',
      url: `/taxii2/bluelight/collections/${FEEDBACK_COLLECTION.id}/objects/`,
      headers: { authorization: bank, accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE },
      payload: JSON.stringify({ objects }),
    });
  // The same sighting and takedown note every time: only what they refer to changes.
  const feedbackOn = (ref: string) => [
    {
      type: 'sighting',
      spec_version: '2.1',
      id: 'sighting--1b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b10',
      created: '2026-12-01T10:00:00.000Z',
      modified: '2026-12-01T10:00:00.000Z',
      sighting_of_ref: ref,
    },
    {
      type: 'note',
      spec_version: '2.1',
      id: 'note--1b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b11',
      created: '2026-12-01T11:00:00.000Z',
      modified: '2026-12-01T11:00:00.000Z',
      content: 'Account closed',
      labels: ['takedown'],
      object_refs: [ref],
    },
  ];
  /** The status resource without its own id and time: what the partner learns from it. */
  const answerTo = async (ref: string) => {
    const res = await post(feedbackOn(ref));
    expect(res.statusCode).toBe(202);
    const { id, request_timestamp, ...rest } = res.json<Record<string, unknown>>();
    expect(id).toBeTypeOf('string');
    expect(request_timestamp).toBeTypeOf('string');
    return JSON.stringify(rest);
  };
  const progressPage = async (label: string) => {
    const victim = new FormClient(ctx.app);
    await victim.get('/report/progress');
    const page = await victim.post('/report/progress', {
      reference: references[label] ?? '',
      secret: `${label}@victims.example`,
    });
    expect(page.body).toContain(references[label] ?? 'missing');
    const main = /<main[\s\S]*<\/main>/.exec(page.body)?.[0] ?? '';
    return main.replace(/name="_csrf" value="[^"]*"/g, '');
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    bank = `Bearer ${(await ctx.services.partners.add({ name: 'Bank', sectors: ['finance'], tlp: 'green' })).token}`;
    // Finance at TLP:AMBER: above the bank's TLP.
    await submit('amber', { bankAccounts: ['40-11-22 10000001'] }, 'amber');
    // A phone number at TLP:GREEN: telecoms and retail, not finance.
    await submit('telecoms', { phones: ['07700 900321'] }, 'green');
    // Finance at TLP:GREEN: the bank reads it.
    await submit('readable', { bankAccounts: ['40-11-22 10000002'] }, 'green');
    // Finance at TLP:GREEN, then held back: its latest version is revoked.
    await submit('revoked', { bankAccounts: ['40-11-22 10000003'] }, 'green');
    const held = await ctx.services.database.db
      .updateTable('indicators')
      .set({ held_back: 1 })
      .where('value', '=', '401122-10000003')
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.services.sharing.publishIndicators([held.id]);
  });
  afterAll(() => ctx.close());

  it('answers an amber-only, another sector’s or a revoked indicator exactly like an unknown id, storing nothing', async () => {
    const amberPage = await progressPage('amber');
    const telecomsPage = await progressPage('telecoms');
    const unknown = await answerTo(UNKNOWN);
    expect(JSON.parse(unknown)).toMatchObject({ success_count: 0, failure_count: 2 });
    expect(await answerTo(indicatorStixId('uk-bank-account', '401122-10000001'))).toBe(unknown);
    expect(await answerTo(indicatorStixId('phone', '+447700900321'))).toBe(unknown);
    expect(await answerTo(indicatorStixId('uk-bank-account', '401122-10000003'))).toBe(unknown);
    expect(await ctx.services.database.db.selectFrom('taxii_feedback').selectAll().execute()).toEqual([]);
    // The victims are told nothing about a takedown that was never accepted.
    expect(amberPage).not.toContain('closed or blocked');
    expect(await progressPage('amber')).toBe(amberPage);
    expect(await progressPage('telecoms')).toBe(telecomsPage);
  });

  it('takes feedback on an indicator the partner reads, and the victim hears of the takedown', async () => {
    const readable = indicatorStixId('uk-bank-account', '401122-10000002');
    const answer = JSON.parse(await answerTo(readable)) as { success_count: number };
    expect(answer.success_count).toBe(2);
    const stored = await ctx.services.database.db
      .selectFrom('taxii_feedback')
      .select(['kind', 'indicator_stix_id'])
      .orderBy('kind')
      .execute();
    expect(stored).toEqual([
      { kind: 'sighting', indicator_stix_id: readable },
      { kind: 'takedown', indicator_stix_id: readable },
    ]);
    expect(await progressPage('readable')).toContain(
      'An account used in the crime you reported has been closed or blocked.',
    );
  });
});
