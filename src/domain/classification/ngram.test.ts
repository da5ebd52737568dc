import { describe, expect, it } from 'vitest';
import { classify, createClassifier } from './classify.ts';
import {
  explain,
  forEachFeature,
  loadModel,
  NGRAM_MODEL,
  narrativeModel,
  predictNgram,
  type NgramModelFile,
} from './ngram.ts';
import { normaliseWords } from './normalise-text.ts';
import { CATEGORIES, type Category } from './taxonomy.ts';
import MODEL_FILE from './ngram-model.json' with { type: 'json' };
import NARRATIVE_MODEL_FILE from './ngram-narrative-model.json' with { type: 'json' };

const CLASSES = Object.keys(CATEGORIES) as Category[];
const SHOP = CLASSES.indexOf('online-shopping-fraud');
const ONLINE = CLASSES.length;

/** A hand-made model: a few weights whose sums can be worked out by hand. */
const TOY: NgramModelFile = {
  version: 1,
  chars: true,
  classes: CLASSES,
  bias: CLASSES.map(() => 0).concat([0]),
  weights: {
    'w:ebay': [SHOP, 4, ONLINE, 3],
    'b:did not arrive': [SHOP, 2],
    'c:ebay': [SHOP, 1],
    'o:fraud': [SHOP, 0.5],
  },
};

/** The same sums from every feature's name, as the trainer sees them. */
function reference(words: string[], offence?: string): { shop: number; online: number } {
  const model = loadModel(TOY);
  const sums = new Float64Array(CLASSES.length + 1);
  let count = 0;
  forEachFeature(words, offence === undefined ? null : normaliseWords(offence), offence, true, (f) => {
    count++;
    const pairs = model.weights.get(f);
    if (pairs !== undefined)
      for (let k = 0; k < pairs.length; k += 2) {
        const c = pairs[k] ?? 0;
        sums[c] = (sums[c] ?? 0) + (pairs[k + 1] ?? 0);
      }
  });
  return { shop: (sums[SHOP] ?? 0) / Math.sqrt(count), online: (sums[ONLINE] ?? 0) / Math.sqrt(count) };
}

describe('the n-gram model', () => {
  it('scores as the trainer counts: every feature with repeats, scaled to unit length, with or without a cache', () => {
    const model = loadModel(TOY);
    // "didnt" becomes the two words "did not" in one token: the bigram with the next word must still be found.
    const words = normaliseWords('bought on ebay, it didnt arrive. ebay ignored me');
    expect(words).toContain('did not');
    const want = reference(words, 'Fraud by false representation');
    const cache = new Map<string, Float64Array>();
    for (const c of [undefined, cache, cache]) {
      const p = predictNgram(
        words,
        normaliseWords('Fraud by false representation'),
        'Fraud by false representation',
        model,
        c,
      );
      const logits = [...p.probabilities].map((q) => Math.log(q));
      // All other logits are 0, so the shopping logit is log(p_shop / p_other).
      expect((logits[SHOP] ?? 0) - (logits[0] ?? 0)).toBeCloseTo(want.shop, 10);
      expect(Math.log(p.online / (1 - p.online))).toBeCloseTo(want.online, 10);
      expect(p.category).toBe('online-shopping-fraud');
    }
  });

  it('explains a prediction by whole words: a word’s character n-grams count for the word', () => {
    const model = loadModel(TOY);
    const words = normaliseWords('I paid on ebay and it didnt arrive');
    expect(explain(words, null, undefined, 'online-shopping-fraud', model)).toEqual([
      'ebay',
      'did not arrive',
    ]);
    expect(explain(words, null, undefined, 'romance-fraud', model)).toEqual([]);
  });

  it('ships as a data file well under 1 MB', () => {
    expect(JSON.stringify(MODEL_FILE).length).toBeLessThan(700 * 1024);
    expect(NGRAM_MODEL.classes).toEqual(CLASSES);
    // The narratives' own model: words and word pairs only (chosen by leave-one-set-out).
    expect(JSON.stringify(NARRATIVE_MODEL_FILE).length).toBeLessThan(1024 * 1024);
    expect(narrativeModel().classes).toEqual(CLASSES);
    expect(narrativeModel().chars).toBe(false);
  });
});

describe('classify with the n-gram model weighed in', () => {
  const text =
    'IP clicked a link in a text claiming to be from her bank and typed her online banking log in on the page. Two payments then went to unknown payees, £2,100 in all.';
  const offence = 'Fraud by false representation';

  it('says when the model decided, with the words that decided it, and the rules alone do not', () => {
    const c = classify({ text, offence });
    expect(c.category).toBe('card-account-fraud');
    expect(c.cues).toEqual(['model:card-account-fraud']);
    expect(c.reasons[0]).toMatch(
      /^the n-gram model weighed more than the cues; the words that decided it: “/,
    );
    expect(c.reasons[0]).toMatch(/“banking”/);
    const rules = createClassifier({ model: null }).classify({ text, offence });
    expect(rules.cues.some((id) => id.startsWith('model:'))).toBe(false);
    expect(rules.category).not.toBe('card-account-fraud');
  });

  it('never overrules the reporter’s own category from the journey', () => {
    const c = classify({ text, offence, chosenCategory: 'romance-fraud' });
    expect(c.category).toBe('romance-fraud');
    expect(c.cues.some((id) => id.startsWith('model:'))).toBe(false);
  });

  it('never gives a category that needs an online element to a record without one', () => {
    const c = classify({
      text: 'IP paid a man at the door £200 for a puppy he said was from a breeder. Puppy sick, seller gone.',
      offence: 'Fraud by false representation',
    });
    expect(c.online.medium).toBeNull();
    expect([
      'other',
      'impersonation-fraud',
      'investment-fraud',
      'advance-fee-fraud',
      'card-account-fraud',
      'phishing-attempt',
    ]).toContain(c.category);
    expect(c.cyber).toBe('none');
  });

  it('reads narratives with the narrative model and force records with the force records’ model', () => {
    // A narrative model that reads "bank" as romance fraud: narratives follow it, force records never see it.
    const romance = CLASSES.indexOf('romance-fraud');
    const narrative = loadModel({ ...TOY, weights: { 'w:bank': [romance, 40] } });
    const classifier = createClassifier({ narrative });
    expect(classifier.classify({ text, offence })).toEqual(classify({ text, offence }));
    const c = classifier.classify({ text });
    expect(c.category).toBe('romance-fraud');
    expect(c.cues).toContain('model:romance-fraud');
    expect(c.reasons.find((r) => r.startsWith('the n-gram model weighed more'))).toMatch(/“bank”/);
    // A model given alone (cross-validation) serves narratives too: no shipped model is mixed in.
    const alone = createClassifier({ model: narrative }).classify({ text });
    expect(alone.category).toBe('romance-fraud');
  });

  it('gives the same answer from a classifier of many texts as from single calls', () => {
    const classifier = createClassifier();
    for (let i = 0; i < 3; i++) {
      expect(classifier.classify({ text, offence })).toEqual(classify({ text, offence }));
      expect(classifier.classify({ text })).toEqual(classify({ text }));
    }
  });

  it('answers the same for words with digits, which its memos do not keep (references, ages, amounts, times)', () => {
    const classifier = createClassifier();
    const texts = [
      'IP aged 84 paid £450 to a caller, ref CR/1234/25, at 14:30 told to buy gift cards',
      'Victim aged 12 sent pics on snapchat to user kid2009, threatened to share unless paid 50 quid',
      'IP REPORTS UNAUTH ACCESS TO FACEBOOK ACCT 2FA CODE 938271 GIVEN TO SUSP. LOSS 1200',
    ];
    for (let round = 0; round < 2; round++)
      for (const t of texts)
        expect(classifier.classify({ text: t, offence: 'FRAUD' })).toEqual(
          classify({ text: t, offence: 'FRAUD' }),
        );
  });
});
