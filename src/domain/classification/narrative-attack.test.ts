import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classify, createClassifier, type Classification } from './classify.ts';
import { explain, loadModel } from './ngram.ts';
import { memorable, normaliseWords } from './normalise-text.ts';
import { CATEGORIES, type Category } from './taxonomy.ts';

// Adversarial review of the narrative model (input with no offence name): odd input, explanations, and force
// records never loading it.

const ODD: Record<string, string> = {
  empty: '',
  whitespace: ' \n\t\r  ',
  big: 'I bought a phone on facebook marketplace and paid by bank transfer but it never arrived. '
    .repeat(2300)
    .slice(0, 200_000),
  repeated: 'scam '.repeat(20_000),
  repeatedBank: 'bank '.repeat(20_000),
  emoji: '😡😡😡 💸💸 🙏 someone 🤬 took my money 💰 on instagram 📸',
  control: 'he\u0000 hacked\u0007 my\u001b[31m email\r\n account\u200b\u202e now',
  nul: '\u0000'.repeat(1000),
  loneSurrogates: '\ud800\udc00\ud800 broken \udfff surrogates here now ok',
  arabic: 'لقد تم اختراق حسابي على الفيسبوك وطلبوا مني المال',
  hebrew: 'מישהו פרץ לחשבון שלי',
  welsh: "Mae rhywun wedi hacio fy nghyfrif e-bost ac wedi anfon negeseuon i'm ffrindiau yn gofyn am arian",
  url: 'https://www.example.com/login?id=12345&token=abcdef',
  numbers: '12345 67890 11111 22222 33333 44444',
  numbersAndAmounts: '07700 900123 £500 12/03/2025 10:30 4444',
  oneLongWord: 'a'.repeat(100_000),
  // Texts of a word or two whose cue the model overruled by its base rates alone (the reason named no word).
  twoWords: 'seems fine.',
  customs: 'customs fees.',
  oneWord: 'prosecuted.',
};

const rulesAlone = createClassifier({ model: null });

function expectValid(c: Classification): void {
  expect(Object.keys(CATEGORIES)).toContain(c.category);
  expect(['none', 'enabled', 'dependent']).toContain(c.cyber);
  expect(c.confidence).toBeGreaterThanOrEqual(0);
  expect(c.confidence).toBeLessThanOrEqual(1);
  expect(c.reasons.length).toBeGreaterThan(0);
  for (const reason of c.reasons) expect(reason.trim()).not.toBe('');
}

/** Every explanation of the model's and the hinges' names something, and only words of this text. */
function expectExplained(text: string, c: Classification): void {
  const rules = rulesAlone.classify({ text });
  const words = normaliseWords(text).filter((w) => w !== '.');
  if (c.category !== rules.category) expect(c.cues).toContain(`model:${c.category}`);
  if ((c.online.medium === null) !== (rules.online.medium === null))
    expect(c.cues.some((cue) => cue === 'model:online' || cue === 'model:offline')).toBe(true);
  const modelCue = c.cues.find((cue) => cue.startsWith('model:') && cue.slice(6) in CATEGORIES);
  const said = c.reasons.find((r) => r.startsWith('the n-gram model weighed more than the cues'));
  if (modelCue !== undefined) {
    // The model is named as deciding only where the answer is not the rules' own.
    expect(c.category).not.toBe(rules.category);
    expect(said).toBeDefined();
    // Words are named (or, where none decided it, the few words the base rates outweighed).
    expect(said).toMatch(/“[^”]+”/);
    for (const [, quoted] of said?.matchAll(/“([^”]+)”/g) ?? [])
      for (const word of quoted?.split(' ') ?? []) expect(words).toContain(word);
  } else expect(said).toBeUndefined();
  for (const hinge of ['model:online', 'model:offline', 'model:crime', 'model:no-crime'])
    if (c.cues.includes(hinge)) {
      const reason = c.reasons.find((r) => r.startsWith('the cyber-flag model found'));
      expect(reason).toMatch(/what decided it: [^)]+\)/);
    }
}

describe('the narrative model, attacked with odd input', () => {
  const classifier = createClassifier();
  for (const [name, text] of Object.entries(ODD))
    it(`answers ${name} validly, quickly and explained, alone and in a classifier of many texts`, () => {
      let started = performance.now();
      const single = classify({ text });
      expect(performance.now() - started).toBeLessThan(1000);
      started = performance.now();
      const many = classifier.classify({ text });
      expect(performance.now() - started).toBeLessThan(1000);
      expectValid(single);
      expectExplained(text, single);
      expect(many).toEqual(single);
    });

  it('names the words of the text, never a word from elsewhere, wherever the model decided', () => {
    const texts = [
      'my nan got a call from someone saying they were from her bank and she moved 4000 to a safe account',
      'bought a ps5 off marketplace sent the money by bank transfer and he blocked me',
      'got an email saying my netflix was suspended, clicked it and put my card in, then 3 payments came out',
      'someone keeps sending me messages on instagram threatening to share pictures unless i pay',
      'He turned up at my door and I paid cash for the car, the logbook was fake',
      'I met a man on a dating site, he asked for money for his flight, I sent £2000',
      'scam scam scam scam scam scam',
      'bank bank bank bank bank bank bank',
    ];
    for (const text of texts) {
      const c = classify({ text });
      expectValid(c);
      expectExplained(text, c);
    }
  });

  it('does not say the model decided where the hinges turned its blend back to the rules’ category', () => {
    // The rules read these as a crime; the blend as none; the hinges found a crime, and the rules' category again.
    // (A bare URL and an unpaid "offering" were such texts until the hinges read phrase families and a stricter
    // crime threshold; a fingerprint added to unlock a phone and a paid Instagram "investment manager" until the
    // models learned from dev16 and dev17: the texts change as the models learn, the path is what is pinned.)
    for (const text of [
      'Antivirus quarantined Emotet and we isolated the machine.',
      'A woman contacted me on Facebook and said she could get my stolen crypto back for a fee.',
    ]) {
      const c = classify({ text });
      const rules = rulesAlone.classify({ text });
      expect(c.category).toBe(rules.category);
      expect(c.cues).toContain('model:crime');
      expect(c.cues).not.toContain(`model:${c.category}`);
      expect(c.reasons.some((r) => r.startsWith('the n-gram model weighed more'))).toBe(false);
    }
  });

  it('names the words that weighed for the category over the overruled one where none weighed for it outright', () => {
    const classes = Object.keys(CATEGORIES) as Category[];
    const [shop, other] = [classes.indexOf('online-shopping-fraud'), classes.indexOf('other')];
    const model = loadModel({
      version: 1,
      chars: false,
      classes,
      bias: classes.map(() => 0).concat([0]),
      weights: { 'w:fine': [other, -1, shop, -3], 'w:seems': [other, -1] },
    });
    const words = normaliseWords('seems fine.');
    expect(explain(words, null, undefined, 'other', model)).toEqual([]);
    expect(explain(words, null, undefined, 'other', model, 3, 'online-shopping-fraud')).toEqual(['fine']);
  });

  it('a cued text of two words overruled by the base rates says so and names its words', () => {
    // ("seems fine." was such a text until the models learned from dev16 and dev17.)
    const c = classify({ text: 'looks fine.' });
    expect(c.cues).toEqual(['model:other']);
    expect(c.reasons[0]).toBe(
      'the n-gram model weighed more than the cues; no word decided it: its base rates for Other outweighed too few words (“looks fine”)',
    );
  });
});

describe('a classifier kept between reports (the intake keeps one)', () => {
  it('remembers no word longer than a real one, so huge distinct words cannot fill its memo', () => {
    expect(memorable('phishing')).toBe(true);
    expect(memorable('x'.repeat(40))).toBe(true);
    expect(memorable('x'.repeat(41))).toBe(false);
    expect(memorable(`ŵ${'y'.repeat(5000)}`)).toBe(false);
  });

  it('answers reports of huge distinct words, then ordinary ones, as classify() answers each', () => {
    const kept = createClassifier();
    const texts = [
      ...Array.from(
        { length: 30 },
        (_, i) => `${String.fromCharCode(97 + (i % 26)).repeat(3000 + i)} hacked`,
      ),
      'Paid for a car advertised online that did not exist. The seller stopped answering.',
      'Someone hacked my Instagram and is messaging my friends asking for money.',
    ];
    for (const text of texts) expect(kept.classify({ text })).toEqual(classify({ text }));
  });
});

describe('force records and the narrative model', () => {
  it('a process classifying force records only never loads the narrative model; a narrative loads it', () => {
    // A fresh process (the model is read once per process): the JSON file's presence in the require cache shows
    // whether narrativeModel() read it.
    const classifyUrl = new URL('./classify.ts', import.meta.url).href;
    const script = `
      import { createRequire } from 'node:module';
      const { classify, createClassifier } = await import(${JSON.stringify(classifyUrl)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.endsWith('ngram-narrative-model.json'));
      const out = [];
      const records = [
        { text: 'Victim reports account hacked and messages sent to contacts', offence: 'Computer Misuse Act 1990 s.1' },
        { text: 'scam', offence: 'Fraud by false representation' },
        { text: '', offence: 'Theft from the person' },
        { text: 'seems fine.', offence: 'Blackmail' },
      ];
      for (const r of records) classify(r);
      const c = createClassifier();
      for (const r of records) c.classify(r);
      out.push(loaded());
      classify({ text: 'I bought a phone on marketplace and it never came' });
      out.push(loaded());
      console.log(JSON.stringify(out));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual([false, true]);
  });
});
