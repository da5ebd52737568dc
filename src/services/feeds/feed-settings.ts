/**
 * What an admin configures for a feed, checked the one way for the CLI (and any later page): refusals are
 * `ServiceError`s naming the option.
 */
import { FEED_SECRET_VARIABLE } from '../../config/config.ts';
import { isTlp, TLPS, type Tlp } from '../../domain/sharing/tlp.ts';
import { ServiceError } from '../service-error.ts';

export const FEED_KINDS = ['taxii', 'misp'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];
export const FEED_AUTH = ['none', 'basic', 'bearer'] as const;
export type FeedAuth = (typeof FEED_AUTH)[number];

export interface FeedInput {
  name: string;
  kind: string;
  url: string;
  collections?: string[];
  auth?: string;
  username?: string | null;
  secretEnv?: string | null;
  tlp?: string;
  validDays?: number;
  corroborates?: boolean;
  intervalMinutes?: number;
  pageSize?: number;
}

export interface FeedSettings {
  name: string;
  kind: FeedKind;
  url: string;
  collections: string[];
  auth: FeedAuth;
  username: string | null;
  secretEnv: string | null;
  tlp: Tlp;
  validDays: number;
  corroborates: boolean;
  intervalMinutes: number;
  pageSize: number;
}

const invalid = (code: string, field: string, message: string) =>
  new ServiceError('invalid', code, message, { field });

function whole(value: number | undefined, fallback: number, min: number, max: number, field: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid(`feed-${field}`, field, `--${field} must be a whole number from ${min} to ${max}`);
  return n;
}

export function checkFeedInput(input: FeedInput, options: { httpsOnly: boolean }): FeedSettings {
  const name = input.name.trim();
  if (name === '' || name.length > 200 || /[\p{Cc}]/u.test(name))
    throw invalid('feed-name', 'name', '--name must be 1 to 200 characters');
  if (!(FEED_KINDS as readonly string[]).includes(input.kind))
    throw invalid('feed-kind', 'kind', `--kind must be one of: ${FEED_KINDS.join(', ')}`);
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw invalid('feed-url', 'url', '--url must be an https:// address');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !options.httpsOnly))
    throw invalid(
      'feed-url',
      'url',
      options.httpsOnly ? '--url must be https:// in production' : '--url must be https:// or http://',
    );
  // Credentials in a URL would be stored and shown: they come from the environment instead.
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    throw invalid('feed-url', 'url', '--url may not carry credentials, a query or a fragment');
  const auth = input.auth ?? 'none';
  if (!(FEED_AUTH as readonly string[]).includes(auth))
    throw invalid('feed-auth', 'auth', `--auth must be one of: ${FEED_AUTH.join(', ')}`);
  const username = input.username?.trim() ?? null;
  if (
    auth === 'basic' &&
    (username === null || username === '' || username.length > 200 || username.includes(':'))
  )
    throw invalid('feed-username', 'username', '--username is needed for --auth basic (no ":")');
  const secretEnv = input.secretEnv?.trim() ?? null;
  if (auth !== 'none' && (secretEnv === null || !FEED_SECRET_VARIABLE.test(secretEnv)))
    throw invalid(
      'feed-secret-env',
      'secret-env',
      '--secret-env must name the environment variable holding the secret: FEED_SECRET_<NAME> (A–Z, 0–9, _)',
    );
  const tlp = input.tlp ?? 'amber';
  if (!isTlp(tlp)) throw invalid('feed-tlp', 'tlp', `--tlp must be one of: ${TLPS.join(', ')}`);
  const collections = (input.collections ?? []).map((c) => c.trim()).filter((c) => c !== '');
  if (input.kind === 'misp' && collections.length > 0)
    throw invalid('feed-collections', 'collections', '--collections is for TAXII feeds only');
  if (collections.some((c) => !/^[A-Za-z0-9._~-]{1,200}$/.test(c)) || collections.join(',').length > 2000)
    throw invalid(
      'feed-collections',
      'collections',
      '--collections must be TAXII collection ids, comma-separated',
    );
  return {
    name,
    kind: input.kind as FeedKind,
    url: url.toString(),
    collections: [...new Set(collections)],
    auth: auth as FeedAuth,
    username: auth === 'basic' ? username : null,
    secretEnv: auth === 'none' ? null : secretEnv,
    tlp,
    validDays: whole(input.validDays, 90, 1, 3650, 'valid-days'),
    corroborates: input.corroborates ?? false,
    intervalMinutes: whole(input.intervalMinutes, 60, 5, 10_080, 'interval'),
    pageSize: whole(input.pageSize, 500, 1, 1000, 'page-size'),
  };
}

/** The Authorization header for a feed, from the secret its variable holds in this process. */
export function authorizationFor(
  feed: { auth: string; username: string | null; secretEnv: string | null },
  secrets: Readonly<Record<string, string>>,
): { header: string | null } | { missing: string } {
  if (feed.auth === 'none') return { header: null };
  const variable = feed.secretEnv ?? '';
  const secret = secrets[variable];
  if (secret === undefined) return { missing: variable };
  if (feed.auth === 'bearer') return { header: `Bearer ${secret}` };
  return { header: `Basic ${Buffer.from(`${feed.username ?? ''}:${secret}`).toString('base64')}` };
}
