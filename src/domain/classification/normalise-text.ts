/**
 * Text as the classifier reads it: lower case, accents folded, money and ages marked ("£1,400" → "money",
 * "aged 84" / "IP (84)" / "my 12 year old" → "age84" / "age12"), contractions expanded ("didn't" → "did not"),
 * sentence breaks kept as " . ", other punctuation gone, call-handler shorthand, text-speak and common Welsh
 * words mapped to plain English, and every longer token within a small edit distance of a known cue word
 * corrected to it ("facebok" → "facebook", "paypall" → "paypal").
 *
 * Pure and deterministic. Token corrections can be memoised in a bounded cache the caller owns (TokenCache),
 * because a batch import sees the same few thousand words millions of times; nothing is kept between calls
 * otherwise.
 */

import { CUE_VOCABULARY, ENGLISH_PHRASES, PROTECTED, SHORTHAND, WELSH_PHRASES } from './normalise-tables.ts';

function rewriteEnglish(text: string): string {
  let t = text;
  for (const [triggers, pattern, replacement] of ENGLISH_PHRASES)
    if (triggers.some((trigger) => t.includes(trigger))) t = t.replace(pattern, replacement);
  return t;
}

const VOCAB_BY_LENGTH = new Map<number, string[]>();
for (const word of new Set(CUE_VOCABULARY)) {
  const list = VOCAB_BY_LENGTH.get(word.length) ?? [];
  list.push(word);
  VOCAB_BY_LENGTH.set(word.length, list);
}
const VOCAB_SET = new Set(CUE_VOCABULARY);

/** Optimal string alignment distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prevPrev = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let row = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        v = Math.min(v, (prevPrev[j - 2] ?? 0) + 1);
      row[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    const spare = prevPrev;
    prevPrev = prev;
    prev = row;
    row = spare;
  }
  return prev[n] ?? max + 1;
}

const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ly', 'n'];

/** "messages" vs "message", "withdrawn" vs "withdraw": a real word form, not a typo. */
function isWordForm(token: string, word: string): boolean {
  const [shorter, longer] = token.length < word.length ? [token, word] : [word, token];
  return longer.startsWith(shorter) && SUFFIXES.includes(longer.slice(shorter.length));
}

function correctUncached(token: string): string {
  if (token.length < 5 || VOCAB_SET.has(token) || PROTECTED.has(token) || /[^a-z]/.test(token)) return token;
  const max = token.length >= 10 ? 2 : 1;
  for (let len = token.length - max; len <= token.length + max; len++) {
    for (const word of VOCAB_BY_LENGTH.get(len) ?? []) {
      if (word.charCodeAt(0) === token.charCodeAt(0) && editDistance(token, word, max) <= max)
        return isWordForm(token, word) ? token : word;
    }
  }
  return token;
}

const CACHE_LIMIT = 10_000;

const MEMORABLE_LENGTH = 40;

/** Memoised token corrections, owned by whoever classifies many texts (a batch import); never shared globally. */
export type TokenCache = Map<string, string>;

/**
 * Whether a word is worth a memo entry: not when it holds a digit (a crime reference, a time, an amount, a
 * number), as such words rarely come twice; remembered, each would outlive a few young-generation collections and
 * be promoted, to die in the old generation (memory and collection time on a long import). Nor when it is longer
 * than any real word: the intake's classifier keeps its memo between reports, and reports made of huge distinct
 * "words" would otherwise hold up to the memo's limit of them in memory.
 */
export function memorable(word: string): boolean {
  if (word.length > MEMORABLE_LENGTH) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
  }
  return true;
}

/** The token as the cues expect it: shorthand expanded, or a misspelling corrected. */
function mapToken(token: string, cache: TokenCache): string {
  let mapped = cache.get(token);
  if (mapped === undefined) {
    mapped = SHORTHAND.get(token) ?? correctUncached(token);
    if (memorable(token)) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(token, mapped);
    }
  }
  return mapped;
}

/** Number of capturing groups in a pattern's source. */
function countGroups(source: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && source.charAt(i + 1) !== '?') n++;
  }
  return n;
}

/**
 * Applies a list of rewrites in one pass: one combined regex, and each match replaced by the rule whose
 * alternative matched ($1..$9 refer to that rule's own groups).
 */
function rewriter(rules: readonly (readonly [RegExp, string])[]): (text: string) => string {
  const starts: number[] = [];
  let groups = 0;
  for (const [pattern] of rules) {
    starts.push(groups + 1);
    groups += 1 + countGroups(pattern.source);
  }
  const combined = new RegExp(rules.map(([pattern]) => `(${pattern.source})`).join('|'), 'g');
  return (text) =>
    text.replace(combined, (...args: unknown[]) => {
      for (let k = 0; k < rules.length; k++) {
        const at = starts[k] ?? 0;
        if (args[at] !== undefined) {
          const replacement = rules[k]?.[1] ?? '';
          return replacement.replace(/\$(\d)/g, (_, d: string) => {
            const value = args[at + Number(d)];
            return typeof value === 'string' ? value : '';
          });
        }
      }
      return typeof args[0] === 'string' ? args[0] : '';
    });
}

const AGE_UNIT =
  '(?![\\d,.:/]\\d| ?(?:%|am\\b|pm\\b|min|hour|hr|day|week|month|year|time|percent|pound|quid|k\\b|call|people|of\\b|in\\b|out\\b|x\\b|mile|page|message|text|email|follower|member|minute|second|extension))';

/*
 * Ages written the ways reporters and call handlers write them, marked as one token ("age84"): "84 yo",
 * "13yo", "aged 84", "IP 81.", "IP (72)", "(84, early dementia)", "she's 84", "my son is 12", "in her 80s".
 * Numbers are found first and their neighbours checked, which is much cheaper than scanning for every phrase.
 */
const AGE_NUMBER = /\b\d{1,2}(?!\d)/g;
const AGE_UNIT_AFTER = /^[ -]?(?:yo|y\/o|y\.o\.?|yrs?[ -]old|years?[ -]old|oed)\b/;
const AGE_WORD_BEFORE = /\baged? $/;
const AGE_PERSON_BEFORE =
  /(?:^|[^a-z'])(?:i'm|i am|im|she's|shes|she is|he's|hes|he is|who is|who's|is|was|am|turned|now|(?:mum|mam|mom|dad|mother|father|gran|nan|nana|grandma|grandad|grandpa|granny|husband|wife|son|daughter|aunt|uncle|brother|sister|partner|neighbour)'s) $/;
const AGE_NOT_AMOUNT_AFTER = new RegExp(`^${AGE_UNIT}`);
const AGE_VICTIM_BEFORE = /(?:^|[^a-z])(?:ip|ipp|victim) $/;
const AGE_VICTIM_AFTER = /^(?:[.,;)]|$| and\b| is\b| who\b| lives\b)/;
const AGE_BRACKET_BEFORE = /\((?:aged? )?$/;
const AGE_BRACKET_AFTER = /^(?:\)|,| yrs| years)/;
const AGE_DECADE = /\bin (?:his|her|their|my) (?:([789])0s|seventies|eighties|nineties)\b/g;
const DECADE_WORDS = new Map([
  ['seventies', '7'],
  ['eighties', '8'],
  ['nineties', '9'],
]);

function isAge(number: string, before: string, after: string): boolean {
  if (AGE_UNIT_AFTER.test(after)) return true;
  if (/^[a-z0-9]/.test(after)) return false;
  if (AGE_WORD_BEFORE.test(before)) return true;
  if (AGE_PERSON_BEFORE.test(before)) return AGE_NOT_AMOUNT_AFTER.test(after);
  if (number.length !== 2) return false;
  if (AGE_VICTIM_BEFORE.test(before)) return AGE_VICTIM_AFTER.test(after);
  return AGE_BRACKET_BEFORE.test(before) && AGE_BRACKET_AFTER.test(after);
}

function markAges(text: string): string {
  let t = text;
  if (/\d/.test(t))
    t = t.replace(AGE_NUMBER, (number: string, offset: number) =>
      isAge(
        number,
        t.slice(Math.max(0, offset - 12), offset),
        t.slice(offset + number.length, offset + number.length + 16),
      )
        ? ` age${number} `
        : number,
    );
  if (t.includes('0s') || t.includes('ties'))
    t = t.replace(AGE_DECADE, (phrase: string, digit: string | undefined) => {
      const decade = digit ?? DECADE_WORDS.get(phrase.slice(phrase.lastIndexOf(' ') + 1)) ?? '';
      return decade === '' ? phrase : ` age${decade}5 `;
    });
  return t;
}

/** Curly quotes and dashes as plain ASCII, and accents folded ("dêtio" → "detio"). */
function foldCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- plain ASCII needs no folding
  if (!/[^\x00-\x7f]/.test(text)) return text;
  return text
    .replace(/[’‘`´]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

const rewriteWelsh = rewriter(WELSH_PHRASES);
const WELSH_HINT =
  /\b(?:mae|wedi|yn|fy|ddim|roedd|ond|ces|ges|gan|nhw|rhywun|dywedodd|ffoniodd|talais|dalais|prynais|cwrddais|gofynnodd|anfonais|collais|chefais|ddaeth|o'r|i'r|hi'n|e'n)\b/;
const MONEY =
  /[£$€]\s?\d[\d,]*(\.\d+)?\s?(k|m|million|thousand|grand)?\b|\b\d[\d,]*(\.\d+)?\s?(k|pounds|gbp|quid|grand|dollars|euros)\b/g;
const CONTRACTIONS = /\b(won't|can't)|n't\b|'(s|d|ll|re|ve|m)\b|'/g;
const EXPANSIONS = new Map([
  ["won't", 'will not'],
  ["can't", 'can not'],
  ["n't", ' not'],
  ["'ll", ' will'],
  ["'re", ' are'],
  ["'ve", ' have'],
  ["'m", ' am'],
]);

/**
 * The normalised words of a text, in order (a mapped word may itself be two words, "didnt" → "did not").
 * Repeated words are the same string objects, which keeps later lookups cheap.
 */
export function normaliseWords(text: string, cache: TokenCache = new Map()): string[] {
  let t = rewriteEnglish(foldCharacters((text.length > 20_000 ? text.slice(0, 20_000) : text).toLowerCase()));
  if (WELSH_HINT.test(t)) t = rewriteWelsh(t);
  t = markAges(t);
  if (/\d/.test(t))
    t = t
      .replace(MONEY, ' money ')
      .replace(/(\d),(\d{3})\b/g, '$1$2')
      .replace(/(\d)\s?%/g, '$1 percent ');
  if (t.includes("'")) t = t.replace(CONTRACTIONS, (m) => EXPANSIONS.get(m) ?? '');
  t = t.replace(/[.!?;]+(?=\s|$)/g, ' | ').replace(/[^a-z0-9_| ]+/g, ' ');
  const out: string[] = [];
  for (const token of t.split(' ')) if (token !== '') out.push(token === '|' ? '.' : mapToken(token, cache));
  return out;
}

export function normaliseText(text: string): string {
  return normaliseWords(text).join(' ');
}
