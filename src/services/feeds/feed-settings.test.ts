import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { authorizationFor, checkFeedInput } from './feed-settings.ts';

describe('feed settings', () => {
  it('refuses http:// in production (credentials and intelligence in clear text), allows it elsewhere', () => {
    const feed = { name: 'Plain', kind: 'taxii', url: 'http://feeds.example/taxii2/' };
    expect(() => checkFeedInput(feed, { httpsOnly: true })).toThrow('--url must be https:// in production');
    expect(checkFeedInput(feed, { httpsOnly: false }).url).toBe('http://feeds.example/taxii2/');
    expect(
      checkFeedInput({ ...feed, url: 'https://feeds.example/taxii2/' }, { httpsOnly: true }),
    ).toMatchObject({
      auth: 'none',
      secretEnv: null,
      tlp: 'amber',
      validDays: 90,
      intervalMinutes: 60,
      pageSize: 500,
      corroborates: false,
    });
  });

  it('builds the Authorization header only from the named variable, and says which is missing', () => {
    const secrets = { FEED_SECRET_A: 's3cret' };
    expect(authorizationFor({ auth: 'none', username: null, secretEnv: null }, secrets)).toEqual({
      header: null,
    });
    expect(authorizationFor({ auth: 'bearer', username: null, secretEnv: 'FEED_SECRET_A' }, secrets)).toEqual(
      {
        header: 'Bearer s3cret',
      },
    );
    expect(authorizationFor({ auth: 'basic', username: 'u', secretEnv: 'FEED_SECRET_A' }, secrets)).toEqual({
      header: `Basic ${Buffer.from('u:s3cret').toString('base64')}`,
    });
    expect(authorizationFor({ auth: 'basic', username: 'u', secretEnv: 'FEED_SECRET_B' }, secrets)).toEqual({
      missing: 'FEED_SECRET_B',
    });
  });

  it('reads every FEED_SECRET_<NAME> at start, and names a malformed one', () => {
    const env = { NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), DATA_KEY: '0f'.repeat(32) };
    expect(
      loadConfig({ ...env, FEED_SECRET_LANCS: 'pw', FEED_SECRET_EMPTY: '' }, tmpdir()).feedSecrets,
    ).toEqual({
      FEED_SECRET_LANCS: 'pw',
    });
    expect(() => loadConfig({ ...env, 'FEED_SECRET_lancs-2': 'pw' }, tmpdir())).toThrow(
      'FEED_SECRET_lancs-2: feed secret variables are FEED_SECRET_ followed by A–Z, 0–9 and _',
    );
  });
});
