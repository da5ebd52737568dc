/**
 * How a classification is stored and read back: the online element as one value (a medium, 'none', or 'unknown'
 * for records classified before the online decision existed), the cyber flag that follows from it, and whether a
 * person should review it.
 */
import type { Classification } from './classify.ts';
import { isMedium, type Medium } from './online-cues.ts';
import { CATEGORIES, type Category, type CyberFlag } from './taxonomy.ts';

export type StoredOnline = Medium | 'none' | 'unknown';

export function isStoredOnline(value: unknown): value is StoredOnline {
  return value === 'none' || value === 'unknown' || isMedium(value);
}

export function storedOnline(c: Classification): Medium | 'none' {
  return c.online.medium ?? 'none';
}

/** The cyber flag counted in the statistics: none without an online element, else the category's. */
export function cyberFor(category: Category, online: StoredOnline): CyberFlag {
  return online === 'none' ? 'none' : CATEGORIES[category].cyber;
}

/** Whether a classification is doubtful enough to wait for a person (below the configured threshold). */
export function needsReview(c: Classification, threshold: number): boolean {
  return c.confidence < threshold;
}
