import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CROCKFORD,
  generateCrimeReference,
  luhn32CheckSymbol,
  parseCrimeReference,
} from './crime-reference.ts';

const SHAPE = /^CYB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;

describe('crime reference numbers', () => {
  it('are CYB-XXXX-XXXX-C in Crockford base32 without I, L, O or U', () => {
    for (let i = 0; i < 1000; i++) {
      const ref = generateCrimeReference(randomBytes);
      expect(ref).toMatch(SHAPE);
      expect(parseCrimeReference(ref)).toBe(ref);
    }
  });

  it('are not sequential: 10,000 in a row are all different and spread over the alphabet', () => {
    const refs = new Set(Array.from({ length: 10_000 }, () => generateCrimeReference(randomBytes)));
    expect(refs.size).toBe(10_000);
    const firstSymbols = new Set([...refs].map((r) => r[4]));
    expect(firstSymbols.size).toBe(32);
  });

  it('uses the random source it is given (deterministic in tests)', () => {
    const zeros = () => new Uint8Array(8);
    expect(generateCrimeReference(zeros)).toBe('CYB-0000-0000-0');
    const ones = () => new Uint8Array(8).fill(1);
    const ref = generateCrimeReference(ones);
    expect(ref.slice(0, 13)).toBe('CYB-1111-1111');
    expect(parseCrimeReference(ref)).toBe(ref);
  });

  it('computes the Luhn mod 32 check symbol', () => {
    // Worked by hand: body "00000001": rightmost symbol doubled: 2 → check = 32 - 2 = 30 → 'Y'.
    expect(luhn32CheckSymbol('00000001')).toBe('Y');
    expect(luhn32CheckSymbol('00000010')).toBe('Z');
  });

  it('accepts any case, with or without dashes, spaces or the prefix', () => {
    const ref = generateCrimeReference(randomBytes);
    const bare = ref.replace(/-/g, '').slice(3);
    expect(parseCrimeReference(ref.toLowerCase())).toBe(ref);
    expect(parseCrimeReference(bare)).toBe(ref);
    expect(parseCrimeReference(` ${bare.slice(0, 4)} ${bare.slice(4)} `)).toBe(ref);
    expect(parseCrimeReference(`cyb ${bare.toLowerCase()}`)).toBe(ref);
  });

  it('detects every single-symbol typing error and every swap of neighbours but 0 and Z', () => {
    // Luhn mod N misses exactly one transposition, of the symbols worth 0 and N-1 (as 09/90 in mod 10).
    for (let n = 0; n < 200; n++) {
      const symbols = generateCrimeReference(randomBytes).replace(/-/g, '').slice(3).split('');
      for (let i = 0; i < symbols.length; i++) {
        for (const other of CROCKFORD) {
          if (other === symbols[i]) continue;
          const typo = [...symbols];
          typo[i] = other;
          expect(parseCrimeReference(typo.join('')), typo.join('')).toBeNull();
        }
        const a = symbols[i] ?? '';
        const b = symbols[i + 1];
        if (b === undefined || a === b) continue;
        const swapped = [...symbols];
        [swapped[i], swapped[i + 1]] = [b, a];
        const caught = parseCrimeReference(swapped.join('')) === null;
        expect(caught, swapped.join('')).toBe(!(new Set([a, b]).has('0') && new Set([a, b]).has('Z')));
      }
    }
  });

  it.each(['', 'CYB-1234', 'CYB-ABCD-EFGH-JK', 'CYB-ABCD-EFGH-!', 'CYB-UUUU-UUUU-U', 'x'.repeat(100)])(
    'rejects %j',
    (input) => {
      expect(parseCrimeReference(input)).toBeNull();
    },
  );
});
