import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';
import { CATEGORY_CUES } from './category-cues.ts';
import { ONLINE_CUES, offenceRule } from './online-cues.ts';

describe('classify, step 1: the online element decides before the category', () => {
  /** The ids of the evidence step 1 kept for a text. */
  const ids = (text: string) => classify({ text }).online.evidence.map((e) => e.id);

  it('offline crimes are other, whatever their keywords', () => {
    for (const [offence, text] of [
      ['Threats to kill', 'DA. Ex partner shouted he would kill IP and burn the house down. DASH high.'],
      ['Burglary – residential', 'House entered, safe with investment certificates and gold coins taken.'],
      ['Sexual assault on a female aged 13 and over', 'IP touched by a male on the bus. CCTV requested.'],
      ['Assault with injury', 'Road rage, susp punched IP through car window. VRM on PNC.'],
    ] as const) {
      const c = classify({ text, offence });
      expect(c.online.medium, text).toBeNull();
      expect(c.category, text).toBe('other');
      expect(c.cyber, text).toBe('none');
    }
  });

  it("does not take the victim's own banking, used on a caller's instructions, for the online element", () => {
    for (const text of [
      'V received call from male stating he was Met Police fraud squad. V instructed to transfer £2,200 via her own banking app to a holding account. No texts, links or apps installed.',
      'Man rang saying he was from BT. He told me to log in to my online banking and send back the £2,000 refund.',
      'The caller said to move my savings to a safe account using my banking app, so I moved £4,000 through my online banking.',
    ]) {
      expect(ids(text), text).not.toContain('app');
      expect(ids(text), text).not.toContain('hacking');
    }
    // Someone else in the account, or another medium in the same sentence, still counts.
    expect(ids('Someone logged into my online banking and sent £900 to an account I do not know.')).toContain(
      'hacking',
    );
    const facebook = classify({
      text: 'I paid the seller on Facebook using my banking app and nothing came.',
    });
    expect(facebook.online.medium).toBe('social-media');
    expect(ids('The bank told me someone sent money from my online banking last night.')).toContain('app');
  });

  it('does not count a hack the report explains away, asks about, or denies', () => {
    for (const text of [
      'Wi-Fi dropped every evening and I thought the neighbours were hacking in. BT sent an engineer and he replaced the hub, said it was faulty.',
      'I was sure my laptop had a virus, it kept restarting. The repair shop said it was the battery.',
      'Can smart meters be hacked? Mine has been showing much higher usage.',
      'Recorded message about an Amazon order, pressed 1, and the man told me to move £2,600. He never asked to get on my computer.',
    ]) {
      // Neither step 1's cues nor the category cues that count as evidence (remote control, a device accessed).
      expect(
        ids(text).filter((id) => /hacking|remote|malware|accessed/.test(id)),
        text,
      ).toEqual([]);
    }
    // Where the hack was real, it still counts.
    expect(
      ids(
        'I thought I was being paranoid but it turned out I had been hacked: someone logged into my email.',
      ),
    ).toContain('hacking');
    expect(ids('The caller got onto my computer with AnyDesk and moved the mouse.')).toContain('remote');
  });

  it('names the medium and the words that showed it', () => {
    const c = classify({
      text: 'My ex keeps sending me threatening messages on Facebook saying he will kill me.',
    });
    expect(c.online.medium).toBe('social-media');
    expect(c.online.evidence).toContainEqual({ id: 'social', words: 'facebook' });
    expect(c.category).toBe('online-harassment');
    expect(c.cyber).toBe('enabled');
  });

  it('reads the offence name as evidence both ways', () => {
    const cma = classify({
      text: 'EX PARTNER ACCESSED VIC EMAIL WITHOUT PERMISSION. DA.',
      offence: 'CMA S1',
    });
    expect(cma.online.media).toContain('computer-misuse');
    expect(cma.online.evidence.map((e) => e.id)).toContain('offence-cma');
    const harassment = classify({ text: 'Susp sent IP abusive texts all night.', offence: 'harrasment' });
    expect(harassment.category).toBe('online-harassment');
    expect(harassment.online.medium).toBe('messaging');
    expect(offenceRule('Burglery residential')?.kind).toBe('contact');
    expect(offenceRule('FRAUD BY FALSE REP')?.kind).toBe('fraud');
    expect(offenceRule('')).toBeNull();
  });

  it('is not fooled by "hacked off", a stolen phone tracked on Find My or a caller saying an account is hacked', () => {
    expect(
      classify({ text: 'IP hacked off with the shop after a refund was refused.', offence: 'Theft – other' })
        .online.medium,
    ).toBeNull();
    expect(
      classify({
        text: 'IP phone snatched, tracked via Find My to an address.',
        offence: 'Theft from the person',
      }).online.medium,
    ).toBeNull();
    const call = classify({
      text: 'Susp rang IP saying her account was compromised and to move savings to a safe account. IP transferred £5,000 in branch.',
      offence: 'Fraud by false representation',
    });
    expect(call.online.medium).toBeNull();
    expect(call.category).toBe('impersonation-fraud');
    expect(call.cyber).toBe('none');
  });

  it('keeps the deception frauds the taxonomy counts without an online element, and doorstep crime out', () => {
    expect(
      classify({
        text: 'A man rang claiming to be from HMRC, I paid £900 in vouchers and read the codes out.',
      }).category,
    ).toBe('impersonation-fraud');
    expect(
      classify({
        text: 'Two men knocked at the door claiming to be from the council, took £300 cash for a survey.',
      }).category,
    ).toBe('other');
    expect(
      classify({ text: 'My purse was stolen and the card used contactless in three shops.' }).category,
    ).toBe('other');
    expect(classify({ text: 'Card skimmed at a cash machine, cloned and used abroad.' }).category).toBe(
      'card-account-fraud',
    );
  });

  it('the reporter’s own answers still win: their category, and how they were contacted', () => {
    const c = classify({ text: 'My bike was stolen.', chosenCategory: 'online-shopping-fraud' });
    expect(c.category).toBe('online-shopping-fraud');
    expect(c.confidence).toBe(0.95);
    const text = 'He said he loved me and needed £2,000 for a flight to come and see me. I sent it.';
    expect(classify({ text }).online.medium).toBeNull();
    const answered = classify({ text, answeredMedium: 'website-app' });
    expect(answered.online.medium).toBe('website-app');
    expect(answered.online.evidence[0]?.id).toBe('reporter-answer');
    expect(answered.category).toBe('romance-fraud');
    expect(answered.cyber).toBe('enabled');
  });

  it('a caller’s claims about a computer, a card or the internet are not an online element', () => {
    const viruses = classify({
      text: 'Caller told my dad that his computer was sending out viruses and he had to pay £250 by card to stop it. Nobody went on the computer.',
      offence: 'Fraud by false representation',
    });
    expect(viruses.online.medium).toBeNull();
    expect(viruses.online.evidence.map((e) => e.id)).not.toContain('malware.malicious-software');
    expect(viruses.cyber).toBe('none');
    const line = classify({
      text: 'A man rang saying he was from Openreach and my internet would be cut off tonight unless I pressed 1. I hung up.',
    });
    expect(line.online.medium).toBeNull();
    expect(line.category).toBe('phishing-attempt');
    const card = classify({
      text: 'I got a call from a man saying he was from Visa and my card had been used in Leeds. He wanted the three numbers on the back. I refused.',
    });
    expect(card.category).toBe('phishing-attempt');
  });

  it('a digital cue’s evidence quotes the words it matched', () => {
    const c = classify({ text: 'My laptop has a trojan on it since I opened an attachment.' });
    expect(c.online.evidence).toContainEqual({ id: 'malware.malicious-software', words: 'trojan' });
  });

  it('explains the category by cue ids, and every cue id is unique', () => {
    const c = classify({ text: 'All our files are encrypted and a note demands 2 bitcoin to unlock them.' });
    expect(c.cues).toContain('hacking-extortion.ransomware');
    const ids = [...Object.values(CATEGORY_CUES).flat(), ...ONLINE_CUES].map((cue) => cue.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
