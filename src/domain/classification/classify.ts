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
import { normaliseWords } from './normalise-text.ts';

export interface ClassificationInput {
  text: string;
  /** The journey's plain-language answer, already mapped to a category, when there is one. */
  chosenCategory?: Category;
  /** Vulnerability answers from the journey (e.g. over-70), when there are any. */
  vulnerability?: readonly string[];
}

export interface Classification {
  category: Category;
  cyber: CyberFlag;
  code: string;
  confidence: number;
  extortion: boolean;
  vulnerable: boolean;
  /** Which answers or phrases decided it, in plain words. */
  reasons: string[];
}

/*
 * Prefilter. Running ~90 regexes over every text is the slow part of classifying, and most of them cannot
 * match a given text. At load time each pattern is analysed for the word prefixes one of which must start a
 * word in any text it matches ("card", "transa", ...); a pattern whose text has none of them is skipped. The
 * analysis is conservative: a pattern it cannot reason about always runs, so results are the same either way.
 */
const MAX_PREFIX = 6;
const MIN_PREFIX = 2;

interface Item {
  atom: Atom;
  min: number;
  max: number;
}
type Atom =
  | { kind: 'char'; c: string }
  | { kind: 'boundary' }
  | { kind: 'look' }
  | { kind: 'group'; alts: Item[][] }
  | { kind: 'other' };

const isWordChar = (c: string): boolean => /^[a-z0-9_]$/.test(c);

/** A parser for the regex subset the cues use: enough to find literal words, conservative about the rest. */
function parse(source: string): Item[][] | null {
  // Position and health, in an object so the nested function's updates are visible to the checker.
  const at = { i: 0, ok: true };
  const alternatives = (): Item[][] => {
    const alts: Item[][] = [[]];
    while (at.i < source.length && at.ok) {
      const ch = source.charAt(at.i);
      if (ch === ')') return alts;
      if (ch === '|') {
        at.i++;
        alts.push([]);
        continue;
      }
      let atom: Atom;
      if (ch === '\\') {
        const next = source.charAt(at.i + 1);
        at.i += 2;
        if (next === 'b') atom = { kind: 'boundary' };
        else if (/[a-zA-Z0-9]/.test(next)) {
          if (next === 'u' || next === 'x' || next === 'c' || next === 'k' || next === 'p' || next === 'P')
            at.ok = false;
          atom = { kind: 'other' };
        } else atom = { kind: 'char', c: next };
      } else if (ch === '[') {
        at.i++;
        if (source.charAt(at.i) === '^') at.i++;
        if (source.charAt(at.i) === ']') at.i++;
        while (at.i < source.length && source.charAt(at.i) !== ']')
          at.i += source.charAt(at.i) === '\\' ? 2 : 1;
        at.i++;
        atom = { kind: 'other' };
      } else if (ch === '(') {
        let look = false;
        if (source.startsWith('(?:', at.i)) at.i += 3;
        else if (source.startsWith('(?=', at.i) || source.startsWith('(?!', at.i)) {
          at.i += 3;
          look = true;
        } else if (source.startsWith('(?<=', at.i) || source.startsWith('(?<!', at.i)) {
          at.i += 4;
          look = true;
        } else if (source.startsWith('(?<', at.i)) at.i = source.indexOf('>', at.i) + 1;
        else if (source.startsWith('(?', at.i)) {
          at.ok = false;
          at.i++;
        } else at.i++;
        const inner = alternatives();
        if (source.charAt(at.i) !== ')') at.ok = false;
        at.i++;
        atom = look ? { kind: 'look' } : { kind: 'group', alts: inner };
      } else if (ch === '^') {
        at.i++;
        atom = { kind: 'boundary' };
      } else {
        at.i++;
        atom = ch === '$' || ch === '.' ? { kind: 'other' } : { kind: 'char', c: ch };
      }
      let min = 1;
      let max = 1;
      const q = source.charAt(at.i);
      if (q === '?' || q === '*' || q === '+') {
        min = q === '+' ? 1 : 0;
        max = q === '?' ? 1 : Infinity;
        at.i++;
      } else if (q === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at.i));
        if (m) {
          min = Number(m[1]);
          max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? Infinity : Number(m[3]);
          at.i += m[0].length;
        }
      }
      if ((min !== 1 || max !== 1) && source.charAt(at.i) === '?') at.i++;
      alts[alts.length - 1]?.push({ atom, min, max });
    }
    return alts;
  };
  const result = alternatives();
  return at.ok && at.i >= source.length ? result : null;
}

/** Whether the next character, if a word character, starts a word after this item. */
function endsAtBoundary(item: Item, before: boolean): boolean {
  const { atom } = item;
  let taken: boolean;
  if (atom.kind === 'look') return before;
  if (atom.kind === 'boundary') taken = true;
  else if (atom.kind === 'char') taken = !isWordChar(atom.c);
  else if (atom.kind === 'group')
    taken = atom.alts.every((seq) => seq.reduce((b, it) => endsAtBoundary(it, b), before));
  else taken = false;
  return item.min === 0 ? before && taken : taken;
}

/** Words so common that a pattern keyed on them would run for almost every text. */
const COMMON = new Set(
  'a an and are as at be been but by can did do for from had has have he her him his i if in is it its me my no not of on or our she so that the their them they this to up was we were will with you your'.split(
    ' ',
  ),
);

/** A needle is a word prefix ("transa") or, written "=word", a whole word. */
function cost(needles: readonly string[]): number {
  let total = 0;
  for (const needle of needles) {
    const exact = needle.startsWith('=');
    const word = exact ? needle.slice(1) : needle;
    total += (exact ? 1 : 2) + (COMMON.has(word) ? 40 : 0) + (!exact && word.length <= 3 ? 8 : 0);
  }
  return total;
}

/** The cheapest set of needles one of which any match of the sequence must contain, or null. */
function sequenceNeedles(seq: Item[], atStart: boolean): string[] | null {
  let boundary = atStart;
  let best: string[] | null = null;
  const consider = (needles: string[] | null): void => {
    if (needles !== null && (best === null || cost(needles) < cost(best))) best = needles;
  };
  for (let k = 0; k < seq.length; k++) {
    const item = seq[k];
    if (item === undefined) break;
    if (item.min >= 1) {
      if (item.atom.kind === 'char' && boundary && item.max === 1 && isWordChar(item.atom.c)) {
        let run = '';
        let j = k;
        for (; j < seq.length; j++) {
          const x = seq[j];
          if (x?.atom.kind === 'char' && x.min === 1 && x.max === 1 && isWordChar(x.atom.c)) run += x.atom.c;
          else break;
        }
        const next = seq[j];
        const exact =
          next !== undefined &&
          next.min >= 1 &&
          (next.atom.kind === 'boundary' || (next.atom.kind === 'char' && !isWordChar(next.atom.c)));
        if (exact) consider([`=${run}`]);
        else if (run.length >= MIN_PREFIX) consider([run.slice(0, MAX_PREFIX)]);
      }
      if (item.atom.kind === 'group') consider(alternativesNeedles(item.atom.alts, boundary));
    }
    boundary = endsAtBoundary(item, boundary);
  }
  return best;
}

function alternativesNeedles(alts: Item[][], atStart: boolean): string[] | null {
  const out: string[] = [];
  for (const seq of alts) {
    const needles = sequenceNeedles(seq, atStart);
    if (needles === null) return null;
    out.push(...needles);
  }
  return out;
}

/**
 * Needles one of which any text the pattern matches must contain as a word ("=card") or word prefix
 * ("transa"), or null when the pattern gives no such guarantee (it then always runs).
 */
function requiredNeedles(pattern: RegExp): string[] | null {
  if (pattern.flags.replace(/[gy]/g, '') !== '') return null;
  const alts = parse(pattern.source);
  if (alts === null) return null;
  const needles = alternativesNeedles(alts, false);
  return needles === null ? null : [...new Set(needles)];
}

/** One top-level alternative of a pattern, with its prefilter id. */
interface Part {
  re: RegExp;
  id: number;
}

/** A pattern split into its top-level alternatives: it matches when any part does. */
interface Gated {
  parts: readonly Part[];
  /** The whole pattern, for replace(). */
  re: RegExp;
}

const NEEDLE_INDEX = new Map<string, number[]>();
const UNGATED: number[] = [];
let gateCount = 0;

/** Splits a pattern's source at its top-level "|". */
function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/**
 * The same pattern for text padded with spaces: a leading "\b" before a word becomes a space, which the regex
 * engine scans for far faster. Normalised text separates every word with one space, so this matches the same
 * texts (the match gains a leading space).
 */
function spaceAnchored(re: RegExp): RegExp {
  const source = topLevelAlternatives(re.source)
    .map((alt) => (alt.startsWith('\\b') && /^\\b[a-z0-9(]/.test(alt) ? ` ${alt.slice(2)}` : alt))
    .join('|');
  return new RegExp(source, re.flags);
}

/** Registers a pattern with the prefilter. */
function gate(pattern: RegExp): Gated {
  const parts = topLevelAlternatives(pattern.source).map((source): Part => {
    const alternative = new RegExp(source, pattern.flags);
    const id = gateCount++;
    const needles = requiredNeedles(alternative);
    if (needles === null) UNGATED.push(id);
    else
      for (const needle of needles) {
        const ids = NEEDLE_INDEX.get(needle);
        if (ids === undefined) NEEDLE_INDEX.set(needle, [id]);
        else ids.push(id);
      }
    return { re: spaceAnchored(alternative), id };
  });
  return { parts, re: pattern };
}

/** Patterns that may match the current text (scratch state for one synchronous classify call). */
let active = new Uint8Array(0);

const ACTIVATION_CACHE_LIMIT = 50_000;
const activationCache = new Map<string, readonly number[]>();

/** The patterns a word can activate. */
function idsFor(token: string): readonly number[] {
  let ids = activationCache.get(token);
  if (ids === undefined) {
    const found = new Set<number>();
    for (const word of token.split(' ')) {
      for (const id of NEEDLE_INDEX.get(`=${word}`) ?? []) found.add(id);
      const end = Math.min(MAX_PREFIX, word.length);
      for (let length = MIN_PREFIX; length <= end; length++)
        for (const id of NEEDLE_INDEX.get(word.slice(0, length)) ?? []) found.add(id);
    }
    ids = [...found];
    if (activationCache.size >= ACTIVATION_CACHE_LIMIT) activationCache.clear();
    activationCache.set(token, ids);
  }
  return ids;
}

function activate(words: readonly string[]): void {
  if (active.length !== gateCount) active = new Uint8Array(gateCount);
  else active.fill(0);
  for (const id of UNGATED) active[id] = 1;
  for (const word of words) for (const id of idsFor(word)) active[id] = 1;
}

function test(g: Gated, text: string): boolean {
  for (const part of g.parts) if (active[part.id] === 1 && part.re.test(text)) return true;
  return false;
}

/** The first part's match (parts in the pattern's order), or null. */
function exec(g: Gated, text: string): RegExpExecArray | null {
  for (const part of g.parts) {
    if (active[part.id] !== 1) continue;
    const m = part.re.exec(text);
    if (m !== null) return m;
  }
  return null;
}
interface Cue {
  pattern: Gated;
  weight: number;
  label: string;
}

const cue = (pattern: RegExp, weight: number, label: string): Cue => ({
  pattern: gate(pattern),
  weight,
  label,
});

/*
 * Patterns run on normalised text (see normaliseText): lower case, single spaces, " . " between sentences,
 * amounts as "money", ages as "age84", shorthand and Welsh keywords already in plain English. "\w+ " never
 * crosses a sentence break, so "(?:\w+ ){0,3}" means "up to three words in the same sentence".
 */
const SOCIAL =
  '(?:facebook|instagram|snapchat|tiktok|twitter|x account|linkedin|whatsapp|discord|messenger|youtube|telegram|reddit|twitch|social media|yahoo(?: email)?|gmail|hotmail|outlook|aol|email|emails|google|uni email|work email|inbox)';
const PERSONAL =
  '(?:laptop|computer|pc|mac|macbook|phone|mobile|tablet|ipad|iphone|android|router|wifi|home network|webcam|camera|cameras|doorbell|ring account|ring app|nest|hive|arlo|alexa|smart \\w+|heating|nas|netflix|disney|spotify|steam|playstation|psn|xbox|nintendo|fortnite|roblox|minecraft|epic games|epic|ubisoft|battle net|valorant|riot|league of legends|call of duty|activision|blizzard|runescape|ea|gaming|deliveroo|just eat|uber|uber eats|sky|sky go|now tv|prime video|audible|amazon|apple id|icloud|onedrive|dropbox|universal credit|government gateway|password manager|cctv|security system|alarm system|live feeds?|tesla|car app|chromebook|device)';
const ORG =
  '(?:our|company|business|firm|school|college|university|council|charity|surgery|practice|hospital|club|organisation|hotel|shop|staff|corporate|office|employer|trust|academy|nursery|church|clinic|pharmacy|retailer)';
const ORG_SYSTEM =
  '(?:website|web site|site|server|servers|network|systems?|database|crm|sharepoint|microsoft 365|office 365|google workspace|workspace|aws|azure|cloud|cloud storage|tenancy|booking system|membership system|mis|portal|admin account|admin portal|intranet|records|mailbox|mailboxes|hosting|domain|wordpress|checkout|payroll|file share|vpn|page|platform|account|panel|admin panel|control panel|backend|back end|dashboard|store|app)';
const AUTHORITY =
  '(?:bank|banks|fraud (?:team|department|dept)|security team|bank security|police|scotland yard|policeman|officer|detective|dc|ds|met police|hmrc|home office|tax office|dwp|court|bailiffs?|solicitor|water company|electricity|energy (?:company|supplier)|gas company|utility|tv licensing|dvla|immigration|embassy|national crime agency|amazon|council)';
const BANKS =
  '(?:online banking|banking app|bank app|bank account|bank|paypal|revolut|monzo|starling|klarna|clearpay|chase|wise|halifax|barclays|natwest|lloyds|santander|hsbc|nationwide|tsb|metro bank|first direct|credit union|building society)';
const RELATIVE =
  '(?:son|daughter|grandson|granddaughter|cousin|nephew|niece|sister|brother|mum|dad|friend|boss|manager|support worker)';

/** Phrases that point to each category, with weights and the plain words used to explain them. */
const CUES: Readonly<Record<Category, readonly Cue[]>> = {
  'hacking-social-email': [
    cue(
      new RegExp(
        `\\b${SOCIAL}(?: (?:account|accounts|page|profile|messenger))? (?:(?:\\w+ ){0,7}?(?:was|were|has been|had been|have been|got|been|is|being|has|had) )?(?:hacked|compromised|breached|taken over|accessed|hijacked|logged into|broken into)`,
      ),
      4,
      'an email or social media account was taken over',
    ),
    cue(
      new RegExp(
        `\\b(?:hacked|hacking|compromise of|compromised|hijacked|taken over|took over|taken control of|took control of|control of|unauthorised (?:access|login|log in) to|(?:can not|could not|unable to) (?:log|get|sign) (?:in|into|in to|back into)|got into|get into|logged into|logging into|locked (?:me )?out of|access to|is in|are in|reset) (?:my |her |his |their |the |our |victim |victims |someone |my husband |my wife |my son |my daughter )?(?:own |personal |business |small business |uni |work |main )?(?:account |accounts )?${SOCIAL}\\b`,
      ),
      4,
      'someone got into an email or social media account',
    ),
    cue(
      /\b(?:changed|changing|reset) (?:my |the |her |his )?(?:password|email|recovery|username|profile|phone number|2fa|two factor)\w*\b|\b(?:password|recovery \w+|email|email address|phone number|username)\b(?: \w+){0,3} (?:was|were|had been|has been|have been) changed\b|\bcan not (?:get|log) (?:back )?in\b|\blocked out\b|\bregained\b|\brecover(?:ed|y)? (?:the |my )?account\b|\blogin alert\b|\bforwarding rules?\b|\bauto ?forward\w*|\b(?:sign ?in|log ?in|login) (?:\w+ ){0,2}from\b|\b(?:i|we) (?:did not|never) (?:write|send|sent|post|posted)\b/,
      1.5,
      'the password or recovery details were changed',
    ),
    cue(
      /\b(?:posting|posted|sending|sent|messaging|spamming|spam) (?:\w+ ){0,4}(?:from (?:my|her|his|the|it|their) (?:own )?(?:account|page|profile|email)|to (?:all )?(?:my|her|his|their) (?:friends|contacts|followers|connections|address book|servers))|\b(?:my|her|his) (?:account|page|email) (?:is |was |has been |keeps )?(?:sending|posting|messaging|spamming)\b|\bis this you\b|\bgiveaway\b|\bfake job offers\b|\b(?:account|email|gmail|hotmail|outlook|yahoo|facebook|instagram|whatsapp) (?:\w+ ){0,2}(?:sent|sending|is sending|has sent|posted|posting) (?:out )?(?:\w+ ){0,3}(?:spam|emails|messages|links|posts)\b/,
      2,
      'messages were sent from the account',
    ),
  ],
  'hacking-personal': [
    cue(
      new RegExp(
        `\\b${PERSONAL}(?: account| accounts| app| system| settings| profile)? (?:\\w+ ){0,2}?(?:was |were |has been |had been |have been |got |been |is being |being )?(?:hacked|compromised|accessed|taken over|broken into|hijacked|breached|infiltrated)|\\b${PERSONAL} (?:account|accounts|login|profile|details) (?:was |were |has been |got |been )?stolen`,
      ),
      3,
      'a personal device or online account was accessed',
    ),
    cue(
      new RegExp(
        `\\b(?:someone|somebody|hacker|hackers|they|he|she|ex|partner|neighbour|man|stranger|suspect|offender|fraudster|scammer|unknown \\w+|person|criminals?)\\w* (?:\\w+ ){0,4}(?:got into|gets into|accessed|accessing|hacked|hacking|logging into|logged into|logs into|controlling|took control of|went into|went through|into|(?:has |have |had )?been (?:in|on|using)|is (?:in|using)|(?:are|were) (?:in|using)) (?:my|her|his|their|our|the|victim|victims) (?:(?:son|daughter|husband|wife|partner|child|mum|dad|mother|father|grandson|granddaughter) s )?(?:home |own |personal |school )?${PERSONAL}`,
      ),
      3,
      'someone got into a personal device or account',
    ),
    cue(
      /\b(?:someone is|somebody is|someone s|there is someone) in my (?:laptop|computer|pc|phone|network)\b|\bmouse (?:moves|moving|moved)\b|\bon (?:its|their) own\b|\bby (?:itself|themselves)\b|\b(?:device|login|log in|sign in|session) (?:in|from) (?:another|a different|a strange|an unknown) (?:city|country|town|location)\b|\b(?:login|sign in|logins|sessions?) from (?:a |an )?(?:device|city|location|country|place|iphone|phone)|\bunknown devices?\b|\bdevice i (?:do not|don t) (?:know|own|recognise)|\b(?:voice|talking|speaking|shouting) (?:\w+ ){0,3}through (?:the |our |my )?(?:\w+ )?(?:camera|doorbell|speaker|baby monitor)\b|\bport forwarding\b|\bfingerprint\b|\bsign in email\b|\blog ?ins? (?:i|we) (?:did not|do not) (?:make|recognise)\b|\b(?:watching|viewing) (?:\w+ ){0,2}(?:camera|cameras|footage)\b|\bdevices? (?:\w+ ){0,4}(?:i|we) (?:do not|did not) (?:recognise|know)\b|\b(?:router|wifi|camera|doorbell|heating|account|device) (?:settings|password|admin \w+) (?:\w+ ){0,2}(?:were|was|have been|has been|keep being) changed\b|\b(?:accessing|accessed|using|controlling) (?:it|them|his \w+|her \w+|my \w+) remotely\b|\bremotely accessed\b|\bpassword manager\b|\b(?:which|that) (?:i|we) (?:did not|never) (?:do|make|request|change|authorise)\b|\bguessed (?:my|her|his|the) password\b|\b(?:someone|somebody|they|he|she) (?:has|had|got|knows) (?:my|her|his) (?:login|log in|password|details)\b|\b(?:two factor|2fa|two step|multi factor) (?:\w+ ){0,2}(?:turned off|disabled|removed|switched off)\b|\bnew (?:user|users|voice profiles?|profiles?) (?:\w+ ){0,4}(?:i|we) (?:did not|never) (?:set up|add|create)\w*/,
      2.5,
      'signs of someone else using the device or account',
    ),
    cue(
      new RegExp(
        `\\b(?:unauthorised access|unauthorised login|unauth access|gained access|access|compromise of) (?:to |of |into )?(?:my |her |his |their |the |victim |victims )?(?:personal |home |own )?${PERSONAL}`,
      ),
      2.5,
      'someone got into a personal device or account',
    ),
    cue(/\bunauthorised access\b|\bremote desktop\b/, 1.5, 'unauthorised access'),
    cue(
      /\b(?:account|accounts|login|profile) (?:\w+ ){0,2}(?:was |were |has been |had been |got )?(?:hacked|hijacked|compromised|taken over|breached|stolen|accessed)\b|\b(?:taken over|took over|hijacked|hacked|got into|accessed|logging into|logged into) (?:my|her|his|their) (?:\w+ ){0,3}(?:account|accounts|login|profile)\b|\b(?:added|new) (?:a |an )?(?:new )?(?:admin|user|users|device|devices|member)\b (?:\w+ ){0,5}(?:i|we) (?:never|did not)\b|\b(?:i|we) (?:never|did not) (?:do|did) (?:that|this)\b/,
      1.5,
      'an online account was taken over',
    ),
    cue(/\b(?:hacked|hacker|hacking|accessed|logging into|logged into)\b/, 0.5, 'access without permission'),
  ],
  'hacking-server': [
    cue(
      new RegExp(
        `\\b${ORG}\\w* (?:\\w+ ){0,3}?${ORG_SYSTEM} (?:\\w+ ){0,4}?(?:was |were |has been |had been |have been |got |been |is |being )?(?:hacked|breached|compromised|accessed|defaced|taken over|exfiltrated|injected|logged into|infiltrated|leaked|posted|published|deleted|wiped)`,
      ),
      4,
      'an organisation’s systems were accessed',
    ),
    cue(
      new RegExp(
        `\\b(?:hacked|accessed|breached|compromised|got into|broke into|broken into|infiltrated|defaced|took over) (?:into )?(?:our|the company|the business|the school|the council|the charity|the surgery|the practice|the club) (?:\\w+ ){0,2}?${ORG_SYSTEM}\\b`,
      ),
      4,
      'an organisation’s systems were accessed',
    ),
    cue(
      /\b(?:data breach|breach of|customers? (?:card )?(?:data|database|list|records|details|numbers)|client (?:data|list|records|files)|patient (?:data|records|details)|student records|pupil records|member(?:ship)? (?:data|database|list|records)|donor (?:list|data|database)|staff (?:data|records)|personal data|(?:data|records|database|files) (?:\w+ ){0,2}(?:stolen|exfiltrated|leaked|downloaded|posted|published|dumped)|exfiltrat\w*|defaced|sql injection|malicious code|redirecting visitors|admin (?:password|account|credentials|portal|panel)|former (?:employee|contractor|member of staff|staff member|developer|supplier|it \w+)|ex (?:employee|contractor|staff)|still had access|had access to (?:our|the)|leaked (?:access )?keys|access keys|new user accounts|threat actor)\b/,
      2.5,
      'data was taken from an organisation’s systems',
    ),
    cue(
      new RegExp(
        `\\b(?:unauthorised access|access|accessed|breach|compromise|intrusion) (?:to|of|into) (?:its|their|our|the (?:council|company|school|firm|charity|trust|practice|business) s) (?:\\w+ ){0,2}${ORG_SYSTEM}\\b|\\bcompromised (?:\\w+ ){0,2}(?:vpn|contractor|supplier|admin) (?:\\w+ )?account\\b`,
      ),
      3,
      'an organisation’s systems were accessed',
    ),
    cue(
      /\b(?:microsoft 365|office 365|365 mailbox\w*|google workspace|sharepoint|tenancy|aws|azure|crm|staff (?:email|mailbox\w*|portal)|company (?:email|server|network|website|site|database)|hosting (?:account|acct|provider|company)|web developer|wordpress|plugin|messaging (?:system|platform)|(?:patients|customers|clients|pupils|parents|members|donors|users|staff|employees) (?:\w+ ){0,3}(?:received|got|were sent|reported))\b/,
      1.5,
      'an organisation’s systems or cloud',
    ),
  ],
  'hacking-pbx': [
    cue(
      /\b(?:pbx|voip|sip|phone system|telephone system|telephony|phone line provider|phone provider|switchboard|dial through|toll fraud|call forwarding|extension (?:passwords?|numbers?|\d+)|extensions|voicemail|outbound routes?)\b/,
      3,
      'a business phone system',
    ),
    cue(
      /\b(?:calls?|calling|call volume|minutes) (?:\w+ ){0,3}(?:premium|international|overseas|abroad|satellite|foreign)|\b(?:premium rate|premium|international|overseas|satellite) (?:rate )?(?:numbers|calls|destinations|phone numbers)\b|\bphone bill\b|\bmake calls\b|\brouting (?:their )?calls\b|\b(?:made|making) (?:\w+ ){0,4}calls\b|\bcalls (?:were |being )?made\b|\b(?:hundreds|thousands) of (?:\w+ )?calls\b|\bcall charges\b/,
      3.5,
      'calls to premium or international numbers',
    ),
  ],
  'hacking-extortion': [
    cue(
      /\bransomware\b(?! like)|\bransom note\b|\b(?:encrypted|locked) (?:all )?(?:our |the |my |his |her |their )?(?:files|data|systems?|servers?|workstations|computers?|network|drives?|photos)|\b(?:files|data|photos|documents|drives?)\b(?: \w+){0,3} (?:encrypted|locked)\b|\b(?:systems?|servers?|workstations|computers?|everything|nas|booking system|network|laptop|pcs?)\b(?: \w+){0,3} encrypted\b|\bdecrypt\w*|\bencryption of (?:\w+ ){0,3}(?:files|data|systems?|servers?|network|drives?|computers?)|\bunlock (?:my |our |his |her |the |their )?(?:files|data|computer|systems?|photos)|\blockbit\b|\bleak site\b|\bstrange extension\b/,
      6,
      'ransomware or encrypted files',
    ),
    cue(
      /\b(?:publish|leak|release|sell|dump|expose)\w* (?:\w+ ){0,4}(?:data|files|records|information|everything|emails|tax returns|details|customer data)\b|\b(?:unless|or) (?:\w+ ){0,6}(?:publish|leak|release|sell|dump|expose)\w*\b|\b(?:give|get|have|hand) (?:it|them|access|(?:the|my|our|his|her) (?!money|refund|deposit|cash|savings)\w+) back\b|\b(?:returned|restored) for\b|\bfor (?:its|their) return\b|\bto restore (?:it|them|the \w+|our \w+|access)\b/,
      3,
      'a demand for payment to get access back or stop a leak',
    ),
  ],
  malware: [
    cue(
      /\b(?:virus|viruses|malware|trojan|spyware|keylogger|key logger|cryptominer|crypto miner|adware|rootkit|infostealer|info stealer|worm|emotet|malicious (?:app|software|program|file|attachment|extension)|stalkerware|ransomware like|(?:unknown|strange|suspicious|hidden|unfamiliar) (?:app|apps|program|programs|software)|cryptocurrency miner|mining (?:software|malware|program)|(?:app|apps|program|programs|software) (?:\w+ ){0,2}(?:i|we|she|he) (?:did not|never) (?:install|download)\w*)\b/,
      3.5,
      'malicious software',
    ),
    cue(
      /\b(?:infected|infection|antivirus (?:\w+ ){0,3}(?:found|flagged|detected|says|quarantined|popping|keeps)|(?:flagged|detected|found|quarantined|blocked) by (?:the |our |my )?(?:antivirus|anti virus|defender|security software)|quarantined|browser extension|search results|homepage (?:has )?changed|tabs? (?:keep|keeps) opening|injecting ads|running slow|really slow|so slow|cracked (?:game|software)|game mod|free cleaner|apk|usb stick|browser hijack\w*|forwarding (?:my|her|his|their) (?:texts|messages|calls|emails)|cpu (?:\w+ ){0,2}(?:100|maxed|high)|fan (?:\w+ ){0,2}(?:mad|loud|constantly|non stop)|fake (?:\w+ )?update|adverts? (?:\w+ ){0,3}(?:lock screen|home screen|everywhere)|(?:can not|cannot|unable to) (?:delete|remove|uninstall) (?:it|them|the app|this app)|search(?:es)? (?:\w+ ){0,3}(?:redirect\w*|go to|going to|hijacked)|redirect\w* (?:\w+ ){0,2}to (?:a |an )?(?:weird|strange|different|dodgy|unknown)|reimaged|isolated|(?:app|program|software|extension) (?:\w+ ){0,5}(?:sends|sending|sent) (?:\w+ ){0,3}(?:messages|texts|emails|sms)|(?:app|apps|program|programs) (?:\w+ ){0,2}(?:i|we) (?:did not|never) install\w*)\b/,
      1.5,
      'signs of an infected device',
    ),
    cue(
      /\b(?:downloaded|installed|opened|plugged in|clicked on) (?:\w+ ){0,4}(?:program|programme|app|file|attachment|extension|game|mod|apk|software|usb|cleaner|converter|toolbar|plugin|crack|keygen|torrent|tool)\b/,
      1.5,
      'something was downloaded or installed',
    ),
    cue(/\bpop ?ups?\b|\bpopping up\b|\badverts\b/, 0.5, 'pop-ups'),
  ],
  'denial-of-service': [
    cue(
      /\bddos\w*|\bdenial of service\b|\bdos attack\b|\bbooter\b|\bstresser\b|\bbotnet\b|\bvolumetric\b|\b(?:flood|flooded|flooding|overwhelmed|bombarded|hammered|swamped|hit)\b[^.]{0,40}\b(?:traffic|requests|emails|connections|packets)\b|\b(?:traffic|request|email) (?:flood|spike|surge)\b|\b(?:amounts?|volumes?|lots|masses|waves|millions|thousands) of (?:\w+ )?(?:traffic|requests|connections)\b|\b(?:fake|junk|bot|malicious) traffic\b|\boverwhelmed by (?:an |a )?(?:attack|traffic|requests)\b|\b(?:flooded|flooding|overwhelmed) (?:\w+ ){0,2}(?:offline|down)\b/,
      5,
      'a website or service was flooded offline',
    ),
    cue(
      /\b(?:knock\w*|kick\w*|boot\w*|take|taking|took|bring\w*|brought|keeps? taking) (?:\w+ ){0,4}(?:offline|down)\b|\btaken offline (?:\w+ ){0,2}by\b/,
      3,
      'a service was knocked offline',
    ),
    cue(
      /\b(?:internet|connection|site|website|server|service|services|network) (?:\w+ ){0,2}(?:cuts? out|dropped|drops|went down|go down|goes down|going down|keeps going down|offline|unavailable|unusable|attacked|under attack)\b|\bunavailable\b|\bunusable\b/,
      1,
      'a service went down',
    ),
  ],
  'online-shopping-fraud': [
    cue(
      /\b(?:never|not|nothing|no) (?:\w+ ){0,2}(?:arrived|came|come|turned up|delivered|received|showed up|got (?:it|them|the|my))\b|\b(?:did not|never) (?:get|receive) (?:in|it|them|the|my)\b|\bno (?:item|goods|delivery|parcel|puppy|kitten|dog|car|vehicle|keys|tickets?|order|sign of)\b|\b(?:arrived|turned up|they are|theyre|it was|they were|item was|goods were|tickets were|ticket was) (?:\w+ ){0,2}(?:fake|fakes|counterfeit|replica|nothing like)|\bcounterfeit\b|\bnothing like the (?:pictures|photos|description)\b|\bfake (?:goods|designer|shop|website|seller|listing|advert|buyer)\b|\b(?:tickets|barcodes?) (?:\w+ ){0,2}(?:invalid|fake|duplicate)|\b(?:landlord|seller|owner|company|shop|property|flat|house|villa|website|business) (?:\w+ ){0,2}(?:does not|did not|doesn t) (?:exist|own)|\bnever (?:existed|for rent|for sale)\b/,
      3,
      'goods or tickets paid for never came or were fake',
    ),
    cue(
      /(?:^ |\. |\b(?:i|we|victim|he|she|dad|mum|son|daughter|they|grandmother|grandfather|husband|wife|business|company|age\d+)(?: \w+){0,2} )(?:bought|buying|purchased|ordered|booked|paid (?:\w+ ){0,3}(?:for|deposit|first month|rent)|paid by_card|rented|hired|selling|sold|responded to (?:an )?advert|viewed|found (?:a|an) \w+)\b|\b(?:deposit (?:for|on)|holding deposit|to rent|for rent|for sale|escrow|the seller|the buyer|fake buyer|a buyer|buyer (?:said|sent|paid|opened|claimed))\b/,
      2,
      'the victim bought or sold something',
    ),
    cue(
      /\b(?:marketplace|ebay|gumtree|vinted|depop|shpock|preloved|etsy|auction|listing|listings|advert|advertised|ad|resale site|online shop|instagram shop|online store|online jeweller|website selling|used car site|too good to be true|half price|\d+ percent off|discount)\b/,
      1.5,
      'an online shop, advert or marketplace',
    ),
    cue(
      /\b(?:puppy|puppies|kitten|kittens|dog|car|van|caravan|motorhome|motorbike|bike|tickets?|concert|festival|gig|holiday|villa|apartment|flat|rental|sofa|furniture|iphone|ps5|ps4|console|trainers|laptop|tyres|wheels|hot tub|shirts?|dress|ring|airpods|hairdryer|machine|scooter|greenhouse|skins|coat|designer|makeup|goods|item|parcel|order)\b/,
      0.5,
      'something bought',
    ),
    cue(
      /\b(?:blocked me|blocked him|has blocked|deleted (?:his|her|their|the) (?:profile|account|page|listing)|(?:account|page|site|website|number|profile|numbers) (?:\w+ ){0,2}(?:gone|vanished|disappeared|deleted|dead|disconnected)|(?:emails?|email address) (?:\w+ ){0,2}bounce\w*|uncontactable|rings out|domain for sale|chargeback|proof of (?:delivery|postage)|empty box|payment received|screenshot of (?:a |the )?(?:bank )?transfer|refunded (?:them|him|her|the buyer))\b/,
      1,
      'the seller vanished or the buyer lied',
    ),
  ],
  'investment-fraud': [
    cue(/\b(?:invest|invested|investing|investment|investments|investor)\b/, 3, 'money was invested'),
    cue(
      /\b(?:broker|brokers|forex|fx|portfolio|dividends?|shares|stocks|bonds?|pension|pensions|ipo|isa|annuity|fca|clone firm|cold call\w*)\b/,
      3,
      'shares, bonds, pensions or a broker',
    ),
    cue(
      /\b(?:trading|trade|trades|trader|staking|mining contract|mining pool|token|tokens|nfts?|rug pulled|rug pull|signals|moons|land|plots|planning permission|carbon credits|fine wine|gold|vault|peer to peer|yield|fixed rate|account manager|dashboard|double it|ponzi|pyramid|treasury|clone firm|fca|profits?|returns)\b/,
      2,
      'trading, shares, pensions or a scheme',
    ),
    cue(
      /\b(?:guaranteed (?:\w+ ){0,3}(?:returns?|bond|profit|daily)|\d+ percent (?:a |per |each )?(?:year|month|week|day|monthly|daily|weekly|annually|returns?|profit)|(?:returns?|interest|yield|profit) of \d+|at \d+ percent|trading platform|crypto(?:currency)? (?:trading|scheme|platform|app|investment|exchange|thing|firm|signals)|investment (?:club|firm|company|platform|bank|scheme|manager|opportunity)|(?:can not|could not|unable to|not able to|would not let (?:me|him|her|us)|tried to|try to) withdraw|withdraw(?:al)? (?:\w+ ){0,3}(?:fee|tax|pending|button|blocked|frozen)|(?:tax|fee) (?:\w+ ){0,4}before (?:\w+ ){0,3}withdraw\w*|showed (?:\w+ ){0,3}(?:profits?|gains|returns)|helped (?:me|her|him|us) (?:to )?(?:open|set up|create) (?:an? )?(?:\w+ )?(?:account|wallet)|displayed profits|(?:never )?paid (?:anything )?out|account (?:is |was )?frozen|upgrad\w* to vip|managed account|unable to sell|returns at first|planning (?:potential|permission)|green belt|land ?banking|staking rewards|rug pull\w*)\b/,
      3,
      'a fake investment that would not pay out',
    ),
    cue(
      /\b(?:cryptocurrency|bitcoin|ethereum|tether|binance|coinbase|wallet|cold call\w*)\b/,
      0.5,
      'cryptocurrency',
    ),
  ],
  'romance-fraud': [
    cue(
      /\b(?:dating|tinder|bumble|hinge|match com|plenty of fish|pof|zoosk|eharmony|online relationship|relationship|(?<!ex )(?:boyfriend|girlfriend)|fiance\w*|fell in love|in love|loves? me|loved me|sweetheart|romance|romantic|marry|married|marriage|proposed|wedding|widower|soldier|army|oil rig|loves (?:her|him)|met (?:\w+ ){0,3}?(?:on|via|through) (?:a |an |the )?(?:\w+ )?(?:app|site|website|game|games|gaming|chat|forum|facebook|instagram|insta|snapchat|tiktok|twitter|linkedin|whatsapp|telegram|discord|online|internet|social media|words with friends|scrabble)|peacekeeper|deployed|stranded abroad|never met|never (?:met|seen) (?:him|her|them) in person|good morning every day|talking (?:to|with) (?:\w+ ){0,3}(?:for|every day)|chatted for|talked every day|met (?:a |this |the )?(?:man|woman|guy|girl|lady|someone|him|her|male|female|suspect)? ?(?:\w+ ){0,2}(?:online|on (?:a |an )?(?:dating|app|facebook|instagram|snapchat|tiktok|game|website|site|social media|insta))|match asked|(?:talking|chatting|speaking|messaging) (?:to |with |2 )?(?:\w+ ){0,4}(?:for )?(?:\d+|a few|several|many) (?:weeks|months|years)|(?:she|he) never (?:came|turned up|arrived))\b/,
      3,
      'a relationship that started online',
    ),
    cue(
      /\b(?:flights?|plane ticket|plane|visa|customs|medical bill|hospital bills?|surgery|rent|bail|leave request|quarantine|contract exit|gift cards|stuck at the airport|stranded|mugging|his belongings|gold shipment|bank account was frozen|to come and see|to visit|to move in|borrow)\b/,
      1,
      'money asked for a personal emergency or visit',
    ),
  ],
  'advance-fee-fraud': [
    cue(
      /\b(?:lottery|prize|won|win|winner|winnings|competition|sweepstake|inheritance|inherited|in a will|left (?:me )?money|beneficiary|deceased|barrister|next of kin|loan|grant|rebate|compensation|ppi|(?:was|am|is|were|are) owed|job|recruiter|recruitment|visa sponsorship|sponsorship|data entry|tasks?|commission|earnings|funding|due diligence|recovery (?:company|firm|agent|service)|get (?:my|the|your|our) (?:\w+ )?(?:money|losses|funds) back|recover (?:\w+ ){0,2}(?:money|losses|funds|cryptocurrency|bitcoin|savings|investment)|reclaim|payout|lump sum|part time job|work from home)\b/,
      2,
      'a prize, loan, job, grant or refund was promised',
    ),
    cue(
      /\b(?:release|processing|admin|administration|arrangement|insurance|delivery|registration|legal|solicitor|clearance|customs|handling|activation|upfront|up front|underwriting|training|dbs|certificate|courier|tax|unlock|another|more|further|first repayment|lawyer)\b (?:\w+ ){0,3}?(?:fee|fees|costs?|charge|payment|materials|check)\b|\bpaid (?:\w+ ){0,2}for (?:visa|sponsorship|training|dbs|certificate|registration|delivery|processing|insurance|legal|admin|release|a winner)\b|\bfees?\b (?:\w+ ){0,3}(?:first|upfront|up front|before|to (?:release|unlock|receive|claim|process|get))|\b(?:paid|paying) (?:\w+ ){0,3}(?:upfront|up front)\b|\bpay (?:\w+ ){0,3}(?:first|upfront|up front|for (?:delivery|registration|insurance|processing|release|customs|clearance|admin|taxes|tax|legal|training))\b|\btop (?:up|my account)\b|\bto unlock\b|\bfor a fee\b|\bwent negative\b|\bdeposit money to\b|\bpa(?:y|id|ying) (?:their|a|an|the|his|her) (?:\w+ )?fee\b/,
      2.5,
      'a fee had to be paid first',
    ),
  ],
  'impersonation-fraud': [
    cue(
      /\bhi_mum\b|\b(?:this is my|it s me|its me|on a|on|from a|texting from a|from an unknown|with a|with) (?:new|different) (?:phone )?number\b|\bnew number\b[^.]{0,40}\b(?:mum|dad|son|daughter)\b|\bphones? (?:is )?broken\b|\b(?:text|texts|message|messages|whatsapp) (?:\w+ ){0,2}(?:from|claiming to be|pretending to be) (?:my |her |his )?(?:son|daughter|mum|dad|mother|father|child|grandson|granddaughter|nephew|niece)\b(?! (?:said|saying) (?:his|her) (?:account|facebook|instagram|whatsapp))|\bdropped (?:my|her|his) phone\b|\bbanking app was locked\b|\b(?:son|daughter|mum|dad|grandson|granddaughter|child)\b[^.]{0,60}\b(?:lost|dropped|broke|smashed|broken) (?:\w+ ){0,2}phone\b/,
      4,
      'a message pretending to be a family member',
    ),
    cue(
      new RegExp(
        `\\b(?:pretend\\w*|posing|posed|purport\\w*|impersonat\\w*|supposedly|identifying|claim\\w*|stating|calling|rang|phoned|saying (?:he|she|they) (?:was|were|is|are)|said (?:he|she|they) (?:was|were|is|are)) (?:to be |as |from |on behalf of )?(?:from )?(?:the |my |a |an |her |his |their |our )?(?:\\w+ )?(?:${AUTHORITY}|${RELATIVE})\\b`,
      ),
      3,
      'someone pretending to be a bank, the police, an organisation or a relative',
    ),
    cue(
      /\b(?:safe|secure|holding) (?:account|acct)\b|\b(?:move|transfer|send|put) (?:\w+ ){0,3}(?:money|savings|funds) (?:to|into)\b|\bto (?:protect|keep) (?:it|them|the money|my money|your money|my savings)\b|\b(?:courier|taxi|driver) (?:\w+ ){0,4}(?:collect\w*|attended|came|take)\b|\bcollect (?:\w+ ){0,2}(?:cash|card|cards|money|gold)\b|\bgold bars\b|\b(?:gave|handed|give|hand) (?:\w+ ){0,4}(?:card|cards|pin|cash|money|gold|watch|jewellery) (?:\w+ ){0,3}to (?:a |the )?(?:courier|driver|taxi|man|woman|officer)\b|\b(?:withdraw|take out) (?:\w+ ){0,3}(?:cash|money)\b|\bgift cards?\b|\bvouchers\b|\bgoogle play\b|\bread (?:out )?the codes\b|\bbail\b|\bunder investigation\b|\barrest\w*\b|\bwarrant\b|\bdeport\w*\b|\bcut off\b|\bin arrears\b|\boverdue\b|\bpenalty\b|\bfine\b|\bspoof\w*|\breal (?:number|bank|son|daughter|support worker)\b|\bauthorised push payment\b|\bauthorised the payments?\b|\bsent it myself\b|\bborrow\b|\bpay (?:you |me )?(?:it )?back\b|\bstuck abroad\b|\bcards had been blocked\b|\bknew my (?:name|recent)\b|\bcopy of (?:her|his|my) profile\b|\bwas a copy\b|\b(?:it|that) was not (?:her|him|them|my \w+)\b|\bnot (?:her|him) at all\b|\b(?:looked like|showed as|appeared to be|came up as) (?:\w+ ){0,2}(?:bank|police|hmrc|number)\b|\b(?:call|called|rang|phoned|text|message|caller) (?:\w+ ){0,3}from (?:my |the |her |his |our )?(?:\w+ )?(?:bank|police|scotland yard|hmrc|amazon|energy company|electricity company|water company)\b/,
      1.5,
      'a payment made on someone’s instructions',
    ),
  ],
  'business-email-compromise': [
    cue(
      /\b(?:bank (?:details|account|acct)|account details|payment details|payee details|banking details) (?:\w+ ){0,3}(?:changed|had changed|have changed|updated|amended|altered)|\b(?:changed|updated|amended|altered|new|different) (?:\w+ ){0,2}(?:bank|account|payment|banking|remittance) (?:details|instructions)|\bchange of bank\b|\bchanged banks?\b|\bto (?:a )?different account\b|\bmandate\b|\b(?:bank|rent|payment|receiving|company|business) account (?:\w+ ){0,2}(?:had |has |was |had been |has been )?changed\b|\badvising (?:of )?(?:a )?new (?:bank )?account\b|\b(?:pay|paid|send|sent) (?:\w+ ){0,4}to (?:their|our|a|the) new (?:\w+ )?(?:bank|account)\b|\b(?:our|their|my|his|her) bank (?:had |has |have )?changed\b|\bnew (?:\w+ )?details for (?:the |a |our |their )?(?:\w+ )?(?:deposit|payment|invoice|rent|completion|balance)\b|\bsalary bank account\b|\b(?:bank|account|payment) details (?:\w+ ){0,2}(?:in|from|on) (?:an|the|a|their) (?:\w+ )?(?:email|invoice|letter)\b/,
      3.5,
      'bank details on an invoice or payment were changed',
    ),
    cue(
      /\b(?:invoice|invoices|supplier|suppliers|contractor|builder|brewery|dealer|solicitor|conveyancing|conveyancer|buying a (?:house|flat|property|home)|house purchase|completion|accounts payable|accounts team|finance (?:assistant|team|department)|treasurer|payroll|salary|remittance|managing director|chief executive|headteacher|estate agent|letting agency|holding deposit|haulier|wholesaler|vendor|subcontractor|accountant|letting agent|property manager|managing agent|finance (?:paid|dept|manager|director)|accounts (?:dept|department)|company director|ceo fraud|lookalike domain|look alike domain|one letter different|email thread|intercepted)\b/,
      2,
      'an invoice, supplier or executive’s request',
    ),
    cue(
      /\b(?:urgent|confidential|acquisition|spoofed email|(?:email|mailbox|emails) (?:\w+ ){0,3}(?:compromised|hacked|intercepted|spoofed|hijacked)|spoofed our email|apparently from (?:their|our|the) (?:director|ceo|chief|head|md|boss)|fake invoices?|looked like (?:our|their|the) (?:\w+ ){0,2}(?:supplier|domain|email|company))\b/,
      1,
      'a spoofed or intercepted email',
    ),
  ],
  'tech-support-fraud': [
    cue(
      /\b(?:anydesk|teamviewer|team viewer|ultraviewer|supremo|quick ?support|logmein|screen ?shar\w*|remote (?:access|control|software|support|session|app)|remot\w* (?:in|on|onto|into)|remoted|took (?:over|control of) (?:my|her|his|the) (?:computer|laptop|pc|screen|mouse)|took control|taking control|take control|(?:got|get|gone|went) (?:into|onto|on) (?:my|her|his|the) (?:computer|laptop|pc)|let (?:him|her|them|a \w+|the \w+|this \w+|someone) (?:on|onto|into|access)|(?:logged|logging|connected|connecting|dialled|remoted) (?:into|onto|in to|on to) (?:my|her|his|the) (?:computer|laptop|pc|mac|screen|machine|desktop)|(?:download|install)\w* (?:\w+ ){0,2}(?:something|software|an app|app|program|programme|file)\b (?:\w+ ){0,3}so (?:he|she|they|it) could|so (?:he|she|they) could (?:see|access|fix|get into|look at|check|control) (?:my |the |her |his )?(?:screen|computer|laptop|pc|mac|it)|connected to (?:my|her|his|the) (?:computer|laptop|pc)|(?:asked|told|got|made|had|wanted|instructed|persuaded) (?:me|her|him|us|them|victim) (?:to )?(?:download|install|put) (?:\w+ ){0,2}(?:software|app|program|anydesk|teamviewer)|(?:logged|logging|connected|dialled|dialed) (?:in|on|onto \w+|into \w+) remotely|remotely (?:logged|connected|accessed))\b/,
      3.5,
      'remote control of the computer',
    ),
    cue(
      /\b(?:tech(?:nical)? support|it support|computer (?:support|company|technician|engineer|errors?)|broadband (?:provider|support|engineer|company|team)|internet (?:provider|company|engineer)|problem with (?:the|my|her|his) (?:internet|broadband|computer|router)|microsoft|windows|apple support|bt|openreach|virgin media|talktalk|technician|router fault|licence (?:has )?expired|antivirus (?:\w+ ){0,2}(?:renewed|renewal|subscription)|auto renewed|refund department|refunded (?:\w+ ){0,3}(?:too much|by mistake)|overpa\w*|send (?:it|the money) back|hackers on (?:it|there|his|her|my)|to stop hackers|ipaddress (?:\w+ ){0,2}compromised|fake error|printer|lifetime protection|support contract|renewal|renewed|diagnostic fee|sending out (?:errors|viruses)|errors|support number|helpline|(?:called|rang|phoned) the number|(?:computer|laptop|pc|router|internet|broadband|wifi|ip address|ipaddress) (?:\w+ ){0,3}(?:had|has|have|was|is) (?:\w+ )?(?:a virus|viruses|infected|hacked|being hacked|compromised|problems?|errors?)|(?:pay|paid|paying|charged) (?:\w+ ){0,4}for (?:a |an |the )?(?:\w+ )?(?:protection|security software|support package|firewall|clean ?up|drivers|fix|repair|licence|license|subscription))\b/,
      2,
      'a fake computer or broadband support service',
    ),
    cue(
      /\b(?:pop ?up|alert) (?:\w+ ){0,8}(?:call|ring|phone)\b|\b(?:warning|alert|pop ?up|screen) (?:\w+ ){0,4}(?:phone )?number\b|\b(?:called|rang|phoned|call|ring) (?:\w+ ){0,3}(?:number|helpline) (?:\w+ ){0,2}(?:on|from|in) (?:the |a |an )?(?:pop ?up|screen|alert|warning|google|search|website)\b/,
      1.5,
      'a pop-up telling them to call',
    ),
  ],
  'card-account-fraud': [
    cue(
      /\b(?:card|cards|card details|card number|debit card|credit card|bank card)\b (?:\w+ ){0,6}(?:used|using|cloned|charged|charges|spent|added|skimmed|transactions?|stolen|bought|purchased|ordered)\b|\b(?:used|using|use) (?:my|her|his|our|the) (?:\w+ )?(?:card|cards|card details)\b|\b(?:payments?|transactions?|charges?|purchases?) (?:\w+ ){0,2}on (?:my|her|his|our|the) (?:\w+ )?(?:card|visa|mastercard|amex|barclaycard)\b|\b(?:spent|spending|used|charged) (?:\w+ ){0,3}on (?:my|her|his|our|the) (?:\w+ )?card\b|\b(?:use|usage|misuse) of (?:my |her |his |the |a |victim s |victims )?(?:\w+ )?(?:card|cards)\b|\b(?:used|using|added to|set up) (?:\w+ ){0,2}(?:apple|google|samsung) (?:pay|wallet)\b|\bcloned card\b|\bcard not present\b|\bcontactless\b|\b(?:apple|google) wallet\b|\bsaved card\b/,
      3,
      'a card was used without permission',
    ),
    cue(
      /\b(?:unauthorised|unrecognised|fraudulent|unknown) (?:\w+ )?(?:payments?|transactions?|debits?|withdrawals?|purchases?|charges?|transfers?|payees?|direct debits?)\b|\b(?:transactions?|payments?|transfers?|purchases?|charges?|debits?) (?:\w+ ){0,5}(?:i|she|he|we|they|victim) (?:did not|do not|does not|never|have not|had not) (?:make|made|done|do|authorise\w*|agree\w*|book\w*|recognise\w*)|\b(?:i|she|he|we|victim) (?:did not|never|have not) (?:make|made|do|approve\w*|approved) (?:them|it|these|those|any)\b|\b(?:i|she|he|we|victim) (?:did not|never|have not) authorise\w*\b|\bnot (?:authorised|auth d) by\b|\b(?:payments?|transactions?|used|spent|took|taken|money|card|account|banking app|transferred|sent himself|sent herself) (?:\w+ ){0,6}without (?:my|her|his|our|their) (?:permission|knowledge|consent|authority|agreement)\b|\bnever said (?:he|she|they) could\b|\bnever agreed\b|\b(?:that|which) (?:are|were|was|is) not (?:me|mine|hers|his|ours)\b|\b(?:transferred|taken|moved|withdrawn|spent|made|sent|used) (?:\w+ ){0,6}by (?:them|him|the fraudsters?|the scammers?|the caller|the suspect|someone else|a third party|criminals)\b|\bsuspicious spending\b|\bfree trial\b (?:\w+ ){0,12}(?:taken|charged|debited|payments?|charges?)\b|\b(?:i|she|he|we|victim) (?:did not|never) sign(?:ed)? up\b|\b(?:card|credit card|cards|loan|loans|account|accounts|overdraft|credit|finance|contract)s? (?:\w+ ){0,4}in (?:my|her|his|their|victim s|victims) name\b/,
      3,
      'payments were made without permission',
    ),
    cue(
      /\b(?:account|savings|bank|banking) (?:\w+ ){0,3}(?:emptied|drained|cleared|wiped)\b|\b(?:taken|took|take|stole|stolen|transferred|moved|withdrawn|debited|gone|went|come|came) (?:\w+ ){0,3}(?:out of|out|from) (?:my|her|his|our|the|their|victims?) (?:\w+ )?(?:account|acct|bank|savings|card)\b|\b(?:logged|got|getting|went|gone|accessed) (?:\w+ ){0,2}(?:into|in to)? ?(?:my|her|his|our|the) (?:banking app|online banking|bank account|bank|account|acct) (?:and )?(?:\w+ )?(?:took|transferred|moved|sent|from)|\b(?:online banking|banking app|bank account|bank login|paypal|paypal account)\b (?:\w+ ){0,3}(?:was |were |has been |got )?(?:accessed|hacked|compromised|used|taken over|logged into|logged in to)|\b(?:savings|balance)\b (?:\w+ ){0,2}(?:had |has |have |was |were )?(?:gone|vanished|disappeared|emptied|been moved|been transferred|been taken)\b|\bsim (?:swap|card)|\bported (?:my|her|his) number\b|\bnew sim\b|\bnew payee\b|\bdirect debits?\b|\b(?:read|gave|give|entered) (?:\w+ ){0,3}(?:code|otp|one time passcode|passcode)|\bone time passcode\b|\bfaster payments?\b|\bmy paypal\b(?! (?:email|address|details))|\bbank login\b|\bonline banking login\b/,
      2.5,
      'money taken from an account by someone else',
    ),
    cue(
      new RegExp(
        `\\b(?:hacked|hacking|accessed|got into|get into|logged into|logging into|broke into|took over|compromised|into) (?:my|her|his|our|their|the|victim s|victims) ${BANKS}\\b|\\b${BANKS} (?:\\w+ ){0,3}(?:was |were |has been |got )?(?:accessed|hacked|compromised|breached|taken over|logged into)\\b`,
      ),
      2.5,
      'a bank or payment account was accessed',
    ),
  ],
  sextortion: [
    cue(
      /\b(?:intimate|naked|nude|nudes|explicit|sexual|sex|private|sexy|topless|compromising|x rated)\b (?:\w+ ){0,2}(?:images?|pictures?|photos?|videos?|video call|content|chat|acts?|footage|recording|clips?)|\bnudes\b|\bsexting\b|\bsextortion\b|\bvideo (?:call|chat\w*) (?:\w+ ){0,6}(?:sexual|intimate|naked|strip|explicit|turned|got intimate)|\b(?:strip|stripped|undress\w*|masturbat\w*)\b|\b(?:recorded|filmed) (?:me|it|us|him|her|the call|the video)\b|\brecorded (?:\w+ ){0,2}(?:video call|call|video|webcam|chat|stream)\b|\b(?:recording|video|footage|photos?|pictures?|images?) of (?:\w+ ){0,2}(?:naked|nude|undressed|topless|masturbating)\b|\bnaked on (?:webcam|camera|video|cam)\b|\bwank\w*|\bhoney ?trap\w*|\b(?:screenshots?|clips?|recordings?|videos?) of me (?:\w+ )?(?:naked|wanking|masturbating|undress\w*|strip\w*|having sex)|\b(?:got|get|persuaded|convinced|asked) (?:me|him|her) to (?:go on cam|strip|undress|get naked|take (?:my|his|her) clothes off|touch (?:my|him|her)self)\b|\b(?:did|doing|do) (?:stuff|things|something) on (?:camera|cam|video|webcam)\b|\bfake nude|\bdeepfake|\bswapped (?:pictures|photos|images)|\bvideo of me\b|\bsexual video\b|\b(?:became|got|turned|things got) (?:\w+ )?(?:intimate|sexual|explicit)\b/,
      3,
      'intimate images or video',
    ),
    cue(
      /\b(?:pictures|photos|images|videos|video) of (?:me|myself|him|her|himself|herself)\b|\b(?:got|has|have|had) (?:\w+ )?(?:pictures|photos|images|videos)\b|\b(?:sent|send|sending|swapped) (?:\w+ ){0,2}(?:pictures?|photos?|images?|videos?|nudes?|selfies?)\b/,
      1.5,
      'images of the victim',
    ),
    cue(
      /\b(?:share|send|sent|post|publish|leak|release|expose|show|upload|put|out|goes|go)\w* (?:\w+ ){0,6}(?:friends|family|families|contacts|followers|friends list|contact list|everyone|everybody|everywhere|employer|work|job|boss|colleagues|wife|husband|partner|parents|mum|dad|mother|father|children|kids|relatives|mates|sister|brother|son|daughter|girlfriend|boyfriend|grandchildren|school|uni|college|church|online|internet|youtube|facebook|instagram|linkedin|twitter|tiktok|snapchat|reddit|telegram|discord|onlyfans|porn|social media)\b|\bout me\b|\bor it goes\b|\bor (?:\w+ ){0,4}(?:gets|get|sees|see|receives) (?:it|them)\b|\bor (?:\w+ ){0,5}(?:get|gets|see|sees|receive|receives) (?:\w+ ){0,2}(?:pictures|photos|videos?|images|recording|nudes)\b|\bto delete (?:it|them|the (?:video|pictures|photos|images|recording))\b|\bblackmail\w*|\bsextortion\b|\bthreat\w* to (?:share|post|send|leak|publish|release|expose)\b|\b(?:would|will|to) be (?:shared|posted|sent|leaked|published|released|put online)\b|\bor (?:they|he|she|it) (?:will|would) (?:share|send|post|leak|publish|release|expose|go)\b|\bor (?:they|he|she) (?:posts?|shares?|sends?|leaks?|uploads?|puts?) (?:it|them)\b|\b(?:share|post|send|leak|publish|release|expose)\w* (?:\w+ ){0,4}(?:unless|or else)\b/,
      2.5,
      'a threat to share them',
    ),
  ],
  'online-harassment': [
    cue(
      /\b(?:harass\w*|stalk\w*|troll\w*|bull(?:y|ied|ying)|cyberbull\w*|abuse|abusive|threats?|threatening|threatened|hate|hateful|racist|racism|homophobic|transphobic|anti muslim|antisemit\w*|islamophob\w*|intimidat\w*|malicious communications?|malicious (?:messages|texts|emails|posts|comments|calls|allegations)|lies about (?:me|her|him|them|us)|mocking|mocked|nasty|offensive|slag|batter|kill|burn|doxx\w*|fake (?:facebook |instagram |tiktok |twitter )?(?:profiles?|accounts?)|made a fake|hurt me|come and (?:get|hurt|find|attack) me|posting my (?:\w+ )?(?:address|photo|details|number)|lies about me|new accounts? to message|non molestation|restraining order|dash|fears? for (?:her|his|my) safety|tracking app|tracker|gps|tracking (?:my|her|his) (?:location|phone|car)|monitoring (?:her|my|his) location|turning up (?:wherever|where (?:i|she|he) (?:am|is|go|goes)|at my|at (?:her|his) (?:work|home|house))|hundreds of (?:texts|messages|calls|emails)|death threats?|knows where i (?:am|live)|my (?:home )?address (?:and|on)|pay me a visit|waiting outside|taking the piss|everyone hates me|kill (?:her|him|my)self|insult\w*|humiliat\w*|embarrass\w*|horrible (?:messages|comments|things|captions|names)|vile|slurs?|calling (?:me|her|him|them) names|unwanted (?:messages|contact|calls|texts|attention|sexual|advances|pictures|photos)|sexist|misogyn\w*|told (?:him|her|them) (?:no|to stop|to leave me alone)|asked (?:him|her|them) to stop|despite (?:being )?block\w*|even though i (?:have )?(?:blocked|told)|(?:see|track\w*|knows?|knew|watch\w*|check\w*) (?:\w+ ){0,2}where i (?:am|go|have been|live|was)|life360|find my (?:iphone|phone|friends)|times a day|(?:make|makes|making|made) fun of|edited (?:pictures|photos|images|videos)|photoshopped|laugh\w* at (?:me|him|her)|contacting my (?:new )?(?:partner|family|friends|employer|work|boss)|(?:call|calls|called|calling) (?:me|him|her|them) (?:a |an )?(?:retard|slag|slut|whore|paedo|nonce|fat|ugly|freak|names)|spread (?:\w+ ){0,2}(?:address|rumours|lies|photos)|location sharing|my location|slag\w*|turn\w* up where|(?:to )?(?:follow|track|stalk|monitor) me|followed me|(?:page|account|group) (?:\w+ ){0,3}(?:dedicated to|to mock|to abuse|to humiliate)|posting (?:\w+ ){0,2}(?:pictures|photos) of (?:our|my) (?:house|home|car|kids|children))\b/,
      2.5,
      'harassment, threats or abuse online',
    ),
    cue(
      /\b(?:keeps? (?:\w+ ){0,2}(?:messaging|contacting|posting|sending|making|calling|creating|setting up|leaving|turning up)|every (?:single )?day|constantly|won t leave me alone|won t stop|again and again|every time i block|block (?:one|him|her|them)|ongoing|persistent\w*|repeatedly|over and over|for (?:weeks|months)|keeps? (?:\w+ ){0,2}(?:texting|logging|following|tracking|watching|commenting|tagging|emailing)|hundreds of (?:\w+ )?(?:messages|texts|emails|comments|calls))\b/,
      1.5,
      'repeated unwanted contact',
    ),
    cue(
      /\b(?:posted|shared|sharing|put|posting) (?:\w+ ){0,3}(?:intimate|nude|naked|private|explicit) (?:photos|pictures|images|videos)\b|\bwithout (?:my|her|his) consent\b|\bdid not ask for anything\b|\bto hurt me\b/,
      2.5,
      'intimate images shared without consent and with no demand',
    ),
    cue(
      /\b(?:ex partner|ex husband|ex wife|ex boyfriend|ex girlfriend|my ex|neighbour|former customer|pupils|people from work|group chat|comments?|reviews?|posted (?:photos|pictures|my))\b/,
      1,
      'someone known to the victim or a public post',
    ),
  ],
  'child-sexual-abuse': [
    cue(
      /\b(?:grooming|groomed|indecent images?|iioc|child abuse (?:images?|material)|csam|ceop|iwf|sexual communication with a child|(?:sexual|indecent|naked|nude|explicit|abuse) (?:\w+ ){0,2}(?:images?|pictures?|photos?|videos?|material) of (?:children|a child|kids|minors|young (?:girls|boys|children))|underage (?:girls?|boys?|children)|(?:child|children|kids?|minors?|baby|babies|toddlers?|young (?:girls?|boys?)) (?:\w+ ){0,2}being (?:sexually )?(?:abused|raped|molested)|(?:child|children) (?:sexual )?abuse (?:video|videos|images?|material|content))\b/,
      8,
      'online sexual abuse of a child',
    ),
  ],
  'phishing-attempt': [
    cue(
      /\b(?:phishing|phish|suspicious|scam|spam|fake|dodgy|bogus|spoof\w*|fraudulent) (?:\w+ ){0,2}(?:email|emails|text|texts|message|messages|website|site|link|call|calls|sms|login page|page|pop ?up|qr codes?|voicemail|direct message|whatsapp|letter)\b|\bparcel (?:\w+ ){0,3}(?:held|waiting|redelivery)|\bredelivery\b|\bmissed (?:a )?delivery\b|\btax refund\b|\bpress 1\b|\bautomated (?:voice|call|message)\b|\bwithheld number\b|\bunknown number\b|\bqr codes?\b|\bclick here\b|\bto (?:re validate|revalidate|verify|confirm|claim|cancel|update)\b|\bmailbox is full\b|\bstorage\b|\bpretending to be from\b|\bpurporting to be from\b|\bkeep getting\b|\b(?:email|text|message|call|letter|voicemail|pop up) (?:said|says|saying|claimed|claiming|told me)\b|\b(?:got|received|had) (?:a |an )?(?:\w+ ){0,2}(?:text|email|call|direct message|message|whatsapp|voicemail|letter) (?:from|saying|about|on|with)\b|\boffer(?:ed|ing)? me\b/,
      2,
      'a suspicious message, call or website',
    ),
    cue(
      /\b(?:did not|have not|has not|had not|never|nothing|no one|nobody|none|not) (?:\w+ ){0,2}(?:click|clicked|clicking|open|opened|reply|replied|replying|respond|responded|enter|entered|fill|filled|call|called|answer|answered|interact\w*|download\w*|put anything|typed|fill it)\b|\b(?:did not|have not|has not|had not|never|nothing|nobody) (?:\w+ ){0,1}(?:give|gave|given|pay|paid)(?! (?:\w+ )?(?:out|back))\b|\bno interaction\b|\bignored (?:it|them|the)\b|\bdeleted (?:it|them|the (?:text|email|message|call|voicemail))\b|(?:^ |\. |\b(?:i|we|victim|then|so|and|just) (?:have |had |just )?)blocked (?:and|them|it|the|him|her|straight|number)\b|\bwithout (?:entering|clicking|giving|paying|replying|opening|typing|sending) (?:anything|it|them|any|my)\b|\bhung up\b|\bhang up\b|\brefused\b|\bnot replying\b|\bno chance\b|\breporting (?:it )?(?:anyway|for intelligence|the account)|\bfor intelligence\b|\breported (?:and blocked|it|the account|for takedown)|\bforwarded (?:\w+ ){0,3}to\b|\b7726\b|\breport phishing\b|\btakedown\b|\bno (?:financial |fin |direct )?loss\b|\bno money\b(?! (?:came|arrived|received|was received|has (?:come|arrived)|back|returned|ever))|\b(?:did not|have not|never) (?:send|sent) anything\b|\bcancelled the card\b|\bjust wanted to report\b|\bbefore (?:putting|entering|typing|giving|inputting) anything\b|\bclosed (?:it|the page|the site|the tab|the link|the window)\b/,
      2.5,
      'nothing was lost, clicked or given',
    ),
  ],
  other: [
    cue(
      /\b(?:not a scam|not an attack|no cyber element|by mistake|in error|by error|accidentally|(?:son|daughter|child|kid|grandson|granddaughter) (?:\w+ ){0,2}(?:used|spent|bought|paid) (?:\w+ ){0,4}(?:robux|v bucks|vbucks|in game|in app|app store|game credits|gems|coins|points|upgrades)|the company is real|genuine (?:company|trader|shop|seller)|(?:company|business|firm|trader|seller|shop) is (?:genuine|real|legitimate|legit)|within tolerance|i have not been hacked|not been hacked|just want to know|crime number|failed (?:network )?switch|hardware fault|hardware failure|hard drive (?:has )?(?:failed|died|broke)|repair shop says|weeks? late|days late|keep promising|delayed delivery|(?:suspended|deactivated|disabled|banned|removed) (?:\w+ ){0,3}(?:for|by) (?:facebook|instagram|tiktok|twitter|youtube|snapchat|whatsapp|ebay|amazon|paypal|breaching|breach of|violating|no reason)|community (?:standards|guidelines)|terms of (?:service|use)|after i cancelled|still being (?:charged|taken)|(?:will not|would not|refus\w* to|won t) (?:give|send|hand) (?:\w+ ){0,2}back|(?:is|it s|its|they are|he is|she is|he|she|it|they|was) (?:a )?(?:real|genuine|legitimate|proper|registered) (?:company|business|firm|trader|builder|shop)|gone bust|went bust|into administration|the administrators)\b/,
      4,
      'the report says it is not a cybercrime',
    ),
    cue(
      /\b(?:stolen from outside|bike|bicycle|catalytic converter|scratched|dog barks|barking|burglary|burgled|shoplifting|criminal damage|doorstep|knocked on|roof|noise|affair|check his messages|check her messages|unsubscribed?|marketing emails|how do i|how can i|advice|two factor authentication on|in game purchases|in app purchases|without asking|lost my phone|picked it up|wiped it|won t give back|will not give back|give back my|split up|proper (?:\w+ )?shop|well known shop|reputable|answers my emails|insurance|(?:car|van|house|shed|garage|home|flat|vehicle) (?:\w+ )?(?:was |got |has been )?(?:broken into|burgled|vandalised|damaged|keyed)|sat nav|parking|fly tipping|assault\w*|punched|(?:broke|stopped working|faulty|defective) after|refuse to (?:repair|fix)|delivered to the wrong|wrong (?:house|address)|fault|outage|lost my (?:bank )?(?:card|wallet|purse|phone)|stole my (?:phone|wallet|purse|bag)|(?:phone|wallet|purse|bag|laptop|handbag) (?:\w+ ){0,3}stolen (?:from|at|on|in)|wages|not paying my|lent (?:him|her|them|my|a)|owes me|refus\w* to (?:pay|repay|return) (?:me|it|the money)|is (?:this|it|that) (?:\w+ )?(?:hacking|a hack)|can (?:the )?police help|is (?:this|it|that) (?:a crime|illegal|legal)|my tenants?)\b/,
      2.5,
      'not a cybercrime (theft, dispute, error or advice)',
    ),
  ],
};

// Signals for the rules of thumb.
const SOCIAL_PLATFORM = gate(
  /\b(?:facebook|instagram|snapchat|tiktok|twitter|linkedin|whatsapp|discord|messenger|youtube|telegram|reddit|twitch|social media|yahoo|gmail|hotmail|outlook|aol|email account|(?<!chang\w+ |new |updat\w+ )(?:my|her|his|their|our) (?:uni |work |personal )?(?:email|inbox|mailbox)(?! address))\b/,
);
const CHILD_AGE = gate(/\bage(?:[1-9]|1[0-7])\b/);
const CHILD = gate(
  /\b(?:age(?:[1-9]|1[0-7])|child|children|kid|kids|minor|minors|pupil|schoolgirl|schoolboy|year [5-9]|year 1[01]|underage|under age|(?:young|little|teenage|school) (?:girls?|boys?|children))\b/,
);
const SEXUAL = gate(
  /\b(?:sexual|sexually|sex|naked|nude|nudes|indecent|explicit|intimate|grooming|groomed|underwear|clothes off|strip|undress\w*|private parts|on camera|camera on|(?:photos?|pictures?|pics?|images?) of (?:her|him)self|without clothes|no clothes|send (?:him|her|them) (?:photos|pictures|images)|asked for pictures|(?:photos|pictures|images) (?:\w+ ){0,3}sent (?:to )?(?:her|his|a) (?:boyfriend|girlfriend)|sent (?:her|his|a) (?:boyfriend|girlfriend)|sent (?:pictures|photos|images) to|asking to meet|asked to meet|arranged to meet|keep it (?:a )?secret|paying (?:her|him) to send|(?:more|send) (?:\w+ ){0,2}(?:pictures|photos|videos|images)|do things on camera|sending (?:him|her) images|bra|offering (?:them|her|him) money for|money for (?:photos|pictures|pics|images|videos)|asking (?:her|him|them) for (?:pictures|photos|pics|images|videos))\b/,
);
const MORE_IMAGES = gate(
  /\b(?:more|another|further|new) (?:\w+ ){0,2}(?:pictures|photos|videos|images|pics)\b|\bsends? more\b/,
);
const MONEY_DEMAND = gate(
  /\b(?:unless|or|if) (?:\w+ ){0,3}(?:pay|pays|paid|transfer|transfers|give (?:them|him|her) money|send (?:them|him|her) money)\b|\b(?:demand\w*|wants?|wanted|asking for|asked for) (?:\w+ )?\d+\b|\bmoney (?:or|unless)\b|\b(?:demand\w*|want\w*|asking for|asked for|ask for|asks for|requesting|pay|paid|send (?:him|her|them)|extort\w*|blackmail\w*|ransom)\b[^.]{0,50}\b(?:money|bitcoin|cryptocurrency|vouchers|gift cards?|payment|ransom|pay|paypal|cash)\b|\b(?:pay|paying)\b(?: \w+){0,3} (?:or|unless|to (?:get|have|unlock|restore|decrypt))\b|\bmoney (?:via|in|through|by) (?:bitcoin|cryptocurrency|gift cards|paypal|vouchers)\b|\b(?:returned|restored|back) (?:for|if) (?:\w+ ){0,3}(?:money|bitcoin|cryptocurrency)\b/,
);
const THREAT = gate(
  /\b(?:unless|or else|or (?:\w+ ){0,4}(?:gets|get|sees|see|receives) (?:it|them|the)|if (?:i|you|we|he|she) (?:do|does|did) not (?:pay|send|transfer|give)|or (?:they|he|she|it|we) (?:\w+ )?(?:take|knock|bring|keep|tell)|or (?:they|he|she|it|we|i) (?:will|would|ll|sends?|shares?|posts?|leaks?|publish\w*)|or it goes|otherwise|threat\w*|blackmail\w*|extort\w*|sextortion|ransom\w*|give (?:it|them) back|get (?:it|them) back|have it back|back if|for (?:its|their) return|returned for|to restore|to unlock|to decrypt|leak site|demonstration|every week or|not to (?:publish|leak|release|sell|share|post|expose)|or will (?:share|send|post|leak|publish|release|expose|sell)|(?:would|will) be (?:shared|posted|sent|leaked|published|released)|or (?:the )?(?:video|photos?|pictures?|images?|recording) (?:would|will|goes|gets)|(?:to )?return (?:control|access|the account|it|them)|regain access)\b/,
);
const WEBCAM_BLUFF = gate(
  /\b(?:recorded (?:me|you) (?:\w+ ){0,3}webcam|hacked (?:my|your) webcam|through (?:my|your) webcam|watching porn|old password|password in the subject)\b/,
);
const PAID_UP = gate(/\b(?:i|we|he|she) (?:\w+ ){0,3}(?:paid|sent)\b|\bpanicked and paid\b|\balready paid\b/);
const NOT_PAID = gate(
  /\b(?:have not|has not|did not|not|never|without) (?:\w+ )?paid\b|\bnot paying\b|\bno payment made\b/,
);
const INTRUSION = gate(
  /\b(?:gained access|got access|had access|hackers?|(?:have|has|got) (?:our|my|their) (?:client|customer|patient|staff|member|donor|pupil|student)\w*|hacked|hacking|compromised|breached|breach|accessed|taken over|got into|broken into|locked out|unauthorised access|claiming to have stolen|stole (?:our|the|my|their|customer|client)|stolen (?:our|the|my|customer|client|data|files)|leak site|threat actor|changed the (?:admin )?password)\b/,
);
const ACCESS_HAPPENED = gate(
  /\b(?:sign ?in from|log ?in from|login from|unauthorised access|unauthorised login|hacked|compromised|taken over|took over|accessed|logged into|logging into|got into|locked out|changed (?:my|the|her|his) password|sending spam|remote (?:access|control)|remoted|took control|let (?:him|her|them) (?:on|into|onto))\b/,
);
const LOSS_SUBJECT =
  '(?:i|we|he|she|victim|mum|dad|grandmother|grandfather|treasurer|company|charity|business|son|daughter|brother|sister|husband|wife|customer|customers|age\\d+)';
const LOSS_VERB =
  '(?:paid|bought|ordered|purchased|sent(?! (?:a |an |the |me |my |him |her |them )?(?:text|email|message|link|code|screenshot|photo|picture|pictures|photos|images|nudes|details|letter|reply|anything))|transferred|lost|handed|deposited|invested|spent|moved|withdrew|put in|booked|had to pay|gave (?:them|him|her) (?:money|cash|my card))';
const LOSS = gate(
  new RegExp(
    `\\b${LOSS_SUBJECT} (?:(?!not |never )\\w+ ){0,3}${LOSS_VERB}\\b(?! (?:\\w+ )?out\\b)|(?:^ |\\. )${LOSS_VERB}\\b|\\b(?:money|funds|savings|cash) (?:\\w+ ){0,3}(?:taken|gone|lost|stolen|debited|withdrawn|spent|transferred|paid|sent)\\b|\\b(?:was|were|been|has|have) (?:\\w+ )?(?:taken|stolen|debited|withdrawn|drained|emptied)\\b|\\b(?:took|stole|spent|withdrew|debited|charged|lost|paid|sent|transferred|moving|moved|transferring|sending|paying) money\\b|\\bout of pocket\\b|\\bloss money\\b|\\btotalling money\\b|\\bmoney (?:in total|altogether|gone)\\b|\\bmoney in payments\\b|\\bpayments? (?:\\w+ ){0,2}(?:i|she|he|we) did not make\\b|\\blost the \\w+|\\bhanded (?:it|them) over\\b|\\btalked into (?:moving|transferring|paying|sending)\\b|\\bpayments? (?:was |were |has been )?(?:made|sent|processed|released)\\b`,
  ),
);
const NO_LOSS = gate(
  /\b(?:no|nothing|not) (?:\w+ ){0,2}(?:loss|lost)\b|\bnothing (?:\w+ ){0,2}(?:taken|gone|missing|spent|stolen)\b|\bno money (?:\w+ ){0,2}(?:lost|taken|gone|missing)\b|\b(?:did not|have not|has not) (?:lose|lost)\b|\bcancelled the card\b/,
);
const VICTIM_PAID = gate(
  /\b(?:i|we|she|he|victim|mum|dad|grandfather|grandmother|treasurer|manager|brother|sister|son|daughter|aunt) (?:\w+ ){0,3}(?:transferred|moved|sent(?! (?:a |an |the |me |my |him |her |them )?(?:text|email|message|link|code|screenshot|photo|picture|pictures|photos|images|details|anything))|paid|withdrew|bought|handed|complied|read the codes|read out the codes)\b|\bsafe (?:account|acct)|\bsecure (?:account|acct)|\bholding account\b|\bauthorised (?:the )?(?:push )?payments?\b|\bsent it myself\b|\bgot me to (?:move|transfer|send|pay)\b|\btalked into (?:moving|transferring|paying|sending)\b/,
);
const VICTIM_DENIES = gate(
  /\b(?:never|did not|not) (?:make|made|approve\w*|authorise\w*|agree\w*) (?:or approved )?(?:any )?(?:transfer|payment|transaction)s? (?:myself|herself|himself)?/,
);
const CHANGED_DETAILS = gate(
  /\b(?:bank|account|payment|banking|payee) (?:details|instructions) (?:\w+ ){0,3}(?:changed|updated|amended|altered)|\b(?:changed|updated|amended|altered|new|different) (?:\w+ ){0,2}(?:bank|account|payment|banking|remittance) (?:details|instructions)\b|\bchange of bank\b|\bchanged banks?\b|\bdifferent account\b|\bmandate\b|\bspoofed\b|\blookalike\b|\blook alike\b|\bone letter different\b|\b(?:email|emails|mailbox) (?:\w+ ){0,3}(?:compromised|hacked|intercepted|hijacked)\b|\bintercepted\b|\bapparently from\b|\blooked like it was from\b|\bfrom (?:the|our) (?:ceo|chief executive|managing director|headteacher|director)\b|\bnever sent it\b|\b(?:bank|account|payment) details (?:\w+ ){0,2}(?:in|from|on) (?:an|the|a|their) (?:\w+ )?(?:email|invoice|letter)\b|\bemail was (?:fake|not from)\b|\b(?:ceo|chief executive|managing director|director|chair|chairman|chairperson|boss|owner|principal|headteacher|md) (?:\w+ ){0,3}(?:did not|never) (?:send|sent|write|wrote|request|requested|ask|asked)\b|\b(?:fake|spoofed|bogus) (?:\w+ )?(?:ceo|chief executive|managing director|director|boss|chair) (?:email|request|instruction)|\b(?:impersonat\w*|spoof\w*|pretend\w*) (?:\w+ ){0,2}(?:by|via|over) email\b|\bconfirmed no change\b|\bactually from (?:a |the )?(?:fraudster|scammer|criminal|hacker)s?\b|\bappeared to be (?:from )?(?:our|their|the|my)\b|\b(?:email|emails|invoice) (?:was |were )?not from (?:them|him|her|us|the \w+)\b|\blooked like (?:our|their|the) (?:\w+ ){0,2}(?:supplier|domain|email|company)\b|\bsimilar (?:domain|email address)\b|\bto (?:their|our) new (?:\w+ )?(?:bank|account)\b|\b(?:our|their) bank (?:had |has |have )?changed\b|\bnew (?:\w+ )?details for (?:the |a |our |their )?(?:\w+ )?(?:deposit|payment|invoice|rent|completion|balance)\b|\bnew (?:bank )?account\b|\b(?:bank|rent|payment|receiving|company|business) account (?:\w+ ){0,2}(?:had |has |was |had been |has been )?changed\b/,
);
const RELATIONSHIP = gate(
  /\b(?:dating|tinder|bumble|hinge|grindr|match com|plenty of fish|relationship|(?<!ex )(?:boyfriend|girlfriend)|fiance\w*|in love|loves? (?:me|her|him)|loved me|romance|romantic|marry|married|proposed|wedding|widower|never met|met (?:\w+ ){0,3}?(?:online|on|via|through) (?:a |an |the )?(?:\w+ )?(?:dating|app|facebook|instagram|snapchat|game|games|website|site|social media|insta|tiktok|chat|online|words with friends))\b/,
);
const REWARD = gate(
  /\b(?:lottery|prize|won|winner|winnings|competition|inheritance|beneficiary|loan|grant|rebate|compensation|ppi|(?:was|am|is|were|are) owed|job|recruiter|tasks?|commission|funding|promised (?:\w+ ){0,3}(?:investment|funding|loan|grant)|recovery (?:company|firm|agent|service)|get (?:my|the|your) (?:\w+ )?money back|recover (?:\w+ ){0,2}money)\b/,
);
const PAYMENT_ACCOUNT_SPEND = gate(
  /\bsaved card\b|\bpaypal (?:account )?(?:was |got |has been )?(?:hacked|accessed|compromised|used|taken over)\b|\b(?:ordered|bought|spent|purchased) (?:\w+ ){0,5}(?:using|with|on) (?:my|her|his|the|it|their)\b|\b(?:took|taken|transferred|moved) money\b/,
);
const VULNERABLE = gate(
  /\bage(?:[7-9]\d|1[0-7]|[1-9])\b|\b(?:elderly|pensioner|oap|dementia|alzheimer\w*|parkinson\w*|(?:am|is|are|being|registered|severely|physically|mentally|profoundly|also) disabled|disabled (?:and|person|man|woman|people|son|daughter|husband|wife|mum|dad|brother|sister|child|adult|pensioner|veteran|relative|friend)|disability|disabilities|learning (?:difficult\w*|disabilit\w*)|autis\w*|asperger\w*|adhd|down s syndrome|mental health|mental illness|depression|depressed|anxiety|bipolar|psychosis|psychotic|schizophreni\w*|manic|ptsd|psychiatrist|suicid\w*|ending it|end it all|end my life|kill myself|self harm|crisis|care coordinator|support worker|carer|housebound|wheelchair|hard of hearing|blind|deaf|has ms|multiple sclerosis|dementia|confused|vulnerable|repeat victim|(?:second|third|fourth|fifth|2nd|3rd|4th) (?:time|man|woman|scam|one)|already (?:been )?scammed|scammed (?:before|again|last year)|(?:hacked|scammed|happened|called|done this) (?:\w+ )?again|can not stop shaking|have not slept|can not cope|(?:lives|living) (?:alone|on (?:her|his) own) and)\b/,
);

/** Negated phrases ("no ransom demand", "not an attack", "nobody got onto her computer") count as absent. */
const NEGATED =
  /\b(?:no|not|never|nobody|no one|nothing|none|without|before any|before anything|before they could|before it could)\b((?: \w+){0,4}?) (?:encrypted|encrypt|ransom|ransom note|demand|demands|attack|hacked|hacking|accessed|access|signed in|logged in|got into|get on|got onto|got on|remote access|remote|infected|data theft|payments? made|money missing|accounts accessed|asking|asked|demanding|demanded|wanting)\b|\bno (?:other |unauthorised |card |fraudulent |unknown )?(?:purchases|payments|transactions|charges|spending)\b/g;
/** "Paid by card" is the victim paying, not someone else using the card. */
const PAID_BY_CARD =
  /\b(?:paid|pay|paying|payment|pmt) (?:\w+ ){0,2}(?:on|by|with|from|using) (?:my|her|his|our|the|a|company|their)? ?(?:debit |credit |bank |company )?card\b/g;

const NEGATED_GATE = gate(new RegExp(NEGATED.source));
const PAID_BY_CARD_GATE = gate(new RegExp(PAID_BY_CARD.source));

/** The text with negated phrases removed and "paid by card" marked (only when the prefilter allows a match). */
function maskText(text: string): string {
  let masked = text;
  if (NEGATED_GATE.parts.some((p) => active[p.id] === 1)) masked = masked.replace(NEGATED, 'nix');
  if (PAID_BY_CARD_GATE.parts.some((p) => active[p.id] === 1))
    masked = masked.replace(PAID_BY_CARD, 'paid by_card');
  return masked;
}

interface Scored {
  category: Category;
  score: number;
  reasons: string[];
}

const CUE_LIST = Object.entries(CUES) as [Category, readonly Cue[]][];
const ALL_CUES = CUE_LIST.flatMap(([, cues]) => cues);
/** For each prefilter id, the index in ALL_CUES of the cue it belongs to (-1 for the signals). */
const CUE_OF_PART = new Int32Array(gateCount).fill(-1);
const PART_REGEX: RegExp[] = [];
ALL_CUES.forEach((c, index) => {
  for (const part of c.pattern.parts) {
    CUE_OF_PART[part.id] = index;
    PART_REGEX[part.id] = part.re;
  }
});
const cueMatches: (string | undefined)[] = new Array<string | undefined>(ALL_CUES.length);

/** Matched words as a reason quotes them ("age84" reads "aged 84"). */
function quote(matched: string): string {
  return matched.trim().replace(/\bage(\d+)\b/g, 'aged $1');
}

function scores(text: string): Map<Category, Scored> {
  // Run only the parts the prefilter let through, in order, stopping at each cue's first matching part.
  cueMatches.fill(undefined);
  for (let id = 0; id < CUE_OF_PART.length; id++) {
    const index = CUE_OF_PART[id] ?? -1;
    if (index < 0 || active[id] !== 1 || cueMatches[index] !== undefined) continue;
    const m = PART_REGEX[id]?.exec(text);
    if (m) cueMatches[index] = quote(m[0]);
  }
  const out = new Map<Category, Scored>();
  let index = 0;
  for (const [category, cues] of CUE_LIST) {
    const reasons: string[] = [];
    let score = 0;
    for (const c of cues) {
      const matched = cueMatches[index++];
      if (matched !== undefined) {
        score += c.weight;
        reasons.push(`${c.label} (“${matched}”)`);
      }
    }
    out.set(category, { category, score, reasons });
  }
  return out;
}

function result(
  category: Category,
  confidence: number,
  reasons: string[],
  flags: { extortion: boolean; vulnerable: boolean },
): Classification {
  return {
    category,
    cyber: CATEGORIES[category].cyber,
    code: recordingCode(category, flags.extortion),
    confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
    extortion: flags.extortion,
    vulnerable: flags.vulnerable,
    reasons: [...new Set(reasons)],
  };
}

const FRAUDS = new Set<Category>([
  'online-shopping-fraud',
  'investment-fraud',
  'romance-fraud',
  'advance-fee-fraud',
  'impersonation-fraud',
  'business-email-compromise',
  'tech-support-fraud',
  'card-account-fraud',
]);

const EXTORTION_CATEGORIES = new Set<Category>([
  'sextortion',
  'denial-of-service',
  'child-sexual-abuse',
  'phishing-attempt',
  'online-harassment',
  'other',
]);

/** Decides a report's category from the journey's answers where it has them, and from the narrative otherwise. */
export function classify(input: ClassificationInput): Classification {
  const words = normaliseWords(input.text);
  const text = ` ${words.join(' ')} `;
  activate(words);
  const masked = maskText(text);
  // "Paid by card" may add the word "paid" (from "payment on my card"); let the patterns that need it run.
  if (masked.includes('by_card')) for (const id of idsFor('paid')) active[id] = 1;
  const moneyDemand = test(MONEY_DEMAND, masked) && test(THREAT, masked);
  const scored = scores(masked);
  const sext = scoreOf(scored, 'sextortion');
  // Intimate images (or a "we recorded you" email) are themselves the threat: any money demand is extortion.
  const imageLever = has(sext, 'intimate') || has(sext, 'images of') || test(WEBCAM_BLUFF, masked);
  const decided = input.chosenCategory === undefined ? decide(text, masked, scored, moneyDemand) : null;
  const category = input.chosenCategory ?? decided?.category ?? 'other';

  const extortion =
    category === 'hacking-extortion' ||
    (EXTORTION_CATEGORIES.has(category) && (moneyDemand || (imageLever && test(MONEY_DEMAND, masked))));
  const vulnerableWords = exec(VULNERABLE, text);
  const vulnerableAnswer = input.vulnerability?.some((v) => v !== 'none') ?? false;
  // A child is vulnerable when they are the victim; a child's own spending on a parent's card has no victim.
  const childVictim = category === 'child-sexual-abuse' || (category !== 'other' && test(CHILD_AGE, text));
  const vulnerableWord =
    vulnerableWords !== null && !(test(CHILD_AGE, vulnerableWords[0]) && !childVictim)
      ? quote(vulnerableWords[0])
      : null;
  const vulnerable = vulnerableAnswer || childVictim || vulnerableWord !== null;
  const flags = { extortion, vulnerable };
  const flagReasons = [
    ...(extortion ? ['a demand for payment under threat'] : []),
    ...(vulnerableAnswer ? ['the reporter said the victim may need extra support'] : []),
    ...(vulnerableWord !== null ? [`the narrative suggests a vulnerable victim (“${vulnerableWord}”)`] : []),
    ...(childVictim && vulnerableWord === null ? ['the victim is a child'] : []),
  ];

  if (decided === null)
    return result(category, 0.95, [`the reporter chose “${category}”`, ...flagReasons], flags);
  return result(decided.category, decided.confidence, [...decided.reasons, ...flagReasons], flags);
}

interface Decision {
  category: Category;
  confidence: number;
  reasons: string[];
}

function has(s: Scored, prefix: string): boolean {
  for (const reason of s.reasons) if (reason.startsWith(prefix)) return true;
  return false;
}

type Scores = Map<Category, Scored>;

function scoreOf(scored: Scores, category: Category): Scored {
  let s = scored.get(category);
  if (s === undefined) {
    s = { category, score: 0, reasons: [] };
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

function decide(text: string, masked: string, scored: Scores, moneyDemand: boolean): Decision {
  // 1. A child at risk always wins (a child asked only for money is sextortion, per the taxonomy's split).
  const csa = scoreOf(scored, 'child-sexual-abuse');
  const sext = scoreOf(scored, 'sextortion');
  const images = has(sext, 'intimate') || has(sext, 'images of');
  const moreImages =
    test(MORE_IMAGES, masked) &&
    !/\b(?:not|never|no) (?:\w+ ){0,2}(?:more|further|new) (?:\w+ ){0,2}(?:pictures|photos|videos|images)\b/.test(
      masked,
    );
  const childMoneyOnly = moneyDemand && images && !moreImages;
  if (csa.score >= 8 || (test(CHILD, text) && test(SEXUAL, masked) && !childMoneyOnly))
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
  const bluff = test(WEBCAM_BLUFF, masked);
  if (
    bluff ||
    (images &&
      has(sext, 'a threat') &&
      (moneyDemand ||
        /\b(?:unless|or (?:else|they|he|she|it|my|your|his|her|the)|if (?:i|he|she|we|you) (?:do|does|did) not|to delete)\b/.test(
          masked,
        ))) ||
    (has(sext, 'intimate') &&
      test(MONEY_DEMAND, masked) &&
      /\b(?:demand|demands|demanding|demanded)\b/.test(masked))
  ) {
    if (bluff && !test(PAID_UP, masked.replace(NOT_PAID.re, ' ')))
      return pick('phishing-attempt', 0.8, [
        ...sext.reasons,
        'a mass “we recorded you” email with nothing shared and nothing paid is an attempt',
      ]);
    return pick('sextortion', 0.9, [...sext.reasons, 'images of the victim used as a threat']);
  }
  sext.score *= 0.3;
  const hx = scoreOf(scored, 'hacking-extortion');
  if (has(hx, 'ransomware') || (moneyDemand && test(INTRUSION, masked)))
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
  if (social.score > 0 && social.score <= 3.5 && !test(SOCIAL_PLATFORM, masked)) {
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
  if (!has(shop, 'the victim bought') && !has(shop, 'an online shop')) shop.score *= 0.4;
  const bec = scoreOf(scored, 'business-email-compromise');
  if (!test(CHANGED_DETAILS, masked) || !has(bec, 'an invoice')) bec.score *= 0.4;
  else if (has(bec, 'an invoice'))
    adjust(scored, extra, 'business-email-compromise', 2, 'a payment went to changed bank details');

  const invest = scoreOf(scored, 'investment-fraud');
  const romance = scoreOf(scored, 'romance-fraud');
  if (test(RELATIONSHIP, masked)) {
    if (invest.score >= 3)
      adjust(
        scored,
        extra,
        'investment-fraud',
        2,
        'money went into a fake investment, even with a romance hook',
      );
    else if (romance.score >= 3)
      adjust(scored, extra, 'romance-fraud', 4, 'the money was obtained through an online relationship');
  }
  if (test(REWARD, masked) && has(scoreOf(scored, 'advance-fee-fraud'), 'a fee')) {
    shop.score *= 0.5;
    if (!has(invest, 'money was invested') && !has(invest, 'a fake investment')) invest.score *= 0.5;
    adjust(scored, extra, 'advance-fee-fraud', 1.5, 'a fee was paid to unlock something promised');
  }

  const tech = scoreOf(scored, 'tech-support-fraud');
  // A fake support caller who got into the computer took remote control, whatever words describe it.
  const remote =
    has(tech, 'remote control') ||
    (has(tech, 'a fake computer') && has(scoreOf(scored, 'hacking-personal'), 'someone got into'));
  if (remote && (has(tech, 'a fake computer') || has(tech, 'a pop-up')))
    adjust(scored, extra, 'tech-support-fraud', 3, 'a fake support call took remote control and money');

  const card = scoreOf(scored, 'card-account-fraud');
  const imp = scoreOf(scored, 'impersonation-fraud');
  const victimPaid = test(VICTIM_PAID, masked) && !test(VICTIM_DENIES, masked);
  if (victimPaid && imp.score >= 1.5)
    adjust(scored, extra, 'impersonation-fraud', 2, 'the victim was talked into making the payment');
  else if (card.score > 0 && !victimPaid)
    adjust(scored, extra, 'card-account-fraud', 1, 'the fraudster, not the victim, made the payments');
  if ((has(card, 'a card was used') || has(card, 'payments were made')) && shop.score > 0)
    adjust(scored, extra, 'card-account-fraud', 2, 'the loss was later use of the card, not the purchase');
  if (
    !victimPaid &&
    (has(card, 'a card was used') || has(card, 'a bank or payment') || has(card, 'payments were made')) &&
    scoreOf(scored, 'hacking-personal').score > 0
  )
    adjust(
      scored,
      extra,
      'card-account-fraud',
      2,
      'the loss path decides: the card or bank account was used',
    );
  if (card.score > 0 && !victimPaid && test(PAYMENT_ACCOUNT_SPEND, masked)) {
    adjust(
      scored,
      extra,
      'card-account-fraud',
      2,
      'the loss was spending from a payment account or saved card',
    );
  }

  // 5. An attempt with no loss and no access is intelligence, not a crime.
  const phishing = scoreOf(scored, 'phishing-attempt');
  const loss =
    (test(LOSS, masked) && !test(NO_LOSS, masked)) ||
    has(card, 'a card was used') ||
    has(card, 'payments were made');
  const access =
    scoreOf(scored, 'hacking-social-email').score >= 4 ||
    scoreOf(scored, 'hacking-personal').score >= 3 ||
    scoreOf(scored, 'hacking-server').score >= 4 ||
    scoreOf(scored, 'malware').score >= 3 ||
    test(ACCESS_HAPPENED, masked);
  if (access) phishing.score = 0;
  // "Did not pay" or "no loss" alone, with no suspicious approach, link or sign of any scam, is not an attempt.
  const approach =
    has(phishing, 'a suspicious') ||
    /\b(?:click\w*|link|links)\b/.test(masked) ||
    [...scored.values()].some(
      (s) => s.category !== 'phishing-attempt' && s.category !== 'other' && s.score >= 1.5,
    );
  if (!approach) phishing.score = 0;
  const ranked = [...scored.values()].sort((a, b) => b.score - a.score);
  const top = ranked[0] ?? { category: 'other' as Category, score: 0, reasons: [] };
  const second = ranked[1]?.score ?? 0;
  const confidence = top.score === 0 ? 0.2 : top.score / (top.score + second + 1.5);
  if (
    phishing.score >= 2 &&
    !loss &&
    !access &&
    !has(scoreOf(scored, 'other'), 'the report says') &&
    (phishing.score >= 4.5 ||
      top.score <= phishing.score + 1 ||
      (has(phishing, 'nothing was lost') && FRAUDS.has(top.category)))
  )
    return pick('phishing-attempt', Math.max(confidence, 0.7), [
      ...phishing.reasons,
      'no loss and no access',
    ]);

  if (top.score < 1.5) return pick('other', 0.2, ['no phrase clearly matched a category']);
  return pick(top.category, confidence, [...top.reasons, ...(extra.get(top.category) ?? [])]);
}
