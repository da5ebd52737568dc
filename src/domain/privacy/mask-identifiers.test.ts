import { describe, expect, it } from 'vitest';
import { maskIdentifiers, type MaskLabels } from './mask-identifiers.ts';

const LABELS: MaskLabels = {
  email: '[email address]',
  ipAddress: '[IP address]',
  number: '[number]',
  postcode: '[postcode]',
};

describe('maskIdentifiers', () => {
  it.each([
    ['email me at ann.smith+x@example.org today', 'email me at [email address] today'],
    ['rang from 07700 900123 and +44 (0)7700-900-456', 'rang from [number] and [number]'],
    ['sort code 12-34-56 acc 12345678', 'sort code [number] acc [number]'],
    ['card 4929 1234 5678 9012 used', 'card [number] used'],
    ['lives at CA1 1AA, was in m11ae', 'lives at [postcode], was in [postcode]'],
    ['logged in from 203.0.113.7', 'logged in from [IP address]'],
  ])('masks %j', (text, masked) => {
    expect(maskIdentifiers(text, LABELS)).toBe(masked);
  });

  it('keeps what the classification turns on: amounts, dates, platforms and short numbers', () => {
    const text = 'paid £400 on 3/11 via Facebook Marketplace for 2 puppies, aged 67';
    expect(maskIdentifiers(text, LABELS)).toBe(text);
  });

  it('shows the labels it is given, as written (a Welsh page gets Welsh ones)', () => {
    const welsh: MaskLabels = {
      email: '[cyfeiriad e-bost]',
      ipAddress: '[cyfeiriad IP]',
      number: '[rhif]',
      postcode: '[cod post]',
    };
    expect(maskIdentifiers('ann@example.org, 07700 900123, CA1 1AA, 203.0.113.7', welsh)).toBe(
      '[cyfeiriad e-bost], [rhif], [cod post], [cyfeiriad IP]',
    );
    expect(maskIdentifiers('ring 07700 900123', { ...welsh, number: '[$& $1]' })).toBe('ring [$& $1]');
  });
});
