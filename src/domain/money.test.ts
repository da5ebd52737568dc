import { describe, expect, it } from 'vitest';
import { penceOf } from './money.ts';

describe('money as typed', () => {
  it('reads pounds, pence and thousands separators', () => {
    expect(['850', '£850', '£ 850.5', '1,250.50', '1,000,000', ' 0.01 '].map(penceOf)).toEqual([
      85_000, 85_000, 85_050, 125_050, 100_000_000, 1,
    ]);
  });

  it('refuses a decimal comma, misplaced separators, exponents, signs and words', () => {
    for (const raw of [
      '8,50',
      '1,2345',
      ',850',
      '850,',
      '8 50',
      '1e3',
      '-5',
      '+5',
      'NaN',
      'Infinity',
      '0x10',
      '1.234',
      '12345678901',
      '',
    ])
      expect(penceOf(raw), raw).toBeNull();
  });
});
