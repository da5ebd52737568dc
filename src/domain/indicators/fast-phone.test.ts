import { describe, expect, it } from 'vitest';
import { phoneByLibphonenumber } from './extract.ts';
import metadata from 'libphonenumber-js/max/metadata';
import examples from 'libphonenumber-js/mobile/examples';
import { internationalPhone, ukPhone } from './fast-phone.ts';

// A fixed pseudo-random sequence, so a failure can be replayed.
function digits(seed: number) {
  let state = seed;
  return (n: number) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      out += String(Math.floor((state / 2147483648) * 10));
    }
    return out;
  };
}

describe('ukPhone', () => {
  it('agrees with libphonenumber on every four-digit leading range, written 0… and +44…, 9 and 10 digits', () => {
    const next = digits(44);
    const disagreements: string[] = [];
    let checked = 0;
    for (let prefix = 1000; prefix <= 9999; prefix++) {
      for (const length of [9, 10]) {
        const national = `${prefix}${next(length - 4)}`;
        for (const number of [`0${national}`, `+44${national}`]) {
          const fast = ukPhone(number);
          if (fast === undefined) continue;
          checked++;
          const slow = phoneByLibphonenumber(number);
          if (fast !== slow) disagreements.push(`${number}: ${String(fast)} vs ${String(slow)}`);
        }
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(35_000);
  });

  it('agrees with libphonenumber on every length from 2 to 20 digits, with and without the 0 after +44', () => {
    const next = digits(20);
    const disagreements: string[] = [];
    for (let length = 2; length <= 20; length++) {
      for (let i = 0; i < 600; i++) {
        const national = `${1 + (Number(next(1)) % 9)}${next(length - 1)}`;
        for (const number of [`0${national}`, `+44${national}`, `+440${national}`]) {
          const fast = ukPhone(number);
          if (fast === undefined) continue;
          const slow = phoneByLibphonenumber(number);
          if (fast !== slow) disagreements.push(`${number}: ${String(fast)} vs ${String(slow)}`);
        }
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('agrees on the Crown Dependencies, drama ranges and the numbers the extraction tests use', () => {
    const numbers = [
      '07624123456',
      '+447624123456',
      '01481123456',
      '01534123456',
      '+441624250000',
      '07781123456',
      '07700900123',
      '02079460958',
      '01614960000',
      '+447911123456',
      '+442079460018',
      '03001232040',
      '01134960000',
      '08081570654',
      '07457612345',
      '+447457612345',
      '0800123456',
      '08001111',
    ];
    for (const number of numbers) {
      const fast = ukPhone(number);
      if (fast !== undefined) expect(fast, number).toBe(phoneByLibphonenumber(number));
    }
  });

  it('leaves other shapes to libphonenumber', () => {
    for (const number of ['+33123456789', '+4418002012345', '00447700900123', '+4400700900123', '+33'])
      expect(ukPhone(number), number).toBeUndefined();
  });
});

describe('internationalPhone', () => {
  it('agrees with libphonenumber for every calling code, 2 to 17 digits after it', () => {
    const next = digits(1);
    const codes = Object.keys(
      (metadata as unknown as { country_calling_codes: object }).country_calling_codes,
    );
    const disagreements: string[] = [];
    let checked = 0;
    for (const code of codes) {
      for (let length = 2; length <= 17; length++) {
        for (let i = 0; i < 6; i++) {
          const number = `+${code}${next(length)}`;
          const fast = internationalPhone(number);
          if (fast === undefined) continue;
          checked++;
          const slow = phoneByLibphonenumber(number);
          if (fast !== slow) disagreements.push(`${number}: ${String(fast)} vs ${String(slow)}`);
        }
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(15_000);
  });

  it("agrees on every country's example mobile number and its neighbours (valid numbers, not just noise)", () => {
    const next = digits(7);
    const countries = (metadata as unknown as { countries: Record<string, [string]> }).countries;
    const disagreements: string[] = [];
    let valid = 0;
    for (const [country, national] of Object.entries(examples as Record<string, string>)) {
      const code = countries[country]?.[0] ?? '';
      for (let i = 0; i < 8; i++) {
        const keep = national.length - 1 - (i % 3);
        const number = `+${code}${national.slice(0, keep)}${next(national.length - keep)}`;
        const fast = internationalPhone(number);
        if (fast === undefined) continue;
        const slow = phoneByLibphonenumber(number);
        if (slow !== null) valid++;
        if (fast !== slow) disagreements.push(`${number}: ${String(fast)} vs ${String(slow)}`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(valid).toBeGreaterThan(1000);
  });

  it('agrees on valid numbers from several countries sharing a calling code', () => {
    for (const number of [
      '+12025550143',
      '+16475550123',
      '+12684601234',
      '+33123456789',
      '+4930123456',
      '+4917612345678',
      '+2348031234567',
      '+971501234567',
      '+919876543210',
      '+6281234567890',
      '+74951234567',
      '+77011234567',
      '+61212345678',
      '+390612345678',
      '+3906698123456',
      '+35312345678',
      '+8613812345678',
      '+999',
    ]) {
      const fast = internationalPhone(number);
      if (fast !== undefined) expect(fast, number).toBe(phoneByLibphonenumber(number));
    }
  });
});
