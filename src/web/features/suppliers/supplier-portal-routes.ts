/**
 * A supplier's taskings in the partner portal (docs/suppliers.md): behind the portal gate's `portal-supplier` area
 * (users of a partner flagged as a supplier); which taskings a user sees (its organisation's, once approved) is the
 * service's, and anything else answers 404. Deliverables are uploaded as files (multipart, in this context only;
 * the form carries its CSRF token in the URL, as the workspace's exhibit upload does).
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileHeaders, FALLBACK_CONTENT_TYPE } from '../../../domain/evidence/file-response.ts';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_REPORT,
  MAX_REPORT_BYTES,
} from '../../../domain/evidence/evidence-file.ts';
import { minutesOfHours } from '../../../domain/suppliers/suppliers.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { portalOf } from '../../plugins/partner-gate.ts';
import { portalPage } from '../portal/portal-routes.ts';
import { idOf, notFound, penceOf, PORTAL_TASKINGS, text } from './supplier-form.ts';

const supplierArea = { portal: { allow: 'portal-supplier' } } as const;
const MAX_FILE_NAME = 200;
const INPUTS: Record<string, string> = {
  files: 'files',
  days: 'days',
  cost: 'cost',
  reason: 'reason',
  date: 'date',
  hours: 'hours',
  note: 'note',
};

/** The name a browser sent for a file, without any folders, cut to what the chain stores. */
const fileName = (raw: string) => {
  const base = raw.split(/[\\/]/).pop()?.trim() ?? '';
  return (base === '' ? 'file' : base).slice(0, MAX_FILE_NAME);
};

export async function supplierPortalRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (portal) => {
    await portal.register(multipart, {
      limits: {
        fileSize: MAX_FILE_BYTES,
        files: MAX_FILES_PER_REPORT,
        fields: 2,
        parts: MAX_FILES_PER_REPORT + 2,
      },
    });
    routes(portal, services);
  });
}

function routes(app: FastifyInstance, services: Services): void {
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    data: object,
  ) => portalPage(request, reply, `suppliers/views/${template}`, title, data);

  app.get(PORTAL_TASKINGS, { config: supplierArea }, async (request, reply) => {
    const { user, partner } = portalOf(request);
    return page(request, reply, 'portal-list.njk', request.t('suppliers.portal.title'), {
      taskings: await services.suppliers.forSupplier(user, partner),
    });
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    `${PORTAL_TASKINGS}/:id`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const id = idOf(request.params.id);
      let found;
      try {
        found = id === null ? null : await services.suppliers.oneForSupplier(user, partner, id);
      } catch (error) {
        if (serviceProblem(error, 'files') === 'not-found') return notFound(reply);
        throw error;
      }
      if (found === null || id === null) return notFound(reply);
      return page(
        request,
        reply,
        'portal-tasking.njk',
        request.t('suppliers.tasking.title', { id: String(id) }),
        {
          ...found,
          maxMb: MAX_FILE_BYTES / 1024 / 1024,
          done: ['accepted', 'files', 'time', 'delivered', 'declined'].includes(request.query.done ?? '')
            ? request.query.done
            : null,
          ...(await formMessages(request, `${PORTAL_TASKINGS}/${String(id)}`, 'suppliers.errors')),
        },
      );
    },
  );

  /** Runs one step for the signed-in supplier; a refusal goes back to the tasking page, a stranger's id is 404. */
  async function step(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    done: string,
    run: (id: number) => Promise<unknown>,
    values: Record<string, string> = {},
    inputs: Record<string, string> = {},
  ) {
    const id = idOf(request.params.id);
    if (id === null) return notFound(reply);
    const path = `${PORTAL_TASKINGS}/${String(id)}`;
    try {
      await run(id);
    } catch (error) {
      const problem = serviceProblem(error, 'action', { ...INPUTS, ...inputs });
      if (problem === 'not-found') return notFound(reply);
      return failForm(request, reply, path, [problem], values);
    }
    return reply.code(303).redirect(`${path}?done=${done}`);
  }

  app.post<{ Params: { id: string } }>(
    `${PORTAL_TASKINGS}/:id/accept`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      return step(request, reply, 'accepted', (id) => services.suppliers.accept(user, partner, id));
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${PORTAL_TASKINGS}/:id/decline`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const values = { reason: text(request.body, 'reason', 2100) };
      const id = idOf(request.params.id);
      if (id !== null && values.reason === '')
        return failForm(
          request,
          reply,
          `${PORTAL_TASKINGS}/${String(id)}`,
          [{ field: 'reason', key: 'reason' }],
          values,
        );
      return step(
        request,
        reply,
        'declined',
        (taskingId) => services.suppliers.decline(user, partner, taskingId, values),
        values,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${PORTAL_TASKINGS}/:id/complete`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const values = { days: text(request.body, 'days', 10), cost: text(request.body, 'cost', 30) };
      const problems: FormProblem[] = [];
      if (!/^\d{1,3}$/.test(values.days)) problems.push({ field: 'days', key: 'days' });
      const cost = penceOf(values.cost);
      if (cost === null) problems.push({ field: 'cost', key: 'cost' });
      const id = idOf(request.params.id);
      if (problems.length > 0 && id !== null)
        return failForm(request, reply, `${PORTAL_TASKINGS}/${String(id)}`, problems, values);
      return step(
        request,
        reply,
        'delivered',
        (taskingId) =>
          services.suppliers.complete(user, partner, taskingId, {
            daysWorked: Number(values.days),
            costPence: cost ?? 0,
          }),
        values,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${PORTAL_TASKINGS}/:id/time`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const values = {
        date: text(request.body, 'date', 20),
        hours: text(request.body, 'hours', 10),
        time_cost: text(request.body, 'time_cost', 30),
        note: text(request.body, 'note', 600),
      };
      const problems: FormProblem[] = [];
      if (values.date === '') problems.push({ field: 'date', key: 'date' });
      const minutes = minutesOfHours(values.hours);
      if (minutes === null) problems.push({ field: 'hours', key: 'hours' });
      const cost = penceOf(values.time_cost);
      if (cost === null) problems.push({ field: 'time_cost', key: 'cost' });
      const id = idOf(request.params.id);
      if (problems.length > 0 && id !== null)
        return failForm(request, reply, `${PORTAL_TASKINGS}/${String(id)}`, problems, values);
      return step(
        request,
        reply,
        'time',
        (taskingId) =>
          services.suppliers.logTime(user, partner, taskingId, {
            workDate: values.date,
            minutes: minutes ?? 0,
            costPence: cost ?? 0,
            note: values.note,
          }),
        values,
        // The entry's cost is its own input, apart from the finishing form's.
        { cost: 'time_cost' },
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    `${PORTAL_TASKINGS}/:id/deliverables`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const path = `${PORTAL_TASKINGS}/${String(id)}`;
      const fail = (key: string) =>
        failForm(request, reply, path, [
          { field: 'files', key, params: { mb: String(MAX_FILE_BYTES / 1024 / 1024) } },
        ]);
      if (!request.isMultipart()) return fail('fileNone');
      const files: { name: string; content: Buffer }[] = [];
      let total = 0;
      // Every part is read before anything is stored, so a refused upload adds nothing to the chain.
      for await (const part of request.files()) {
        const content = await part.toBuffer().catch(() => null);
        if (part.filename === '' && (content?.byteLength ?? 0) === 0) continue; // the empty file input
        if (content === null || part.file.truncated) return fail('fileLarge');
        if (content.byteLength === 0) return fail('fileEmpty');
        total += content.byteLength;
        if (total > MAX_REPORT_BYTES) return fail('filesTotal');
        files.push({ name: fileName(part.filename), content });
      }
      if (files.length === 0) return fail('fileNone');
      return step(request, reply, 'files', (taskingId) =>
        services.suppliers.deliver(user, partner, taskingId, files),
      );
    },
  );

  app.get<{ Params: { id: string; sha256: string } }>(
    `${PORTAL_TASKINGS}/:id/files/:sha256`,
    { config: supplierArea },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const id = idOf(request.params.id);
      const sha256 = /^[0-9a-f]{64}$/.test(request.params.sha256) ? request.params.sha256 : null;
      if (id === null || sha256 === null) return notFound(reply);
      try {
        const file = await services.suppliers.releasedFile(user, partner, id, sha256);
        return await reply
          .headers(fileHeaders('attachment', file.name, FALLBACK_CONTENT_TYPE))
          .send(Buffer.from(file.content));
      } catch (error) {
        if (serviceProblem(error, 'files') === 'not-found') return notFound(reply);
        throw error;
      }
    },
  );
}
