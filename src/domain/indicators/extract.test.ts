import { describe, expect, it } from 'vitest';
import { extractIndicators, isBtcAddress, normaliseIndicator, refang } from './extract.ts';
import type { Indicator } from './indicator.ts';

const values = (text: string, type?: string) =>
  extractIndicators(text)
    .filter((i) => type === undefined || i.type === type)
    .map((i) => i.value);

describe('extractIndicators', () => {
  it.each([
    ['www.x.co.uk/a', 'http://www.x.co.uk/a'],
    ['HTTPS://Login.PayPa1.com/Verify?ID=AbC', 'https://login.paypa1.com/Verify?ID=AbC'],
    ['go to https://evil.com/pay.', 'https://evil.com/pay'],
    ['(see https://evil.com/a_(b)) now', 'https://evil.com/a_(b)'],
    ['"https://evil.com/x",', 'https://evil.com/x'],
    ['hxxps://royalmail-fee[.]com/p?id=1!', 'https://royalmail-fee.com/p?id=1'],
    ['hxxp[:]//bad(.)net/x', 'http://bad.net/x'],
    ['http://185.220.101.4:8080/gate.php', 'http://185.220.101.4:8080/gate.php'],
    ['scam-shop.co.uk/checkout', 'http://scam-shop.co.uk/checkout'],
  ])('reads the URL in %j as %s', (text, url) => {
    expect(values(text, 'url')).toEqual([url]);
  });

  it('lists every hostname as a domain — alone, in URLs and in email addresses — only under real suffixes', () => {
    expect(
      values(
        'Visit PAYPA1-secure.com, https://a.b.evil.co.uk/x and write to x@Mail.Scam.org about invoice.pdf',
        'domain',
      ),
    ).toEqual(['paypa1-secure.com', 'a.b.evil.co.uk', 'mail.scam.org']);
    expect(
      values('files: invoice.pdf setup.exe report.docx notes.txt readme.md script.py archive.zip node.js'),
    ).toEqual([]);
    expect(values('It was done.Now I knew. e.g. this, i.e. that')).toEqual([]);
  });

  it('reads IPs (IPv6 in compressed lower-case form) but not versions, dates or times', () => {
    expect(values('from 185.220.101.4 and 2001:DB8:0:0:0:0:0:1, fe80::1%eth0', 'ipv4')).toEqual([
      '185.220.101.4',
    ]);
    expect(values('from 2001:DB8:0:0:0:0:0:1 and 2001:0db8:85a3::8a2e:0370:7334', 'ipv6')).toEqual([
      '2001:db8::1',
      '2001:db8:85a3::8a2e:370:7334',
    ]);
    expect(
      values('version v2.3.1, 1.2.3, at 10:30:00 on 12.03.2024, 999.1.1.1, MAC 00:1a:2b:3c:4d:5e'),
    ).toEqual([]);
  });

  it('reads email addresses, re-fanged, lower-case', () => {
    expect(
      values('Mail Scam.Er@Evil-Domain.co.uk, info[at]bad[.]net or <Pay@Shop-Fake.com>', 'email'),
    ).toEqual(['scam.er@evil-domain.co.uk', 'info@bad.net', 'pay@shop-fake.com']);
  });

  it('reads UK and international phone numbers as E.164, but not short codes, money, dates or references', () => {
    expect(
      values(
        'Call 07700 900123, (020) 7946 0958, 0161 496 0000, +44 7911 123456, 0044 20 7946 0018, +33 1 23 45 67 89 or 0300 123 2040',
        'phone',
      ),
    ).toEqual([
      '+447700900123',
      '+442079460958',
      '+441614960000',
      '+447911123456',
      '+442079460018',
      '+33123456789',
      '+443001232040',
    ]);
    expect(
      values(
        'Dial 999, 101, 111, 159 or text 7726. Paid £1,250.00 on 12/03/2024 at 10:30, ref CYB-7K3M-Q9TX-4, NFRC240512345678, SW1A 1AA',
      ),
    ).toEqual([]);
  });

  it('reads a sort code with its account number, and neither alone', () => {
    expect(values('Sort code 20-00-00 account 12345678', 'uk-bank-account')).toEqual(['200000-12345678']);
    expect(values('paid into 40-11-22 87654321', 'uk-bank-account')).toEqual(['401122-87654321']);
    expect(values('acc no 55667788, sort code 309950', 'uk-bank-account')).toEqual(['309950-55667788']);
    expect(values('sort code 20-00-00. Card ending 1234. Order 12345678 on 12-03-24')).toEqual([]);
  });

  it('reads IBANs only when the mod-97 check passes', () => {
    expect(values('IBAN GB82 WEST 1234 5698 7654 32 to pay', 'iban')).toEqual(['GB82WEST12345698765432']);
    expect(values('iban de89370400440532013000', 'iban')).toEqual(['DE89370400440532013000']);
    expect(values('IBAN GB82 WEST 1234 5698 7654 33')).toEqual([]);
  });

  it('reads valid Bitcoin addresses only, and Ethereum addresses lower-case', () => {
    expect(
      values(
        'Send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy, BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ or 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
        'btc-address',
      ),
    ).toEqual([
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    ]);
    expect(values('ETH 0x52908400098527886E0F7030069857D2E4169EE7', 'eth-address')).toEqual([
      '0x52908400098527886e0f7030069857d2e4169ee7',
    ]);
    expect(values('ETH 0x52908400098527886E0F7030069857D2E4169EE7', 'sha1')).toEqual([]);
  });

  it('reads hashes by length, lower-case, and not numbers', () => {
    const text =
      'md5 44D88612FEA8A8F36DE82E1278ABB02F sha1 3395856ce81f2b7382dee72602f798b642f14140 sha256 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f card 12345678901234567890123456789012';
    expect(extractIndicators(text)).toEqual<Indicator[]>([
      { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' },
      { type: 'sha1', value: '3395856ce81f2b7382dee72602f798b642f14140' },
      { type: 'sha256', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' },
    ]);
  });

  it('gives each type and value once, in reading order', () => {
    expect(extractIndicators('evil.com then http://evil.com/a then EVIL.COM again')).toEqual([
      { type: 'domain', value: 'evil.com' },
      { type: 'url', value: 'http://evil.com/a' },
    ]);
  });

  // Each pattern is searched for only from the places its matches must hold, jumping from one to the next: these
  // check that every match is still found, with failing places and claimed spans between them. (The expected values
  // are what the extractor gave before it searched this way.)
  it.each<[string, string[]]>([
    [
      'a@b.com, @handle, x@localhost and c.d@e-f.org; mail g@h.net.',
      [
        'email a@b.com',
        'domain b.com',
        'email c.d@e-f.org',
        'domain e-f.org',
        'email g@h.net',
        'domain h.net',
      ],
    ],
    [
      'see https://a.com/x and hxxps://b[.]net/y then http://c.org',
      [
        'url https://a.com/x',
        'domain a.com',
        'url https://b.net/y',
        'domain b.net',
        'url http://c.org',
        'domain c.org',
      ],
    ],
    [
      'sort code 20-00-00 account 12345678, call 07700 900123 or 07911 123456',
      ['uk-bank-account 200000-12345678', 'phone +447700900123', 'phone +447911123456'],
    ],
    ['x20-00-00 12345678 sort 07911123456', ['uk-bank-account 200000-12345678', 'phone +447911123456']],
    [
      'hashes d41d8cd98f00b204e9800998ecf8427e-da39a3ee5e6b4b0d3255bfef95601890afd80709 and 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      [
        'md5 d41d8cd98f00b204e9800998ecf8427e',
        'sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709',
        'btc-address 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      ],
    ],
    [
      'at 10:30:00 from fe80::1 and 2001:db8::2, 1.2.3.4 and 5.6.7.8',
      ['ipv6 fe80::1', 'ipv6 2001:db8::2', 'ipv4 1.2.3.4', 'ipv4 5.6.7.8'],
    ],
    ['evil[.]com and (dot) nothing; x[at]y.com only', ['domain evil.com', 'email x@y.com', 'domain y.com']],
    [
      'h**p://bad.example.com/a h[xx]p://worse.example.org fxp://files.example.net/z',
      [
        'url http://bad.example.com/a',
        'domain bad.example.com',
        'url http://worse.example.org',
        'domain worse.example.org',
        'url ftp://files.example.net/z',
        'domain files.example.net',
      ],
    ],
  ])('finds every indicator in %j', (text, expected) => {
    expect(extractIndicators(text).map((i) => `${i.type} ${i.value}`)).toEqual(expected);
  });

  it('copes with hostile input quickly and without throwing', () => {
    const long = 'a.'.repeat(50_000) + ' ' + '1'.repeat(100_000) + ' ' + 'http://x.com/' + '('.repeat(10_000);
    expect(() => extractIndicators(long)).not.toThrow();
    expect(() =>
      extractIndicators('&#99999999999; <a href="&#x110000;">x</a>', { html: true }),
    ).not.toThrow();
  });
});

describe('refang', () => {
  it('undoes the usual defanging', () => {
    expect(refang('hxxps://a[.]b(.)c[dot]d/x user[@]a{.}b x[at]y.com hXXp[://]z.net')).toBe(
      'https://a.b.c.d/x user@a.b x@y.com http://z.net',
    );
  });
});

describe('normaliseIndicator', () => {
  it.each([
    ['phone', '07700 900123', '+447700900123'],
    ['url', 'www.Evil.com/A', 'http://www.evil.com/A'],
    ['domain', 'EVIL[.]com', 'evil.com'],
    ['uk-bank-account', '20-00-00 12345678', '200000-12345678'],
    ['iban', 'gb82 west 1234 5698 7654 32', 'GB82WEST12345698765432'],
    ['email', 'A@B.COM', 'a@b.com'],
    ['ipv6', '2001:DB8::0:1', '2001:db8::1'],
    [
      'sha256',
      '275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F',
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    ],
  ] as const)('normalises a %s typed as %j', (type, raw, value) => {
    expect(normaliseIndicator(type, raw)).toBe(value);
  });

  it.each([
    ['phone', '999'],
    ['domain', 'invoice.pdf'],
    ['ipv4', '300.1.1.1'],
    ['iban', 'GB82WEST12345698765433'],
    ['md5', 'not a hash'],
  ] as const)('refuses a %s of %j', (type, raw) => {
    expect(normaliseIndicator(type, raw)).toBeNull();
  });
});

describe('isBtcAddress', () => {
  it('agrees with @scure/base on base58check addresses and near misses', async () => {
    const { createBase58check } = await import('@scure/base');
    const { createHash } = await import('node:crypto');
    const codec = createBase58check((data: Uint8Array) => createHash('sha256').update(data).digest());
    const reference = (value: string) => {
      try {
        const payload = codec.decode(value);
        return payload.length === 21 && (payload[0] === 0 || payload[0] === 5);
      } catch {
        return false;
      }
    };
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const disagreements: string[] = [];
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      const payload = Uint8Array.from({ length: 19 + Math.floor(next() * 5) }, () =>
        next() < 0.2 ? 0 : Math.floor(next() * 256),
      );
      if (next() < 0.6) payload[0] = next() < 0.5 ? 0 : 5;
      const address = codec.encode(payload);
      const at = Math.floor(next() * address.length);
      for (const value of [address, `${address.slice(0, at)}2${address.slice(at + 1)}`, `1${address}`]) {
        if (reference(value)) valid++;
        if (isBtcAddress(value) !== reference(value)) disagreements.push(value);
      }
    }
    expect(disagreements).toEqual([]);
    expect(valid).toBeGreaterThan(300);
  });
});
