import { describe, expect, it } from 'vitest';
import { readSubmittedObject, tlpOfMarkings, valueOfPattern } from './stix-submission.ts';
import { patternFor } from './stix.ts';
import { INDICATOR_TYPES } from '../indicators/indicator.ts';

const indicator = (pattern: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--6f0c8d1e-0000-4000-8000-000000000001',
  created: '2026-12-08T09:00:00.000Z',
  modified: '2026-12-08T09:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-12-08T09:00:00Z',
  indicator_types: ['malicious-activity'],
  ...extra,
});

describe('the value a submitted pattern names', () => {
  it('reads back every pattern Bluelight itself publishes', () => {
    const samples: Record<string, string> = {
      url: 'https://shop.example.co.uk/pay',
      domain: 'shop.example.co.uk',
      ipv4: '45.33.12.7',
      ipv6: '2a00:1450::1',
      email: 'scammer@criminal-mail.co.uk',
      phone: '+447700900123',
      'uk-bank-account': '401122-10000001',
      iban: 'GB33BUKB20201555555555',
      'btc-address': '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
      'eth-address': '0x52908400098527886e0f7030069857d2e4169ee7',
      md5: 'd41d8cd98f00b204e9800998ecf8427f',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    };
    for (const type of INDICATOR_TYPES)
      expect(valueOfPattern(patternFor(type, samples[type] ?? ''))).toEqual({ type, raw: samples[type] });
  });

  it('reads escaped quotes, either order of an account’s comparisons, and refuses anything wider than one value', () => {
    expect(valueOfPattern("[url:value = 'https://a.example.co.uk/it\\'s']")?.raw).toBe(
      "https://a.example.co.uk/it's",
    );
    expect(
      valueOfPattern(
        "[user-account:user_id = '+447700900123' AND user-account:account_type = 'phone-number']",
      ),
    ).toEqual({ type: 'phone', raw: '+447700900123' });
    for (const wide of [
      "[domain-name:value = 'a.co.uk'] OR [domain-name:value = 'b.co.uk']",
      "[domain-name:value LIKE '%.co.uk']",
      "[domain-name:value = 'a.co.uk' OR domain-name:value = 'b.co.uk']",
      "[file:name = 'invoice.pdf']",
      "[user-account:account_type = 'unix' AND user-account:user_id = 'root']",
      'not a pattern',
    ])
      expect(valueOfPattern(wide)).toBeNull();
  });
});

describe('a submitted object', () => {
  it('takes the TLP of its markings (TLP 2.0 or 1.0, the most restrictive), AMBER when it has none', () => {
    expect(tlpOfMarkings(undefined)).toBe('amber');
    expect(tlpOfMarkings(['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'])).toBe('clear');
    expect(
      tlpOfMarkings([
        'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
        'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      ]),
    ).toBe('amber+strict');
  });

  it('gives the normalised value, the partner’s consent to re-share, its labels and valid_until', () => {
    const read = readSubmittedObject(
      indicator(
        "[user-account:account_type = 'uk-bank-account' AND user-account:user_id = '40-11-22 10000001']",
        {
          labels: ['Mule', 'mule', 'Money <b>Mule</b>'],
          x_bluelight_reshare: true,
          valid_until: '2027-01-01T00:00:00Z',
        },
      ),
    );
    expect(read).toMatchObject({
      ok: true,
      submitted: {
        type: 'uk-bank-account',
        value: '401122-10000001',
        reshare: true,
        labels: ['mule', 'money bmuleb'],
        validUntil: '2027-01-01T00:00:00Z',
      },
    });
  });

  it('takes technical observables, and personal values only in an indicator of malicious activity', () => {
    const observable = (type: string, value: string) => ({
      type,
      spec_version: '2.1',
      id: `${type}--2d5b6c1e-0000-4000-8000-000000000001`,
      value,
    });
    expect(readSubmittedObject(observable('domain-name', 'Shop.Example.co.uk'))).toMatchObject({
      ok: true,
      submitted: { type: 'domain', value: 'shop.example.co.uk' },
    });
    expect(readSubmittedObject(observable('email-addr', 'a@criminal-mail.co.uk'))).toMatchObject({
      ok: false,
    });
    expect(
      readSubmittedObject(
        indicator("[email-addr:value = 'a@criminal-mail.co.uk']", { indicator_types: ['compromised'] }),
      ),
    ).toMatchObject({ ok: false, message: expect.stringContaining('victim') as unknown });
    expect(
      readSubmittedObject(
        indicator("[domain-name:value = 'hacked-florist.co.uk']", { indicator_types: ['compromised'] }),
      ),
    ).toMatchObject({ ok: true });
  });

  it('refuses what is not valid STIX 2.1, naming the property', () => {
    const cases: [unknown, string][] = [
      [{ ...indicator("[domain-name:value = 'a.co.uk']"), spec_version: '2.0' }, 'spec_version'],
      [{ ...indicator("[domain-name:value = 'a.co.uk']"), created: '8 Dec 2026' }, 'created'],
      [indicator("[domain-name:value = 'a.co.uk']", { confidence: 101 }), 'confidence'],
      [indicator("[domain-name:value = 'a.co.uk']", { valid_until: '2026-12-08T09:00:00Z' }), 'valid_until'],
      [indicator("[domain-name:value = 'a.co.uk']", { pattern_type: 'sigma' }), 'pattern_type'],
      [indicator("[domain-name:value = 'a.co.uk']", { revoked: true }), 'revoked'],
      [[], 'only indicator objects'],
    ];
    for (const [object, blamed] of cases)
      expect(readSubmittedObject(object)).toMatchObject({
        ok: false,
        message: expect.stringContaining(blamed) as unknown,
      });
  });
});
