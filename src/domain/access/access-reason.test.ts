import { describe, expect, it } from 'vitest';
import { cleanAccessReason, isAsciiHeader } from './access-reason.ts';

describe('access reasons', () => {
  it('keep words, Welsh letters included, and turn control and invisible characters into one space', () => {
    expect(cleanAccessReason('Asesiad — ŵyr a ŷd')).toBe('Asesiad — ŵyr a ŷd');
    expect(cleanAccessReason(' ok\u0000\nreason: forged\u200b ')).toBe('ok reason: forged');
    expect(cleanAccessReason('\u200b\u0007\r\n')).toBe('');
  });

  it('count no stack of accents, blank letter or punctuation as a reason, and keep a right-to-left override out', () => {
    for (const blank of [
      '\u0301\u0301\u0301',
      '\u3164\u3164',
      '\u2800',
      '\u115f\u1160',
      '...',
      '-',
      '\u202e',
    ])
      expect(cleanAccessReason(blank), JSON.stringify(blank)).toBe('');
    expect(cleanAccessReason('ok \u202egnippihs\u202c check')).toBe('ok gnippihs check');
    // Decomposed Welsh is composed; a stack of marks on a letter is cut to three, so 10 kB of them stay short.
    expect(cleanAccessReason('w\u0302yr')).toBe('ŵyr');
    expect(cleanAccessReason(`a${'\u0301'.repeat(10_000)} check`)).toBe(`á${'\u0301'.repeat(3)} check`);
  });

  it('tell an ASCII header from UTF-8 read as Latin-1', () => {
    expect(isAsciiHeader('Op Kestrel: initial assessment')).toBe(true);
    expect(isAsciiHeader(Buffer.from('ŵyr', 'utf8').toString('latin1'))).toBe(false);
    expect(isAsciiHeader('caf\u00e9')).toBe(false);
  });
});
