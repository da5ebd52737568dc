import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import {
  readEveryCollection,
  runPublication,
  submitAssessed,
} from '../../../../test/support/taxii-publication.ts';

describe('personalised links and forwarded emails do not carry the victim to partners', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let auth = '';

  const publish = () => runPublication(ctx.services);

  /** Every object version in every collection, as a partner reading everything would get them. */
  const everything = async () =>
    (await readEveryCollection(ctx.app, auth, 'match[version]=all&limit=1000')).join('\n');

  async function submitWithEmail(eml: Buffer, overrides: Parameters<typeof makeSubmission>[0]) {
    const stored = await ctx.services.evidence.store('scam.eml', eml);
    const report = await submitAssessed(ctx.services, makeSubmission({ ...overrides, evidence: [stored] }));
    await ctx.services.intelligence.linkPending();
    return (await ctx.services.intelligence.reportIdOf(report.reference)) ?? 0;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    const reader = await ctx.services.partners.add({
      name: 'Reads everything',
      sectors: ['all-sectors', 'finance', 'telecoms', 'hosting', 'retail', 'public-sector'],
      tlp: 'amber',
    });
    auth = `Bearer ${reader.token}`;
  });
  afterAll(() => ctx.close());

  it('shares a personalised link from an email body or narrative only as scheme+host+path, and never one naming the victim', async () => {
    const eml = await new MailComposer({
      from: 'HMRC <refunds@hmrc-refund-claims.co.uk>',
      to: 'ann.victim@example.org',
      subject: 'Your refund',
      text:
        'Claim here: https://hmrc-refund-claims.co.uk/claim?email=ann.victim%40example.org&mobile=07911+123456#me ' +
        'or https://hmrc-refund-claims.co.uk/r/%2B44-7911-123-456/start',
    })
      .compile()
      .build();
    const reportId = await submitWithEmail(eml, {
      category: 'online-shopping-fraud',
      reporter: {
        name: 'Ann Victim',
        victimName: null,
        email: 'ann.victim@example.org',
        phone: '07911 123456',
        preferredContact: 'email',
      },
      narrative:
        'I typed my card details at https://hmrc-refund-claims.co.uk/verify/ann.victim@example.org/07911123456 ' +
        'and it sent me to https://hmrc-refund-claims.co.uk/pay/20-98-76/11223344/done',
    });
    await publish();
    const all = await everything();
    expect(all).toContain("[url:value = 'https://hmrc-refund-claims.co.uk/claim']");
    for (const personal of ['ann.victim', '7911', '11223344', 'claim?', '/verify/', '/r/', '/pay/'])
      expect(all, personal).not.toContain(personal);
    // Police still have every full link, as found.
    const stored = (await ctx.services.intelligence.forReport(reportId)).map((i) => i.value);
    expect(stored).toContain(
      'https://hmrc-refund-claims.co.uk/claim?email=ann.victim%40example.org&mobile=07911+123456#me',
    );
    expect(stored).toContain('https://hmrc-refund-claims.co.uk/verify/ann.victim@example.org/07911123456');
  });

  it('keeps the query of a link the victim gave as the suspect’s website, unless it names them', async () => {
    await submitAssessed(
      ctx.services,
      makeSubmission({
        category: 'online-shopping-fraud',
        reporter: {
          name: 'Bea Buyer',
          victimName: null,
          email: 'bea.buyer@example.org',
          phone: null,
          preferredContact: 'email',
        },
        suspect: {
          ...makeSubmission().suspect,
          websites: [
            'https://cheap-tickets.example.co.uk/shop?item=42',
            'https://cheap-tickets.example.co.uk/login?u=bea.buyer%40example.org',
          ],
        },
      }),
    );
    await publish();
    const all = await everything();
    expect(all).toContain("[url:value = 'https://cheap-tickets.example.co.uk/shop?item=42']");
    expect(all).not.toContain('bea.buyer');
  });

  it('does not publish a forward’s outer From and X-Originating-IP (the victim’s other mailbox and home IP)', async () => {
    const eml = await new MailComposer({
      from: 'Bob Victim <bob.home1980@gmail.com>',
      to: 'report@police.example',
      subject: 'Fwd: parcel fee',
      headers: { 'X-Originating-IP': '[81.2.69.160]' },
      text: '---------- Forwarded message ---------\nFrom: Parcel <billing@parcel-fee.co.uk>\nPay at https://parcel-fee.co.uk/pay',
    })
      .compile()
      .build();
    const reportId = await submitWithEmail(eml, {
      category: 'online-shopping-fraud',
      reporter: {
        name: 'Bob Victim',
        victimName: null,
        email: null,
        phone: '07700 900111',
        preferredContact: 'phone',
      },
    });
    await publish();
    const all = await everything();
    expect(all).toContain("[url:value = 'https://parcel-fee.co.uk/pay']");
    expect(all).not.toContain('bob.home1980@gmail.com');
    expect(all).not.toContain('81.2.69.160');
    // Kept for police, marked as the victim's own forward headers.
    const found = await ctx.services.intelligence.forReport(reportId);
    expect(found.find((i) => i.value === 'bob.home1980@gmail.com')?.source).toBe('forwarder');
    expect(found.find((i) => i.value === '81.2.69.160')?.source).toBe('forwarder');
  });
});
