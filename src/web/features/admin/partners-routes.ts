import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SHARING_TLPS } from '../../../domain/sharing/tlp.ts';
import type { Services } from '../../../services/index.ts';
import { PARTNER_SECTORS } from '../../../services/partners.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { showOnceAt } from '../../plugins/shown-once.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { adminPage, field, fields, idParam, kept, openFormOf, secretPage } from './admin-form.ts';
import { webhookTarget } from '../../../services/webhook-security.ts';

const PARTNERS = '/staff/admin/partners';
const admins = { staff: { allow: 'administration' } } as const;
const INPUTS = { name: 'name', sectors: 'sectors', tlp: 'tlp', url: 'url' };
const DONE = ['changed', 'webhook-removed'] as const;
/** A partner's forms, folded under GOV.UK details (the page stays under 2,500 px). */
const PARTNER_FORMS = ['details', 'webhook', 'rotate'] as const;

/** TAXII partners: list, add, sectors and TLP, webhook set or removed, credentials rotated (secrets shown once). */
export function partnersRoutes(app: FastifyInstance, services: Services): void {
  const choices = { sectors: PARTNER_SECTORS, tlps: SHARING_TLPS };
  const taxiiUrl = `${services.config.baseUrl.replace(/\/$/, '')}/taxii2/`;
  const find = async (raw: string) => {
    const id = idParam(raw);
    return id === null
      ? undefined
      : (await services.partners.list()).find((p) => p.id === id && p.revokedAt === null);
  };
  /** Runs a change; a refusal goes back to `page` as an error summary, or 404. */
  async function attempt<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    page: string,
    blame: string,
    run: () => Promise<T>,
    values: Record<string, string> = {},
  ): Promise<{ ok: T } | FastifyReply> {
    try {
      return { ok: await run() };
    } catch (error) {
      const problem = serviceProblem(error, blame, INPUTS);
      if (problem === 'not-found') return sendNotFound(request, reply);
      return failForm(request, reply, page, [problem], values);
    }
  }
  const credentialsPath = (id: number) => `${PARTNERS}/${String(id)}/credentials`;
  const webhookSecretPath = (id: number) => `${PARTNERS}/${String(id)}/webhook-secret`;
  /** New credentials wait in the session for their page (GET of the rotation's address), shown once. */
  const showCredentials = (
    request: FastifyRequest,
    reply: FastifyReply,
    shown: { id: number; name: string; username: string; password: string; token: string },
  ) => showOnceAt(request, reply, services.shownOnce, credentialsPath(shown.id), shown);

  app.get<{ Params: { id: string } }>(
    `${PARTNERS}/:id/credentials`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = {
        path: credentialsPath(id),
        kind: 'credentials',
        backHref: `${PARTNERS}/${String(id)}`,
      } as const;
      return secretPage(request, reply, services.shownOnce, page, (value) =>
        reply.page('admin/views/partner-credentials.njk', {
          pageTitle: request.t('admin.partners.credentialsTitle'),
          id,
          name: kept(value, 'name'),
          username: kept(value, 'username'),
          password: kept(value, 'password'),
          token: kept(value, 'token'),
          taxiiUrl,
        }),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    `${PARTNERS}/:id/webhook-secret`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = {
        path: webhookSecretPath(id),
        kind: 'webhookSecret',
        backHref: `${PARTNERS}/${String(id)}`,
      } as const;
      return secretPage(request, reply, services.shownOnce, page, (value) =>
        reply.page('admin/views/webhook-secret.njk', {
          pageTitle: request.t('admin.partners.webhookSecretTitle'),
          id,
          name: kept(value, 'name'),
          url: kept(value, 'url'),
          secret: kept(value, 'secret'),
        }),
      );
    },
  );

  app.get(PARTNERS, { config: admins }, async (request, reply) =>
    adminPage(request, reply, 'partners.njk', {
      pageTitle: request.t('admin.partners.title'),
      partners: await services.partners.list(),
    }),
  );

  app.get(`${PARTNERS}/new`, { config: admins }, async (request, reply) =>
    adminPage(request, reply, 'partner-new.njk', {
      pageTitle: request.t('admin.partners.add'),
      ...choices,
      ...(await formMessages(request, `${PARTNERS}/new`, 'admin.partners.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>(PARTNERS, { config: admins }, async (request, reply) => {
    const input = {
      name: field(request.body, 'name', 300),
      sectors: fields(request.body, 'sectors', 40),
      tlp: field(request.body, 'tlp', 20),
      canSubmit: fields(request.body, 'submit', 10).includes('yes'),
    };
    const values = {
      name: input.name,
      sectors: input.sectors.join(' '),
      tlp: input.tlp,
      submit: input.canSubmit ? 'yes' : '',
    };
    const problems: FormProblem[] = [];
    if (input.name === '') problems.push({ field: 'name', key: 'nameRequired' });
    if (input.sectors.length === 0) problems.push({ field: 'sectors', key: 'sectorsRequired' });
    if (input.tlp === '') problems.push({ field: 'tlp', key: 'tlpRequired' });
    if (problems.length > 0) return failForm(request, reply, `${PARTNERS}/new`, problems, values);
    const result = await attempt(
      request,
      reply,
      `${PARTNERS}/new`,
      'name',
      () => services.partners.add(input, staffOf(request).email),
      values,
    );
    return 'ok' in result ? showCredentials(request, reply, result.ok) : result;
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string; form?: string } }>(
    `${PARTNERS}/:id`,
    { config: admins },
    async (request, reply) => {
      const partner = await find(request.params.id);
      if (partner === undefined) return sendNotFound(request, reply);
      const done = request.query.done;
      const messages = await formMessages(
        request,
        `${PARTNERS}/${String(partner.id)}`,
        'admin.partners.errors',
      );
      return adminPage(request, reply, 'partner.njk', {
        pageTitle: partner.name,
        partner,
        taxiiUrl,
        ...choices,
        done: (DONE as readonly (string | undefined)[]).includes(done) ? done : null,
        ...messages,
        // The webhook's input is `url`, rotating's `rotate`; any other is the details form's.
        openForm: openFormOf(request.query.form, PARTNER_FORMS, messages.fieldErrors, (f) =>
          f === 'url' ? 'webhook' : f === 'rotate' ? 'rotate' : 'details',
        ),
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${PARTNERS}/:id`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = `${PARTNERS}/${String(id)}`;
      const input = {
        sectors: fields(request.body, 'sectors', 40),
        tlp: field(request.body, 'tlp', 20),
        canSubmit: fields(request.body, 'submit', 10).includes('yes'),
      };
      const values = {
        sectors: input.sectors.join(' '),
        tlp: input.tlp,
        submit: input.canSubmit ? 'yes' : '',
      };
      const result = await attempt(
        request,
        reply,
        page,
        'sectors',
        () => services.partners.update(id, input, staffOf(request).email),
        values,
      );
      return 'ok' in result ? reply.code(303).redirect(`${page}?done=changed`) : result;
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${PARTNERS}/:id/webhook`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = `${PARTNERS}/${String(id)}`;
      const url = field(request.body, 'url', 2000);
      if (url === '') return failForm(request, reply, page, [{ field: 'url', key: 'urlRequired' }]);
      const result = await attempt(
        request,
        reply,
        page,
        'url',
        () => services.partners.setWebhook(id, url, staffOf(request).email),
        { url },
      );
      if (!('ok' in result)) return result;
      const partner = await find(String(id));
      return showOnceAt(request, reply, services.shownOnce, webhookSecretPath(id), {
        name: partner?.name ?? '',
        // Scheme and host only, even here: the path or query often carries the partner's token.
        url: webhookTarget(url),
        secret: result.ok ?? '',
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    `${PARTNERS}/:id/webhook/remove`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = `${PARTNERS}/${String(id)}`;
      const result = await attempt(request, reply, page, 'url', () =>
        services.partners.setWebhook(id, null, staffOf(request).email),
      );
      return 'ok' in result ? reply.code(303).redirect(`${page}?done=webhook-removed`) : result;
    },
  );

  app.post<{ Params: { id: string } }>(
    `${PARTNERS}/:id/credentials`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const result = await attempt(request, reply, `${PARTNERS}/${String(id)}`, 'rotate', () =>
        services.partners.rotateCredentials(id, staffOf(request).email),
      );
      return 'ok' in result ? showCredentials(request, reply, result.ok) : result;
    },
  );
}
