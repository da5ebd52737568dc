import type { FastifyInstance } from 'fastify';
import { PROTECT_HELP } from '../../../services/protect-requests.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, type FormProblem } from '../../plugins/form-errors.ts';
import { normalisePhone } from '../report/report-validation.ts';
import { isEmailAddress } from '../../../domain/contact/email-address.ts';

const FORM = '/cyber-protect/request';

/**
 * A public form for organisations asking their regional Cyber Protect team for staff presentations or reviews.
 * Registered where the session is loaded: answers the form refuses come back through `failForm`.
 */
export function protectRequestRoutes(app: FastifyInstance, services: Services): void {
  app.get(FORM, async (request, reply) => {
    const { values, ...problems } = await formMessages(request, FORM, 'protectRequest.errors');
    return reply.page('cyber-protect/views/request.njk', {
      pageTitle: request.t('protectRequest.title'),
      help: PROTECT_HELP,
      // The boxes ticked, kept as one space-separated value.
      values: { ...values, help: (values.help ?? '').split(' ').filter((h) => h !== '') },
      ...problems,
    });
  });

  app.post<{ Body: Record<string, unknown> }>(
    FORM,
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
      const problems: FormProblem[] = [];
      const problem = (field: string, key = field) => problems.push({ field, key });
      if (values.organisation === '') problem('organisation');
      else if (values.organisation.length > 200) problem('organisation', 'organisationTooLong');
      if (values.contactName === '') problem('contactName');
      else if (values.contactName.length > 200) problem('contactName', 'contactNameTooLong');
      if (!isEmailAddress(values.email) || values.email.length > 320) problem('email');
      const phone = values.phone === '' ? null : normalisePhone(values.phone);
      if (values.phone !== '' && phone === null) problem('phone');
      const place =
        values.postcode === '' || values.postcode.length > 20
          ? null
          : services.postcodes.lookup(values.postcode);
      if (place?.kind !== 'found') problem('postcode');
      const known = help.filter((h) => (PROTECT_HELP as readonly string[]).includes(h));
      if (help.length === 0 || known.length < help.length) problem('help');
      if (values.message.length > 2000) problem('message', 'messageTooLong');
      if (problems.length > 0 || place?.kind !== 'found')
        return failForm(request, reply, FORM, problems, { ...values, help: known.join(' ') });
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
