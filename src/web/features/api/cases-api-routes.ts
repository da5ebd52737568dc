import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CUSTODY_EVENTS } from '../../../domain/custody/custody-chain.ts';
import { CaseError, EXHIBIT_KINDS } from '../../../services/investigations.ts';
import type { Services } from '../../../services/index.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { Problem } from './report-schemas.ts';
import { staffOf } from './staff-api-routes.ts';

const Timestamp = Type.String({ format: 'date-time' });
const NewCase = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    reports: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 500, default: [] }),
    restricted: Type.Optional(Type.Boolean()),
    members: Type.Optional(Type.Array(Type.String({ format: 'email', maxLength: 320 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
const NewExhibit = Type.Object(
  {
    initials: Type.String({ pattern: '^[A-Z]{2,4}$' }),
    kind: Type.Union(EXHIBIT_KINDS.map((k) => Type.Literal(k))),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    seized_at: Timestamp,
    seized_where: Type.String({ minLength: 1, maxLength: 500 }),
    seal_numbers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[^,]+$' }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false },
);
const NewCustody = Type.Object(
  {
    event: Type.Union(CUSTODY_EVENTS.filter((e) => e !== 'file-added').map((e) => Type.Literal(e))),
    at: Timestamp,
    location: Type.String({ minLength: 1, maxLength: 500 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const NewFile = Type.Object(
  {
    file_name: Type.String({ minLength: 1, maxLength: 200 }),
    content_base64: Type.String({ minLength: 1, maxLength: 1_400_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
  },
  { additionalProperties: false },
);

const caseProblem = (reply: FastifyReply, error: unknown) => {
  if (!(error instanceof CaseError)) throw error;
  return sendProblem(
    reply,
    error.status,
    error.status === 404 ? 'Not Found' : 'Bad Request',
    error.message,
    error.field === undefined ? undefined : [{ name: error.field, message: error.message }],
  );
};
const exhibitId = (raw: string) => (/^[1-9]\d{0,12}$/.test(raw) ? Number(raw) : null);
const notFound = (reply: FastifyReply, what: string) =>
  sendProblem(reply, 404, 'Not Found', `No ${what} is available to you`);

/** Cases, exhibits and the chain of custody for staff (scoped to the unit, audited). */
export function casesApiRoutes(app: FastifyInstance, services: Services): void {
  const common = { preHandler: requireScope(services, 'staff') };
  const schema = (summary: string, extra: object) => ({
    summary,
    tags: ['investigations'],
    security: [{ bearer: [] }],
    response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
    ...extra,
  });

  app.post<{ Body: Static<typeof NewCase> }>(
    '/api/v1/cases',
    { ...common, schema: schema('Open a case grouping reports of your unit', { body: NewCase }) },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      try {
        const reference = await services.investigations.createCase(staff, {
          title: request.body.title,
          reports: request.body.reports,
          restricted: request.body.restricted ?? false,
          members: request.body.members ?? [],
        });
        return await reply.code(201).send({ reference });
      } catch (error) {
        return caseProblem(reply, error);
      }
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/api/v1/cases/:reference',
    {
      ...common,
      schema: schema('A case: reports, exhibits, officer in charge', {
        params: Type.Object({ reference: Type.String({ maxLength: 30 }) }),
      }),
    },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      const found = await services.investigations.readCase(staff, request.params.reference);
      return found === null
        ? notFound(reply, 'case with that reference')
        : reply.header('cache-control', 'no-store').send(found);
    },
  );

  app.post<{ Params: { reference: string }; Body: Static<typeof NewExhibit> }>(
    '/api/v1/cases/:reference/exhibits',
    {
      ...common,
      schema: schema('Record a seized exhibit; its "seized" custody entry is written at once', {
        body: NewExhibit,
      }),
    },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      try {
        const b = request.body;
        const created = await services.investigations.addExhibit(staff, request.params.reference, {
          initials: b.initials,
          kind: b.kind,
          description: b.description,
          seizedAt: new Date(b.seized_at).toISOString(),
          seizedWhere: b.seized_where,
          sealNumbers: b.seal_numbers ?? [],
        });
        return await reply.code(201).send(created);
      } catch (error) {
        return caseProblem(reply, error);
      }
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof NewCustody> }>(
    '/api/v1/exhibits/:id/custody',
    {
      ...common,
      schema: schema(
        'Append a custody event (sealed, booked-in, moved, examined, copied, returned, destroyed)',
        { body: NewCustody },
      ),
    },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      const id = exhibitId(request.params.id);
      if (id === null) return notFound(reply, 'exhibit with that id');
      try {
        const b = request.body;
        const entry = await services.investigations.addCustody(staff, id, {
          event: b.event,
          at: new Date(b.at).toISOString(),
          location: b.location,
          note: b.note ?? '',
        });
        return await reply.code(201).send(entry);
      } catch (error) {
        return caseProblem(reply, error);
      }
    },
  );

  app.post<{ Params: { id: string }; Body: Static<typeof NewFile> }>(
    '/api/v1/exhibits/:id/files',
    {
      ...common,
      bodyLimit: 2 * 1024 * 1024,
      schema: schema('Add a file derived from an exhibit (stored by SHA-256, logged in the chain)', {
        body: NewFile,
      }),
    },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      const id = exhibitId(request.params.id);
      if (id === null) return notFound(reply, 'exhibit with that id');
      try {
        const content = Buffer.from(request.body.content_base64, 'base64');
        return await reply
          .code(201)
          .send(await services.investigations.addFile(staff, id, request.body.file_name, content));
      } catch (error) {
        return caseProblem(reply, error);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/exhibits/:id/custody',
    { ...common, schema: schema("An exhibit's chain of custody, oldest first", {}) },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      const id = exhibitId(request.params.id);
      const custody = id === null ? null : await services.investigations.custody(staff, id);
      return custody === null
        ? notFound(reply, 'exhibit with that id')
        : reply.header('cache-control', 'no-store').send(custody);
    },
  );
}
