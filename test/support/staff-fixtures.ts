import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import type { Role } from '../../src/domain/access/access-policy.ts';
import type { Services } from '../../src/services/index.ts';
import { FormClient } from './form-client.ts';

export const STAFF_PASSWORD = 'a long enough password';

/** The services each enrolled authenticator belongs to, so sign-in can reset that account's used codes. */
const accounts = new WeakMap<TOTP, Services>();

/**
 * Creates a staff account and returns its authenticator, as the person would enrol it from the otpauth:// URI. Its
 * password is STAFF_PASSWORD, as if the person had already set it as their own (`passwordDue: true` for an account
 * whose holder must still set theirs at first sign-in, as every account an admin or the CLI makes is).
 */
export async function addStaff(
  services: Services,
  input: { email: string; role: Role; forceId?: string; unitId?: string; passwordDue?: boolean },
): Promise<TOTP> {
  const { passwordDue = false, ...account } = input;
  const { otpauthUri } = await services.staffAccounts.add({
    ...account,
    password: STAFF_PASSWORD,
    passwordChosenByHolder: !passwordDue,
  });
  const totp = new TOTP({ secret: Secret.fromBase32(new URL(otpauthUri).searchParams.get('secret') ?? '') });
  accounts.set(totp, services);
  return totp;
}

/**
 * Each code signs in once (replay protection). Tests sign the same person in many times within one 30-second
 * step, which a person cannot; this forgets the account's last used step so the next sign-in may reuse it.
 * Tests of the replay protection itself must not call it.
 */
export async function forgetUsedCodes(services: Services, email: string): Promise<void> {
  await services.database.db
    .updateTable('users')
    .set({ totp_last_step: 0 })
    .where('email', '=', email.trim().toLowerCase())
    .execute();
}

/** Signs in through the sign-in page, as a person without JavaScript would. */
export async function signInStaff(
  app: FastifyInstance,
  email: string,
  totp: TOTP,
  at?: Date,
): Promise<FormClient> {
  const services = accounts.get(totp);
  if (services !== undefined) await forgetUsedCodes(services, email);
  const client = new FormClient(app);
  await client.get('/staff/sign-in');
  await client.post('/staff/sign-in', {
    email,
    password: STAFF_PASSWORD,
    code: totp.generate(at ? { timestamp: at.getTime() } : {}),
  });
  return client;
}

/**
 * Signs in through the sign-in page in a browser, as a person would, and waits for the staff landing page.
 * Forgets the account's used codes first when the authenticator came from addStaff (or services are given).
 */
export async function signInInBrowser(
  page: Page,
  base: string,
  who: { email: string; totp: TOTP; lng?: 'en' | 'cy'; password?: string; services?: Services },
): Promise<void> {
  const services = who.services ?? accounts.get(who.totp);
  if (services !== undefined) await forgetUsedCodes(services, who.email);
  if (!page.url().includes('/staff/sign-in')) await page.goto(`${base}/staff/sign-in?lng=${who.lng ?? 'en'}`);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password ?? STAFF_PASSWORD);
  await page.fill('#code', who.totp.generate());
  await page.click('button.govuk-button');
  // Anywhere in the workspace but the sign-in page (each role lands on its own page).
  await page.waitForURL(
    (url) => url.pathname.startsWith('/staff') && !url.pathname.startsWith('/staff/sign-in'),
  );
}

/** A report through the partner API, as a bank would send it; returns its reference. */
export async function submitPartnerReport(
  app: FastifyInstance,
  services: Services,
  body: object,
): Promise<string> {
  const { token } = await services.tokens.create('fixture partner', ['reports:write']);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`fixture report refused: ${res.statusCode} ${res.body}`);
  // Links (and so the report's indicators) are made from the outbox just after the acknowledgement.
  await services.intelligence.linkPending();
  return res.json<{ reference: string }>().reference;
}
