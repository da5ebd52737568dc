import type { FastifyInstance } from 'fastify';
import type { TOTP } from 'otpauth';
import { expect } from 'vitest';
import { ROLES, type Role } from '../../src/domain/access/access-policy.ts';
import type { Services } from '../../src/services/index.ts';
import type { FormClient } from './form-client.ts';
import { addStaff, signInStaff } from './staff-fixtures.ts';

/** Where each role works, so every role can have an account. */
export const UNIT_OF: Record<Role, { forceId?: string; unitId?: string }> = {
  'force-officer': { forceId: 'cumbria' },
  'force-supervisor': { forceId: 'cumbria' },
  'regional-officer': { unitId: 'nwrocu-rccu' },
  'national-officer': { unitId: 'nccu' },
  analyst: {},
  admin: {},
  'call-handler': {},
  'prevent-officer': { unitId: 'nwrocu-rccu' },
};

/** One account per role (`<role>@admin-test.example`), with its authenticator. */
export async function onePerRole(services: Services): Promise<Map<Role, { email: string; totp: TOTP }>> {
  const people = new Map<Role, { email: string; totp: TOTP }>();
  for (const role of ROLES) {
    const email = `${role}@admin-test.example`;
    people.set(role, { email, totp: await addStaff(services, { email, role, ...UNIT_OF[role] }) });
  }
  return people;
}

export async function signInAs(
  app: FastifyInstance,
  people: Map<Role, { email: string; totp: TOTP }>,
  role: Role,
  at?: Date,
): Promise<FormClient> {
  const person = people.get(role);
  if (person === undefined) throw new Error(`no ${role}`);
  return signInStaff(app, person.email, person.totp, at);
}

/** The CSRF token a page carries in its forms. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The error summary's items, as text. */
export const errorSummary = (html: string) =>
  [...html.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)]
    .filter(() => html.includes('govuk-error-summary'))
    .map((m) => `${m[1] ?? ''}: ${m[2] ?? ''}`);

/** The audit rows written for `action`: who and what. */
export function auditsOf(services: Services, action: string) {
  return services.database.db
    .selectFrom('audit_log')
    .select(['actor', 'detail'])
    .where('action', '=', action)
    .execute();
}

/**
 * Posts a form that makes a secret, as a browser does (post/redirect/get): the POST answers 303 to the page that
 * shows the secret, that page is read, then read again as a refresh would. Answers the redirect, the page that
 * showed the secret and the refreshed page (which must not show it).
 */
export async function postForSecret(
  client: FormClient,
  url: string,
  fields: Record<string, string | string[]> = {},
) {
  const redirect = await client.post(url, fields, { follow: false });
  expect(redirect.statusCode).toBe(303);
  const location = String(redirect.headers.location);
  const shown = await client.get(location);
  expect(shown.statusCode).toBe(200);
  expect(shown.headers['cache-control']).toBe('no-store');
  const refreshed = await client.get(location);
  expect(refreshed.statusCode).toBe(200);
  expect(refreshed.headers['cache-control']).toBe('no-store');
  expect(refreshed.body).toContain('Already shown');
  return { redirect, location, shown, refreshed };
}
