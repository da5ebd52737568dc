import { describe, expect, it } from 'vitest';
import { stixValidators } from '../../../test/support/stix-schemas.ts';
import { INDICATOR_TYPES } from '../indicators/indicator.ts';
import { checkStixPattern } from './stix-pattern.ts';
import {
  campaignObject,
  campaignReport,
  identityObject,
  indicatesRelationship,
  indicatorObject,
  patternFor,
  TLP_MARKINGS,
} from './stix.ts';

const SAMPLES: Record<(typeof INDICATOR_TYPES)[number], string> = {
  url: "http://evil.com/it's?a=\\b",
  domain: 'evil.com',
  ipv4: '185.220.101.4',
  ipv6: '2001:db8::1',
  email: 'scam@evil.com',
  phone: '+447700900123',
  'uk-bank-account': '200000-12345678',
  iban: 'GB82WEST12345698765432',
  'btc-address': '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  'eth-address': '0x52908400098527886e0f7030069857d2e4169ee7',
  md5: '44d88612fea8a8f36de82e1278abb02f',
  sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
};

describe('STIX 2.1 objects', () => {
  const validate = stixValidators();
  const identity = identityObject(
    { id: 'cumbria-cyber', name: 'Cumbria Police Cyber and Digital Crime Unit' },
    '2026-11-01T00:00:00Z',
  );

  it('builds a valid indicator with a valid pattern for every indicator type', () => {
    for (const type of INDICATOR_TYPES) {
      const indicator = indicatorObject({
        type,
        value: SAMPLES[type],
        firstSeen: '2026-11-02T10:00:00.000Z',
        modified: '2026-11-03T10:00:00.000Z',
        reports: 3,
        forces: 2,
        categories: ['online-shopping-fraud'],
        tlp: 'green',
        identityId: identity.id,
        revoked: false,
      });
      expect(validate(indicator), type).toEqual([]);
      expect(() => {
        checkStixPattern(String(indicator.pattern));
      }, type).not.toThrow();
    }
  });

  it('gives the same indicator the same id every time, and another value another id', () => {
    const a = indicatorObject({
      type: 'domain',
      value: 'evil.com',
      firstSeen: '2026-11-02T10:00:00Z',
      modified: '2026-11-02T10:00:00Z',
      reports: 1,
      forces: 1,
      categories: [],
      tlp: 'amber',
      identityId: identity.id,
      revoked: false,
    });
    const b = indicatorObject({
      type: 'domain',
      value: 'evil.com',
      firstSeen: '2026-11-02T10:00:00Z',
      modified: '2026-11-09T10:00:00Z',
      reports: 4,
      forces: 3,
      categories: [],
      tlp: 'green',
      identityId: identity.id,
      revoked: false,
    });
    const c = indicatorObject({
      type: 'domain',
      value: 'evil.net',
      firstSeen: '2026-11-02T10:00:00Z',
      modified: '2026-11-02T10:00:00Z',
      reports: 1,
      forces: 1,
      categories: [],
      tlp: 'amber',
      identityId: identity.id,
      revoked: false,
    });
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a.id).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('builds valid identity, TLP 2.0 markings, campaign, relationship and report objects', () => {
    const campaign = campaignObject({
      id: 7,
      created: '2026-11-02T10:00:00Z',
      modified: '2026-11-04T10:00:00Z',
      firstSeen: '2026-11-02T10:00:00Z',
      lastSeen: '2026-11-04T10:00:00Z',
      reports: 4,
      forces: 2,
      categories: ['romance-fraud'],
      tlp: 'amber',
      identityId: identity.id,
    });
    const indicatorId = indicatorObject({
      type: 'phone',
      value: '+447700900123',
      firstSeen: '2026-11-02T10:00:00Z',
      modified: '2026-11-02T10:00:00Z',
      reports: 4,
      forces: 2,
      categories: [],
      tlp: 'amber',
      identityId: identity.id,
      revoked: false,
    }).id;
    const relationship = indicatesRelationship(
      indicatorId,
      campaign.id,
      '2026-11-04T10:00:00Z',
      'amber',
      identity.id,
    );
    const report = campaignReport(
      campaign,
      [indicatorId, relationship.id],
      '2026-11-04T10:00:00Z',
      'amber',
      identity.id,
    );
    for (const object of [identity, ...Object.values(TLP_MARKINGS), campaign, relationship, report]) {
      expect(validate(object), object.type).toEqual([]);
    }
    expect(validate({ ...identity, id: 'identity--not-a-uuid' })).not.toEqual([]);
  });

  it('writes phone, bank and wallet values without custom objects', () => {
    expect(patternFor('phone', '+447700900123')).toBe(
      "[user-account:account_type = 'phone-number' AND user-account:user_id = '+447700900123']",
    );
    expect(patternFor('sha256', 'ab')).toBe("[file:hashes.'SHA-256' = 'ab']");
  });
});
