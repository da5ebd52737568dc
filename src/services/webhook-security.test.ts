import { describe, expect, it } from 'vitest';
import { isInternalAddress, webhookTarget } from './webhook-security.ts';

describe('webhook targets', () => {
  it('refuses every internal range, and IPv6 forms of internal IPv4 addresses', () => {
    const internal = [
      '127.0.0.1', // loopback
      '10.1.2.3', // private
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254', // link-local: cloud metadata
      '100.100.100.200', // CGNAT: Alibaba metadata
      '192.0.0.192', // reserved: Oracle metadata
      '0.0.0.0', // unspecified
      '224.0.0.1', // multicast
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254', // unique-local: AWS IPv6 metadata
      'ff02::1',
      '::ffff:127.0.0.1', // IPv4-mapped
      '::ffff:169.254.169.254',
      '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '[::1]',
      'not an address',
    ];
    for (const address of internal) expect(isInternalAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '81.2.69.160', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
      expect(isInternalAddress(address), address).toBe(false);
  });

  it('shows only scheme and host, never credentials, path or query', () => {
    expect(webhookTarget('https://user:pw@bank.example:8443/hooks/tok_123?key=abc#x')).toBe(
      'https://bank.example:8443/…',
    );
    expect(webhookTarget('not a url')).toBe('…');
  });
});
