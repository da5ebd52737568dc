import { describe, expect, it } from 'vitest';
import { cleanAccessReason, isAsciiHeader } from './access-reason.ts';

describe('access reasons', () => {
  it('keep words, Welsh letters included, and turn control and invisible characters into one space', () => {
    expect(cleanAccessReason('Asesiad — ŵyr a ŷd')).toBe('Asesiad — ŵyr a ŷd');
    expect(cleanAccessReason(' ok\u0000\nreason: forged\u200b ')).toBe('ok reason: forged');
    expect(cleanAccessReason('\u200b\u0007\r\n')).toBe('');
  });

  it('tell an ASCII header from UTF-8 read as Latin-1', () => {
    expect(isAsciiHeader('Op Kestrel: initial assessment')).toBe(true);
    expect(isAsciiHeader(Buffer.from('ŵyr', 'utf8').toString('latin1'))).toBe(false);
    expect(isAsciiHeader('caf\u00e9')).toBe(false);
  });
});
