import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import type { Services } from '../../src/services/index.ts';
import { forgetUsedCodes } from './staff-fixtures.ts';
import { FormClient } from './form-client.ts';

export const PARTNER_PASSWORD = 'a long enough partner password';

/**
 * A partner portal user whose password is already their own (PARTNER_PASSWORD), with the authenticator they would
 * enrol from the otpauth:// line.
 */
export async function addPartnerUser(
  services: Services,
  input: { partnerId: number; email: string; role: 'partner-user' | 'partner-admin' },
): Promise<{ id: number; totp: TOTP }> {
  const made = await services.partnerUsers.add(
    { operator: 'test' },
    { ...input, password: PARTNER_PASSWORD },
  );
  await services.database.db
    .updateTable('users')
    .set({ password_change_due: 0 })
    .where('id', '=', made.id)
    .execute();
  return { id: made.id, totp: new TOTP({ secret: Secret.fromBase32(made.secret) }) };
}

/** Signs in at /partner/sign-in through the page, as a person without JavaScript would. */
export async function signInPartner(
  app: FastifyInstance,
  services: Services,
  email: string,
  totp: TOTP,
): Promise<FormClient> {
  await forgetUsedCodes(services, email);
  const client = new FormClient(app);
  await client.get('/partner/sign-in');
  await client.post('/partner/sign-in', { email, password: PARTNER_PASSWORD, code: totp.generate() });
  return client;
}
