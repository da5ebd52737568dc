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

  it('creates a development session secret once and keeps it under ./data/', () => {
    const dir = cwd();
    const first = loadConfig({}, dir).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'data/session-secret'), 'utf8').trim()).toBe(first);
    expect(loadConfig({}, dir).sessionSecret).toBe(first);
  });

  it('requires SESSION_SECRET in production and does not create one', () => {
    const dir = cwd();
    const error = errorOf(() => loadConfig({ NODE_ENV: 'production' }, dir));
    expect(error.variable).toBe('SESSION_SECRET');
    expect(error.message).toMatch(/required when NODE_ENV=production/);
    expect(existsSync(join(dir, 'data/session-secret'))).toBe(false);
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
    ['SHARE_MIN_INDEPENDENT_REPORTS', { SHARE_MIN_INDEPENDENT_REPORTS: '0' }, /1 to 100/],
    ['SHARE_MIN_INDEPENDENT_REPORTS', { SHARE_MIN_INDEPENDENT_REPORTS: '101' }, /1 to 100/],
    ['SHARE_MIN_INDEPENDENT_REPORTS', { SHARE_MIN_INDEPENDENT_REPORTS: '2.5' }, /whole number/],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example' }, /smtp:\/\/ or smtps:\/\//],
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
