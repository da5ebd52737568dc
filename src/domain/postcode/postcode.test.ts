import { describe, expect, it } from 'vitest';
import { parsePostcode } from './postcode.ts';

describe('parsePostcode', () => {
  it.each([
    ['CA1 1AA', 'CA1 1AA', 'CA', 'CA1'],
    ['ca11aa', 'CA1 1AA', 'CA', 'CA1'],
    ['  sw1a 1aa ', 'SW1A 1AA', 'SW', 'SW1A'],
    ['EC1A1BB', 'EC1A 1BB', 'EC', 'EC1A'],
    ['W1A 0AX', 'W1A 0AX', 'W', 'W1A'],
    ['M1 1AE', 'M1 1AE', 'M', 'M1'],
    ['B33 8TH', 'B33 8TH', 'B', 'B33'],
    ['DN55 1PT', 'DN55 1PT', 'DN', 'DN55'],
    ['BT1 1AA', 'BT1 1AA', 'BT', 'BT1'],
    ['E1W 1AA', 'E1W 1AA', 'E', 'E1W'],
    ['sy23', 'SY23', 'SY', 'SY23'],
    ['la 9', 'LA9', 'LA', 'LA9'],
  ])('reads %j as %s', (input, normalised, area, district) => {
    expect(parsePostcode(input)).toMatchObject({ normalised, area, district });
  });

  it.each([
    '',
    'hello',
    '12345',
    'CA1 1CA',
    'CA1 AA1',
    'C1A1AAA',
    '1AA 1AA',
    'CA1 1AAA',
    'D02 X285',
    '<script>',
    'CA1 1AA'.repeat(10),
  ])('rejects %j', (input) => {
    expect(parsePostcode(input)).toBeNull();
  });
});
