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

  it('rejects a short SESSION_SECRET', () => {
    expect(errorOf(() => loadConfig({ SESSION_SECRET: 'short' }, cwd())).variable).toBe('SESSION_SECRET');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }, /1 to 65535/],
    ['PORT', { PORT: '70000' }, /1 to 65535/],
    ['HOST', { HOST: 'bad host' }, /hostname or IP address/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, /sqlite:<file>.*postgres:\/\//],
    ['DATABASE_URL', { DATABASE_URL: 'sqlite:' }, /file path/],
    ['BASE_URL', { BASE_URL: 'not a url' }, /not a URL/],
    ['BASE_URL', { BASE_URL: 'ftp://example.org' }, /http/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /fatal, error, warn, info, debug, trace, silent/],
    ['NODE_ENV', { NODE_ENV: 'staging' }, /development, production, test/],
    ['FIRST_CONTACT_DAYS', { FIRST_CONTACT_DAYS: '0' }, /1 to 90/],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example' }, /smtp:\/\/ or smtps:\/\//],
    ['RETENTION_CLOSED_REPORT_DAYS', { RETENTION_CLOSED_REPORT_DAYS: '7' }, /30 to 36500/],
    ['RETENTION_CLOSED_REPORT_DAYS', { RETENTION_CLOSED_REPORT_DAYS: 'six years' }, /30 to 36500/],
  ])('names %s when it is wrong', (variable, env, allowed) => {
    const error = errorOf(() => loadConfig(env, cwd()));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(allowed);
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
});
