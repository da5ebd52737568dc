import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import type { Role } from '../../src/domain/access/access-policy.ts';
import type { Services } from '../../src/services/index.ts';
import { FormClient } from './form-client.ts';

export const STAFF_PASSWORD = 'a long enough password';

/** Creates a staff account and returns its authenticator, as the person would enrol it from the otpauth:// URI. */
export async function addStaff(
  services: Services,
  input: { email: string; role: Role; forceId?: string; unitId?: string },
): Promise<TOTP> {
  const { otpauthUri } = await services.staff.add({ ...input, password: STAFF_PASSWORD });
  return new TOTP({ secret: Secret.fromBase32(new URL(otpauthUri).searchParams.get('secret') ?? '') });
}

/** Signs in through the sign-in page, as a person without JavaScript would. */
export async function signInStaff(
  app: FastifyInstance,
  email: string,
  totp: TOTP,
  at?: Date,
): Promise<FormClient> {
  const client = new FormClient(app);
  await client.get('/staff/sign-in');
  await client.post('/staff/sign-in', {
    email,
    password: STAFF_PASSWORD,
    code: totp.generate(at ? { timestamp: at.getTime() } : {}),
  });
  return client;
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
  return res.json<{ reference: string }>().reference;
}
