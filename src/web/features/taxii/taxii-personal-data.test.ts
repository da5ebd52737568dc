import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import {
  readEveryCollection,
  runPublication,
  submitAssessed,
} from '../../../../test/support/taxii-publication.ts';

// A victim's note about what happened, uploaded as evidence: it names her family and her own account.
const NOTE = [
  'If you need me, ring my husband on 07700 900555 or email him at dave.jones1978@outlook.com.',
  'My own account is 20-98-76 11223344, that is where my savings were.',
  'The fake courier site was https://parcel-fee-redelivery.co.uk/pay and I paid the fee there.',
].join('\n');

describe('no personal data from evidence text or email bodies reaches any TAXII collection', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let auth = '';
  let reportId = 0;

  beforeAll(async () => {
    ctx = await createTestApp();
    const reader = await ctx.services.partners.add({
      name: 'Reads everything',
      sectors: ['all-sectors', 'finance', 'telecoms', 'hosting', 'retail', 'public-sector'],
      tlp: 'amber',
    });
    auth = `Bearer ${reader.token}`;
    const note = await ctx.services.evidence.store('what-happened.txt', Buffer.from(NOTE));
    const eml = await new MailComposer({
      from: 'Parcel Team <billing@parcel-fee-redelivery.co.uk>',
      replyTo: 'collect@parcel-fee-redelivery.co.uk',
      to: 'victim.person@example.org',
      subject: 'Your parcel is waiting',
      text:
        'Forwarded by my neighbour, call her on 07700 900444 or mail sue.neighbour@btinternet.com. ' +
        'Pay the fee to GB33BUKB20201555555555 or at https://parcel-fee-redelivery.co.uk/fee',
    })
      .compile()
      .build();
    const email = await ctx.services.evidence.store('parcel.eml', eml);
    const report = await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'Victim Person',
          victimName: null,
          email: 'victim.person@example.org',
          phone: null,
          preferredContact: 'email',
        },
        category: 'online-shopping-fraud',
        evidence: [note, email],
      }),
    );
    await ctx.services.intelligence.linkPending();
    reportId = (await ctx.services.intelligence.reportIdOf(report.reference)) ?? 0;
    // What production runs: the report queued its publication in its own transaction; the worker publishes it.
    await runPublication(ctx.services);
  });
  afterAll(() => ctx.close());

  /** Every object version in every collection, paged as a client would. */
  const everything = async () =>
    (await readEveryCollection(ctx.app, auth, 'match[version]=all&limit=5')).join('\n');

  it('keeps phones, emails and accounts from body text out, shares URLs and the sender’s own addresses', async () => {
    const all = await everything();
    // What the email's sender and relay headers name is the sender's: shared.
    expect(all).toContain("[email-addr:value = 'billing@parcel-fee-redelivery.co.uk']");
    expect(all).toContain("[email-addr:value = 'collect@parcel-fee-redelivery.co.uk']");
    // Technical values from body text: shared.
    expect(all).toContain("[url:value = 'https://parcel-fee-redelivery.co.uk/pay']");
    expect(all).toContain("[url:value = 'https://parcel-fee-redelivery.co.uk/fee']");
    // The husband, the neighbour and the victim's own account: never.
    for (const personal of [
      '+447700900555',
      'dave.jones1978@outlook.com',
      '209876-11223344',
      '11223344',
      '+447700900444',
      'sue.neighbour@btinternet.com',
      'GB33BUKB20201555555555',
      'victim.person@example.org',
    ]) {
      expect(all, personal).not.toContain(personal);
    }
  });

  it('still keeps them as intelligence for police use, marked as found in evidence text', async () => {
    const found = await ctx.services.intelligence.forReport(reportId);
    const sourceOf = (value: string) => found.find((i) => i.value === value)?.source;
    expect(sourceOf('+447700900555')).toBe('evidence');
    expect(sourceOf('dave.jones1978@outlook.com')).toBe('evidence');
    expect(sourceOf('209876-11223344')).toBe('evidence');
    expect(sourceOf('GB33BUKB20201555555555')).toBe('evidence');
    expect(sourceOf('billing@parcel-fee-redelivery.co.uk')).toBe('sender');
  });
});
