import { describe, expect, it } from 'vitest';
import { latestOf, lifecycleOf, validUntilOf } from './indicator-lifecycle.ts';

const seen = '2026-12-08T10:00:00.000Z';
const at = (days: number) => new Date(new Date(seen).getTime() + days * 86_400_000);

describe('an indicator’s lifecycle', () => {
  it('is valid for 90 days from the UTC day it was last refreshed, so valid_until moves at most once a day', () => {
    expect(validUntilOf('2026-12-08T00:00:01.000Z')).toBe('2027-03-08T00:00:00.000Z');
    expect(validUntilOf('2026-12-08T23:59:59.000Z')).toBe('2027-03-08T00:00:00.000Z');
    expect(
      lifecycleOf({ confidence: 50, refreshedAt: seen, falsePositivePartners: [] }, at(89)).expired,
    ).toBe(false);
    const expired = lifecycleOf({ confidence: 50, refreshedAt: seen, falsePositivePartners: [] }, at(91));
    expect(expired.expired).toBe(true);
    expect(expired.reasons).toContainEqual({ kind: 'expired', validUntil: '2027-03-08T00:00:00.000Z' });
  });

  it('halves the score every 30 days since the last refresh, leaving the evidence score as it was', () => {
    const fresh = lifecycleOf({ confidence: 80, refreshedAt: seen, falsePositivePartners: [] }, at(0));
    const month = lifecycleOf({ confidence: 80, refreshedAt: seen, falsePositivePartners: [] }, at(30));
    expect([fresh.score, month.score, month.evidenceScore]).toEqual([80, 40, 80]);
    expect(month.reasons).toContainEqual({ kind: 'decay', days: 30, percent: 50 });
  });

  it('takes 25 for each partner reporting a false positive, each partner once', () => {
    const once = lifecycleOf({ confidence: 95, refreshedAt: seen, falsePositivePartners: ['A', 'A'] }, at(0));
    expect(once).toMatchObject({ evidenceScore: 70, revoked: false });
    expect(once.reasons).toContainEqual({ kind: 'false-positives', partners: ['A'], penalty: 25 });
  });

  it('revokes only when two different partners report a false positive and the evidence score falls below 50', () => {
    // One partner alone never revokes, however low the score.
    expect(
      lifecycleOf({ confidence: 50, refreshedAt: seen, falsePositivePartners: ['A'] }, at(0)).revoked,
    ).toBe(false);
    const two = lifecycleOf({ confidence: 95, refreshedAt: seen, falsePositivePartners: ['B', 'A'] }, at(0));
    expect(two).toMatchObject({ evidenceScore: 45, revoked: true });
    expect(two.reasons.at(-1)).toEqual({ kind: 'revoked', partners: 2, below: 50 });
    // Time alone never revokes: that is what valid_until is for.
    expect(
      lifecycleOf({ confidence: 50, refreshedAt: seen, falsePositivePartners: [] }, at(400)).revoked,
    ).toBe(false);
  });

  it('is refreshed by the latest of its report, sightings and submissions', () => {
    expect(latestOf('2026-12-01T00:00:00.000Z', undefined, '2026-12-05T00:00:00.000Z', null)).toBe(
      '2026-12-05T00:00:00.000Z',
    );
  });
});
