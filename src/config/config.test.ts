import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const cwd = () => mkdtempSync(join(tmpdir(), 'bluelight-config-'));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults for a bare development machine', () => {
    const dir = cwd();
    const config = loadConfig({}, dir);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database).toEqual({
      dialect: 'sqlite',
      url: 'sqlite:./data/bluelight.db',
      filename: join(dir, 'data/bluelight.db'),
    });
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.logLevel).toBe('info');
    expect(config.nodeEnv).toBe('development');
    expect(config.shareMinIndependentReports).toBe(3);
    expect(loadConfig({ SHARE_MIN_INDEPENDENT_REPORTS: '5' }, dir).shareMinIndependentReports).toBe(5);
  });

  it('keeps the embedded database and development keys under DATA_DIR when it is set', () => {
    const dir = cwd();
    const config = loadConfig({ DATA_DIR: 'volume' }, dir);
    expect(config.dataDir).toBe(join(dir, 'volume'));
    expect(config.database).toMatchObject({ dialect: 'sqlite', filename: join(dir, 'volume/bluelight.db') });
    expect(existsSync(join(dir, 'volume/session-secret'))).toBe(true);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('creates a development session secret once and keeps it under ./data/', () => {
    const dir = cwd();
    const first = loadConfig({}, dir).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'data/session-secret'), 'utf8').trim()).toBe(first);
    expect(loadConfig({}, dir).sessionSecret).toBe(first);
  });

  /** Everything production needs, so each test can take one thing away. */
  const production = {
    NODE_ENV: 'production',
    BASE_URL: 'https://bluelight.example',
    SESSION_SECRET: 's'.repeat(40),
    SMTP_URL: 'smtps://user:pass@mail.example:465',
    VICTIM_SUPPORT_URL: 'https://referrals.victimsupport.example/bluelight',
    VICTIM_SUPPORT_SECRET: 'v'.repeat(40),
    DATA_KEY: 'k'.repeat(64).replace(/k/g, 'a'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64'),
  };
  const without = (name: keyof typeof production) =>
    Object.fromEntries(Object.entries(production).filter(([key]) => key !== name));

  it('requires SESSION_SECRET in production and does not create one', () => {
    const dir = cwd();
    const error = errorOf(() => loadConfig(without('SESSION_SECRET'), dir));
    expect(error.variable).toBe('SESSION_SECRET');
    expect(error.message).toMatch(/required when NODE_ENV=production/);
    expect(existsSync(join(dir, 'data/session-secret'))).toBe(false);
  });

  it('loads a complete production configuration', () => {
    const config = loadConfig(production, cwd());
    expect(config).toMatchObject({
      nodeEnv: 'production',
      victimSupportReferrals: 'send',
      retentionClosedReportDays: 2190,
    });
  });

  it('refuses to start production with WEBHOOK_ALLOW_INTERNAL_TARGETS set, whatever its value; elsewhere only true or false', () => {
    for (const value of ['true', 'false', 'yes']) {
      const error = errorOf(() =>
        loadConfig({ ...production, WEBHOOK_ALLOW_INTERNAL_TARGETS: value }, cwd()),
      );
      expect(error.variable).toBe('WEBHOOK_ALLOW_INTERNAL_TARGETS');
      expect(error.message).toMatch(/must not be set when NODE_ENV=production/);
    }
    expect(loadConfig(production, cwd()).webhookAllowInternal).toBe(false);
    const dev = (value: string) => loadConfig({ WEBHOOK_ALLOW_INTERNAL_TARGETS: value }, cwd());
    expect(dev('true').webhookAllowInternal).toBe(true);
    expect(dev('').webhookAllowInternal).toBe(false);
    expect(errorOf(() => dev('1')).variable).toBe('WEBHOOK_ALLOW_INTERNAL_TARGETS');
  });

  it('refuses to start production without SMTP_URL: emails to victims are never only logged', () => {
    const error = errorOf(() => loadConfig(without('SMTP_URL'), cwd()));
    expect(error.variable).toBe('SMTP_URL');
    expect(error.message).toMatch(/required when NODE_ENV=production/);
    expect(errorOf(() => loadConfig({ ...production, SMTP_URL: 'off' }, cwd())).variable).toBe('SMTP_URL');
  });

  it('refuses to start production without VICTIM_SUPPORT_URL unless referrals are switched off', () => {
    const error = errorOf(() => loadConfig(without('VICTIM_SUPPORT_URL'), cwd()));
    expect(error.variable).toBe('VICTIM_SUPPORT_URL');
    expect(error.message).toMatch(/required when NODE_ENV=production.*off/);
    const off = loadConfig({ ...without('VICTIM_SUPPORT_URL'), VICTIM_SUPPORT_URL: 'off' }, cwd());
    expect(off).toMatchObject({ victimSupportReferrals: 'off', victimSupportUrl: null });
    // Outside production an unset URL means a development log, never "off".
    expect(loadConfig({}, cwd()).victimSupportReferrals).toBe('log');
  });

  it.each([
    ['VICTIM_SUPPORT_URL', { VICTIM_SUPPORT_URL: 'http://referrals.example' }, /https/],
    ['BASE_URL', { BASE_URL: 'http://bluelight.example' }, /https:\/\/ URL when NODE_ENV=production/],
    ['BASE_URL', { BASE_URL: '' }, /required when NODE_ENV=production/],
  ])('refuses an insecure or missing %s in production', (variable, change, allowed) => {
    const error = errorOf(() => loadConfig({ ...production, ...change }, cwd()));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(allowed);
  });

  it('listens for metrics on HOST unless METRICS_HOST names an internal interface', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }, cwd()).metricsHost).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_HOST: '10.0.0.5' }, cwd())).toMatchObject({
      host: '0.0.0.0',
      metricsHost: '10.0.0.5',
    });
  });

  it('rejects a short SESSION_SECRET', () => {
    expect(errorOf(() => loadConfig({ SESSION_SECRET: 'short' }, cwd())).variable).toBe('SESSION_SECRET');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }, /1 to 65535/],
    ['PORT', { PORT: '70000' }, /1 to 65535/],
    ['HOST', { HOST: 'bad host' }, /hostname or IP address/],
    ['METRICS_HOST', { METRICS_HOST: 'bad host' }, /hostname or IP address/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, /sqlite:<file>.*postgres:\/\//],
    ['DATABASE_URL', { DATABASE_URL: 'sqlite:' }, /file path/],
    ['BASE_URL', { BASE_URL: 'not a url' }, /not a URL/],
    ['BASE_URL', { BASE_URL: 'ftp://example.org' }, /http/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /fatal, error, warn, info, debug, trace, silent/],
    ['NODE_ENV', { NODE_ENV: 'staging' }, /development, production, test/],
    ['FIRST_CONTACT_DAYS', { FIRST_CONTACT_DAYS: '0' }, /1 to 90/],
    ['SHARE_MIN_INDEPENDENT_REPORTS', { SHARE_MIN_INDEPENDENT_REPORTS: '0' }, /1 to 100/],
    ['SHARE_MIN_INDEPENDENT_REPORTS', { SHARE_MIN_INDEPENDENT_REPORTS: '101' }, /1 to 100/],
    ['SHARE_MIN_INDEPENDENT_REPORTS', { SHARE_MIN_INDEPENDENT_REPORTS: '2.5' }, /whole number/],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example' }, /smtp:\/\/ or smtps:\/\//],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: '0' }, /1 to 10/],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: '11' }, /1 to 10/],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: 'true' }, /"true" is not an IP address or CIDR range/],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: '10.0.0.0/33' }, /"10\.0\.0\.0\/33" is not/],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: '10.0.0.1,,127.0.0.1' }, /"" is not an IP address/],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: '1, 10.0.0.1' }, /"1" is not an IP address/],
    ['TRUSTED_PROXIES', { TRUSTED_PROXIES: 'lb.internal' }, /comma-separated list/],
    ['RETENTION_CLOSED_REPORT_DAYS', { RETENTION_CLOSED_REPORT_DAYS: '7' }, /30 to 36500/],
    ['RETENTION_CLOSED_REPORT_DAYS', { RETENTION_CLOSED_REPORT_DAYS: 'six years' }, /30 to 36500/],
  ])('names %s when it is wrong', (variable, env, allowed) => {
    const error = errorOf(() => loadConfig(env, cwd()));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(allowed);
  });

  it('trusts no proxy unless TRUSTED_PROXIES says so, in every environment', () => {
    for (const env of [{ NODE_ENV: 'development' }, production, { NODE_ENV: 'test' }])
      expect(loadConfig({ ...env, SESSION_SECRET: 'x'.repeat(32) }, cwd()).trustedProxies).toEqual({
        kind: 'none',
      });
    expect(
      loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1,fd00::/8,::1,loopback ' }, cwd()).trustedProxies,
    ).toEqual({
      kind: 'addresses',
      addresses: ['10.0.0.0/8', '127.0.0.1', 'fd00::/8', '::1', 'loopback'],
    });
    expect(loadConfig({ TRUSTED_PROXIES: '2' }, cwd()).trustedProxies).toEqual({ kind: 'hops', hops: 2 });
  });

  it('reads PostgreSQL URLs and trims a trailing slash from BASE_URL', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        BASE_URL: 'https://bluelight.example/',
        PORT: '8080',
      },
      cwd(),
    );
    expect(config.database.dialect).toBe('postgres');
    expect(config.baseUrl).toBe('https://bluelight.example');
    expect(config.port).toBe(8080);
  });

  it('requires DATA_KEY in production, naming it, and does not create one', () => {
    const dir = cwd();
    const error = errorOf(() => loadConfig(without('DATA_KEY'), dir));
    expect(error.variable).toBe('DATA_KEY');
    expect(error.message).toMatch(/required when NODE_ENV=production/);
    expect(existsSync(join(dir, 'data/data-key'))).toBe(false);
  });

  it('creates a development DATA_KEY once and keeps it under ./data/', () => {
    const dir = cwd();
    const first = loadConfig({}, dir).dataKey;
    expect(first).toHaveLength(32);
    expect(Buffer.from(readFileSync(join(dir, 'data/data-key'), 'utf8').trim(), 'base64')).toEqual(first);
    expect(loadConfig({}, dir).dataKey).toEqual(first);
  });

  it.each([
    ['64 hex digits', 'ab'.repeat(32)],
    ['base64', Buffer.alloc(32, 0xfe).toString('base64')],
    ['URL-safe base64', Buffer.alloc(32, 0xfe).toString('base64url')],
  ])('reads DATA_KEY as %s', (_name, value) => {
    expect(loadConfig({ DATA_KEY: value }, cwd()).dataKey).toHaveLength(32);
  });

  it.each([
    ['too short', 'ab'.repeat(16)],
    ['not hex or base64', 'z'.repeat(64)],
    ['a passphrase', 'correct horse battery staple correct horse'],
    ['33 bytes of base64', Buffer.alloc(33).toString('base64')],
  ])('refuses a DATA_KEY that is %s, naming it', (_name, value) => {
    const error = errorOf(() => loadConfig({ DATA_KEY: value }, cwd()));
    expect(error.variable).toBe('DATA_KEY');
    expect(error.message).toMatch(/32 random bytes as 64 hex digits or base64/);
  });

  it('requires AUDIT_SIGNING_KEY in production, naming it: no key derived from another secret signs legal records', () => {
    const error = errorOf(() => loadConfig(without('AUDIT_SIGNING_KEY'), cwd()));
    expect(error.variable).toBe('AUDIT_SIGNING_KEY');
    expect(error.message).toMatch(/required when NODE_ENV=production/);
    expect(loadConfig(production, cwd()).auditSigningKeySource).toBe('AUDIT_SIGNING_KEY');
  });

  it('reads AUDIT_SIGNING_KEY as base64 DER or PEM (with real or escaped newlines), and signs with it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const value of [
      privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      pem,
      pem.replace(/\n/g, '\\n'),
    ]) {
      const key = loadConfig({ AUDIT_SIGNING_KEY: value }, cwd()).auditSigningKey;
      expect(verify(null, Buffer.from('m'), publicKey, sign(null, Buffer.from('m'), key))).toBe(true);
    }
  });

  it.each([
    ['not a key', 'correct horse battery staple'],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
    ],
    [
      'a public key',
      generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    ],
    ['a bare 32-byte seed', Buffer.alloc(32, 7).toString('base64')],
  ])('refuses an AUDIT_SIGNING_KEY that is %s, naming it', (_name, value) => {
    const error = errorOf(() => loadConfig({ AUDIT_SIGNING_KEY: value }, cwd()));
    expect(error.variable).toBe('AUDIT_SIGNING_KEY');
    expect(error.message).toMatch(/Ed25519 private key/);
  });

  it('derives the development signing key from SESSION_SECRET: the same after a restart, another for another secret', () => {
    const publicOf = (env: Record<string, string>) => {
      const config = loadConfig(env, cwd());
      expect(config.auditSigningKeySource).toBe('SESSION_SECRET');
      const signature = sign(null, Buffer.from('m'), config.auditSigningKey);
      return { config, signature };
    };
    const first = publicOf({ SESSION_SECRET: 'a'.repeat(40) });
    const again = publicOf({ SESSION_SECRET: 'a'.repeat(40) });
    const other = publicOf({ SESSION_SECRET: 'b'.repeat(40) });
    // Ed25519 signatures are deterministic: the same key signs the same message identically.
    expect(again.signature).toEqual(first.signature);
    expect(other.signature).not.toEqual(first.signature);
    // And the development secret kept under ./data/ gives the same key on every start.
    const dir = cwd();
    const a = sign(null, Buffer.from('m'), loadConfig({}, dir).auditSigningKey);
    expect(sign(null, Buffer.from('m'), loadConfig({}, dir).auditSigningKey)).toEqual(a);
  });

  it('reads AUDIT_TRUSTED_PUBLIC_KEYS (earlier keys after a rotation) and refuses anything else, naming it', () => {
    const spki = () =>
      generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(
      loadConfig({ AUDIT_TRUSTED_PUBLIC_KEYS: `${spki()}, ${spki()}` }, cwd()).auditTrustedPublicKeys,
    ).toHaveLength(2);
    expect(loadConfig({}, cwd()).auditTrustedPublicKeys).toEqual([]);
    const error = errorOf(() => loadConfig({ AUDIT_TRUSTED_PUBLIC_KEYS: `${spki()},nonsense` }, cwd()));
    expect(error.variable).toBe('AUDIT_TRUSTED_PUBLIC_KEYS');
    expect(error.message).toMatch(/item 2 is not an Ed25519 public key/);
  });
});
