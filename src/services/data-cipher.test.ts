import { describe, expect, it } from 'vitest';
import { createDataCipher, DataCipherError } from './data-cipher.ts';

describe('data cipher (AES-256-GCM)', () => {
  const cipher = createDataCipher(Buffer.alloc(32, 1));
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('opens what it sealed, and never writes the plain value', () => {
    const sealed = cipher.seal(secret, 'users.totp_secret:a@x.example');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(secret);
    expect(cipher.open(sealed, 'users.totp_secret:a@x.example')).toBe(secret);
  });

  it('uses a fresh IV every time: the same value seals differently', () => {
    expect(cipher.seal(secret, 'c')).not.toBe(cipher.seal(secret, 'c'));
  });

  it('refuses the wrong key, the wrong row, and any altered byte', () => {
    const sealed = cipher.seal(secret, 'users.totp_secret:a@x.example');
    expect(() => createDataCipher(Buffer.alloc(32, 2)).open(sealed, 'users.totp_secret:a@x.example')).toThrow(
      DataCipherError,
    );
    // Copied onto another person's row, it does not open.
    expect(() => cipher.open(sealed, 'users.totp_secret:b@x.example')).toThrow(DataCipherError);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open(`v1:${raw.toString('base64url')}`, 'users.totp_secret:a@x.example')).toThrow(
      DataCipherError,
    );
    expect(() => cipher.open('v1:AA', 'c')).toThrow(DataCipherError);
    expect(() => cipher.open(secret, 'c')).toThrow(DataCipherError);
  });
});
