import { createHash } from 'node:crypto';
import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { base58To25Bytes, checksumHolds, sha256Short } from './base58check.ts';

// A fixed pseudo-random sequence, so a failure can be replayed.
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('sha256Short', () => {
  it('agrees with node:crypto on messages of every length it takes', () => {
    const next = random(256);
    for (let length = 0; length <= 55; length++) {
      for (let i = 0; i < 20; i++) {
        const message = Uint8Array.from({ length }, () => Math.floor(next() * 256));
        expect(Buffer.from(sha256Short(message)).toString('hex')).toBe(
          createHash('sha256').update(message).digest('hex'),
        );
      }
    }
    expect(() => sha256Short(new Uint8Array(56))).toThrow(RangeError);
  });
});

describe('base58To25Bytes', () => {
  it('agrees with @scure/base on strings of 25 bytes and of other lengths, and refuses other characters', () => {
    const next = random(58);
    const disagreements: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const length = 22 + Math.floor(next() * 6);
      const bytes = Uint8Array.from({ length }, () => (next() < 0.1 ? 0 : Math.floor(next() * 256)));
      if (next() < 0.3) bytes[0] = 0;
      const text = base58.encode(bytes);
      const expected = length === 25 ? Buffer.from(bytes).toString('hex') : null;
      const got = base58To25Bytes(text);
      if ((got === null ? null : Buffer.from(got).toString('hex')) !== expected) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
    expect(base58To25Bytes('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0')).toBeNull();
    expect(base58To25Bytes('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNé')).toBeNull();
  });

  it('with checksumHolds, accepts a real address and refuses it with one character changed', () => {
    const bytes = base58To25Bytes('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    expect(bytes).not.toBeNull();
    expect(checksumHolds(bytes as Uint8Array)).toBe(true);
    expect(checksumHolds(base58To25Bytes('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb') as Uint8Array)).toBe(false);
  });
});
