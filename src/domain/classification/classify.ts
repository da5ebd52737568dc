/**
 * The report classifier: pure, deterministic and explainable.
 *
 * 1. The narrative is normalised (normalise-text.ts): lower case, shorthand ("IP", "susp", "acct"), text-speak,
 *    misspellings and common Welsh words mapped to plain English; amounts become "money", ages "age84".
 * 2. Weighted phrase cues for each category are matched; every cue that fires contributes its weight and a short
 *    reason quoting the words that matched. Negated phrases ("no ransom demand") are masked first.
 * 3. The taxonomy's rules of thumb decide between categories: a child at risk always wins; a DDoS with a ransom
 *    stays denial-of-service; intimate images as the lever make it sextortion; extortion beats intrusion; the
 *    victim's loss path decides the fraud type; an attempt with no loss and no access is phishing-attempt.
 * 4. Flags: extortion (a demand for payment under threat) and vulnerable (age 70+, a child victim, disability,
 *    mental ill-health or crisis, a repeat victim, or the reporter's own vulnerability answers).
 *
 * Speed matters (legacy imports classify millions of records), so the cue regexes sit behind a prefilter that
 * skips any pattern whose required words are absent from the text.
 */
import { CATEGORIES, recordingCode, type Category, type CyberFlag } from './taxonomy.ts';
import { normaliseWords, type TokenCache } from './normalise-text.ts';
import { CATEGORY_CUES, CUE_MEDIA, NEGATED, PAID_BY_CARD, SIGNALS } from './category-cues.ts';
import { createPrefilter, type ActivationCache, type Gated, type Scan } from './prefilter.ts';
import { decideOnline, ONLINE_THRESHOLD, type OnlineDecision } from './online.ts';
import { calibrate } from './calibration.ts';
import {
  consistentCategory,
  CYBER_MODEL,
  cyberFeatures,
  decideHinges,
  FEATURES,
  type CyberModel,
  type HingeDecision,
} from './cyber-model.ts';
import {
  explain,
  NGRAM_MODEL,
  narrativeModel,
  predictNgram,
  type NgramModel,
  type WordCache,
} from './ngram.ts';
import {
  ATTEMPT_ASKED,
  CHANNEL_SIGNALS,
  STEP2_SIGNALS,
  MEDIA,
  OFFLINE_INVESTMENT_CUES,
  ONLINE_FALLBACK,
  offenceRule,
  type Medium,
  type OffenceRule,
} from './online-cues.ts';
import {
  AFTER_THEFT,
  CMA_RECAST,
  EXTORTION_CATEGORIES,
  FRAUDS,
  OFFLINE_CATEGORIES,
  SPECIFIC,
} from './category-groups.ts';

export interface ClassificationInput {
  text: string;
  /** The journey's plain-language answer, already mapped to a category, when there is one. */
  chosenCategory?: Category;
  /** Vulnerability answers from the journey (e.g. over-70), when there are any. */
  vulnerability?: readonly string[];
  /** A force record's Home Office offence name, when there is one. */
  offence?: string;
  /** The online element the reporter's own answers in the journey show (how they were contacted, a website). */
  answeredMedium?: Medium;
}

export interface OnlineResult {
  /** The primary medium, or null: no online element. */
  medium: Medium | null;
  media: Medium[];
  /** Cue ids and the words that showed them. */
  evidence: { id: string; words: string }[];
}

export interface Classification {
  /** Step 1: the online element, its media and the words that showed it. */
  online: OnlineResult;
  category: Category;
  cyber: CyberFlag;
  code: string;
  confidence: number;
  extortion: boolean;
  vulnerable: boolean;
  /** Which answers or phrases decided it, in plain words. */
  reasons: string[];
  /** Ids of the category's cues that matched (category-cues.ts). */
  cues: string[];
  /** The uncalibrated confidence the calibration table maps (for the calibration report). */
  rawConfidence?: number;
}

interface Cue {
  id: string;
  category: Category;
  pattern: Gated;
  weight: number;
  label: string;
}

/**
 * The cue tables behind the prefilter, built once when the module loads and never changed afterwards; everything
 * a classify call changes lives in its own Scan.
 */
function buildEngine() {
  const builder = createPrefilter();
  const cues: Cue[] = (
    Object.entries(CATEGORY_CUES) as [Category, (typeof CATEGORY_CUES)[Category]][]
  ).flatMap(([category, specs]) =>
    specs.map((spec) => ({
      id: spec.id,
      category,
      // Cues run on the text their words came from (less negated phrases): strict gating is safe for them.
      pattern: builder.gate(spec.pattern, { strict: true }),
      weight: spec.weight,
      label: spec.label,
    })),
  );
  const signals = Object.fromEntries(
    // CHILD_AGE is also tried on a piece of the text, which may end in part of a word: it keeps the lenient gate.
    Object.entries(SIGNALS).map(([name, pattern]) => [
      name,
      builder.gate(pattern, { strict: name !== 'CHILD_AGE' }),
    ]),
  ) as Record<keyof typeof SIGNALS, Gated>;
  const prefilter = builder.build();
  // The cues' parts were gated first: ids 0 … cueParts − 1, in cue order and, within a cue, in its parts' order.
  const cueParts = cues.reduce((n, c) => n + c.pattern.parts.length, 0);
  const partCue = new Int32Array(cueParts);
  const partRe: RegExp[] = [];
  cues.forEach((c, index) => {
    for (const part of c.pattern.parts) {
      if (part.id !== partRe.length) throw new Error('cue parts are not numbered in order');
      partCue[part.id] = index;
      partRe.push(part.re);
    }
  });
  /** The categories in the order their first cue comes (the order scores() lists them in). */
  const categories = [...new Set(cues.map((c) => c.category))];
  return Object.freeze({
    cues: Object.freeze(cues),
    /** Each cue's category, as an index into categories. */
    cueCategory: Int32Array.from(cues.map((c) => categories.indexOf(c.category))),
    categories: Object.freeze(categories),
    signals: Object.freeze(signals),
    prefilter,
    cueParts,
    /** Each cue part's cue, as an index into cues, and its pattern (by part id). */
    partCue,
    partRe: Object.freeze(partRe),
  });
}

const ENGINE = buildEngine();
/** Something that happened after the first contact ("later", "then"): the loss came after. */
const HANDED_OVER =
  /\b(?:came|come|turned up|arrived|attended|called) (?:round|over|to (?:my|our|the|his|her) (?:house|home|flat|address|door))\b|\btest (?:ride|drive)\b|\b(?:paid|pay|handed over|gave (?:him|her|them)) (?:\w+ ){0,3}cash\b|\bcash (?:\w+ ){0,2}in person\b|\b(?:collected|handed over|met) (?:\w+ ){0,2}in person\b|\bmet (?:him|her|them|the (?:seller|buyer|man|woman|male|lad)|a (?:man|woman|male|lad)) (?:\w+ ){0,3}(?:in|at) (?:a |the )?(?:car park|station|shop|street|cafe|pub|park|services|garage)\b|\bshowed (?:me|her|him|us) (?:the |his |her )?(?:screen|phone)\b/;
/** The cue id of the taxonomy's convention that an unpaid mass "we recorded you" email is only an attempt. */
const WEBCAM_BLUFF_CUE = 'phishing-attempt.webcam-bluff';
/**
 * The taxonomy's conventions the narrative model was not taught (an unpaid "we recorded you" email is an attempt, a
 * breach notice is other): where their cues matched, a narrative keeps the rules' category.
 */
const CONVENTION_CUES: ReadonlySet<string> = new Set([WEBCAM_BLUFF_CUE, 'other.breach-notice']);
/** Fewer words than this, and no cue: too little for the narrative model to read (it reads its own bias). */
const FEWEST_WORDS = 5;
/** Nobody paid the changed details sent out ("as far as we know nobody paid"). */
const NOBODY_PAID =
  /\b(?:nobody|no one|none of them|no customers?|no clients?|not one (?:customer|client)) (?:\w+ ){0,2}(?:paid|has paid|have paid|sent (?:any )?money|fell for it)\b/;
const LATER = /\b(?:later|then|afterwards|after that|next day|the day after|since)\b/;
/** What fake support claims to support. */
const TECH_SUBJECT =
  /\b(?:computer|computers|laptop|pc|mac|macbook|broadband|internet|router|wifi|virus|viruses|antivirus|anti virus|microsoft|windows|apple|icloud|printer|tech|technical|technician|software|device|screen|pop ?ups?|ip ?address|ipaddress|bt|openreach|virgin media|talktalk|sky|hackers|norton|mcafee|geek squad|it support|errors?|licence|license|phone line|tablet|ipad)\b/;
/** Nobody got into the account ("nothing has been accessed"). */
const NOTHING_ACCESSED =
  /\b(?:nothing|none|no accounts?) (?:has |have |was |were )?(?:been )?(?:accessed|taken|touched)\b|\b(?:not|never) (?:been )?(?:accessed|got in)\b|\bno access\b/;
/** The words of a business phone system cue that name the system itself (not a voicemail or an extension). */
const PBX_SYSTEM =
  /\b(?:pbx|voip|sip|switchboard|phone system|telephone system|telephony|dial through|toll fraud)\b/;
const {
  SOCIAL_PLATFORM,
  CHILD_AGE,
  CHILD,
  SEXUAL,
  MORE_IMAGES,
  MONEY_DEMAND,
  THREAT,
  WEBCAM_BLUFF,
  PAID_UP,
  NOT_PAID,
  INTRUSION,
  ACCESS_HAPPENED,
  LOSS,
  NO_LOSS,
  VICTIM_PAID,
  VICTIM_DENIES,
  CHANGED_DETAILS,
  CODE_GIVEN,
  TRIED_ACCESS,
  RELATIONSHIP,
  REWARD,
  PAYMENT_ACCOUNT_SPEND,
  VULNERABLE,
  NEGATED_GATE,
  PAID_BY_CARD_GATE,
} = ENGINE.signals;

/** The text with negated phrases removed and "paid by card" marked (only when the prefilter allows a match). */
function maskText(scan: Scan, text: string): string {
  let masked = text;
  if (NEGATED_GATE.parts.some((p) => scan.ready(p.id))) {
    masked = masked.replace(NEGATED, 'nix');
    if (masked !== text) scan.meet('nix');
  }
  if (PAID_BY_CARD_GATE.parts.some((p) => scan.ready(p.id))) {
    const before = masked;
    masked = masked.replace(PAID_BY_CARD, 'paid by_card');
    if (masked !== before) {
      scan.meet('paid');
      scan.meet('by_card');
    }
  }
  return masked;
}

interface Scored {
  category: Category;
  score: number;
  /** Read-only for all but scores(), which gives a category its own arrays at its first matched cue. */
  reasons: string[];
  /** Ids of the cues that matched. */
  cues: string[];
  /** The words each cue matched, as in the text (step 1 checks they survive its masks). */
  words: string[];
}

/** A category's reasons and cues until one of its cues matches (never changed: scores() replaces it). */
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** Matched words as a reason quotes them ("age84" reads "aged 84"). */
function quote(matched: string): string {
  const trimmed = matched.trim();
  return trimmed.includes('age') ? trimmed.replace(/\bage(\d+)\b/g, 'aged $1') : trimmed;
}

/** A classifier's category scores, reused from one text to the next (a call's own when it classifies one text). */
interface ScoreTable {
  /** One per category with cues, in ENGINE.categories order. */
  list: Scored[];
  /** The same, by category, then any category a rule of thumb scored (scoreOf), in the order they were added. */
  map: Map<Category, Scored>;
}

const CUE_CATEGORIES: ReadonlySet<Category> = new Set(ENGINE.categories);

function newScoreTable(): ScoreTable {
  const list = ENGINE.categories.map((category): Scored => ({
    category,
    score: 0,
    reasons: NONE,
    cues: NONE,
    words: NONE,
  }));
  return { list, map: new Map(list.map((s) => [s.category, s])) };
}

/**
 * Scores every category's cues into `table`, reset first: each category back to nothing matched (arrays already
 * handed out stay with whoever holds them: a category gets new ones at its first match), and any category a rule
 * of thumb added last time removed, so the map's order is what a fresh one's would be.
 */
function scores(scan: Scan, text: string, table: ScoreTable): Map<Category, Scored> {
  const { cues, cueCategory, cueParts, partCue, partRe } = ENGINE;
  const { list, map } = table;
  for (const s of list) {
    s.score = 0;
    s.reasons = NONE;
    s.cues = NONE;
    s.words = NONE;
  }
  if (map.size > list.length) for (const key of map.keys()) if (!CUE_CATEGORIES.has(key)) map.delete(key);
  // Run only the parts the prefilter let through, in order (cue by cue), stopping at each cue's first matching part.
  const ready = scan.readyBelow(cueParts);
  let matchedCue = -1;
  for (let k = 0; k < ready.length; k++) {
    const id = ready[k] ?? 0;
    const index = partCue[id] ?? 0;
    if (index === matchedCue) continue;
    const m = (partRe[id] as RegExp).exec(text);
    if (m === null) continue;
    matchedCue = index;
    const matched = m[0].trim();
    const c = cues[index] as Cue;
    const s = list[cueCategory[index] ?? 0] as Scored;
    if (s.cues === NONE) {
      s.cues = [];
      s.reasons = [];
      s.words = [];
    }
    s.score += c.weight;
    s.reasons.push(`${c.label} (“${quote(matched)}”)`);
    s.cues.push(c.id);
    s.words.push(matched);
  }
  return map;
}

/**
 * The cue-based answer, built as one object literal (not a spread of a smaller one plus fields: this runs for
 * every record of an import).
 */
function result(
  category: Category,
  confidence: number,
  reasons: string[],
  flags: { extortion: boolean; vulnerable: boolean },
  cues: string[],
  matched: { id: string; words: string }[],
): Categorised {
  return {
    category,
    cyber: CATEGORIES[category].cyber,
    code: recordingCode(category, flags.extortion),
    confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
    extortion: flags.extortion,
    vulnerable: flags.vulnerable,
    reasons: [...new Set(reasons)],
    cues,
    matched,
  };
}

/** The category cues and rules of thumb alone, before the online element is considered. */
function categorise(input: ClassificationInput, words: readonly string[], memo: Memo): Categorised {
  const text = ` ${words.join(' ')} `;
  const scan = ENGINE.prefilter.scan(words, memo.activation, memo.engineScan);
  memo.engineScan = scan;
  const masked = maskText(scan, text);
  // "Paid by card" may add the word "paid" (from "payment on my card"); let the patterns that need it run.
  if (masked.includes('by_card')) scan.allow('paid');
  const moneyDemand = scan.test(MONEY_DEMAND, masked) && scan.test(THREAT, masked);
  const scored = scores(scan, masked, memo.scores);
  const sext = scoreOf(scored, 'sextortion');
  // Intimate images (or a "we recorded you" email) are themselves the threat: any money demand is extortion.
  const imageLever =
    has(sext, 'sextortion.intimate') ||
    has(sext, 'sextortion.images-of-victim') ||
    scan.test(WEBCAM_BLUFF, masked);
  const decided = input.chosenCategory === undefined ? decide(scan, text, masked, scored, moneyDemand) : null;
  const category = input.chosenCategory ?? decided?.category ?? 'other';

  const extortion =
    category === 'hacking-extortion' ||
    (EXTORTION_CATEGORIES.has(category) && (moneyDemand || (imageLever && scan.test(MONEY_DEMAND, masked))));
  const vulnerableWords = scan.exec(VULNERABLE, text);
  const vulnerableAnswer = input.vulnerability?.some((v) => v !== 'none') ?? false;
  // A child is vulnerable when they are the victim; a child's own spending on a parent's card has no victim.
  const childVictim =
    category === 'child-sexual-abuse' || (category !== 'other' && scan.test(CHILD_AGE, text));
  const vulnerableWord =
    vulnerableWords !== null && !(scan.test(CHILD_AGE, vulnerableWords[0]) && !childVictim)
      ? quote(vulnerableWords[0])
      : null;
  const vulnerable = vulnerableAnswer || childVictim || vulnerableWord !== null;
  const flags = { extortion, vulnerable };
  // Built with push, not spreads of small arrays: this runs for every record of an import.
  const flagReasons: string[] = [];
  if (extortion) flagReasons.push('a demand for payment under threat');
  if (vulnerableAnswer) flagReasons.push('the reporter said the victim may need extra support');
  if (vulnerableWord !== null)
    flagReasons.push(`the narrative suggests a vulnerable victim (“${vulnerableWord}”)`);
  if (childVictim && vulnerableWord === null) flagReasons.push('the victim is a child');

  const matched: { id: string; words: string }[] = [];
  for (const s of scored.values())
    for (let i = 0; i < s.cues.length; i++) matched.push({ id: s.cues[i] ?? '', words: s.words[i] ?? '' });
  const cues = scoreOf(scored, category).cues;
  if (decided === null)
    return result(category, 0.95, [`the reporter chose “${category}”`, ...flagReasons], flags, cues, matched);
  return result(
    decided.category,
    decided.confidence,
    [...decided.reasons, ...flagReasons],
    flags,
    cues,
    matched,
  );
}

interface Categorised extends Omit<Classification, 'online'> {
  /** Every cue that matched, with the words it matched. */
  matched: { id: string; words: string }[];
}

interface Decision {
  category: Category;
  confidence: number;
  reasons: string[];
}

/** The words a cue (by id) matched, or '' when it did not match. */
function wordsOf(s: Scored, id: string): string {
  const i = s.cues.indexOf(id);
  return i < 0 ? '' : (s.words[i] ?? '');
}

/** Whether any of the cues (by id) matched (fixed arguments: called dozens of times per record, no rest array). */
function has(s: Scored, id: string, other?: string): boolean {
  return s.cues.includes(id) || (other !== undefined && s.cues.includes(other));
}

type Scores = Map<Category, Scored>;

function scoreOf(scored: Scores, category: Category): Scored {
  let s = scored.get(category);
  if (s === undefined) {
    s = { category, score: 0, reasons: NONE, cues: NONE, words: NONE };
    scored.set(category, s);
  }
  return s;
}

function pick(category: Category, confidence: number, reasons: string[]): Decision {
  return { category, confidence, reasons };
}

/** Moves a category's score by a rule of thumb, remembering why. */
function adjust(
  scored: Scores,
  why: Map<Category, string[]>,
  category: Category,
  by: number,
  reason: string | null,
): void {
  const s = scoreOf(scored, category);
  s.score = Math.max(0, s.score + by);
  if (reason !== null) why.set(category, [...(why.get(category) ?? []), reason]);
}

function decide(scan: Scan, text: string, masked: string, scored: Scores, moneyDemand: boolean): Decision {
  // 1. A child at risk always wins (a child asked only for money is sextortion, per the taxonomy's split).
  const csa = scoreOf(scored, 'child-sexual-abuse');
  const sext = scoreOf(scored, 'sextortion');
  const images = has(sext, 'sextortion.intimate') || has(sext, 'sextortion.images-of-victim');
  const moreImages =
    scan.test(MORE_IMAGES, masked) &&
    !/\b(?:not|never|no) (?:\w+ ){0,2}(?:more|further|new) (?:\w+ ){0,2}(?:pictures|photos|videos|images)\b/.test(
      masked,
    );
  const childMoneyOnly = moneyDemand && images && !moreImages;
  if (csa.score >= 8 || (scan.test(CHILD, text) && scan.test(SEXUAL, masked) && !childMoneyOnly))
    return pick('child-sexual-abuse', 0.9, [
      ...(csa.reasons.length > 0
        ? csa.reasons
        : ['a child was sent sexual messages or asked for images or contact']),
      'a child at risk always takes priority',
    ]);

  // 2. Extortion. A DDoS with a ransom stays denial-of-service; intimate images as the lever make it sextortion
  //    (an unpaid mass "we recorded you" email is only an attempt); ransomware or a demand after an intrusion
  //    is hacking-extortion.
  const dos = scoreOf(scored, 'denial-of-service');
  if ((dos.score >= 5 && /\bransom\b/.test(masked)) || (dos.score >= 2 && moneyDemand))
    return pick('denial-of-service', 0.9, [
      ...dos.reasons,
      'a ransom demand does not change a denial of service',
    ]);
  const bluff = scan.test(WEBCAM_BLUFF, masked);
  if (
    bluff ||
    (images &&
      has(sext, 'sextortion.threat-to-share') &&
      (moneyDemand ||
        /\b(?:unless|or (?:else|they|he|she|it|my|your|his|her|the)|if (?:i|he|she|we|you) (?:do|does|did) not|to delete|blackmail\w* (?:me|her|him|them))\b/.test(
          masked,
        ))) ||
    (has(sext, 'sextortion.intimate') &&
      scan.test(MONEY_DEMAND, masked) &&
      /\b(?:demand|demands|demanding|demanded)\b/.test(masked))
  ) {
    if (bluff && !scan.test(PAID_UP, masked.replace(NOT_PAID.re, ' '))) {
      // A convention of the taxonomy, named by its own cue id: the cyber flag's hinges do not overturn it.
      const phishing = scoreOf(scored, 'phishing-attempt');
      if (phishing.cues === NONE) {
        phishing.cues = [];
        phishing.reasons = [];
        phishing.words = [];
      }
      phishing.cues.push(WEBCAM_BLUFF_CUE);
      phishing.words.push('');
      return pick('phishing-attempt', 0.8, [
        ...sext.reasons,
        'a mass “we recorded you” email with nothing shared and nothing paid is an attempt',
      ]);
    }
    return pick('sextortion', 0.9, [...sext.reasons, 'images of the victim used as a threat']);
  }
  sext.score *= 0.3;
  const hx = scoreOf(scored, 'hacking-extortion');
  if (has(hx, 'hacking-extortion.ransomware') || (moneyDemand && scan.test(INTRUSION, masked)))
    return pick('hacking-extortion', 0.9, [
      ...hx.reasons,
      'a demand for payment after an intrusion beats the intrusion',
    ]);

  // 3. A hijacked business phone system is distinctive.
  const pbx = scoreOf(scored, 'hacking-pbx');
  if (pbx.score >= 6.5) return pick('hacking-pbx', 0.9, pbx.reasons);

  // 4. Adjust the cue scores by the taxonomy's loss-path rules, then take the best.
  const extra = new Map<Category, string[]>();
  // Takeover signs (password changed, locked out) point to email/social only when such an account is named.
  const social = scoreOf(scored, 'hacking-social-email');
  if (social.score > 0 && social.score <= 3.5 && !scan.test(SOCIAL_PLATFORM, masked)) {
    social.score = Math.max(0, social.score - 2);
    adjust(
      scored,
      extra,
      'hacking-personal',
      2.5,
      'a personal online account (not email or social media) was taken over',
    );
  }
  const shop = scoreOf(scored, 'online-shopping-fraud');
  // Goods paid for that never came are shopping fraud however the purchase is described ("scammed for a PS5").
  if (
    !has(shop, 'online-shopping-fraud.bought-or-sold') &&
    !has(shop, 'online-shopping-fraud.online-shop') &&
    !(has(shop, 'online-shopping-fraud.never-came') && has(shop, 'online-shopping-fraud.bought'))
  )
    shop.score *= 0.4;
  const bec = scoreOf(scored, 'business-email-compromise');
  if (
    (!scan.test(CHANGED_DETAILS, masked) || !has(bec, 'business-email-compromise.invoice')) &&
    !has(bec, 'business-email-compromise.executive-gift-cards')
  )
    bec.score *= 0.4;
  else if (has(bec, 'business-email-compromise.invoice')) {
    adjust(scored, extra, 'business-email-compromise', 2, 'a payment went to changed bank details');
    // A solicitor's or supplier's email that "looked like" theirs is invoice interception, not a caller's act.
    if (/\bemails?\b/.test(masked)) scoreOf(scored, 'impersonation-fraud').score *= 0.5;
    // Changed details sent from the victim's own mailbox that nobody paid: the intrusion is the crime.
    if (NOBODY_PAID.test(masked) && scan.test(ACCESS_HAPPENED, masked)) {
      bec.score *= 0.3;
      adjust(
        scored,
        extra,
        'hacking-social-email',
        3,
        'the mailbox was broken into and nobody paid the new details',
      );
    }
  }

  const invest = scoreOf(scored, 'investment-fraud');
  const romance = scoreOf(scored, 'romance-fraud');
  // A romance fraud obtains money from the victim: with no payment, loss or money asked for an emergency, a
  // relationship is not one.
  const romanceMoney =
    scan.test(LOSS, masked) ||
    scan.test(VICTIM_PAID, masked) ||
    has(romance, 'romance-fraud.emergency-money') ||
    /\b(?:needs?|needed|asked (?:me |her |him )?for|asking (?:me |her |him )?for|wants?|wanted) (?:\w+ ){0,3}money\b/.test(
      masked,
    );
  if (!romanceMoney) romance.score *= 0.5;
  if (scan.test(RELATIONSHIP, masked)) {
    if (invest.score >= 3)
      adjust(
        scored,
        extra,
        'investment-fraud',
        2,
        'money went into a fake investment, even with a romance hook',
      );
    else if (romance.score >= 3 && romanceMoney)
      adjust(scored, extra, 'romance-fraud', 4, 'the money was obtained through an online relationship');
  }
  if (scan.test(REWARD, masked) && has(scoreOf(scored, 'advance-fee-fraud'), 'advance-fee-fraud.fee-first')) {
    shop.score *= 0.5;
    if (!has(invest, 'investment-fraud.money-invested') && !has(invest, 'investment-fraud.fake-investment'))
      invest.score *= 0.5;
    adjust(scored, extra, 'advance-fee-fraud', 1.5, 'a fee was paid to unlock something promised');
  }

  const tech = scoreOf(scored, 'tech-support-fraud');
  // A fake support caller who got into the computer took remote control, whatever words describe it.
  const remote =
    has(tech, 'tech-support-fraud.remote-control') ||
    (has(tech, 'tech-support-fraud.fake-support') &&
      has(
        scoreOf(scored, 'hacking-personal'),
        'hacking-personal.got-into-device',
        'hacking-personal.access-to-device',
      ));
  // Fake support is support for a computer, a phone or a connection: a "helpline" for a tax refund is not it.
  if (!remote && !TECH_SUBJECT.test(masked)) tech.score *= 0.5;
  // …and so did a caller posing as a company (Amazon, a bank) who had the victim install remote software.
  if (
    remote &&
    (has(tech, 'tech-support-fraud.fake-support') ||
      has(tech, 'tech-support-fraud.pop-up') ||
      has(scoreOf(scored, 'impersonation-fraud'), 'impersonation-fraud.pretending'))
  )
    adjust(scored, extra, 'tech-support-fraud', 3, 'a fake support call took remote control and money');

  const card = scoreOf(scored, 'card-account-fraud');
  const imp = scoreOf(scored, 'impersonation-fraud');
  const victimPaid = scan.test(VICTIM_PAID, masked) && !scan.test(VICTIM_DENIES, masked);
  if (victimPaid && imp.score >= 1.5)
    adjust(scored, extra, 'impersonation-fraud', 2, 'the victim was talked into making the payment');
  else if (card.score > 0 && !victimPaid) {
    adjust(scored, extra, 'card-account-fraud', 1, 'the fraudster, not the victim, made the payments');
    // A one-time code read to a caller lets the fraudster make the payments: the loss path is the account.
    if (scan.test(CODE_GIVEN, masked))
      adjust(scored, extra, 'card-account-fraud', 2, 'a one-time code was given away and the account used');
  }
  // A seller sent a fake "payment" link who then gave card or bank details lost them, not the goods.
  if (
    has(card, 'card-account-fraud.money-taken') &&
    /\b(?:selling|sold|seller)\b/.test(wordsOf(shop, 'online-shopping-fraud.bought-or-sold'))
  )
    adjust(scored, extra, 'card-account-fraud', 3, 'the seller’s card or account was used, not goods lost');
  // Fake support (or a caller posing as a company) with remote control: the money went through the remote access.
  if (remote && tech.score >= 5) card.score *= 0.5;
  if (
    (has(card, 'card-account-fraud.card-used') ||
      has(card, 'card-account-fraud.payments-made') ||
      (has(card, 'card-account-fraud.money-taken') && LATER.test(masked))) &&
    shop.score > 0
  )
    adjust(scored, extra, 'card-account-fraud', 2, 'the loss was later use of the card, not the purchase');
  if (
    !victimPaid &&
    (has(card, 'card-account-fraud.card-used') ||
      has(card, 'card-account-fraud.account-accessed') ||
      has(card, 'card-account-fraud.payments-made')) &&
    scoreOf(scored, 'hacking-personal').score > 0
  )
    adjust(
      scored,
      extra,
      'card-account-fraud',
      2,
      'the loss path decides: the card or bank account was used',
    );
  if (card.score > 0 && !victimPaid && scan.test(PAYMENT_ACCOUNT_SPEND, masked)) {
    adjust(
      scored,
      extra,
      'card-account-fraud',
      2,
      'the loss was spending from a payment account or saved card',
    );
  }

  // Found online but handed over face to face (a test ride, a buyer who came round, cash in a car park): the online
  // contact led to a theft or a deception in person, not to goods paid for that never came.
  if (has(shop, 'online-shopping-fraud.bought-or-sold') && HANDED_OVER.test(masked)) {
    shop.score *= 0.3;
    adjust(scored, extra, 'other', 3, 'the goods or money changed hands in person');
  }

  // 5. An attempt with no loss and no access is intelligence, not a crime.
  const phishing = scoreOf(scored, 'phishing-attempt');
  const loss =
    (scan.test(LOSS, masked) && !scan.test(NO_LOSS, masked)) ||
    has(card, 'card-account-fraud.card-used') ||
    has(card, 'card-account-fraud.payments-made');
  // Money lost is not an attempt, whatever the suspicious message that began it.
  if (loss) phishing.score *= 0.5;
  const access =
    scoreOf(scored, 'hacking-social-email').score >= 4 ||
    scoreOf(scored, 'hacking-personal').score >= 3 ||
    scoreOf(scored, 'hacking-server').score >= 4 ||
    scoreOf(scored, 'malware').score >= 3 ||
    // A flood that is happening is an attack, not an attempt, even when its ransom goes unpaid.
    has(scoreOf(scored, 'denial-of-service'), 'denial-of-service.flooded') ||
    scan.test(ACCESS_HAPPENED, masked);
  // Codes or alerts from someone "trying to get into" an account that nothing got into: an attempt.
  const triedAccess = scan.test(TRIED_ACCESS, text) && NOTHING_ACCESSED.test(text);
  if (triedAccess) {
    for (const id of ['hacking-personal', 'hacking-social-email'] as const) scoreOf(scored, id).score *= 0.3;
    adjust(
      scored,
      extra,
      'phishing-attempt',
      3,
      'someone tried to get into an account and nothing was accessed',
    );
  } else if (access) phishing.score = 0;
  // "Did not pay" or "no loss" alone, with no suspicious approach, link or sign of any scam, is not an attempt.
  const approach =
    triedAccess ||
    has(phishing, 'phishing-attempt.suspicious-approach') ||
    /\b(?:click\w*|link|links)\b/.test(masked) ||
    [...scored.values()].some(
      (s) => s.category !== 'phishing-attempt' && s.category !== 'other' && s.score >= 1.5,
    );
  if (!approach) phishing.score = 0;
  // Threats or abuse that ask for nothing (no money, details or access) are harassment, not an attempt.
  const harassment = scoreOf(scored, 'online-harassment');
  if (
    (has(harassment, 'online-harassment.abuse') ||
      (has(harassment, 'online-harassment.unwanted-contact') &&
        has(harassment, 'online-harassment.known-or-public'))) &&
    !ATTEMPT_ASKED.test(masked)
  )
    phishing.score = 0;
  // Goods that never came, or fakes, are a fraud even when the seller also refuses a refund.
  const other = scoreOf(scored, 'other');
  if (has(other, 'other.consumer-dispute') && has(shop, 'online-shopping-fraud.never-came'))
    other.score = Math.max(0, other.score - 3);
  // The highest score (the first of equals) and the next: what a stable sort's first two would be, without one.
  let best: Scored | undefined;
  let next = -Infinity;
  let count = 0;
  for (const s of scored.values()) {
    count++;
    if (best === undefined) best = s;
    else if (s.score > best.score) {
      next = best.score;
      best = s;
    } else if (s.score > next) next = s.score;
  }
  const top = best ?? {
    category: 'other' as Category,
    score: 0,
    reasons: NONE,
    cues: NONE,
    words: NONE,
  };
  const second = count >= 2 ? next : 0;
  const confidence = top.score === 0 ? 0.2 : top.score / (top.score + second + 1.5);
  if (
    phishing.score >= 2 &&
    !loss &&
    !access &&
    !has(scoreOf(scored, 'other'), 'other.says-not-cyber') &&
    (phishing.score >= 4.5 ||
      top.score <= phishing.score + 1 ||
      (has(phishing, 'phishing-attempt.nothing-lost') && FRAUDS.has(top.category))) &&
    // Money asked for by someone met online in a relationship is a romance fraud even before it is sent.
    !(top.category === 'romance-fraud' && romanceMoney && scan.test(RELATIONSHIP, masked))
  )
    return pick('phishing-attempt', Math.max(confidence, 0.7), [
      ...phishing.reasons,
      'no loss and no access',
    ]);

  if (top.score < 1.5) return pick('other', 0.2, ['no phrase clearly matched a category']);
  return pick(top.category, confidence, [...top.reasons, ...(extra.get(top.category) ?? [])]);
}

interface Step2 {
  category: Category;
  reason: string | null;
  /** A fallback cue's id, when one decided. */
  cue?: string;
}

/** Step 2: the category, given the online element (step 1), the offence name and the cue-based category. */
function decideCategory(
  base: Category,
  baseCues: readonly string[],
  step1: OnlineDecision,
  normalised: string,
): Step2 {
  const kind = step1.offence?.kind ?? null;
  if (step1.medium === null) {
    if (!OFFLINE_CATEGORIES.has(base)) return { category: 'other', reason: 'no online element' };
    if (base === 'card-account-fraud')
      return CHANNEL_SIGNALS['card-cloned'].test(normalised)
        ? { category: base, reason: 'a cloned or swapped card needs no online element' }
        : { category: 'other', reason: 'no online element: a stolen card used is a theft' };
    if (kind === 'contact' || kind === 'theft' || kind === 'harassment')
      return { category: 'other', reason: `no online element, and the offence is ${step1.offence?.label}` };
    if (CHANNEL_SIGNALS.doorstep.test(normalised) && !CHANNEL_SIGNALS.remote.test(normalised))
      return { category: 'other', reason: 'no online element: doorstep crime' };
    if (base === 'phishing-attempt' && !ATTEMPT_ASKED.test(normalised))
      return { category: 'other', reason: 'no online element, and the call or letter asked for nothing' };
    if (base === 'investment-fraud' && !OFFLINE_INVESTMENT_CUES.some((id) => baseCues.includes(id)))
      return { category: 'other', reason: 'no online element, and no investment offered' };
    return { category: base, reason: 'a deception fraud by phone or post needs no online element' };
  }
  if (kind === 'contact' || kind === 'theft')
    return AFTER_THEFT.has(base)
      ? { category: base, reason: null }
      : { category: 'other', reason: `the offence is ${step1.offence?.label}` };
  // Spyware, tracking or reading the victim's accounts by a partner is stalking (the taxonomy's convention), not an
  // intrusion for its own sake.
  if (
    (base === 'malware' ||
      base === 'hacking-personal' ||
      base === 'hacking-social-email' ||
      (base === 'other' && baseCues.length === 0)) &&
    STEP2_SIGNALS['partner-tracking'].test(normalised)
  )
    return { category: 'online-harassment', reason: 'a partner or ex tracking or monitoring the victim' };
  if (kind === 'harassment' && !SPECIFIC.has(base))
    return { category: 'online-harassment', reason: `${step1.offence?.label} with an online element` };
  if (kind === 'child-sexual')
    return { category: 'child-sexual-abuse', reason: `${step1.offence?.label} with an online element` };
  if (base === 'other' && baseCues.length === 0) {
    const fallback = ONLINE_FALLBACK.find((f) => f.pattern.test(normalised));
    if (fallback !== undefined)
      return { category: fallback.category, reason: fallback.label, cue: fallback.id };
  }
  // A Computer Misuse Act offence is an intrusion unless the cues found what it was for (a fraud, harassment…).
  if (kind === 'computer-misuse' && (base === 'other' || CMA_RECAST.has(base)))
    return { category: 'hacking-personal', reason: step1.offence?.label ?? null };
  return { category: base, reason: null };
}

/**
 * Decides a report's online element first, then its category: the journey's answers where it has them, the
 * narrative (and a force record's offence name) otherwise.
 */
export function classify(input: ClassificationInput): Classification {
  return classifyWith(input, newMemo(NGRAM_MODEL));
}

function newMemo(
  model: NgramModel | null,
  cyber: CyberModel | null = model === null ? null : CYBER_MODEL,
  narrative: () => NgramModel | null = model === null ? () => null : narrativeModel,
): Memo {
  return {
    tokens: new Map(),
    activation: new Map(),
    onlineActivation: new Map(),
    onlineScratch: {},
    ngramScratch: {
      sums: new Float64Array((model?.classes.length ?? 0) + 2),
      probabilities: new Float64Array(model?.classes.length ?? 0),
    },
    offences: new Map(),
    ngram: new Map(),
    narrativeNgram: new Map(),
    scores: newScoreTable(),
    model,
    narrative,
    cyber,
    cyberFeatures: new Float64Array(FEATURES.length),
  };
}

/**
 * What a classifier of many texts remembers between them: corrected words, the cues each word can fire and each
 * word's n-gram weights.
 */
interface Memo {
  tokens: TokenCache;
  activation: ActivationCache;
  /** The same for the online element's masks and cues. */
  onlineActivation: ActivationCache;
  /** The scans of the last text, whose arrays the next one reuses. */
  engineScan?: Scan;
  onlineScratch: { scan?: Scan; may?: Uint8Array };
  ngramScratch: { sums: Float64Array; probabilities: Float64Array };
  /** Each offence name's rule and normalised words (a force's export repeats a few dozen names). */
  offences: Map<string, { rule: OffenceRule | null; words: string[] }>;
  ngram: WordCache;
  /** The same for the narrative model (each model's word sums are its own). */
  narrativeNgram: WordCache;
  /** The category scores, reset for each text (fewer objects per record). */
  scores: ScoreTable;
  /** The n-gram model weighed with the rules for force records (null only to measure the rules alone). */
  model: NgramModel | null;
  /** The same for narratives (no offence name); a function, so the shipped one is read only when first needed. */
  narrative: () => NgramModel | null;
  /** The cyber flag's hinges (null to measure the method without them). */
  cyber: CyberModel | null;
  /** The hinges' features, reused from one text to the next. */
  cyberFeatures: Float64Array;
}

/**
 * A classifier for many texts (a batch import): it keeps its own memo of token corrections, so repeated words are
 * corrected once. Nothing is shared between classifiers.
 */
export function createClassifier(
  /**
   * Other n-gram models (cross-validation), or null for the rules alone (to measure them). A model given without a
   * narrative model serves narratives too (so a model trained without a set never meets the shipped one).
   */
  options: { model?: NgramModel | null; narrative?: NgramModel | null; cyber?: CyberModel | null } = {},
): { classify(input: ClassificationInput): Classification } {
  const model = options.model === undefined ? NGRAM_MODEL : options.model;
  const given = options.narrative !== undefined ? options.narrative : options.model;
  const narrative = given === undefined ? narrativeModel : () => given;
  const memo = newMemo(
    model,
    options.cyber === undefined ? (model === null ? null : CYBER_MODEL) : options.cyber,
    narrative,
  );
  return { classify: (input) => classifyWith(input, memo) };
}

const OFFENCE_CACHE_LIMIT = 1000;

/** An offence name's rule and normalised words, remembered per name (bounded). */
function offenceOf(offence: string, memo: Memo): { rule: OffenceRule | null; words: string[] } {
  let known = memo.offences.get(offence);
  if (known === undefined) {
    known = { rule: offenceRule(offence), words: normaliseWords(`${offence}.`, memo.tokens) };
    if (memo.offences.size >= OFFENCE_CACHE_LIMIT) memo.offences.clear();
    memo.offences.set(offence, known);
  }
  return known;
}

function classifyWith(input: ClassificationInput, memo: Memo): Classification {
  const words = normaliseWords(input.text, memo.tokens);
  const normalised = ` ${words.join(' ')} `;
  const known = input.offence === undefined ? null : offenceOf(input.offence, memo);
  const offence = known === null ? null : known.rule;
  const offenceWords = known === null ? null : known.words;
  // The offence name is read with the text by the category cues ("Blackmail. …"), except a Computer Misuse Act
  // name, whose words ("unauthorised access to computer") would decide the kind of intrusion by themselves.
  const base = categorise(
    input,
    offence !== null && offence.kind !== 'computer-misuse' && offenceWords !== null
      ? [...offenceWords, ...words]
      : words,
    memo,
  );
  // Category cues that can only match a digital crime (hacking, malware, remote control) are step-1 evidence too.
  const digital: { id: string; medium: Medium; words: string }[] = [];
  for (const m of base.matched) {
    const medium = CUE_MEDIA[m.id];
    if (medium !== undefined) digital.push({ id: m.id, medium, words: m.words });
  }
  // A business phone system (not a voicemail) making calls abroad or to premium numbers has been hijacked.
  const pbx = base.matched.find((m) => m.id === 'hacking-pbx.phone-system');
  if (
    pbx !== undefined &&
    PBX_SYSTEM.test(pbx.words) &&
    base.matched.some((m) => m.id === 'hacking-pbx.premium-calls')
  )
    digital.push({ id: pbx.id, medium: 'computer-misuse', words: pbx.words });
  const found = decideOnline(normalised, input.offence, digital, {
    words,
    cache: memo.onlineActivation,
    rule: offence,
    scratch: memo.onlineScratch,
  });
  // The reporter's own answer wins: it is the online element, first among any media the text shows.
  const step1: OnlineDecision =
    input.answeredMedium === undefined
      ? found
      : {
          ...found,
          online: true,
          medium: input.answeredMedium,
          media: [input.answeredMedium, ...found.media.filter((m) => m !== input.answeredMedium)],
          score: Math.max(found.score, ONLINE_THRESHOLD + 3),
          evidence: [
            { id: 'reporter-answer', medium: input.answeredMedium, weight: 5, words: input.answeredMedium },
            ...found.evidence,
          ],
        };
  const rulesOnline: OnlineResult = {
    medium: step1.medium,
    media: step1.media,
    evidence: step1.evidence.map((e) => ({ id: e.id, words: e.words })),
  };
  const step2 =
    input.chosenCategory === undefined
      ? decideCategory(base.category, base.cues, step1, normalised)
      : { category: base.category, reason: null };
  const reasons = step2.reason === null ? [...base.reasons] : [step2.reason, ...base.reasons];
  // Raw confidence: how sure each step is; a category forced by step 1 rests on step 1 alone. The calibration
  // table (calibration.ts, measured on the development sets) turns it into a probability of being right.
  const onlineSure = 1 - 0.5 * Math.exp(-Math.abs(step1.score - ONLINE_THRESHOLD));
  const rulesRaw =
    input.chosenCategory !== undefined
      ? base.confidence
      : step2.category !== base.category
        ? onlineSure
        : Math.min(base.confidence, onlineSure);
  // Step 3: the n-gram model's view is weighed with the rules' (the reporter's own choice is never overruled).
  // When the rules are surer than RULES_SURE the model cannot change the category, so it is not run (speed).
  const rulesRounded = Math.round(rulesRaw * 1000) / 1000;
  // Narratives (no offence name) have a model of their own, trained on every narrative development set.
  const narrativeInput = input.offence === undefined;
  const nothingMatched = base.cues.length === 0 && step2.cue === undefined;
  const rulesStand =
    narrativeInput &&
    (base.cues.some((id) => CONVENTION_CUES.has(id)) ||
      (nothingMatched && step2.category === 'other' && fewWords(words)));
  const model = rulesStand ? null : narrativeInput ? memo.narrative() : memo.model;
  const rulesWeight = narrativeInput ? NARRATIVE_RULES_WEIGHT : RULES_WEIGHT;
  const rulesSure = narrativeInput ? NARRATIVE_RULES_SURE : RULES_SURE;
  // The cyber flag's hinges (step 4) read the model's probabilities for narratives the reporter gave no answer for.
  const hingesApply = memo.cyber !== null && narrativeInput && input.answeredMedium === undefined;
  // The model runs when the blend can change the rules' category, or the hinges need it.
  const probabilities =
    input.chosenCategory === undefined && model !== null && (rulesRounded <= rulesSure || hingesApply)
      ? predictNgram(
          words,
          offenceWords,
          input.offence,
          model,
          narrativeInput ? memo.narrativeNgram : memo.ngram,
          memo.ngramScratch,
        )
      : null;
  // A reporter who answered how they were contacted, or named a website, an email or an account, decided the online
  // element, and the hinges do not run for them: there the model may not make the report other (no crime) where the
  // rules did not. No labelled set has journey answers to measure that on, and the blend alone turned "I bought a
  // sofa from <a website> and it never came" into other.
  const answered = narrativeInput && input.answeredMedium !== undefined;
  const blended =
    probabilities !== null && model !== null && rulesRounded <= rulesSure
      ? blendWithModel(
          model,
          step2.category,
          rulesRounded,
          step1.medium !== null,
          probabilities.probabilities,
          rulesWeight,
          answered && step2.category !== 'other',
        )
      : null;
  const byModel = blended !== null && blended.category !== step2.category;
  let category = byModel ? blended.category : step2.category;
  // Step 4: the cyber flag's two hinges (cyber-model.ts), learned on the rules' answers to wording they had not
  // seen: is there an online element, and with one, is it a crime with a victim? Where they overturn the current
  // answer, the category becomes the best blended one whose flag agrees.
  let hinges: HingeDecision | null = null;
  // Narratives only: on force records (with an offence name) the hinges lost a record on the held-out force records,
  // whose figures must not drop (docs/classification.md, "A learned cyber flag"). A narrative whose cues matched a
  // taxonomy convention has no model here (rulesStand), so the hinges leave it alone too.
  if (hingesApply && probabilities !== null && model !== null && memo.cyber !== null) {
    const features = cyberFeatures(
      {
        rulesCategory: step2.category,
        rulesOnline: step1.medium !== null,
        evidence: step1.evidence,
        raw: rulesRounded,
        cued: base.cues.length > 0 || step2.cue !== undefined,
        record: input.offence !== undefined,
        nothingLost: base.cues.includes('phishing-attempt.nothing-lost'),
        classes: model.classes,
        probabilities: probabilities.probabilities,
        ngramOnline: probabilities.online,
        text: normalised,
      },
      memo.cyberFeatures,
    );
    // An online element needs a medium: one the rules' evidence named, however weak, or, for a crime the hinges
    // find cyber-dependent (hacking, malware), computer misuse itself.
    const mediumNamed =
      step1.medium !== null || step1.evidence.some((e) => e.medium !== null && e.weight > 0);
    const current = {
      online: step1.medium !== null,
      crime: category !== 'other' && category !== 'phishing-attempt',
    };
    // The category the blend gives under an online element and crime as the hinges decide them.
    const blended = (online: boolean, crime: boolean) =>
      consistentCategory(
        model.classes,
        probabilities.probabilities,
        step2.category,
        rulesRounded,
        online,
        crime,
        OFFLINE_CATEGORIES,
        rulesWeight,
      ).category;
    let decided = decideHinges(memo.cyber, features, current, true);
    if (decided !== null && decided.online && !mediumNamed) {
      const dependent = decided.crime && CATEGORIES[blended(true, true)].cyber === 'dependent';
      decided = dependent ? decided : decideHinges(memo.cyber, features, current, false);
      if (decided !== null && dependent)
        decided.reasons[0] = `${decided.reasons[0] ?? ''}; no medium was named, so it is computer misuse (a cyber-dependent crime)`;
    }
    if (decided !== null) {
      hinges = decided;
      category = blended(decided.online, decided.crime);
    }
  }
  const byHinges = hinges !== null && category !== step2.category;
  // Explained as the model's only where the answer is not the rules' (the hinges can turn the blend back to it).
  const changed = category !== step2.category;
  if (changed) {
    const decidedBy = explain(
      words,
      offenceWords,
      input.offence,
      category,
      model ?? NGRAM_MODEL,
      undefined,
      step2.category,
    ).map((w) => (w.startsWith('offence') ? w : `“${w}”`));
    // On a text of a word or two the model can read its own base rates, which no word of the text decided.
    reasons.unshift(
      decidedBy.length > 0
        ? `the n-gram model weighed more than the cues; the words that decided it: ${decidedBy.join(', ')}`
        : `the n-gram model weighed more than the cues; no word decided it: its base rates for ${CATEGORIES[category].label} outweighed too few words (“${words
            .filter((w) => w !== '.')
            .slice(0, 8)
            .join(' ')}”)`,
    );
  }
  if (hinges !== null) reasons.unshift(...hinges.reasons);
  const online = hinges === null ? rulesOnline : hingeOnline(rulesOnline, step1, hinges);
  // With the model, how sure is the blend: the rules' confidence as far as the model agrees with them (when it was
  // run). A model agreeing with "nothing matched" adds nothing: such a record stays least confident. Where the
  // hinges overturned the rules, how sure they were.
  const raw =
    hinges !== null && hinges.sure !== null
      ? hinges.sure
      : blended === null || (!byModel && nothingMatched)
        ? rulesRaw
        : Math.min(blended.score, onlineSure);
  const cyber = online.medium === null || category === 'other' ? 'none' : CATEGORIES[category].cyber;
  const extortion =
    byModel || byHinges
      ? category === 'hacking-extortion' || (base.extortion && EXTORTION_CATEGORIES.has(category))
      : base.extortion;
  const confidence =
    input.chosenCategory !== undefined
      ? base.confidence
      : calibrate(raw, offence === null ? 'narrative' : 'record');
  const categoryCues = changed
    ? [`model:${category}`]
    : step2.cue !== undefined
      ? [step2.cue]
      : base.cues === NONE
        ? []
        : base.cues;
  // One object literal, its keys in the order a spread of the cue-based answer gave them (answers are compared as
  // JSON): a spread then overwritten keys took the slow path on every record.
  return {
    category,
    cyber,
    code: recordingCode(category, extortion),
    confidence,
    extortion,
    vulnerable: base.vulnerable,
    reasons,
    cues: hinges === null ? categoryCues : [...hinges.cues, ...categoryCues],
    online,
    rawConfidence: Math.round(raw * 1000) / 1000,
  };
}

/** Whether a text has fewer than FEWEST_WORDS words. */
function fewWords(words: readonly string[]): boolean {
  let count = 0;
  for (const word of words) if (word !== '.' && ++count >= FEWEST_WORDS) return false;
  return true;
}

/**
 * The online element as the hinges decided it: none, the strongest medium the rules' evidence named, or, where none
 * was named, computer misuse (the hinges found a cyber-dependent crime).
 */
function hingeOnline(rules: OnlineResult, step1: OnlineDecision, hinges: HingeDecision): OnlineResult {
  const evidence = [...rules.evidence, { id: hinges.online ? 'model:online' : 'model:offline', words: '' }];
  if (!hinges.online) return { medium: null, media: [], evidence };
  if (rules.medium !== null) return { ...rules, evidence };
  const byMedium = new Map<Medium, number>();
  for (const e of step1.evidence)
    if (e.medium !== null && e.weight > 0)
      byMedium.set(e.medium, Math.max(byMedium.get(e.medium) ?? 0, e.weight));
  const media = [...byMedium.entries()]
    .sort((a, b) => b[1] - a[1] || MEDIA.indexOf(b[0]) - MEDIA.indexOf(a[0]))
    .map(([m]) => m);
  // No medium named: the hinges found a cyber-dependent crime, whose medium is computer misuse (classifyWith).
  if (media.length === 0) return { medium: 'computer-misuse', media: ['computer-misuse'], evidence };
  return { medium: media[0] ?? null, media, evidence };
}

/**
 * The weight of the rules' answer in the blend with the n-gram model (the model's probabilities weigh 1 − this).
 * Chosen on the development sets' out-of-fold predictions and compared on the held-out sets
 * (docs/classification.md, "Method chosen").
 */
export const RULES_WEIGHT = 0.6;
/**
 * Above this raw confidence the rules' category always wins the blend: another category scores at most
 * (1 − RULES_WEIGHT) × (1 − p) against RULES_WEIGHT × raw + (1 − RULES_WEIGHT) × p for the rules' own.
 */
const RULES_SURE = (1 - RULES_WEIGHT) / RULES_WEIGHT;
/** The same for narratives, with their own model (chosen by leave-one-set-out over the blind development sets). */
export const NARRATIVE_RULES_WEIGHT = 0.3;
const NARRATIVE_RULES_SURE = (1 - NARRATIVE_RULES_WEIGHT) / NARRATIVE_RULES_WEIGHT;

/**
 * Each category scores RULES_WEIGHT × the rules' raw confidence (for the rules' category only) plus
 * (1 − RULES_WEIGHT) × the model's probability; the best wins. A record with no online element keeps to the
 * categories that need none (step 2).
 */
function blendWithModel(
  model: NgramModel,
  rules: Category,
  rulesRaw: number,
  online: boolean,
  probabilities: Float64Array,
  rulesWeight: number,
  notOther = false,
): { category: Category; score: number } {
  let best: Category = 'other';
  let top = -1;
  model.classes.forEach((c, i) => {
    if (!online && c !== 'other' && !OFFLINE_CATEGORIES.has(c)) return;
    if (notOther && c === 'other') return;
    const s = (1 - rulesWeight) * (probabilities[i] ?? 0) + (c === rules ? rulesWeight * rulesRaw : 0);
    if (s > top) {
      top = s;
      best = c;
    }
  });
  return { category: best, score: top };
}
