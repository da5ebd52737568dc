/**
 * Step 1 of the classifier: is there an online or digital element, and through which medium? Cue weights from
 * the text (online-cues.ts) and from the Home Office offence name add up; the element is there when the total
 * reaches ONLINE_THRESHOLD. Pure: no state outside the call.
 */
import {
  MEDIA,
  ONLINE_CUES,
  ONLINE_MASKS,
  offenceRule,
  type Medium,
  type OffenceRule,
} from './online-cues.ts';
import { createPrefilter, type ActivationCache, type Scan } from './prefilter.ts';

export interface OnlineEvidence {
  /** Cue or offence rule id. */
  id: string;
  medium: Medium | null;
  weight: number;
  /** The words that showed it. */
  words: string;
}

export interface OnlineDecision {
  online: boolean;
  /** The primary medium, or null when there is no online element. */
  medium: Medium | null;
  media: Medium[];
  score: number;
  evidence: OnlineEvidence[];
  /** The offence name's rule, when a force record's offence name matched one. */
  offence: OffenceRule | null;
}

export const ONLINE_THRESHOLD = 2;
/** The weight of a category cue that shows a medium by itself. */
export const DIGITAL_CUE_WEIGHT = 3;

/**
 * The masks and cues behind a prefilter (speed): one that cannot match the text's words is not run. Masks only
 * remove words, so every pattern runs on a text made of the normalised words less some: strict gating is safe.
 */
const GATES = (() => {
  const builder = createPrefilter();
  const masks = ONLINE_MASKS.map((re) => builder.gate(re, { strict: true }));
  const cues = ONLINE_CUES.map((cue) => builder.gate(cue.pattern, { strict: true }));
  const prefilter = builder.build();
  /** Each part's pattern: mask i as i, cue i as masks.length + i. */
  const owner = new Int32Array(prefilter.size);
  [...masks, ...cues].forEach((g, i) => {
    for (const part of g.parts) owner[part.id] = i;
  });
  return { prefilter, owner };
})();

/** Decides the online element of a normalised text (" word word . word "), with the offence name if known. */
export function decideOnline(
  normalised: string,
  offence?: string,
  /** Category cues that show a medium by themselves (category-cues.ts CUE_MEDIA), already matched. */
  digital: readonly { id: string; medium: Medium; words: string }[] = [],
  /** What the caller knows already: the text's words (normaliseWords), a memo for many texts, the offence rule. */
  known: {
    words?: readonly string[];
    cache?: ActivationCache;
    rule?: OffenceRule | null;
    /** Where this module keeps its scan between calls (a caller classifying many texts one at a time). */
    scratch?: { scan?: Scan; may?: Uint8Array };
  } = {},
): OnlineDecision {
  const scan = GATES.prefilter.scan(
    known.words ?? normalised.split(' ').filter((word) => word !== ''),
    known.cache,
    known.scratch?.scan,
  );
  if (known.scratch !== undefined) known.scratch.scan = scan;
  // A pattern runs whole (its first match, as without the prefilter) when any of its parts may match. Plain loops,
  // no closures: this runs for every record of an import.
  // 1 for each mask, then each cue, any part of which may match.
  const may = known.scratch?.may ?? new Uint8Array(ONLINE_MASKS.length + ONLINE_CUES.length);
  if (known.scratch !== undefined) known.scratch.may = may;
  may.fill(0);
  const ready = scan.readyBelow(GATES.prefilter.size);
  for (let k = 0; k < ready.length; k++) may[GATES.owner[ready[k] ?? 0] ?? 0] = 1;
  let text = normalised;
  for (let i = 0; i < ONLINE_MASKS.length; i++)
    if (may[i] === 1) text = text.replace(ONLINE_MASKS[i] as RegExp, ' ');
  const evidence: OnlineEvidence[] = [];
  const masks = ONLINE_MASKS.length;
  for (let i = 0; i < ONLINE_CUES.length; i++) {
    if (may[masks + i] !== 1) continue;
    const cue = ONLINE_CUES[i] as (typeof ONLINE_CUES)[number];
    const m = cue.pattern.exec(text);
    if (m !== null) evidence.push({ id: cue.id, medium: cue.medium, weight: cue.weight, words: m[0].trim() });
  }
  // A category cue counts only if its words survive the masks (a caller's claim of "viruses" does not).
  for (const d of digital)
    if (text.includes(d.words) || !normalised.includes(d.words))
      evidence.push({ id: d.id, medium: d.medium, weight: DIGITAL_CUE_WEIGHT, words: d.words });
  const rule = known.rule !== undefined ? known.rule : offenceRule(offence);
  if (rule !== null && offence !== undefined)
    evidence.push({ id: rule.id, medium: rule.medium, weight: rule.weight, words: offence.trim() });
  // Each medium counts once, at its strongest cue: three words for one website are one website.
  const byMedium = new Map<Medium, number>();
  let score = 0;
  for (const e of evidence) {
    if (e.medium === null || e.weight <= 0) score += e.weight;
    else byMedium.set(e.medium, Math.max(byMedium.get(e.medium) ?? 0, e.weight));
  }
  for (const weight of byMedium.values()) score += weight;
  const online = score >= ONLINE_THRESHOLD && byMedium.size > 0;
  // Primary medium first: the strongest; ties in the order of MEDIA's specificity (most specific last wins).
  const media = online
    ? [...byMedium.entries()]
        .sort((a, b) => b[1] - a[1] || MEDIA.indexOf(b[0]) - MEDIA.indexOf(a[0]))
        .map(([m]) => m)
    : [];
  return { online, medium: media[0] ?? null, media, score, evidence, offence: rule };
}
