/**
 * Sector working groups over the API. Staff (session or staff token, the staff gate) set groups up, add members,
 * post alerts and requests for information and read the answers; partners (their TAXII credentials, or a partner
 * user's personal token acting as that person; checked in onRequest before anything is parsed) follow their groups
 * as server-sent events and answer requests. Refusals are the service's (a group that is not the caller's answers
 * 404, as one that does not exist).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { PartnerUser } from '../../../domain/access/access-policy.ts';
import type { Partner } from '../../../services/partners.ts';
import { authenticatesToken } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { streamGroupEvents } from './group-events.ts';

export { EVENT_POLL_MS } from './group-events.ts';
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const staffOnly = { staff: { allow: 'any-staff' } } as const;

/** Who calls the partner group API: the organisation, and the person when it is a personal token. */
interface GroupCaller {
  partner: Partner;
  person?: { user: PartnerUser; token: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    groupCaller?: GroupCaller;
  }
}

/** A partner user's personal token (api-tokens.ts's prefix); anything else is tried as TAXII credentials. */
const personalToken = (header: string | undefined) => /^Bearer\s+(blt_\S{1,200})$/i.exec(header ?? '')?.[1];

export function groupsRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Body: { name: string; sector: string } }>(
    '/api/v1/groups',
    {
      config: staffOnly,
      schema: {
        body: Type.Object({ name: Type.String({ maxLength: 200 }), sector: Type.String({ maxLength: 40 }) }),
      },
    },
    async (request, reply) => {
      const id = await services.workingGroups.create(staffOf(request), request.body);
      return reply.code(201).send({ id });
    },
  );

  app.post<{ Params: { id: number }; Body: { partner_id?: number; unit_id?: string } }>(
    '/api/v1/groups/:id/members',
    {
      config: staffOnly,
      schema: {
        params: Type.Object({ id: Id }),
        body: Type.Object({
          partner_id: Type.Optional(Id),
          unit_id: Type.Optional(Type.String({ maxLength: 80 })),
        }),
      },
    },
    async (request, reply) => {
      const { partner_id: partnerId, unit_id: unitId } = request.body;
      await services.workingGroups.addMember(staffOf(request), request.params.id, {
        ...(partnerId === undefined ? {} : { partnerId }),
        ...(unitId === undefined ? {} : { unitId }),
      });
      return reply.code(204).send();
    },
  );

  app.post<{
    Params: { id: number };
    Body: {
      kind: string;
      text: string;
      tlp: string;
      indicator_type?: string;
      indicator_value?: string;
      deadline?: string;
    };
  }>(
    '/api/v1/groups/:id/messages',
    {
      config: staffOnly,
      schema: {
        params: Type.Object({ id: Id }),
        body: Type.Object({
          kind: Type.String({ maxLength: 10 }),
          text: Type.String({ maxLength: 2000 }),
          tlp: Type.String({ maxLength: 12 }),
          indicator_type: Type.Optional(Type.String({ maxLength: 40 })),
          indicator_value: Type.Optional(Type.String({ maxLength: 2048 })),
          deadline: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const id = await services.workingGroups.post(staffOf(request), request.params.id, {
        kind: b.kind,
        text: b.text,
        tlp: b.tlp,
        ...(b.indicator_type === undefined ? {} : { indicatorType: b.indicator_type }),
        ...(b.indicator_value === undefined ? {} : { indicatorValue: b.indicator_value }),
        ...(b.deadline === undefined ? {} : { deadline: b.deadline }),
      });
      return reply.code(201).send({ id });
    },
  );

  app.get<{ Params: { id: number; messageId: number } }>(
    '/api/v1/groups/:id/messages/:messageId',
    { config: staffOnly, schema: { params: Type.Object({ id: Id, messageId: Id }) } },
    async (request, reply) => {
      const message = await services.workingGroups.read(
        staffOf(request),
        request.params.id,
        request.params.messageId,
      );
      if (message === null) return sendProblem(reply, 404, 'Not Found', 'No such group or message');
      const { groupId, postedAt, ...rest } = message;
      return reply.header('cache-control', 'no-store').send({
        ...rest,
        group_id: groupId,
        posted_at: postedAt,
        answers: message.answers.map((a) => ({
          id: a.id,
          partner: a.partner,
          seen: a.seen,
          comment: a.comment,
          answered_at: a.answeredAt,
        })),
      });
    },
  );

  app.post<{
    Params: { id: number; messageId: number; answerId: number };
    Body: { case?: string; report?: string };
  }>(
    '/api/v1/groups/:id/messages/:messageId/answers/:answerId/links',
    {
      config: staffOnly,
      schema: {
        params: Type.Object({ id: Id, messageId: Id, answerId: Id }),
        body: Type.Object({
          case: Type.Optional(Type.String({ maxLength: 40 })),
          report: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const { id, messageId, answerId } = request.params;
      await services.workingGroups.linkAnswer(staffOf(request), id, messageId, answerId, {
        ...(request.body.case === undefined ? {} : { caseReference: request.body.case }),
        ...(request.body.report === undefined ? {} : { reportReference: request.body.report }),
      });
      return reply.code(201).send({ status: 'linked' });
    },
  );

  // Partners: their TAXII credentials or a partner user's personal token, before any parsing.
  const partnerAuth = authenticatesToken(async (request: FastifyRequest, reply: FastifyReply) => {
    const token = personalToken(request.headers.authorization);
    if (token !== undefined) {
      const found = await services.partnerUserTokens.authenticate(token);
      if (found !== null)
        request.groupCaller = { partner: found.partner, person: { user: found.user, token } };
    } else {
      const partner = await services.partners.authenticate(request.headers.authorization);
      if (partner !== null) request.groupCaller = { partner };
    }
    if (request.groupCaller === undefined) {
      reply.header('www-authenticate', 'Bearer realm="bluelight"');
      return sendProblem(
        reply,
        401,
        'Unauthorized',
        'Send your partner credentials or your personal API token',
      );
    }
    return undefined;
  });
  const callerOf = (request: FastifyRequest): GroupCaller => {
    if (request.groupCaller === undefined) throw new Error('partner authentication did not run');
    return request.groupCaller;
  };

  app.post<{ Params: { id: number; messageId: number }; Body: { seen: boolean; comment?: string } }>(
    '/api/v1/partner/groups/:id/requests/:messageId/answers',
    {
      onRequest: partnerAuth,
      schema: {
        params: Type.Object({ id: Id, messageId: Id }),
        body: Type.Object({ seen: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      const { partner, person } = callerOf(request);
      // A personal token answers as its holder (the audit row names them); machine credentials as the partner.
      await services.workingGroups.answer(
        partner,
        request.params.id,
        request.params.messageId,
        { seen: request.body.seen, comment: request.body.comment ?? '' },
        person?.user.email,
      );
      return reply.code(201).send({ status: 'received' });
    },
  );

  /**
   * The group's messages as server-sent events (`id` is the message id, `event` its kind, `data` its JSON), from
   * after Last-Event-ID (or from now), polled from the database so any app instance serves any member.
   */
  app.get<{ Params: { id: number } }>(
    '/api/v1/partner/groups/:id/events',
    { onRequest: partnerAuth, schema: { params: Type.Object({ id: Id }) } },
    async (request, reply) => {
      const { partner, person } = callerOf(request);
      const resume = Number(request.headers['last-event-id']);
      const latest = await services.workingGroups.latestEventId(partner, request.params.id);
      if (latest === null) return sendProblem(reply, 404, 'Not Found', 'No such group');
      const after =
        Number.isInteger(resume) && resume >= 0 && request.headers['last-event-id'] !== undefined
          ? resume
          : latest;
      return streamGroupEvents(request, reply, after, async (from) => {
        if (person === undefined) return services.workingGroups.eventsFor(partner, request.params.id, from);
        // A personal token is checked again on every poll: revoked, expired or its holder disabled ends the stream.
        const still = await services.partnerUserTokens.authenticate(person.token);
        return still === null
          ? null
          : services.workingGroups.eventsFor(still.partner, request.params.id, from, still.user.email);
      });
    },
  );
}
