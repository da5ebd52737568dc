import { describe, expect, it } from 'vitest';
import { checkStixPattern, isValidStixPattern, stixString } from './stix-pattern.ts';

describe('STIX 2.1 pattern grammar', () => {
  it.each([
    "[url:value = 'http://evil.com/a']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[domain-name:value = 'evil.com' OR domain-name:value = 'evil.net']",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    "[email-message:from_ref.value MATCHES '.+\\\\@evil\\\\.com$'] AND [file:name = 'x.exe'] WITHIN 300 SECONDS",
    "([user-account:account_type = 'phone-number' AND user-account:user_id = '+447700900123']) REPEATS 5 TIMES",
    "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port IN (80, 443)] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00.000Z'",
    "[windows-registry-key:values[*].name = 'x'] FOLLOWEDBY [process:pid > 4]",
    '[file:size NOT <= 100 AND EXISTS file:name]',
    "[url:value = 'it\\'s']",
  ])('accepts %s', (pattern) => {
    expect(() => {
      checkStixPattern(pattern);
    }).not.toThrow();
  });

  it.each([
    ['', /empty pattern/],
    ["url:value = 'x'", /observation expression/],
    ["[url:value = 'x'", /expected "]"/],
    ['[url:value == ]', /literal/],
    ["[url:value = 'x\\q']", /invalid escape/],
    ['[url:value LIKE 5]', /string literal/],
    ["[url:value = 'x'] WITHIN SECONDS", /literal/],
    ["[Url:value = 'x']", /invalid object type/],
    ["[url:value = t'2026-13-01T00:00:00Z']", /invalid timestamp/],
    ["[url:value = 'x'] AND", /observation expression/],
    ["[url:value = 'x'] extra", /unexpected token/],
  ])('refuses %j', (pattern, message) => {
    expect(() => {
      checkStixPattern(pattern);
    }).toThrow(message);
  });

  it('escapes quotes and backslashes in string literals so any value makes a valid pattern', () => {
    for (const value of ["it's", 'back\\slash', "\\'", "'''", 'plain']) {
      expect(isValidStixPattern(`[url:value = ${stixString(value)}]`), value).toBe(true);
    }
  });
});
