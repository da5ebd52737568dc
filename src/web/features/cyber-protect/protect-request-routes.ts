import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROTECT_HELP } from '../../../services/protect-requests.ts';
import type { Services } from '../../../services/index.ts';
import { normalisePhone } from '../report/report-validation.ts';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]{2,}$/;

/** A public form for organisations asking their regional Cyber Protect team for staff presentations or reviews. */
export function protectRequestRoutes(app: FastifyInstance, services: Services): void {
  const render = (reply: FastifyReply, request: FastifyRequest, extra: Record<string, unknown>) =>
    reply.page('cyber-protect/views/request.njk', {
      pageTitle: request.t('protectRequest.title'),
      help: PROTECT_HELP,
      values: {},
      ...extra,
    });

  app.get('/cyber-protect/request', async (request, reply) => render(reply, request, {}));

  app.post<{ Body: Record<string, unknown> }>(
    '/cyber-protect/request',
    { config: { clientLimit: 'protect-request' } },
    async (request, reply) => {
      const field = (name: string, max: number) =>
        typeof request.body[name] === 'string' ? request.body[name].trim().slice(0, max + 1) : '';
      const helpRaw = request.body.help;
      const help = (Array.isArray(helpRaw) ? helpRaw : helpRaw === undefined ? [] : [helpRaw]).filter(
        (h): h is string => typeof h === 'string',
      );
      const values = {
        organisation: field('organisation', 200),
        contactName: field('contactName', 200),
        email: field('email', 320),
        phone: field('phone', 30),
        postcode: field('postcode', 20),
        help,
        message: field('message', 2000),
      };
      const errors: [string, string][] = [];
      if (values.organisation === '') errors.push(['organisation', 'organisation']);
      else if (values.organisation.length > 200) errors.push(['organisation', 'organisationTooLong']);
      if (values.contactName === '') errors.push(['contactName', 'contactName']);
      else if (values.contactName.length > 200) errors.push(['contactName', 'contactNameTooLong']);
      if (!EMAIL.test(values.email) || values.email.length > 320) errors.push(['email', 'email']);
      const phone = values.phone === '' ? null : normalisePhone(values.phone);
      if (values.phone !== '' && phone === null) errors.push(['phone', 'phone']);
      const place =
        values.postcode === '' || values.postcode.length > 20
          ? null
          : services.postcodes.lookup(values.postcode);
      if (place?.kind !== 'found') errors.push(['postcode', 'postcode']);
      if (help.length === 0 || !help.every((h) => (PROTECT_HELP as readonly string[]).includes(h)))
        errors.push(['help', 'help']);
      if (values.message.length > 2000) errors.push(['message', 'messageTooLong']);
      if (errors.length > 0 || place?.kind !== 'found') {
        const list = errors.map(([f, key]) => ({
          text: request.t(`protectRequest.errors.${key}`),
          href: `#${f === 'help' ? 'help' : f}`,
        }));
        return render(reply.code(400), request, {
          values,
          errors: list,
          fieldErrors: Object.fromEntries(
            errors.map(([f, key]) => [f, { text: request.t(`protectRequest.errors.${key}`) }]),
          ),
        });
      }
      const forceId = place.forces[0] ?? '';
      await services.protectRequests.submit({ ...values, phone, postcode: place.postcode, forceId });
      return reply.code(303).redirect(`/cyber-protect/request/sent?force=${encodeURIComponent(forceId)}`);
    },
  );

  app.get<{ Querystring: { force?: string } }>('/cyber-protect/request/sent', async (request, reply) => {
    const forceId = typeof request.query.force === 'string' ? request.query.force : '';
    const force = services.reference.force(forceId);
    return reply.page('cyber-protect/views/request-sent.njk', {
      pageTitle: request.t('protectRequest.sent.title'),
      region: force ? services.reference.regionOfForce(force.id) : undefined,
      contact: force ? services.reference.cyberProtectFor(force.id) : undefined,
    });
  });
}
