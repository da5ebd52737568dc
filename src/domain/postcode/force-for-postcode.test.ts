import { describe, expect, it } from 'vitest';
import { forceForPostcode, type PostcodeAreaMap } from './force-for-postcode.ts';

const map: PostcodeAreaMap = {
  CA: { forces: ['cumbria'], districts: { CA8: ['cumbria', 'northumbria'] } },
  LA: { forces: ['lancashire'], districts: { LA9: ['cumbria'] } },
  EC: {
    forces: ['city-of-london'],
    districts: { EC1A: ['city-of-london', 'metropolitan'], EC4: ['city-of-london'] },
  },
};

describe('forceForPostcode', () => {
  it('uses the area default when the district is not split', () => {
    expect(forceForPostcode(map, 'ca1 1aa')).toEqual({
      kind: 'found',
      postcode: 'CA1 1AA',
      district: 'CA1',
      forces: ['cumbria'],
      matched: 'area',
    });
  });

  it('uses the district entry where an area is split, keeping every candidate in order', () => {
    expect(forceForPostcode(map, 'LA9 4AA')).toMatchObject({ forces: ['cumbria'], matched: 'district' });
    expect(forceForPostcode(map, 'CA8 1AA')).toMatchObject({ forces: ['cumbria', 'northumbria'] });
    expect(forceForPostcode(map, 'EC1A 1BB')).toMatchObject({ forces: ['city-of-london', 'metropolitan'] });
  });

  it('falls back from a sub-district (EC4M) to its district (EC4)', () => {
    expect(forceForPostcode(map, 'EC4M 7AA')).toMatchObject({
      district: 'EC4M',
      forces: ['city-of-london'],
      matched: 'district',
    });
  });

  it.each([
    ['JE2 3AB', 'jersey'],
    ['GY1 1AA', 'guernsey'],
    ['IM1 1AA', 'isle-of-man'],
    ['BF1 4FB', 'bfpo'],
    ['BX1 1LT', 'non-geographic'],
    ['GIR 0AA', 'non-geographic'],
  ])('answers clearly for %s, which no UK force covers', (postcode, jurisdiction) => {
    expect(forceForPostcode(map, postcode)).toEqual({ kind: 'outside', postcode, jurisdiction });
  });

  it('rejects malformed input and unknown areas without guessing', () => {
    expect(forceForPostcode(map, '75001')).toEqual({ kind: 'invalid', reason: 'format' });
    expect(forceForPostcode(map, 'QQ1 1AA')).toEqual({ kind: 'invalid', reason: 'unknown-area' });
  });
});
