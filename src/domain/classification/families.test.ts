import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';

// Families of phrasing the third development set (reports-online-dev3) showed; sentences written for these tests.
describe('classify: loss paths, attempts and online elements from the third development set', () => {
  const cases: readonly [string, string, string | null][] = [
    // [text, category, online medium or null]
    [
      'Man rang claiming to be from Amazon about a refund, got me to install an app so he could help, then £2,000 went from my Lloyds account.',
      'tech-support-fraud',
      'remote-access',
    ],
    [
      'Clicked a link in a text from "the bank", then a man rang and I read out the code he asked for. £900 gone from my account.',
      'card-account-fraud',
      'messaging',
    ],
    [
      'I was selling a bike on Marketplace and the buyer sent a link to "receive" the money, I put my card details in and £400 left my account.',
      'card-account-fraud',
      'online-marketplace',
    ],
    [
      'Our finance team had an email from what looked like our supplier, new bank details on the invoice, paid £6,000. Supplier never received it.',
      'business-email-compromise',
      'email',
    ],
    [
      "Keep getting verification codes by text that I didn't request, I think someone is trying to log into my accounts. Nothing has been accessed.",
      'phishing-attempt',
      'computer-misuse',
    ],
    [
      'Had an email from the leisure centre saying they had a cyber attack and my details may have been exposed.',
      'other',
      'computer-misuse',
    ],
    [
      'The office switchboard made hundreds of calls to international numbers over the weekend, bill of £5,000.',
      'hacking-pbx',
      'computer-misuse',
    ],
    [
      'Caller reports her elderly dad had two men at the door claiming to be from the water board who charged him £900 for a check.',
      'other',
      null,
    ],
    [
      'My ex keeps logging into the smart heating app to turn it off at night to scare me.',
      'online-harassment',
      'computer-misuse',
    ],
    [
      'My tablet was locked with a message saying the police found illegal files and I must pay a fine to unlock it.',
      'hacking-extortion',
      'computer-misuse',
    ],
  ];

  it.each(cases)('%s', (text, category, medium) => {
    const c = classify({ text });
    expect(c.category).toBe(category);
    expect(c.online.medium).toBe(medium);
  });

  // Since the narrative model learned from dev14 and dev15 (docs/classification.md, "Two more blind development
  // sets"), this one reads as offline: its words "on the tube" weigh for the many offline stories told on public
  // transport. It is then doubtful enough to go to a person (the default review threshold is 0.9), never counted
  // unseen as no crime.
  it('sends cyber-flashing by AirDrop that it reads as offline to review rather than counting it unseen', () => {
    const c = classify({ text: 'A stranger airdropped me an explicit photo on the tube.' });
    if (c.category === 'online-harassment') expect(c.online.medium).toBe('messaging');
    else expect(c.confidence).toBeLessThan(0.9);
    expect(c.reasons.join(' ')).toContain('unsolicited sexual images');
  });

  it('is not moved online by looking up an offender, unanswered texts or a refused caller', () => {
    for (const text of [
      'A man sold me a fake watch at the market for cash, I found his Facebook afterwards.',
      'Builder took a £2,000 deposit in person and has stopped replying to my texts.',
      'A man called claiming to be from Microsoft and asked to access my computer. I refused and hung up.',
    ]) {
      const c = classify({ text });
      expect(c.online.medium, text).toBeNull();
    }
  });
});
