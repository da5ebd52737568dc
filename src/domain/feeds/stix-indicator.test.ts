import { describe, expect, it } from 'vitest';
import { feedRetryDelayMs, FEED_BACKOFF_CAP_MS, nextPullAt } from './pull-schedule.ts';
import { parseStixObject, patternValues } from './stix-indicator.ts';

const feed = { tlp: 'amber' as const, validDays: 30 };
const indicator = (overrides: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-11-01T10:00:00.000Z',
  modified: '2026-11-02T10:00:00.000Z',
  pattern_type: 'stix',
  pattern: "[domain-name:value = 'Parcel-Fee.example.co.uk']",
  valid_from: '2026-11-01T09:00:00Z',
  ...overrides,
});

describe('values a STIX pattern names exactly', () => {
  it.each([
    [
      "[url:value = 'https://Pay.example.com/login']",
      [{ type: 'url', raw: 'https://Pay.example.com/login' }],
    ],
    ["[ipv4-addr:value = '198.51.100.7/32']", [{ type: 'ipv4', raw: '198.51.100.7' }]],
    ["[email-addr:value = 'it\\'s@scam.example']", [{ type: 'email', raw: "it's@scam.example" }]],
    [
      "[file:hashes.'SHA-256' = 'aa'] OR [file:hashes.MD5 = 'bb']",
      [
        { type: 'sha256', raw: 'aa' },
        { type: 'md5', raw: 'bb' },
      ],
    ],
    [
      "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']",
      [
        { type: 'domain', raw: 'a.example' },
        { type: 'domain', raw: 'b.example' },
      ],
    ],
    [
      "[user-account:account_type = 'phone-number' AND user-account:user_id = '+447700900123']",
      [{ type: 'phone', raw: '+447700900123' }],
    ],
  ])('%s', (pattern, expected) => {
    expect(patternValues(pattern)).toEqual(expected);
  });

  it.each([
    "[domain-name:value LIKE '%.example']",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    "[domain-name:value = 'a.example'] AND [url:value = 'http://b.example/']",
    "[domain-name:value = 'a.example'] FOLLOWEDBY [url:value = 'http://b.example/']",
    "[domain-name:value = 'a.example'] WITHIN 300 SECONDS",
    "[url:value = 'http://a.example/' AND domain-name:value = 'a.example']",
    "[user-account:account_type = 'unix' AND user-account:user_id = 'root']",
    "[x-custom:value = 'thing']",
    '[domain-name:value = ',
  ])('skips %s', (pattern) => {
    expect(patternValues(pattern)).toBeNull();
  });
});

describe('a feed indicator', () => {
  it('is normalised as report indicators are, with its dates, marking and confidence', () => {
    const parsed = parseStixObject(
      indicator({
        valid_until: '2027-01-01T00:00:00Z',
        confidence: 80,
        object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
      }),
      feed,
    );
    expect(parsed).toEqual({
      externalId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      version: '2026-11-02T10:00:00.000Z',
      entries: [
        {
          externalId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
          version: '2026-11-02T10:00:00.000Z',
          type: 'domain',
          value: 'parcel-fee.example.co.uk',
          knownSince: '2026-11-01T09:00:00.000Z',
          validUntil: '2027-01-01T00:00:00.000Z',
          revoked: false,
          tlp: 'green',
          confidence: 80,
        },
      ],
    });
  });

  it('without valid_until expires the feed’s lifetime after its last change; unmarked, it takes the feed’s TLP', () => {
    const parsed = parseStixObject(indicator(), feed);
    expect(parsed).toMatchObject({ entries: [{ validUntil: '2026-12-02T10:00:00.000Z', tlp: 'amber' }] });
  });

  it('keeps the strictest marking it carries', () => {
    const parsed = parseStixObject(
      indicator({
        object_marking_refs: [
          'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
          'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
        ],
      }),
      feed,
    );
    expect(parsed).toMatchObject({ entries: [{ tlp: 'red' }] });
  });

  it('a revocation with a placeholder pattern still names its object, with no values', () => {
    const parsed = parseStixObject(
      indicator({ revoked: true, pattern: "[domain-name:value = 'withdrawn']" }),
      feed,
    );
    expect(parsed).toEqual({ externalId: indicator().id, version: '2026-11-02T10:00:00.000Z', entries: [] });
  });

  it.each([
    [{ hello: 'world' }, 'not-stix'],
    [[1, 2], 'not-stix'],
    ['indicator', 'not-stix'],
    [indicator({ id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }), 'not-stix'],
    [indicator({ spec_version: '2.0' }), 'not-stix'],
    [indicator({ created: 'yesterday' }), 'not-stix'],
    [
      { ...indicator(), type: 'malware', id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
      'not-indicator',
    ],
    [indicator({ pattern_type: 'sigma' }), 'unsupported-pattern'],
    [indicator({ pattern: "[domain-name:value LIKE '%x']" }), 'unsupported-pattern'],
    [indicator({ pattern: "[domain-name:value = 'not a domain']" }), 'invalid-value'],
  ])('skips %j as %s', (object, reason) => {
    expect(parseStixObject(object, feed)).toEqual({ skip: reason });
  });
});

describe('pull schedule', () => {
  it('backs off exponentially from a minute, capped at six hours', () => {
    expect([1, 2, 3, 4].map(feedRetryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(feedRetryDelayMs(9)).toBe(256 * 60_000);
    expect(feedRetryDelayMs(10)).toBe(FEED_BACKOFF_CAP_MS);
    expect(feedRetryDelayMs(10_000)).toBe(FEED_BACKOFF_CAP_MS);
  });

  it('waits the interval after a success, and nothing when pages are still waiting', () => {
    const now = new Date('2026-12-08T10:00:00.000Z');
    expect(nextPullAt(now, { intervalMinutes: 60, moreWaiting: false })).toBe('2026-12-08T11:00:00.000Z');
    expect(nextPullAt(now, { intervalMinutes: 60, moreWaiting: true })).toBe('2026-12-08T10:00:00.000Z');
    expect(nextPullAt(now, { failures: 3 })).toBe('2026-12-08T10:04:00.000Z');
  });
});
