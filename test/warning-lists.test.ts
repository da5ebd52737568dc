import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { sharedTestData } from './support/shared-test-data.ts';
import { testReference } from './support/test-services.ts';
import { checkWarningList, WarningLists } from '../src/domain/indicators/warning-lists.ts';

/** A MISP warning list from the shared test data: values only, comments dropped. */
function misp(name: string): string[] {
  return readFileSync(sharedTestData(`warninglists/${name}.txt`), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const lists = () => testReference().warningLists;
const share = (values: string[], test: (v: string) => boolean) => values.filter(test).length / values.length;

describe('warning lists: behaviour', () => {
  it.each([
    ['domain', 'gmail.com', 'free-mail'],
    ['domain', 'mail.google.com', 'popular-sites'],
    ['domain', 'www.hmrc.gov.uk', 'government'],
    ['domain', 'bit.ly', 'url-shorteners'],
    ['url', 'https://bit.ly/', 'url-shorteners'],
    ['url', 'https://www.facebook.com/marketplace', 'popular-sites'],
    ['email', 'no-reply@hmrc.gov.uk', 'government'],
    ['ipv4', '10.1.2.3', 'reserved-ip-ranges'],
    ['ipv4', '8.8.8.8', 'reserved-ip-ranges'],
    ['ipv6', 'fe80::1', 'reserved-ip-ranges'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hashes'],
    ['phone', '+443001232040', 'service-contacts'],
  ] as const)('puts the %s %s on %s', (type, value, list) => {
    expect(lists().match({ type, value })).toBe(list);
  });

  it.each([
    ['email', 'scammer.dave77@gmail.com'],
    ['url', 'https://bit.ly/3xYzAbC'],
    ['domain', 'paypa1-secure.blogspot.com'],
    ['domain', 'gmail.com.account-verify.net'],
    ['ipv4', '185.220.101.4'],
    ['phone', '+447700900123'],
    ['uk-bank-account', '200000-12345678'],
  ] as const)('lets the %s %s link reports', (type, value) => {
    expect(lists().match({ type, value })).toBeNull();
  });

  it('refuses invalid list values with the file named', () => {
    expect(checkWarningList({ name: 'reserved-ip-ranges', values: ['10.0.0.0/8', '300.0.0.0/8'] })).toEqual([
      'warning-lists/reserved-ip-ranges.txt: not a valid cidr value: 300.0.0.0/8',
    ]);
    expect(
      checkWarningList({ name: 'banks', values: ['hsbc.co.uk', 'hsbc.co.uk', 'not a domain'] }),
    ).toHaveLength(2);
  });

  it('follows private suffixes: a free-hosting subdomain is someone’s own site', () => {
    const custom = new WarningLists([{ name: 'popular-sites', values: ['blogspot.com', 'google.com'] }]);
    expect(custom.hostList('blogspot.com')).toBe('popular-sites');
    expect(custom.hostList('scam.blogspot.com')).toBeNull();
    expect(custom.hostList('docs.google.com')).toBe('popular-sites');
  });
});

describe('warning lists measured against the MISP warning lists (shared test data)', () => {
  it('covers every reserved and special-use IP block MISP lists', () => {
    for (const name of ['rfc1918', 'rfc5735', 'rfc6598', 'rfc3849', 'ipv6-linklocal']) {
      for (const cidr of misp(name)) {
        const [network, bits] = ipaddr.parseCIDR(cidr);
        const first = network.toString();
        const last =
          network.kind() === 'ipv4'
            ? ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString()
            : ipaddr.IPv6.parse(first).toString();
        expect(lists().ipList(first), `${cidr} first address (/${bits})`).not.toBeNull();
        expect(lists().ipList(last), `${cidr} last address`).not.toBeNull();
      }
    }
  });

  it('covers the special-use example domains', () => {
    for (const domain of misp('rfc6761').filter((d) => !d.endsWith('.arpa'))) {
      expect(lists().hostList(domain), domain).not.toBeNull();
    }
  });

  it('agrees with MISP on URL shorteners, popular sites and UK banks', () => {
    const shorteners = misp('url-shortener');
    const shortenerCoverage = share(shorteners, (d) => lists().hostList(d) !== null);
    const tranco = misp('tranco10k');
    const trancoSet = new Set(tranco);
    const ours = readFileSync(
      new URL('../reference/warning-lists/popular-sites.txt', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const popularPrecision = share(
      ours,
      (d) => trancoSet.has(d) || [...trancoSet].some((t) => t.endsWith(`.${d}`)),
    );
    // MISP keeps the Tranco list in alphabetical order, so only its coverage as a whole can be measured.
    const trancoCoverage = share(tranco, (d) => lists().hostList(d) !== null);
    const ukBanks = misp('bank-website')
      .map((d) => d.replace(/^\./, ''))
      .filter((d) => d.endsWith('.uk'));
    const ukBankCoverage = share(ukBanks, (d) => lists().hostList(d) !== null);
    console.log(
      `warning lists vs MISP: shorteners covered ${(shortenerCoverage * 100).toFixed(0)}%, our popular sites in Tranco top 10k ${(popularPrecision * 100).toFixed(0)}%, Tranco top 10k covered ${(trancoCoverage * 100).toFixed(1)}%, MISP's UK bank domains covered ${(ukBankCoverage * 100).toFixed(0)}%`,
    );
    // Floors just under today's figures: they catch a list emptied or replaced by mistake.
    expect(shortenerCoverage).toBeGreaterThanOrEqual(0.15);
    expect(popularPrecision).toBeGreaterThanOrEqual(0.75);
    expect(trancoCoverage).toBeGreaterThanOrEqual(0.04);
    expect(ukBankCoverage).toBeGreaterThanOrEqual(0.5);
  });
});
