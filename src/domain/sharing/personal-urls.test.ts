import { describe, expect, it } from 'vitest';
import { decodedUrl, hasQuery, urlNamesPerson, withoutQuery } from './personal-urls.ts';

const nobody = [{ email: null, phone: null }];
const ann = [{ email: 'Ann.Victim@example.org', phone: '07911 123456' }];

describe('personal data inside URLs', () => {
  it('strips the query string and fragment, keeping scheme, host and path', () => {
    expect(withoutQuery('https://x.example/a/b?email=a@b.example&m=1#top')).toBe('https://x.example/a/b');
    expect(withoutQuery('https://x.example/a#top')).toBe('https://x.example/a');
    expect(withoutQuery('https://x.example/a')).toBe('https://x.example/a');
    expect(hasQuery('https://x.example/a?')).toBe(true);
    expect(hasQuery('https://x.example/a')).toBe(false);
  });

  it('decodes percent-encoding (twice-encoded too) and + as a space', () => {
    expect(decodedUrl('https://x.example/?e=ann%2540example.org&n=07911+123456')).toBe(
      'https://x.example/?e=ann@example.org&n=07911 123456',
    );
    expect(decodedUrl('https://x.example/%E0%A4%A')).toBe('https://x.example/%E0%A4%A');
  });

  it.each([
    'https://x.example/claim?email=ann.victim@example.org',
    'https://x.example/claim?email=ANN.VICTIM%40EXAMPLE.ORG',
    'https://x.example/claim?mobile=%2B447911123456',
    'https://x.example/claim?mobile=00447911123456',
    'https://x.example/claim?mobile=07911+123+456',
    'https://x.example/claim#07911.123.456',
    'https://x.example/v/ann.victim@example.org/07911-123456',
  ])('finds the reporter’s own details in %s', (value) => {
    expect(urlNamesPerson(value, ann)).toBe(true);
  });

  it.each([
    'https://x.example/verify/someone.else@example.net',
    'https://x.example/verify/07700900123',
    'https://x.example/verify/%2B44%207700%20900123',
    'https://x.example/pay/209876/11223344',
    'https://x.example/pay/20-98-76/11223344',
    'https://x.example/iban/GB82WEST12345698765432',
  ])('finds anybody’s email, phone, bank account or IBAN in the path of %s', (value) => {
    expect(urlNamesPerson(value, nobody)).toBe(true);
  });

  it.each([
    'https://x.example/',
    'https://x.example/login/secure/update',
    'https://x.example/order/2026/12345',
    'https://x.example/p?id=07700900123', // others' details in the query: the query is not shared from bodies
  ])('does not flag %s', (value) => {
    expect(urlNamesPerson(value, nobody)).toBe(false);
  });
});
