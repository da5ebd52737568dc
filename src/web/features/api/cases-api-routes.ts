import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CUSTODY_EVENTS } from '../../../domain/custody/custody-chain.ts';
import { EXHIBIT_KINDS } from '../../../services/investigations/index.ts';
import type { Services } from '../../../services/index.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { Problem } from './report-schemas.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

const Timestamp = Type.String({ format: 'date-time' });
const NewCase = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    reports: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 500, default: [] }),
    campaigns: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 })),
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

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const NewTask = Type.Object(
  {
    title: Text(500),
    owner: Type.String({ format: 'email', maxLength: 320 }),
    due_on: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
const NewDecision = Type.Object(
  { decision: Text(2000), reason: Text(2000) },
  { additionalProperties: false },
);
const Email = Type.String({ format: 'email', maxLength: 320 });
const Share = Type.Object(
  {
    unit: Text(60),
    reason: Text(2000),
    transfer: Type.Optional(Type.Boolean()),
    // A transfer names the receiving unit's officer in charge, and any more of its officers for the team.
    officer_in_charge: Type.Optional(Email),
    members: Type.Optional(Type.Array(Email, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
const Close = Type.Object({ outcome: Text(60), reason: Text(2000) }, { additionalProperties: false });
const NewExamination = Type.Object(
  {
    what: Text(2000),
    why: Text(2000),
    priority: Type.Union([Type.Literal('urgent'), Type.Literal('high'), Type.Literal('routine')]),
    legal_authority: Text(500),
  },
  { additionalProperties: false },
);
const ExaminationUpdate = Type.Object(
  {
    status: Type.Union([Type.Literal('in-progress'), Type.Literal('complete'), Type.Literal('rejected')]),
    findings: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);
const Member = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 320 }) },
  { additionalProperties: false },
);
const Cdr = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 1_000_000 }) },
  { additionalProperties: false },
);
const Mark = Type.Object(
  {
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    radius_m: Type.Number({ minimum: 1, maximum: 100_000 }),
    from: Timestamp,
    to: Timestamp,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const exhibitId = (raw: string) => (/^[1-9]\d{0,12}$/.test(raw) ? Number(raw) : null);
const notFound = (reply: FastifyReply, what: string) =>
  sendProblem(reply, 404, 'Not Found', `No ${what} is available to you`);

/**
 * Cases, exhibits and the chain of custody for staff (scoped to the unit, audited). The service's refusals
 * (ServiceError) are answered as problem+json by plugins/errors.ts.
 */
export function casesApiRoutes(app: FastifyInstance, services: Services): void {
  // Any staff member: the service answers 404 for a case, exhibit or request outside their unit or team.
  const common = { config: { staff: { allow: 'any-staff' } } } as const;
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
      const staff = staffOf(request);
      const reference = await services.investigations.createCase(staff, {
        title: request.body.title,
        reports: request.body.reports,
        restricted: request.body.restricted ?? false,
        members: request.body.members ?? [],
        campaigns: request.body.campaigns ?? [],
      });
      return await reply.code(201).send({ reference });
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
      const staff = staffOf(request);
      const found = await services.investigations.readCase(staff, request.params.reference);
      return found === null
        ? notFound(reply, 'case with that reference')
        : reply.header('cache-control', 'no-store').send(found);
    },
  );

  const caseAction = <S extends TSchema>(
    path: string,
    summary: string,
    body: S,
    run: (staff: StaffMember, reference: string, body: Static<S>) => Promise<unknown>,
  ) =>
    app.post<{ Params: { reference: string }; Body: Static<S> }>(
      `/api/v1/cases/:reference/${path}`,
      { ...common, schema: schema(summary, { body }) },
      async (request, reply) => {
        const staff = staffOf(request);
        const result = await run(staff, request.params.reference, request.body);
        return await reply.code(201).send(result ?? { ok: true });
      },
    );
  const inv = services.investigations;
  caseAction('tasks', 'Add a task with an owner and due date', NewTask, async (staff, ref, b) => ({
    id: await inv.addTask(staff, ref, { title: b.title, owner: b.owner, dueOn: b.due_on }),
  }));
  caseAction('decisions', 'Record a decision and why (append-only)', NewDecision, (staff, ref, b) =>
    inv.addDecision(staff, ref, b.decision, b.reason),
  );
  caseAction(
    'share',
    'Owning unit: share the case with another unit, or transfer it there (naming its officer in charge)',
    Share,
    (staff, ref, b) =>
      b.transfer === true
        ? inv.transfer(staff, ref, {
            unit: b.unit,
            reason: b.reason,
            officerInCharge: b.officer_in_charge ?? '',
            members: b.members ?? [],
          })
        : inv.share(staff, ref, b.unit, b.reason),
  );
  caseAction('close', 'Owning unit: close the case with a Home Office outcome', Close, (staff, ref, b) =>
    inv.close(staff, ref, b.outcome, b.reason),
  );
  caseAction('members', 'Name an officer of the case’s units on its team', Member, (staff, ref, b) =>
    inv.addMember(staff, ref, b.email),
  );
  caseAction('members/remove', 'Take an officer off the team', Member, (staff, ref, b) =>
    inv.removeMember(staff, ref, b.email),
  );
  app.post<{ Params: { reference: string; task: string } }>(
    '/api/v1/cases/:reference/tasks/:task/done',
    { ...common, schema: schema('Mark a task done', {}) },
    async (request, reply) => {
      const staff = staffOf(request);
      const task = exhibitId(request.params.task);
      if (task === null) return notFound(reply, 'task with that id');
      await inv.completeTask(staff, request.params.reference, task);
      return await reply.send({ ok: true });
    },
  );

  const exhibitAction = <S extends TSchema>(
    path: string,
    summary: string,
    body: S,
    run: (staff: StaffMember, id: number, body: Static<S>) => Promise<unknown>,
  ) =>
    app.post<{ Params: { id: string }; Body: Static<S> }>(
      `/api/v1/${path}`,
      { ...common, bodyLimit: 2 * 1024 * 1024, schema: schema(summary, { body }) },
      async (request, reply) => {
        const staff = staffOf(request);
        const id = exhibitId(request.params.id);
        if (id === null) return notFound(reply, 'item with that id');
        return await reply.code(201).send(await run(staff, id, request.body));
      },
    );
  caseAction(
    'exhibits',
    'Record a seized exhibit; its "seized" custody entry is written at once',
    NewExhibit,
    (staff, ref, b) =>
      inv.addExhibit(staff, ref, {
        initials: b.initials,
        kind: b.kind,
        description: b.description,
        seizedAt: new Date(b.seized_at).toISOString(),
        seizedWhere: b.seized_where,
        sealNumbers: b.seal_numbers ?? [],
      }),
  );
  exhibitAction(
    'exhibits/:id/custody',
    'Append a custody event (sealed, booked-in, moved, examined, copied, returned, destroyed)',
    NewCustody,
    (staff, id, b) =>
      inv.addCustody(staff, id, {
        event: b.event,
        at: new Date(b.at).toISOString(),
        location: b.location,
        note: b.note ?? '',
      }),
  );
  exhibitAction(
    'exhibits/:id/files',
    'Add a file derived from an exhibit (stored by SHA-256, logged in the chain)',
    NewFile,
    (staff, id, b) => inv.addFile(staff, id, b.file_name, Buffer.from(b.content_base64, 'base64')),
  );
  exhibitAction(
    'exhibits/:id/examinations',
    "Ask the force's digital forensics queue to examine an exhibit",
    NewExamination,
    async (staff, id, b) => ({
      id: await inv.requestExamination(staff, id, {
        what: b.what,
        why: b.why,
        priority: b.priority,
        legalAuthority: b.legal_authority,
      }),
    }),
  );
  exhibitAction(
    'examinations/:id',
    'Examiner: take a request on, complete it with the findings, or reject it',
    ExaminationUpdate,
    async (staff, id, b) => {
      await inv.updateExamination(staff, id, b);
      return { id, status: b.status };
    },
  );
  exhibitAction(
    'exhibits/:id/cdr',
    'Import call data records or cell-site events (CSV: timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude)',
    Cdr,
    async (staff, id, b) => ({ imported: await inv.importCdr(staff, id, b.csv) }),
  );
  exhibitAction(
    'exhibits/:id/cdr/mark',
    'Mark events that place the number near a location between two times',
    Mark,
    async (staff, id, b) => ({
      marked: await inv.markNear(staff, id, {
        lat: b.latitude,
        lon: b.longitude,
        radiusM: b.radius_m,
        from: new Date(b.from).toISOString(),
        to: new Date(b.to).toISOString(),
        note: b.note ?? '',
      }),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/exhibits/:id/cdr',
    { ...common, schema: schema('The timeline of an exhibit’s call data records, oldest first', {}) },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = exhibitId(request.params.id);
      const timeline = id === null ? null : await inv.timeline(staff, id);
      return timeline === null
        ? notFound(reply, 'exhibit with that id')
        : reply.header('cache-control', 'no-store').send(timeline);
    },
  );

  app.get(
    '/api/v1/examinations',
    {
      ...common,
      schema: schema("Your unit's digital forensics queue, with turnaround per request and the median", {}),
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const queue = await inv.examinationQueue(staff);
      return reply.header('cache-control', 'no-store').send({
        requests: queue.requests,
        median_turnaround_hours: queue.medianTurnaroundHours,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/exhibits/:id/custody',
    { ...common, schema: schema("An exhibit's chain of custody, oldest first", {}) },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = exhibitId(request.params.id);
      const custody = id === null ? null : await services.investigations.custody(staff, id);
      return custody === null
        ? notFound(reply, 'exhibit with that id')
        : reply.header('cache-control', 'no-store').send(custody);
    },
  );
}
