import { describe, expect, it } from 'vitest';
import { clientNetwork, independentReporters, type ReporterFacts } from './reporter-identity.ts';
import { decideSharing, mayShareFrom, type Sighting } from './share-decision.ts';

const person = (n: number): ReporterFacts => ({
  partnerTokenId: null,
  email: `victim${n}@example.org`,
  phone: null,
  client: `client-${n}`,
});
const crimeReport = (n: number, overrides: Partial<Sighting> = {}): Sighting => ({
  source: 'suspect',
  tlp: 'amber',
  forceId: `force-${n}`,
  category: 'online-shopping-fraud',
  status: 'assessed',
  reporter: person(n),
  ...overrides,
});
const suspiciousMessage = (reporter: ReporterFacts, forceId: string | null = null): Sighting => ({
  source: 'suspect',
  tlp: 'amber',
  forceId,
  category: 'phishing-attempt',
  status: 'intelligence',
  reporter,
});
const url = {
  type: 'url',
  value: 'https://shop.example/pay',
  warningList: null,
  heldBack: false,
  released: false,
};

describe('which sources may share which types', () => {
  it.each([
    ['phone', 'suspect', true],
    ['email', 'sender', true],
    ['phone', 'evidence', false],
    ['email', 'evidence', false],
    ['uk-bank-account', 'narrative', false],
    ['iban', 'evidence', false],
    ['btc-address', 'narrative', false],
    ['eth-address', 'evidence', false],
    ['btc-address', 'suspect', true],
    ['url', 'evidence', true],
    ['ipv4', 'forwarder', false],
    ['domain', 'forwarder', false],
    ['email', 'forwarder', false],
    ['domain', 'narrative', true],
    ['ipv4', 'evidence', true],
    ['sha256', 'narrative', true],
  ])('%s from %s → %s', (type, source, expected) => {
    expect(mayShareFrom(type, source, 'https://shop.example/pay')).toBe(expected);
  });

  it('shares a URL with a query string or fragment only from the suspect answers', () => {
    for (const value of ['https://shop.example/pay?id=1', 'https://shop.example/pay#me']) {
      expect(mayShareFrom('url', 'suspect', value)).toBe(true);
      for (const source of ['sender', 'evidence', 'narrative'])
        expect(mayShareFrom('url', source, value)).toBe(false);
    }
    const fromBody = decideSharing(
      { ...url, value: 'https://shop.example/pay?id=1' },
      [crimeReport(1, { source: 'evidence' })],
      1,
    );
    expect(fromBody.shareable).toBe(false);
  });

  it('never shares a URL carrying a reporter’s own email or phone, even from the suspect answers or released', () => {
    const victim = { ...person(1), email: 'ann.victim@example.org', phone: '07911 123456' };
    for (const value of [
      'https://claims.example/c?email=ann.victim%40example.org',
      'https://claims.example/c?m=%2B44+7911+123456',
      'https://claims.example/verify/07911.123.456',
      'https://claims.example/u/ANN.VICTIM@EXAMPLE.ORG',
    ]) {
      const decision = decideSharing(
        { ...url, value, released: true },
        [crimeReport(1, { reporter: victim })],
        1,
      );
      expect(decision, value).toMatchObject({ shareable: false, awaitingRelease: false });
    }
  });

  it('does not share a phone number found only in evidence text or a narrative, however many reports', () => {
    const sightings = [1, 2, 3, 4].map((n) => crimeReport(n, { source: n % 2 ? 'evidence' : 'narrative' }));
    const decision = decideSharing({ ...url, type: 'phone' }, sightings, 3);
    expect(decision.shareable).toBe(false);
    expect(decision.awaitingRelease).toBe(false);
  });
});

describe('corroboration of intelligence-only, anonymous and unassessed reports', () => {
  it('shares what one victim’s crime report names once its unit has assessed it', () => {
    expect(decideSharing(url, [crimeReport(1)], 3)).toMatchObject({ shareable: true, reporters: 1 });
    for (const status of ['assessed', 'allocated', 'investigating', 'transferred', 'closed'])
      expect(decideSharing(url, [crimeReport(1, { status })], 3).shareable, status).toBe(true);
  });

  it('holds what an unassessed public report names: a typed email vouches for nothing', () => {
    expect(decideSharing(url, [crimeReport(1, { status: 'received' })], 3)).toMatchObject({
      shareable: false,
      awaitingRelease: true,
    });
    // A partner's API report is vouched for by the partner.
    const partner = crimeReport(1, { status: 'received', reporter: { ...person(1), partnerTokenId: 9 } });
    expect(decideSharing(url, [partner], 3).shareable).toBe(true);
    // Assessed, but anonymous: still waits.
    const anonymous = crimeReport(1, {
      reporter: { partnerTokenId: null, email: null, phone: null, client: 'c' },
    });
    expect(decideSharing(url, [anonymous], 3).shareable).toBe(false);
  });

  it('holds a value one person reports again and again, whatever contact details they type', () => {
    const sameClient = [1, 2, 3, 4, 5].map((n) => suspiciousMessage({ ...person(n), client: 'one-client' }));
    const decision = decideSharing(url, sameClient, 3);
    expect(decision).toMatchObject({ shareable: false, awaitingRelease: true, reporters: 1, forces: 0 });
  });

  it('holds anonymous reports from one network; shares once enough independent reporters name it', () => {
    const anonymous = (client: string | null): ReporterFacts => ({
      partnerTokenId: null,
      email: null,
      phone: null,
      client,
    });
    const two = [suspiciousMessage(anonymous('a')), suspiciousMessage(anonymous('b'))];
    expect(decideSharing(url, two, 3).shareable).toBe(false);
    expect(decideSharing(url, [...two, suspiciousMessage(anonymous('a'))], 3).shareable).toBe(false);
    expect(decideSharing(url, [...two, suspiciousMessage(anonymous('c'))], 3).shareable).toBe(true);
    // Reports with nothing to tell them apart are one unknown reporter.
    const unknown = [1, 2, 3].map(() => suspiciousMessage(anonymous(null)));
    expect(decideSharing(url, unknown, 3).reporters).toBe(1);
  });

  it('joins reporters through any shared key: the same email from two networks is one person', () => {
    const reporters = [
      { ...person(1), client: 'x' },
      { ...person(1), client: 'y' },
      { ...person(2), client: 'y' },
      { ...person(3), client: 'z', partnerTokenId: 7 },
      { ...person(4), client: 'w', partnerTokenId: 7 },
    ];
    expect(independentReporters(reporters)).toBe(2);
  });

  it('shares once a staff member releases it', () => {
    const one = [suspiciousMessage(person(1))];
    expect(decideSharing(url, one, 3).shareable).toBe(false);
    expect(decideSharing({ ...url, released: true }, one, 3)).toMatchObject({
      shareable: true,
      awaitingRelease: false,
    });
  });

  it('never lets a release or corroboration override a hold-back, a warning list or TLP:RED', () => {
    const released = { ...url, released: true };
    expect(decideSharing({ ...released, heldBack: true }, [crimeReport(1)], 1).shareable).toBe(false);
    expect(decideSharing({ ...released, warningList: 'popular' }, [crimeReport(1)], 1).shareable).toBe(false);
    expect(decideSharing(released, [crimeReport(1, { tlp: 'red' })], 1).shareable).toBe(false);
  });

  it('counts confidence by independent reporters: repeats and extra postcodes from one reporter add nothing', () => {
    const repeats = [1, 2, 3].map((n) => crimeReport(1, { forceId: `force-${n}` }));
    expect(decideSharing(url, repeats, 3)).toMatchObject({ reporters: 1, forces: 1 });
    const distinct = [1, 2, 3].map((n) => crimeReport(n));
    expect(decideSharing(url, distinct, 3)).toMatchObject({ reporters: 3, forces: 3 });
  });
});

describe('partners’ submissions', () => {
  const shop = { ...url, type: 'domain', value: 'fake-shop.co.uk' };
  const phone = { ...url, type: 'phone', value: '+447700900123' };
  const bank = (
    tlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red',
    reshare = true,
    partnerId = 1,
  ) => ({
    partnerId,
    tlp,
    reshare,
  });

  it('re-shares only with the partner’s consent, at CLEAR or GREEN, once a second partner corroborates it', () => {
    expect(decideSharing(shop, [], 3, [bank('green')])).toMatchObject({ shareable: false, partners: 1 });
    expect(decideSharing(shop, [], 3, [bank('green'), bank('green', true, 1)]).shareable).toBe(false);
    expect(decideSharing(shop, [], 3, [bank('green'), bank('amber', false, 2)])).toMatchObject({
      shareable: true,
      tlp: 'green',
      partners: 2,
    });
    expect(decideSharing(shop, [], 3, [bank('green', false), bank('amber', false, 2)]).shareable).toBe(false);
    for (const tlp of ['amber', 'amber+strict', 'red'] as const)
      expect(decideSharing(shop, [], 3, [bank(tlp), bank(tlp, true, 2)]).shareable).toBe(false);
  });

  it('is corroborated by a report naming it as reports are: attributable, not TLP:RED, not set aside', () => {
    expect(decideSharing(phone, [crimeReport(1)], 3, [bank('clear')])).toMatchObject({
      shareable: true,
      tlp: 'clear',
    });
    expect(
      decideSharing(phone, [crimeReport(1, { source: 'narrative' })], 3, [bank('clear')]).shareable,
    ).toBe(false);
    expect(decideSharing(phone, [crimeReport(1, { tlp: 'red' })], 3, [bank('clear')]).shareable).toBe(false);
    expect(decideSharing(phone, [crimeReport(1, { status: 'no-crime' })], 3, [bank('clear')]).shareable).toBe(
      false,
    );
  });

  it('never overrides a hold-back or a warning list', () => {
    const both = [bank('green'), bank('green', true, 2)];
    expect(decideSharing({ ...shop, heldBack: true }, [], 3, both).shareable).toBe(false);
    expect(decideSharing({ ...shop, warningList: 'popular-sites' }, [], 3, both).shareable).toBe(false);
  });
});

describe('client networks', () => {
  it('keeps an IPv4 address and takes the /48 of an IPv6 one (a home’s /56 is one reporter)', () => {
    expect(clientNetwork('203.0.113.9')).toBe('ipv4:203.0.113.9');
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('ipv4:203.0.113.9');
    expect(clientNetwork('2001:db8:1:2:aaaa::1')).toBe(clientNetwork('2001:db8:1:2:bbbb::9'));
    expect(clientNetwork('2001:db8:1:2::1')).toBe(clientNetwork('2001:db8:1:3::1'));
    expect(clientNetwork('2001:db8:1:ff00::1')).toBe('ipv6:2001:db8:1::/48');
    expect(clientNetwork('2001:db8:1::1')).not.toBe(clientNetwork('2001:db8:2::1'));
  });
});
