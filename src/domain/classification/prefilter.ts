/**
 * The classifier's regex prefilter: speed matters (legacy imports classify millions of records), so each cue
 * pattern sits behind an index of the words one of which it needs; a pattern whose words are absent is skipped.
 * Built once by createPrefilter; each classify call gets its own Scan (no state is shared between calls).
 */
import { memorable } from './normalise-text.ts';
/*
 * Running ~90 regexes over every text is the slow part of classifying, and most of them cannot
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

/**
 * Every set of needles that any match of the sequence must contain one of, in the order found: each is a
 * necessary condition on its own (one for each literal word and each group the sequence cannot skip).
 */
function sequenceRequirements(seq: Item[], atStart: boolean): string[][] {
  let boundary = atStart;
  const found: string[][] = [];
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
        if (exact) found.push([`=${run}`]);
        else if (run.length >= MIN_PREFIX) found.push([run.slice(0, MAX_PREFIX)]);
      }
      if (item.atom.kind === 'group') {
        const needles = alternativesNeedles(item.atom.alts, boundary);
        if (needles !== null) found.push(needles);
      }
    }
    boundary = endsAtBoundary(item, boundary);
  }
  return found;
}

/** The cheapest set of needles one of which any match of the sequence must contain, or null. */
function sequenceNeedles(seq: Item[], atStart: boolean): string[] | null {
  let best: string[] | null = null;
  for (const needles of sequenceRequirements(seq, atStart))
    if (best === null || cost(needles) < cost(best)) best = needles;
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

/**
 * Every set of needles a match of the pattern must contain one of (all of them necessary), or [] when the
 * pattern gives no such guarantee. A pattern of one alternative gives one set per word or group it needs.
 */
function allRequiredNeedles(pattern: RegExp): string[][] {
  if (pattern.flags.replace(/[gy]/g, '') !== '') return [];
  const alts = parse(pattern.source);
  if (alts === null) return [];
  if (alts.length !== 1) {
    const needles = alternativesNeedles(alts, false);
    return needles === null ? [] : [[...new Set(needles)]];
  }
  return sequenceRequirements(alts[0] ?? [], false).map((needles) => [...new Set(needles)]);
}

/** One top-level alternative of a pattern, with its prefilter id. */
export interface Part {
  re: RegExp;
  id: number;
}

/** A pattern split into its top-level alternatives: it matches when any part does. */
export interface Gated {
  parts: readonly Part[];
  /** The whole pattern, for replace(). */
  re: RegExp;
}

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

/** Patterns that may match one text: the scratch state of one classify call. */
export interface Scan {
  /** 1 where a part's cheapest needle is among the words. */
  active: Uint8Array;
  /**
   * Whether a part gated strictly (gate(pattern, { strict: true })) may match: active, and every other word or
   * group it needs is among the words too. A non-strict part: active.
   */
  ready(id: number): boolean;
  /** The ready parts with ids below `below`, in id order (a view, valid until the scan is used again). */
  readyBelow(below: number): Int32Array;
  test(g: Gated, text: string): boolean;
  /** The first part's match (parts in the pattern's order), or null. */
  exec(g: Gated, text: string): RegExpExecArray | null;
  /** Lets the patterns a word needs run too (after the text was rewritten). */
  allow(word: string): void;
  /**
   * Meets the strict parts' further needs a word meets, without letting any part run that was not let run
   * already (a word a rewrite put in the text).
   */
  meet(word: string): void;
}

/**
 * Which parts each word activates (ids ≥ 0) and which of the strict parts' further needs it meets (−1 − slot),
 * memoised by a caller that scans many texts (bounded).
 */
export type ActivationCache = Map<string, Int32Array>;
const ACTIVATION_CACHE_LIMIT = 10_000;

export interface Prefilter {
  /** How many parts are registered. */
  size: number;
  /**
   * The words' scan. `reuse`: a scan this prefilter made before, whose arrays are reset and used again (a caller
   * classifying many texts, one at a time: the scan it passes is finished with).
   */
  scan(words: readonly string[], cache?: ActivationCache, reuse?: Scan): Scan;
}

/** Registers patterns with gate(), then build() freezes the index. */
export function createPrefilter(): {
  /**
   * Strict: a part also waits for every other word or group its pattern needs (not only the cheapest), which
   * skips more patterns. Only for patterns run on the scanned words' text or a text made from it by removing
   * words (a part of a word, cut off by another match, may not meet an exact needle).
   */
  gate(pattern: RegExp, options?: { strict?: boolean }): Gated;
  build(): Prefilter;
} {
  const index = new Map<string, number[]>();
  const ungated: number[] = [];
  /** Strict parts' further needs: needle → slots; each slot belongs to one part (slotPart). */
  const slotIndex = new Map<string, number[]>();
  const slotPart: number[] = [];
  /** How many further needs (slots) each part has. */
  const needs: number[] = [];
  let count = 0;
  let built = false;

  function gate(pattern: RegExp, options: { strict?: boolean } = {}): Gated {
    if (built) throw new Error('the prefilter is already built');
    const parts = topLevelAlternatives(pattern.source).map((source): Part => {
      const alternative = new RegExp(source, pattern.flags);
      const id = count++;
      needs[id] = 0;
      const needles = requiredNeedles(alternative);
      if (needles === null) ungated.push(id);
      else
        for (const needle of needles) {
          const ids = index.get(needle);
          if (ids === undefined) index.set(needle, [id]);
          else ids.push(id);
        }
      if (options.strict === true && needles !== null) {
        const key = [...needles].sort().join(' ');
        for (const further of allRequiredNeedles(alternative)) {
          if ([...further].sort().join(' ') === key) continue;
          const slot = slotPart.length;
          slotPart.push(id);
          needs[id] = (needs[id] ?? 0) + 1;
          for (const needle of further) {
            const slots = slotIndex.get(needle);
            if (slots === undefined) slotIndex.set(needle, [slot]);
            else slots.push(slot);
          }
        }
      }
      return { re: spaceAnchored(alternative), id };
    });
    return { parts, re: pattern };
  }

  function build(): Prefilter {
    built = true;
    // Every needle a word can meet starts with the word's first two characters (its first, for a one-letter word):
    // a word starting with none of theirs (most numbers: references, amounts) meets nothing, and is not cut into
    // prefixes to find that out.
    const starts = new Set<string>();
    for (const needle of [...index.keys(), ...slotIndex.keys()])
      starts.add(needle.startsWith('=') ? needle.slice(1, 3) : needle.slice(0, 2));
    const tables: Tables = {
      size: count,
      ungated: Int32Array.from(ungated),
      partOfSlot: Int32Array.from(slotPart),
      needCount: Int32Array.from(needs),
      idsOf(token) {
        const found: number[] = [];
        const add = (needle: string) => {
          const ids = index.get(needle);
          if (ids !== undefined) for (const id of ids) found.push(id);
          const slots = slotIndex.get(needle);
          if (slots !== undefined) for (const slot of slots) found.push(-1 - slot);
        };
        for (const word of token.split(' ')) {
          if (!starts.has(word.slice(0, 2))) continue;
          add(`=${word}`);
          const end = Math.min(MAX_PREFIX, word.length);
          for (let length = MIN_PREFIX; length <= end; length++) add(word.slice(0, length));
        }
        return Int32Array.from(found);
      },
    };
    return {
      size: count,
      scan: (words, cache, reuse) =>
        (reuse instanceof WordScan && reuse.tables === tables ? reuse : new WordScan(tables)).load(
          words,
          cache,
        ),
    };
  }

  return { gate, build };
}

/** What a built prefilter's scans read: never changed after build(). */
interface Tables {
  size: number;
  ungated: Int32Array;
  partOfSlot: Int32Array;
  needCount: Int32Array;
  /** A token's part ids (≥ 0) and strict parts' further needs met (−1 − slot). */
  idsOf(token: string): Int32Array;
}

/** One text's scan (a class, so a classify call allocates its arrays and nothing else). */
class WordScan implements Scan {
  readonly active: Uint8Array;
  private readonly missing: Int32Array;
  private readonly met: Uint8Array;
  /** The active parts' ids, in the order they became active (so a caller need not look at every part). */
  private readonly activeIds: Int32Array;
  private activeCount = 0;
  private readonly readyIds: Int32Array;

  constructor(readonly tables: Tables) {
    this.active = new Uint8Array(tables.size);
    this.missing = tables.needCount.slice();
    this.met = new Uint8Array(tables.partOfSlot.length);
    this.activeIds = new Int32Array(tables.size);
    this.readyIds = new Int32Array(tables.size);
  }

  /** Starts afresh on these words. */
  load(words: readonly string[], cache: ActivationCache | undefined): this {
    this.active.fill(0);
    this.missing.set(this.tables.needCount);
    this.met.fill(0);
    this.activeCount = 0;
    const { ungated } = this.tables;
    for (let k = 0; k < ungated.length; k++) this.activate(ungated[k] ?? 0);
    for (const word of words) this.mark(this.idsFor(word, cache), false);
    return this;
  }

  private idsFor(token: string, cache: ActivationCache | undefined): Int32Array {
    let ids = cache?.get(token);
    if (ids === undefined) {
      ids = this.tables.idsOf(token);
      if (cache !== undefined && memorable(token)) {
        if (cache.size >= ACTIVATION_CACHE_LIMIT) cache.clear();
        cache.set(token, ids);
      }
    }
    return ids;
  }

  private activate(id: number): void {
    if (this.active[id] === 1) return;
    this.active[id] = 1;
    this.activeIds[this.activeCount++] = id;
  }

  private mark(ids: Int32Array, onlyNeeds: boolean): void {
    const { met, missing } = this;
    const { partOfSlot } = this.tables;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] ?? 0;
      if (id >= 0) {
        if (!onlyNeeds) this.activate(id);
      } else if (met[-1 - id] === 0) {
        met[-1 - id] = 1;
        const part = partOfSlot[-1 - id] ?? 0;
        missing[part] = (missing[part] ?? 0) - 1;
      }
    }
  }

  ready(id: number): boolean {
    return this.active[id] === 1 && this.missing[id] === 0;
  }

  readyBelow(below: number): Int32Array {
    const { activeIds, missing, readyIds } = this;
    let count = 0;
    for (let k = 0; k < this.activeCount; k++) {
      const id = activeIds[k] ?? 0;
      if (id < below && missing[id] === 0) readyIds[count++] = id;
    }
    return readyIds.subarray(0, count).sort();
  }

  test(g: Gated, text: string): boolean {
    for (const part of g.parts) if (this.ready(part.id) && part.re.test(text)) return true;
    return false;
  }

  exec(g: Gated, text: string): RegExpExecArray | null {
    for (const part of g.parts) {
      if (!this.ready(part.id)) continue;
      const m = part.re.exec(text);
      if (m !== null) return m;
    }
    return null;
  }

  allow(word: string): void {
    this.mark(this.idsFor(word, undefined), false);
  }

  meet(word: string): void {
    this.mark(this.idsFor(word, undefined), true);
  }
}
