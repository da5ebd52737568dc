/**
 * The cyber flag's two hinges, learned: a small logistic model for "is there an online element?" and one for
 * "with one, is it a crime with a victim (enabled or dependent) rather than an attempt or something else (none)?",
 * stacked on the rules and the n-gram model. Their inputs are two dozen interpretable features (the rules' step-1
 * score, media and evidence against, the rules' category, the n-gram model's probabilities, a few phrase families),
 * so a decision can name the features that carried it. Trained by test/classification/train-cyber.ts on the rules' answers **at first
 * sight** on the blind development sets (the rules as they stood before each set was tuned on) with n-gram
 * probabilities from a model trained without that set: the rules' behaviour on wording they have not seen, as on a
 * new report. Shipped as cyber-model.json. Pure: the weights are read once and never changed.
 */
import type { Category } from './taxonomy.ts';
import { CATEGORIES } from './taxonomy.ts';
import { FRAUDS } from './category-groups.ts';
import MODEL_FILE from './cyber-model.json' with { type: 'json' };

/** What the stacked hinges read: the rules' answer and the n-gram model's probabilities. */
export interface CyberInputs {
  /** The rules' category (after step 2, before the blend). */
  rulesCategory: Category;
  /** Whether the rules found an online element. */
  rulesOnline: boolean;
  /** The rules' step-1 evidence: each item's medium (null: evidence against) and weight. */
  evidence: readonly { medium: string | null; weight: number }[];
  /** The rules' raw confidence. */
  raw: number;
  /** Whether the rules' category came from matched cues (false: nothing matched). */
  cued: boolean;
  /** A force record (with an offence name). */
  record: boolean;
  /** The rules' category cues say nothing was lost or paid (phishing-attempt.nothing-lost). */
  nothingLost: boolean;
  /** The n-gram model's category probabilities, in `classes` order, and its online probability. */
  classes: readonly Category[];
  probabilities: ArrayLike<number>;
  ngramOnline: number;
  /** The normalised words, joined by spaces (the phrase families below read them). */
  text: string;
}

/**
 * Phrase families the hinges read beside the rules and the n-gram model (docs/classification.md, "The cyber flag at
 * the hinges"): general wording for contact with no online element, an online element denied, nothing lost, a loss,
 * and an account or device used. Each is one feature (matched or not), so a reason can name it.
 */
export const PHRASE_FAMILIES = {
  'words:in-person':
    /\b(?:in person|face to face|turned up|turning up|came (?:up )?to|came round|at (?:my|her|his|the|our) (?:door|work|house|home|address)|on the door|in the street|in the queue|in the shop|in the pub|followed|shouting|shouted|screaming|attended)\b/i,
  'words:voice-call':
    /\b(?:rang|phoned|phone call|called me|called her|called him|calls|on the phone|over the phone|house phone|landline|voicemail|cold call\w*)\b/i,
  'words:post': /\b(?:letter|letters|by post|in the post|leaflet|flyer|posted through)\b/i,
  'words:no-online-contact':
    /\b(?:never|not|no|nothing|has not|have not|did not|hasn t|didn t) (?:\w+ ){0,2}(?:messaged|message|messages|contacted|online|emailed|texted|posted)\b/i,
  'words:nothing-lost':
    /\b(?:nothing (?:lost|taken|sent|paid|gone)|no money|not a penny|did not (?:send|pay|lose|click|open|give|reply)|never (?:sent|paid|clicked|replied)|refused|ignored it|deleted it|no (?:money|item|harm)|didn t (?:send|pay))\b/i,
  'words:loss':
    /\b(?:money|gone|taken|lost|stolen|paid|payments?|transferred|debited|withdrawn|charged|emptied|drained)\b/i,
  'words:access':
    /\b(?:logged (?:in|into|out)|locked out|booted|password|login|hacked|access\w*|account (?:was |has been )?(?:taken|used)|changed (?:the|my) (?:email|password|details))\b/i,
} as const satisfies Record<string, RegExp>;
type Family = keyof typeof PHRASE_FAMILIES;
const FAMILIES = Object.keys(PHRASE_FAMILIES) as Family[];

/** Feature names, in weight order (the reasons quote them). */
export const FEATURES = [
  'bias',
  'rules:online',
  'rules:score',
  'rules:media',
  'rules:against',
  'rules:strong-medium',
  'rules:other',
  'rules:phishing',
  'rules:fraud',
  'rules:dependent',
  'rules:raw',
  'rules:no-cue',
  'ngram:online',
  'ngram:other',
  'ngram:phishing',
  'ngram:dependent',
  'ngram:fraud',
  'record',
  'rules:nothing-lost',
  'words:in-person',
  'words:voice-call',
  'words:post',
  'words:no-online-contact',
  'words:nothing-lost',
  'words:loss',
  'words:access',
] as const;
export type Feature = (typeof FEATURES)[number];

/** The step-1 score as decideOnline() sums it: each medium once at its strongest, evidence against added. */
function step1(evidence: CyberInputs['evidence']): {
  score: number;
  media: number;
  against: number;
  strong: number;
} {
  let against = 0;
  let score = 0;
  let media = 0;
  let strong = 0;
  // No map: a record has a handful of evidence items; each medium counts at its first item, with the strongest weight.
  for (let i = 0; i < evidence.length; i++) {
    const e = evidence[i] as CyberInputs['evidence'][number];
    if (e.medium === null || e.weight <= 0) {
      score += e.weight;
      if (e.weight < 0) against -= e.weight;
      continue;
    }
    let seen = false;
    for (let j = 0; j < i && !seen; j++) {
      const f = evidence[j] as CyberInputs['evidence'][number];
      seen = f.medium === e.medium && f.weight > 0;
    }
    if (seen) continue;
    let best = e.weight;
    for (let j = i + 1; j < evidence.length; j++) {
      const f = evidence[j] as CyberInputs['evidence'][number];
      if (f.medium === e.medium && f.weight > best) best = f.weight;
    }
    score += best;
    media++;
    strong = Math.max(strong, best);
  }
  return { score, media, against, strong };
}

/** The features of one record, in FEATURES order (each roughly within [−2, 2]). */
export function cyberFeatures(
  x: CyberInputs,
  into: Float64Array = new Float64Array(FEATURES.length),
): Float64Array {
  const s = step1(x.evidence);
  let other = 0;
  let phishing = 0;
  let dependent = 0;
  let fraud = 0;
  for (let i = 0; i < x.classes.length; i++) {
    const c = x.classes[i] as Category;
    const p = x.probabilities[i] ?? 0;
    if (c === 'other') other += p;
    else if (c === 'phishing-attempt') phishing += p;
    else if (CATEGORIES[c].cyber === 'dependent') dependent += p;
    else if (FRAUDS.has(c)) fraud += p;
  }
  const online = Math.min(0.999, Math.max(0.001, x.ngramOnline));
  const c = x.rulesCategory;
  into[0] = 1;
  into[1] = x.rulesOnline ? 1 : 0;
  into[2] = Math.max(-3, Math.min(8, s.score)) / 4;
  into[3] = Math.min(4, s.media) / 4;
  into[4] = Math.min(3, s.against) / 2;
  into[5] = s.strong >= 3 ? 1 : 0;
  into[6] = c === 'other' ? 1 : 0;
  into[7] = c === 'phishing-attempt' ? 1 : 0;
  into[8] = FRAUDS.has(c) ? 1 : 0;
  into[9] = CATEGORIES[c].cyber === 'dependent' ? 1 : 0;
  into[10] = x.raw;
  into[11] = x.cued ? 0 : 1;
  into[12] = Math.log(online / (1 - online)) / 4;
  into[13] = other;
  into[14] = phishing;
  into[15] = dependent;
  into[16] = fraud;
  into[17] = x.record ? 1 : 0;
  into[18] = x.nothingLost ? 1 : 0;
  for (let i = 0; i < FAMILIES.length; i++)
    into[19 + i] = PHRASE_FAMILIES[FAMILIES[i] as Family].test(x.text) ? 1 : 0;
  return into;
}

/** The shipped weights: one vector per hinge, in FEATURES order, and each hinge's threshold. */
export interface CyberModelFile {
  version: 2;
  features: string[];
  online: number[];
  crime: number[];
  /** A hinge says yes at or above its threshold (chosen by leave-one-set-out). */
  thresholds: { online: number; crime: number };
}

export interface CyberModel {
  online: Float64Array;
  crime: Float64Array;
  thresholds: { online: number; crime: number };
}

export function loadCyberModel(file: CyberModelFile): CyberModel {
  if (file.features.join() !== FEATURES.join()) throw new Error('cyber-model.json: features differ');
  return Object.freeze({
    online: Float64Array.from(file.online),
    crime: Float64Array.from(file.crime),
    thresholds: Object.freeze({ ...file.thresholds }),
  });
}

export const CYBER_MODEL: CyberModel = loadCyberModel(MODEL_FILE as CyberModelFile);

/** The probability a hinge's logistic model gives. */
export function hinge(weights: Float64Array, features: Float64Array): number {
  let z = 0;
  for (let i = 0; i < weights.length; i++) z += (weights[i] ?? 0) * (features[i] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** The features that pushed a hinge's decision most, strongest first (for the reasons). */
export function deciding(
  weights: Float64Array,
  features: Float64Array,
  towards: boolean,
  count = 2,
): Feature[] {
  const sign = towards ? 1 : -1;
  return FEATURES.map((name, i) => ({ name, v: sign * (weights[i] ?? 0) * (features[i] ?? 0) }))
    .filter((f) => f.name !== 'bias' && f.v > 0)
    .sort((a, b) => b.v - a.v || (a.name < b.name ? -1 : 1))
    .slice(0, count)
    .map((f) => f.name);
}

/** The blend's weight for the rules' category (classify.ts RULES_WEIGHT). */
const RULES_WEIGHT = 0.6;

/**
 * The category consistent with the decided hinges: the best blended score (rules' raw confidence for the rules'
 * category, the n-gram model's probability for all) among the categories whose flag agrees. With no online element,
 * `other` and the deception frauds that need none; with one and a crime, the categories flagged enabled or
 * dependent; with one and no crime, `other` and `phishing-attempt`.
 */
export function consistentCategory(
  classes: readonly Category[],
  probabilities: ArrayLike<number>,
  rulesCategory: Category,
  raw: number,
  online: boolean,
  crime: boolean,
  offlineAllowed: ReadonlySet<Category>,
  rulesWeight = RULES_WEIGHT,
): { category: Category; score: number } {
  let best: Category = 'other';
  let top = -1;
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as Category;
    const none = c === 'other' || c === 'phishing-attempt';
    const allowed = !online ? c === 'other' || offlineAllowed.has(c) : crime ? !none : none;
    if (!allowed) continue;
    const s = (1 - rulesWeight) * (probabilities[i] ?? 0) + (c === rulesCategory ? rulesWeight * raw : 0);
    if (s > top) {
      top = s;
      best = c;
    }
  }
  return { category: best, score: top };
}

/** Each feature in plain words, for the reasons. */
const FEATURE_WORDS: Record<Feature, string> = {
  bias: 'the base rate',
  'rules:online': 'the online cues found a medium',
  'rules:score': 'the online cues’ score',
  'rules:media': 'how many media the cues named',
  'rules:against': 'words against an online element (a call, a letter, in person, cash)',
  'rules:strong-medium': 'a medium named outright',
  'rules:other': 'the rules’ category is other',
  'rules:phishing': 'the rules’ category is an attempt',
  'rules:fraud': 'the rules’ category is a fraud',
  'rules:dependent': 'the rules’ category is cyber-dependent',
  'rules:raw': 'how sure the rules are',
  'rules:no-cue': 'no category cue matched',
  'ngram:online': 'the n-gram model’s online reading',
  'ngram:other': 'the n-gram model’s reading as other',
  'ngram:phishing': 'the n-gram model’s reading as an attempt',
  'ngram:dependent': 'the n-gram model’s reading as cyber-dependent',
  'ngram:fraud': 'the n-gram model’s reading as a fraud',
  record: 'a force record',
  'rules:nothing-lost': 'the words say nothing was lost or paid',
  'words:in-person': 'words of contact in person (“turned up”, “at the door”, “in the street”)',
  'words:voice-call': 'words of a voice call (“rang”, “called me”, “on the phone”)',
  'words:post': 'words of a letter or the post',
  'words:no-online-contact': 'words denying contact online (“never messaged”, “nothing posted”)',
  'words:nothing-lost': 'words that nothing was lost (“no money”, “not a penny”, “refused”)',
  'words:loss': 'words of a loss (money, paid, taken, gone)',
  'words:access': 'words of an account or device used (“locked out”, “password”, “logged in”)',
};

export interface HingeDecision {
  /** The hinges' answers and probabilities. */
  online: boolean;
  crime: boolean;
  pOnline: number;
  pCrime: number;
  /** How sure the hinges that overturned the rules were (max(p, 1 − p), the least sure of them), or null. */
  sure: number | null;
  /** Cue ids for the hinges that overturned the rules (model:online, model:offline, model:crime, model:no-crime). */
  cues: string[];
  /** A reason for each, naming the features that decided it. */
  reasons: string[];
}

/**
 * The hinges' decision against the current answer (the rules' online element; a crime when the current category
 * is flagged): what they overturn, with reasons, or null when they agree with it. An online element can be found
 * only where `canBeOnline` (the caller's gate: the rules saw a medium, even one too weak to count, or the crime is
 * cyber-dependent, whose medium is computer misuse), so the medium is always named. Each hinge says yes at or above
 * its threshold.
 */
export function decideHinges(
  model: CyberModel,
  features: Float64Array,
  current: { online: boolean; crime: boolean },
  canBeOnline: boolean,
): HingeDecision | null {
  const pOnline = hinge(model.online, features);
  const online = canBeOnline && pOnline >= model.thresholds.online;
  const pCrime = hinge(model.crime, features);
  const crime = online && pCrime >= model.thresholds.crime;
  if (online === current.online && (!online || crime === current.crime)) return null;
  const cues: string[] = [];
  const reasons: string[] = [];
  let sure: number | null = null;
  const words = (w: Float64Array, towards: boolean) =>
    deciding(w, features, towards)
      .map((f) => FEATURE_WORDS[f])
      .join('; ');
  if (online !== current.online) {
    cues.push(online ? 'model:online' : 'model:offline');
    reasons.push(
      `the cyber-flag model found ${online ? 'an' : 'no'} online element (${Math.round(
        100 * (online ? pOnline : 1 - pOnline),
      )}%; what decided it: ${words(model.online, online)})`,
    );
    sure = Math.max(pOnline, 1 - pOnline);
  }
  if (online && crime !== (current.online && current.crime)) {
    cues.push(crime ? 'model:crime' : 'model:no-crime');
    reasons.push(
      `the cyber-flag model found ${crime ? 'a crime with a victim' : 'no crime with a victim (an attempt or other)'} (${Math.round(
        100 * (crime ? pCrime : 1 - pCrime),
      )}%; what decided it: ${words(model.crime, crime)})`,
    );
    sure = Math.min(sure ?? 1, Math.max(pCrime, 1 - pCrime));
  }
  return { online, crime, pOnline, pCrime, sure, cues, reasons };
}
