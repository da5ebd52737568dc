import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deriveSigningKey, parsePublicKey, parseSigningKey } from '../domain/tamper-evidence/signing-key.ts';
import { parseTrustedProxies, type TrustedProxies } from './trusted-proxies.ts';

export type DatabaseConfig =
  | { dialect: 'sqlite'; url: string; filename: string }
  | { dialect: 'postgres'; url: string; connectionString: string };

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Where /metrics is served (Prometheus); null: not served. */
  metricsPort: number | null;
  /** The interface /metrics listens on (METRICS_HOST, default HOST). */
  metricsHost: string;
  host: string;
  database: DatabaseConfig;
  baseUrl: string;
  sessionSecret: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Days within which a unit should first contact a victim; later reports are flagged overdue. */
  firstContactDays: number;
  /** Independent reporters needed before a value named only by intelligence or anonymous reports is shared. */
  shareMinIndependentReports: number;
  /** Outgoing mail: an smtp(s):// URL, or null to write a note of each email to the log (never in production). */
  smtpUrl: string | null;
  emailFrom: string;
  /** UNIT_CONTACTS_FILE: confirmed unit mailboxes and out-of-hours contacts over reference/units.json's; null: none. */
  unitContactsFile: string | null;
  /**
   * Victim Support referrals: 'send' to `victimSupportUrl`; 'log' (development: a note is logged and the referral
   * stays `not-sent`; never in production); 'off' (VICTIM_SUPPORT_URL=off: no referral is offered at all).
   */
  victimSupportReferrals: 'send' | 'log' | 'off';
  /** Victim Support's referral endpoint (https) when referrals are sent, else null. */
  victimSupportUrl: string | null;
  /** Shared secret for the HMAC signature on referrals. */
  victimSupportSecret: string;
  /** 32-byte key that encrypts secrets at rest (staff second-factor secrets, partner webhook secrets). */
  dataKey: Buffer;
  /**
   * Ed25519 private key that signs the audit log and custody heads (AUDIT_SIGNING_KEY); outside production,
   * when unset, derived from SESSION_SECRET (`auditSigningKeySource` says which).
   */
  auditSigningKey: KeyObject;
  auditSigningKeySource: 'AUDIT_SIGNING_KEY' | 'SESSION_SECRET';
  /** Public keys whose signatures also verify: earlier signing keys after a rotation (AUDIT_TRUSTED_PUBLIC_KEYS). */
  auditTrustedPublicKeys: KeyObject[];
  /** Classifications less confident than this wait in the review queue (CLASSIFY_REVIEW_BELOW). */
  classificationReviewThreshold: number;
  /** Days after a report is closed before its personal data is removed (RETENTION_CLOSED_REPORT_DAYS). */
  retentionClosedReportDays: number;
  dataDir: string;
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES); none by default, in every environment. */
  trustedProxies: TrustedProxies;
  /** Webhooks may call internal addresses (WEBHOOK_ALLOW_INTERNAL_TARGETS; tests and development only). */
  webhookAllowInternal: boolean;
  /**
   * Passwords and tokens of external feeds (FEED_SECRET_<NAME> variables), by variable name: a feed names its
   * variable; the secret is never stored in the database and never logged.
   */
  feedSecrets: Readonly<Record<string, string>>;
}

/** A configuration value is wrong: names the variable and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, `"${value}" is not allowed; use one of ${allowed.join(', ')}`);
}

function parsePort(env: Env, name: 'PORT' | 'METRICS_PORT' = 'PORT'): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return name === 'PORT' ? 3000 : null;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new ConfigError(name, `"${raw}" is not a port; use a whole number from 1 to 65535`);
  }
  return port;
}

function parseSmtpUrl(env: Env, nodeEnv: Config['nodeEnv']): string | null {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === '') {
    // Emails to victims and to units are essential: production never pretends to send them.
    if (nodeEnv === 'production')
      throw new ConfigError(
        'SMTP_URL',
        'is required when NODE_ENV=production, for emails to victims and units (smtp://user:password@host:587 or smtps://…:465)',
      );
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL', 'is not a URL; use smtp://user:password@host:587 or smtps://…:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  return raw;
}

/** 'off' switches referrals off; production needs a URL or 'off', never the development log. */
function parseVictimSupport(
  env: Env,
  nodeEnv: Config['nodeEnv'],
): Pick<Config, 'victimSupportReferrals' | 'victimSupportUrl'> {
  const raw = env.VICTIM_SUPPORT_URL;
  if (raw === 'off') return { victimSupportReferrals: 'off', victimSupportUrl: null };
  if (raw === undefined || raw === '') {
    if (nodeEnv === 'production')
      throw new ConfigError(
        'VICTIM_SUPPORT_URL',
        'is required when NODE_ENV=production: the https:// referral endpoint, or off to offer no referrals',
      );
    return { victimSupportReferrals: 'log', victimSupportUrl: null };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('VICTIM_SUPPORT_URL', 'is not a URL; use https://… (or off)');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && nodeEnv !== 'production'))
    throw new ConfigError('VICTIM_SUPPORT_URL', 'must be an https:// URL (or off)');
  return { victimSupportReferrals: 'send', victimSupportUrl: raw };
}

function parseVictimSupportSecret(env: Env, url: string | null): string {
  const raw = env.VICTIM_SUPPORT_SECRET ?? '';
  if (url !== null && raw.length < 32)
    throw new ConfigError(
      'VICTIM_SUPPORT_SECRET',
      'must be at least 32 characters when VICTIM_SUPPORT_URL is set',
    );
  return raw;
}

function parseDays(env: Env): number {
  const raw = env.FIRST_CONTACT_DAYS;
  if (raw === undefined || raw === '') return 5;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 90) {
    throw new ConfigError(
      'FIRST_CONTACT_DAYS',
      `"${raw}" is not allowed; use a whole number of days from 1 to 90`,
    );
  }
  return Number(raw);
}

export function parseReviewThreshold(env: Env): number {
  const raw = env.CLASSIFY_REVIEW_BELOW;
  if (raw === undefined || raw === '') return 0.9;
  if (!/^(?:0(?:\.\d{1,3})?|1(?:\.0{1,3})?)$/.test(raw))
    throw new ConfigError(
      'CLASSIFY_REVIEW_BELOW',
      `"${raw}" is not allowed; use a confidence from 0 (review nothing) to 1 (review everything), e.g. 0.9`,
    );
  return Number(raw);
}

function parseShareMinIndependentReports(env: Env): number {
  const raw = env.SHARE_MIN_INDEPENDENT_REPORTS;
  if (raw === undefined || raw === '') return 3;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
    throw new ConfigError(
      'SHARE_MIN_INDEPENDENT_REPORTS',
      `"${raw}" is not allowed; use a whole number of reporters from 1 to 100`,
    );
  }
  return Number(raw);
}

/** UK police retention (MoPI-style) for crime records is long: six years by default. */
export const DEFAULT_RETENTION_CLOSED_REPORT_DAYS = 2190;

function parseRetentionDays(env: Env): number {
  const raw = env.RETENTION_CLOSED_REPORT_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_CLOSED_REPORT_DAYS;
  if (!/^\d+$/.test(raw) || Number(raw) < 30 || Number(raw) > 36500) {
    throw new ConfigError(
      'RETENTION_CLOSED_REPORT_DAYS',
      `"${raw}" is not allowed; use a whole number of days from 30 to 36500 (default 2190, six years)`,
    );
  }
  return Number(raw);
}

/**
 * WEBHOOK_ALLOW_INTERNAL_TARGETS=true lets partner webhooks call loopback and private addresses: for tests and
 * development against a local receiver only. Production refuses to start with it, whatever its value.
 */
function parseWebhookAllowInternal(env: Env, nodeEnv: Config['nodeEnv']): boolean {
  const raw = env.WEBHOOK_ALLOW_INTERNAL_TARGETS;
  if (raw === undefined || raw === '') return false;
  if (nodeEnv === 'production')
    throw new ConfigError(
      'WEBHOOK_ALLOW_INTERNAL_TARGETS',
      'must not be set when NODE_ENV=production (webhooks never call internal addresses there)',
    );
  if (raw !== 'true' && raw !== 'false')
    throw new ConfigError('WEBHOOK_ALLOW_INTERNAL_TARGETS', `"${raw}" is not allowed; use true or false`);
  return raw === 'true';
}

function parseHost(env: Env, name: 'HOST' | 'METRICS_HOST' = 'HOST', fallback = '127.0.0.1'): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9.:-]+$/.test(raw)) {
    throw new ConfigError(name, `"${raw}" is not a hostname or IP address; use e.g. 127.0.0.1 or 0.0.0.0`);
  }
  return raw;
}

export function parseDatabaseUrl(raw: string, cwd: string): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '')
      throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/bluelight.db');
    const filename = path === ':memory:' ? ':memory:' : path.startsWith('/') ? path : join(cwd, path);
    return { dialect: 'sqlite', url: raw, filename };
  }
  if (raw.startsWith('postgres://') || raw.startsWith('postgresql://')) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { dialect: 'postgres', url: raw, connectionString: raw };
  }
  throw new ConfigError(
    'DATABASE_URL',
    `unsupported scheme; use sqlite:<file> (e.g. sqlite:./data/bluelight.db) or postgres://user@host:port/db`,
  );
}

function parseBaseUrl(env: Env, port: number, nodeEnv: Config['nodeEnv']): string {
  const raw = env.BASE_URL;
  if (raw === undefined || raw === '') {
    if (nodeEnv === 'production')
      throw new ConfigError('BASE_URL', 'is required when NODE_ENV=production (https://…)');
    return `http://localhost:${port}`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('BASE_URL', `"${raw}" is not a URL; use e.g. https://bluelight.police.uk`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('BASE_URL', 'must start with http:// or https://');
  }
  // Links in emails and secure cookies depend on it: production is served over TLS only.
  if (nodeEnv === 'production' && url.protocol !== 'https:')
    throw new ConfigError('BASE_URL', 'must be an https:// URL when NODE_ENV=production');
  return raw.replace(/\/+$/, '');
}

function readTrustedProxies(env: Env): TrustedProxies {
  const parsed = parseTrustedProxies(env.TRUSTED_PROXIES);
  if (!parsed.ok) throw new ConfigError('TRUSTED_PROXIES', parsed.reason);
  return parsed.value;
}

/** Development keeps one random secret under the data folder so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

function parseSessionSecret(env: Env, nodeEnv: Config['nodeEnv'], dataDir: string): string {
  const raw = env.SESSION_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long');
    return raw;
  }
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'SESSION_SECRET',
      'is required when NODE_ENV=production (at least 32 random characters)',
    );
  }
  return developmentSecret(dataDir);
}

/** 32 bytes as 64 hex digits or base64 (standard or URL-safe alphabet); anything else is refused. */
export function parseDataKeyValue(raw: string): Buffer | null {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

/** Development keeps one random data key under the data folder; 'wx' so two starting processes agree. */
function developmentDataKey(dataDir: string): Buffer {
  const file = join(dataDir, 'data-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const key = parseDataKeyValue(readFileSync(file, 'utf8'));
  if (key === null) throw new ConfigError('DATA_KEY', `${file} does not hold a 32-byte key; delete it`);
  return key;
}

function parseDataKey(env: Env, nodeEnv: Config['nodeEnv'], dataDir: string): Buffer {
  const raw = env.DATA_KEY;
  if (raw !== undefined && raw !== '') {
    const key = parseDataKeyValue(raw);
    if (key === null)
      throw new ConfigError(
        'DATA_KEY',
        'must be 32 random bytes as 64 hex digits or base64, e.g. the output of: openssl rand -base64 32',
      );
    return key;
  }
  if (nodeEnv === 'production')
    throw new ConfigError(
      'DATA_KEY',
      'is required when NODE_ENV=production (32 random bytes as base64 or hex: openssl rand -base64 32)',
    );
  return developmentDataKey(dataDir);
}

const SIGNING_KEY_HELP =
  'an Ed25519 private key, PKCS#8 PEM or its DER as one line of base64: openssl genpkey -algorithm ed25519 -outform DER | base64 -w0';

function parseAuditSigningKey(
  env: Env,
  nodeEnv: Config['nodeEnv'],
  sessionSecret: string,
): Pick<Config, 'auditSigningKey' | 'auditSigningKeySource'> {
  const raw = env.AUDIT_SIGNING_KEY;
  if (raw !== undefined && raw !== '') {
    const key = parseSigningKey(raw);
    if (key === null) throw new ConfigError('AUDIT_SIGNING_KEY', `is not ${SIGNING_KEY_HELP}`);
    return { auditSigningKey: key, auditSigningKeySource: 'AUDIT_SIGNING_KEY' };
  }
  // A key derived from another secret, or made on the spot, would sign legal records with a key nobody keeps.
  if (nodeEnv === 'production')
    throw new ConfigError('AUDIT_SIGNING_KEY', `is required when NODE_ENV=production (${SIGNING_KEY_HELP})`);
  return { auditSigningKey: deriveSigningKey(sessionSecret), auditSigningKeySource: 'SESSION_SECRET' };
}

function parseTrustedPublicKeys(env: Env): KeyObject[] {
  const raw = env.AUDIT_TRUSTED_PUBLIC_KEYS ?? '';
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item, index) => {
      const key = parsePublicKey(item);
      if (key === null)
        throw new ConfigError(
          'AUDIT_TRUSTED_PUBLIC_KEYS',
          `item ${index + 1} is not an Ed25519 public key; use the base64 line \`bluelight keys show\` prints, comma-separated`,
        );
      return key;
    });
}

/** Variable names a feed's secret may be read from. */
export const FEED_SECRET_VARIABLE = /^FEED_SECRET_[A-Z0-9_]{1,60}$/;

/** Every FEED_SECRET_<NAME> set: a feed added later names one (see docs/operations.md, External feeds). */
function parseFeedSecrets(env: Env): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('FEED_SECRET_') || value === undefined || value === '') continue;
    if (!FEED_SECRET_VARIABLE.test(name))
      throw new ConfigError(name, 'feed secret variables are FEED_SECRET_ followed by A–Z, 0–9 and _');
    secrets[name] = value;
  }
  return secrets;
}

/** Reads and validates configuration once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  const port = parsePort(env) ?? 3000;
  const metricsPort = parsePort(env, 'METRICS_PORT');
  if (metricsPort !== null && metricsPort === port)
    throw new ConfigError(
      'METRICS_PORT',
      `must differ from PORT (${port}): metrics are never on the public port`,
    );
  const host = parseHost(env);
  // Metrics may listen on an internal interface only, whatever the public one is (HOST by default).
  const metricsHost = parseHost(env, 'METRICS_HOST', host);
  // Where the embedded database, evidence files and development keys live; a volume in a container.
  const ownDataDir = env.DATA_DIR !== undefined && env.DATA_DIR !== '';
  const dataDir = ownDataDir ? resolve(cwd, env.DATA_DIR ?? '') : join(cwd, 'data');
  const database = parseDatabaseUrl(
    env.DATABASE_URL ??
      (ownDataDir ? `sqlite:${join(dataDir, 'bluelight.db')}` : 'sqlite:./data/bluelight.db'),
    cwd,
  );
  const victimSupport = parseVictimSupport(env, nodeEnv);
  // Read in this order so the first bad variable is the one named.
  const baseUrl = parseBaseUrl(env, port, nodeEnv);
  const sessionSecret = parseSessionSecret(env, nodeEnv, dataDir);
  return {
    nodeEnv,
    port,
    metricsPort,
    metricsHost,
    host,
    database,
    baseUrl,
    sessionSecret,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    firstContactDays: parseDays(env),
    shareMinIndependentReports: parseShareMinIndependentReports(env),
    smtpUrl: parseSmtpUrl(env, nodeEnv),
    emailFrom:
      env.EMAIL_FROM === undefined || env.EMAIL_FROM === ''
        ? 'Bluelight <no-reply@bluelight.invalid>'
        : env.EMAIL_FROM,
    unitContactsFile:
      env.UNIT_CONTACTS_FILE === undefined || env.UNIT_CONTACTS_FILE === ''
        ? null
        : resolve(cwd, env.UNIT_CONTACTS_FILE),
    ...victimSupport,
    victimSupportSecret: parseVictimSupportSecret(env, victimSupport.victimSupportUrl),
    dataKey: parseDataKey(env, nodeEnv, dataDir),
    ...parseAuditSigningKey(env, nodeEnv, sessionSecret),
    auditTrustedPublicKeys: parseTrustedPublicKeys(env),
    classificationReviewThreshold: parseReviewThreshold(env),
    retentionClosedReportDays: parseRetentionDays(env),
    dataDir,
    trustedProxies: readTrustedProxies(env),
    webhookAllowInternal: parseWebhookAllowInternal(env, nodeEnv),
    feedSecrets: parseFeedSecrets(env),
  };
}
