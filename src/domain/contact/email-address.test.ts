import { describe, expect, it } from 'vitest';
import { isEmailAddress } from './email-address.ts';

describe('the one email address rule', () => {
  it.each([
    'pat@example.org',
    'o’brien@example.co.uk',
    "o'brien@example.co.uk",
    'josé@example.org',
    'a+b@x.police.uk',
  ])('takes %s', (email) => {
    expect(isEmailAddress(email)).toBe(true);
  });
  it.each([
    'nope',
    'pat@example',
    'pat@example.c',
    'pat @example.org',
    'pat@@example.org',
    '<pat@example.org>',
    // One field naming two people, or a display name: never let into an email header.
    'pat@example.org,sam@example.org',
    'pat,sam@example.org',
    'pat;sam@example.org',
    '"Pat" pat@example.org',
    'pat(x)@example.org',
    'pat@example.org\nBcc: x@example.org',
  ])('refuses %j', (email) => {
    expect(isEmailAddress(email)).toBe(false);
  });
});
