// eslint-disable-next-line no-restricted-imports -- the test reads the labelled fixtures; classify itself does no I/O
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';
import { CATEGORIES, isCategory, type Category } from './taxonomy.ts';

describe('classify: rules of thumb', () => {
  it('ransomware with a demand is hacking-extortion, with the extortion flag', () => {
    const c = classify({ text: 'All our files are encrypted and a note demands 2 bitcoin to unlock them.' });
    expect(c.category).toBe('hacking-extortion');
    expect(c.extortion).toBe(true);
    expect(c.code).toBe('NFIB52E');
    expect(c.cyber).toBe('dependent');
  });

  it('a hacked account followed by a demand for payment is extortion, not the intrusion', () => {
    const c = classify({
      text: 'Someone hacked my Instagram and says I can have it back if I pay them £200.',
    });
    expect(c.category).toBe('hacking-extortion');
    expect(c.extortion).toBe(true);
  });

  it('a data theft with no demand stays hacking-server', () => {
    const c = classify({
      text: 'Our customer database was stolen and posted on a forum. No ransom demand received.',
    });
    expect(c.category).toBe('hacking-server');
    expect(c.extortion).toBe(false);
  });

  it('a DDoS with a ransom stays denial-of-service, with extortion and code NFIB51B', () => {
    const c = classify({
      text: 'Email said pay 1 BTC or they will DDoS our website, then the site was flooded with traffic.',
    });
    expect(c.category).toBe('denial-of-service');
    expect(c.extortion).toBe(true);
    expect(c.code).toBe('NFIB51B');
  });

  it('a DDoS without a demand is NFIB51A', () => {
    const c = classify({ text: 'Our online shop was knocked offline by a DDoS attack for three hours.' });
    expect(c.category).toBe('denial-of-service');
    expect(c.extortion).toBe(false);
    expect(c.code).toBe('NFIB51A');
  });

  it('phished and then the bank account drained: the loss path decides (card-account-fraud)', () => {
    const c = classify({
      text: 'I clicked a link in a text from my "bank" and entered my login. The next day £2,000 was taken from my account.',
    });
    expect(c.category).toBe('card-account-fraud');
  });

  it('threats or abuse that ask for nothing are harassment, not a suspicious message', () => {
    const c = classify({
      text: 'receiving threatening texts from an unknown number saying they will burn my house down with my kids in it',
    });
    expect(c.category).toBe('online-harassment');
    expect(c.cyber).toBe('enabled');
  });

  it('an online relationship with no money paid or asked for is not romance fraud', () => {
    const c = classify({
      text: 'A woman I have never met keeps messaging my husband on Facebook saying she is pregnant with his child and sending me screenshots.',
    });
    expect(c.category).not.toBe('romance-fraud');
  });

  it('an email or a message with a loss is not an attempt: the victim paid', () => {
    const c = classify({
      text: 'I paid a £300 "TV licence" bill after an email said my licence had run out and I would be prosecuted.',
    });
    expect(c.category).toBe('impersonation-fraud');
  });

  it('talked into moving money to a "safe account" is impersonation-fraud', () => {
    const c = classify({
      text: 'A man claiming to be from my bank fraud team told me to move my savings to a safe account. I transferred £6,000.',
    });
    expect(c.category).toBe('impersonation-fraud');
  });

  it('a child asked for sexual images is child-sexual-abuse, and vulnerable', () => {
    const c = classify({
      text: 'A man on Snapchat keeps asking my 13 year old daughter to send naked pictures.',
    });
    expect(c.category).toBe('child-sexual-abuse');
    expect(c.vulnerable).toBe(true);
    expect(c.reasons.join(' ')).toMatch(/child/);
  });

  it('a child at risk wins over sextortion when more images are demanded', () => {
    const c = classify({
      text: 'My son is 14, someone got him to send a naked photo and now says they will share it unless he sends more.',
    });
    expect(c.category).toBe('child-sexual-abuse');
    expect(c.extortion).toBe(false);
  });

  it('an adult threatened with intimate images for money is sextortion', () => {
    const c = classify({
      text: 'After a video call that turned sexual she says she recorded me and wants £500 or she will send it to my family.',
    });
    expect(c.category).toBe('sextortion');
    expect(c.extortion).toBe(true);
  });

  it('an unpaid "we recorded you on your webcam" email is only an attempt, though it demands payment', () => {
    const c = classify({
      text: 'Email says they hacked my webcam and will send a video to my contacts unless I pay $800 in bitcoin. I have not paid.',
    });
    expect(c.category).toBe('phishing-attempt');
    expect(c.extortion).toBe(true);
  });

  it('a suspicious text deleted with nothing clicked is phishing-attempt (intelligence only)', () => {
    const c = classify({
      text: 'Got a text saying my parcel is held and I must pay a fee. Did not click, deleted it.',
    });
    expect(c.category).toBe('phishing-attempt');
    expect(c.cyber).toBe('none');
    expect(c.code).toBe('INTEL');
  });

  it('threats of arrest inside an HMRC scam are part of the deception, not extortion', () => {
    const c = classify({
      text: 'Caller said he was from HMRC and I would be arrested unless I paid my tax bill. I paid £900 in vouchers.',
    });
    expect(c.category).toBe('impersonation-fraud');
    expect(c.extortion).toBe(false);
  });

  it('money into a fake trading platform is investment-fraud even with a romance hook', () => {
    const c = classify({
      text: 'I met a woman on a dating app who got me to open an account on her crypto trading platform. I deposited £9,000 and cannot withdraw.',
    });
    expect(c.category).toBe('investment-fraud');
  });

  it('fake support with remote access and money taken is tech-support-fraud', () => {
    const c = classify({
      text: 'A man from "Microsoft" rang, got me to install AnyDesk, took control of my laptop and I paid £300.',
    });
    expect(c.category).toBe('tech-support-fraud');
  });

  it('a changed-bank-details invoice paid by a business is business-email-compromise', () => {
    const c = classify({
      text: 'We paid a supplier invoice of £8,000 after an email said their bank details had changed. The supplier never sent it.',
    });
    expect(c.category).toBe('business-email-compromise');
  });

  it('non-cyber reports are other', () => {
    expect(classify({ text: 'My bike was stolen from outside the station.' }).category).toBe('other');
    expect(classify({ text: '' }).category).toBe('other');
  });
});

describe('classify: wording beyond the cue lists', () => {
  it('reads sextortion threats phrased as conditions ("if I don\u2019t pay", "or my colleagues get the pictures")', () => {
    for (const text of [
      'He says he will share my intimate photos with my husband if I don\u2019t transfer £300 to him.',
      'Met someone on an app, sent explicit photos, now he says pay £2k or my colleagues get the pictures.',
    ]) {
      const c = classify({ text });
      expect(c.category).toBe('sextortion');
      expect(c.extortion).toBe(true);
    }
  });

  it('card or bank account used after a phish or a read-out code is card-account-fraud, not hacking or impersonation', () => {
    expect(
      classify({ text: 'Someone hacked my online banking and made 3 transfers to different people.' })
        .category,
    ).toBe('card-account-fraud');
    expect(
      classify({
        text: 'A man rang claiming to be my bank, I read out the code they texted me and then £2,300 was transferred out of my account by them.',
      }).category,
    ).toBe('card-account-fraud');
  });

  it('other personal accounts taken over without card use are hacking-personal', () => {
    expect(
      classify({ text: 'My Epic Games account was breached and the two factor was turned off.' }).category,
    ).toBe('hacking-personal');
  });

  it('harassment described without the word "harassment" is still online-harassment', () => {
    expect(
      classify({
        text: 'I keep receiving unwanted sexual messages from a man at my gym via Instagram even though I have told him no.',
      }).category,
    ).toBe('online-harassment');
  });

  it('a fake support caller who "accessed my computer" is tech-support-fraud', () => {
    expect(
      classify({
        text: 'A warning came up with a phone number. I rang it, a man from Microsoft accessed my computer and I paid £249 for a licence.',
      }).category,
    ).toBe('tech-support-fraud');
  });

  it('civil disputes and a platform suspension stay other', () => {
    expect(
      classify({
        text: 'My parcel was delivered to the wrong house and the neighbour won\u2019t give it back.',
      }).category,
    ).toBe('other');
    expect(
      classify({
        text: 'My Facebook account was suspended for breaching community standards and I can\u2019t get it back.',
      }).category,
    ).toBe('other');
  });
});

describe('classify: flags, answers and explanations', () => {
  it('the reporter’s chosen category wins with confidence 0.95', () => {
    const c = classify({ text: 'My bike was stolen.', chosenCategory: 'online-shopping-fraud' });
    expect(c.category).toBe('online-shopping-fraud');
    expect(c.confidence).toBe(0.95);
    expect(c.code).toBe(CATEGORIES['online-shopping-fraud'].code);
    expect(c.reasons[0]).toMatch(/chose/);
  });

  it('flags a victim aged 84 as vulnerable', () => {
    const c = classify({
      text: 'My mum, aged 84, paid £300 for a mobility scooter online that never arrived.',
    });
    expect(c.category).toBe('online-shopping-fraud');
    expect(c.vulnerable).toBe(true);
    expect(c.reasons.join(' ')).toMatch(/aged 84/);
  });

  it('reads other ways of giving an age, and the journey’s vulnerability answers', () => {
    expect(classify({ text: 'IP (79) received a call from a man claiming to be police.' }).vulnerable).toBe(
      true,
    );
    expect(classify({ text: 'I am 67 and paid for a sofa online that never came.' }).vulnerable).toBe(false);
    expect(
      classify({ text: 'Paid for a sofa online, never came.', vulnerability: ['over-70'] }).vulnerable,
    ).toBe(true);
    expect(
      classify({ text: 'Paid for a sofa online, never came.', vulnerability: ['none'] }).vulnerable,
    ).toBe(false);
  });

  it('flags disability, mental ill-health and repeat victims as vulnerable', () => {
    expect(
      classify({ text: 'I have learning difficulties and sent £200 to a fake seller.' }).vulnerable,
    ).toBe(true);
    expect(classify({ text: 'This is the third time my Facebook has been hacked.' }).vulnerable).toBe(true);
    expect(classify({ text: 'Account disabled after a suspicious login to our CRM.' }).vulnerable).toBe(
      false,
    );
  });

  it('always gives short plain-English reasons quoting the words that decided it', () => {
    const c = classify({ text: 'someone hacked my facebook and changed the password' });
    expect(c.reasons.length).toBeGreaterThan(0);
    expect(c.reasons.join(' ')).toMatch(/hacked my facebook/);
    expect(classify({ text: 'hello' }).reasons.length).toBeGreaterThan(0);
  });

  it('is least confident when nothing matched, and less confident when two categories compete', () => {
    // Nothing to go on: the calibrated floor for narratives, well below any clearly matched report.
    const floor = classify({ text: '' }).confidence;
    for (const text of ['hello', 'something happened online'])
      expect(classify({ text }).confidence, text).toBe(floor);
    const clear = classify({ text: 'I paid £40 on eBay, never arrived' });
    const mixed = classify({ text: 'I paid £40 on eBay, never arrived, and someone hacked my facebook' });
    expect(mixed.category).toBe(clear.category);
    // Calibration pools neighbouring raw values (monotone, maybe equal), so the strict order shows in the raw one.
    expect(clear.confidence).toBeGreaterThanOrEqual(mixed.confidence);
    expect(clear.rawConfidence ?? 0).toBeGreaterThan(mixed.rawConfidence ?? 1);
    expect(mixed.confidence).toBeGreaterThanOrEqual(floor);
    expect(mixed.rawConfidence).toBeGreaterThan(classify({ text: '' }).rawConfidence ?? 1);
  });

  it('is deterministic: the same input gives the same output, in any order', () => {
    const texts = [
      'my paypal was hacked and someone bought £600 of stuff',
      'IP REPORTS UNAUTH ACCESS TO EMAIL ACCT. SUSP UNKNOWN. NO LOSS.',
      'hi mum new number, can you pay this bill for me',
    ];
    const first = texts.map((text) => classify({ text }));
    const again = [...texts].reverse().map((text) => classify({ text }));
    expect(again.reverse()).toEqual(first);
    expect(classify({ text: texts[0] ?? '' })).toEqual(first[0]);
  });

  it('corrects common misspellings and reads text-speak', () => {
    expect(classify({ text: 'sum1 hacked my facebok and changed my pasword' }).category).toBe(
      'hacking-social-email',
    );
    expect(
      classify({ text: 'paid £80 on paypall for tickets, never recieved them, seller blocked me' }).category,
    ).toBe('online-shopping-fraud');
  });

  it('reads call-handler shorthand and legacy summaries in capitals', () => {
    expect(
      classify({ text: 'IP STATES PAID £450 FOR PUPPY ON GUMTREE. NEVER ARRIVED. SUSP UNCONTACTABLE.' })
        .category,
    ).toBe('online-shopping-fraud');
    expect(classify({ text: 'HI MUM SCAM. IP PAID £900 VIA BT TO ACCT PROVIDED BY SUSP.' }).category).toBe(
      'impersonation-fraud',
    );
    expect(
      classify({ text: 'PBX DIAL-THROUGH FRAUD. CALLS TO PREMIUM RATE NUMBERS OVERNIGHT.' }).category,
    ).toBe('hacking-pbx');
  });

  it('reads short reports in Welsh', () => {
    expect(classify({ text: 'Mae rhywun wedi hacio fy nghyfrif Facebook.' }).category).toBe(
      'hacking-social-email',
    );
    expect(
      classify({ text: 'Ces i neges destun am barsel. Wnes i ddim clicio ar y ddolen, dim ond ei dileu.' })
        .category,
    ).toBe('phishing-attempt');
  });

  it('copes with odd input', () => {
    expect(classify({ text: 'constructor toString __proto__ hasOwnProperty' }).category).toBe('other');
    expect(classify({ text: '£££ ??? 🙂 '.repeat(5000) }).category).toBe('other');
  });
});

interface Labelled {
  id: string;
  text: string;
  category: Category;
  extortion: boolean;
  vulnerable: boolean;
}

function load(name: 'dev' | 'dev2' | 'test'): Labelled[] {
  const raw = readFileSync(
    new URL(`../../../test/fixtures/classification/${name}.jsonl`, import.meta.url),
    'utf8',
  );
  return raw
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Labelled);
}

function measure(rows: readonly Labelled[]): {
  accuracy: number;
  extortion: number;
  vulnerable: number;
  perCategory: Record<string, string>;
} {
  const per = new Map<string, { n: number; ok: number }>();
  let ok = 0;
  let extortion = 0;
  let vulnerable = 0;
  for (const row of rows) {
    expect(isCategory(row.category)).toBe(true);
    const c = classify({ text: row.text });
    const p = per.get(row.category) ?? { n: 0, ok: 0 };
    p.n++;
    if (c.category === row.category) {
      ok++;
      p.ok++;
    }
    per.set(row.category, p);
    if (c.extortion === row.extortion) extortion++;
    if (c.vulnerable === row.vulnerable) vulnerable++;
  }
  const pct = (a: number, b: number): number => Math.round((1000 * a) / b) / 10;
  return {
    accuracy: pct(ok, rows.length),
    extortion: pct(extortion, rows.length),
    vulnerable: pct(vulnerable, rows.length),
    perCategory: Object.fromEntries(
      [...per].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, `${pct(v.ok, v.n)}% of ${v.n}`]),
    ),
  };
}

// Regression guards, from the accuracy measured when this classifier was last finished. Dev and dev2 are what the
// cues were written against, so they scored near 100% until issue 17: their labels predate the online-element
// rule, so narratives with no online element that they label as a cyber category (a stolen card used contactless,
// a phone-system hijack described with no digital word) now count as misses (dev2 93.3%: guard 92). The held-out
// test set (measured once per round and never tuned against; guard: its accuracy minus 1 point, rounded down)
// and the online-labelled sets (test/classification/accuracy.test.ts) are the honest measures. Since the n-gram
// model (trained on the development sets) is weighed with the rules, test was at 79.0%; after the second online-
// labelled development set (reports-online-dev2) it is at 82.5%.
const DEV_MIN = 95;
const DEV2_MIN = 92;
const TEST_MIN = 81;

describe('classify: accuracy on the labelled sets', () => {
  it.each([
    ['dev', DEV_MIN],
    ['dev2', DEV2_MIN],
    ['test', TEST_MIN],
  ] as const)('%s accuracy stays at or above %i%%', (name, minimum) => {
    const result = measure(load(name));
    console.info(
      `${name}: accuracy ${result.accuracy}% (extortion flag ${result.extortion}%, vulnerable flag ${result.vulnerable}%)`,
      result.perCategory,
    );
    expect(result.accuracy).toBeGreaterThanOrEqual(minimum);
  });
});
