/**
 * Disruption requests over the API (docs/disruption.md). Staff (staff token, the staff gate) raise, submit,
 * approve and return their unit's requests and read the figures; partners (their TAXII credentials, checked in
 * onRequest before anything is parsed) list the requests sent to them and acknowledge, action or decline them.
 * Refusals are the service's (problem+json naming the field; a request that is not the caller's answers 404).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { Partner } from '../../../services/partners.ts';
import { authenticatesToken } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { Problem } from '../api/report-schemas.ts';
import { snakeKeys } from '../api/snake-keys.ts';
import {
  Acknowledge,
  Action,
  Decline,
  NewDisruption,
  ReturnToDraft,
  disruptionInput,
} from './disruption-schemas.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const IdParams = Type.Object({ id: Id });

declare module 'fastify' {
  interface FastifyRequest {
    disruptionPartner?: Partner;
  }
}

export function disruptionApiRoutes(app: FastifyInstance, services: Services): void {
  const unitWork = { staff: { allow: 'unit-work' } } as const;
  const schema = (summary: string, extra: object, tag = 'disruption') => ({
    summary,
    tags: [tag],
    security: [{ bearer: [] }],
    response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
    ...extra,
  });

  app.post<{ Body: Static<typeof NewDisruption> }>(
    '/api/v1/disruption-requests',
    { config: unitWork, schema: schema('Raise a disruption request to a partner', { body: NewDisruption }) },
    async (request, reply) => {
      const id = await services.disruption.raise(staffOf(request), disruptionInput(request.body));
      return reply.code(201).send({ id });
    },
  );

  app.get(
    '/api/v1/disruption-requests',
    { config: unitWork, schema: schema('Your unit’s disruption requests, with their clocks', {}) },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ requests: snakeKeys(await services.disruption.forUnit(staffOf(request))) }),
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/disruption-requests/:id',
    { config: unitWork, schema: schema('One of your unit’s disruption requests', { params: IdParams }) },
    async (request, reply) => {
      const found = await services.disruption.detail(staffOf(request), request.params.id);
      if (found === null) return sendProblem(reply, 404, 'Not Found', 'No such disruption request');
      return reply
        .header('cache-control', 'no-store')
        .send(snakeKeys({ ...found.request, canApprove: found.canApprove }));
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/disruption-requests/:id/submit',
    { config: unitWork, schema: schema('Send a draft for approval', { params: IdParams }) },
    async (request, reply) => {
      await services.disruption.submit(staffOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/disruption-requests/:id/approve',
    {
      config: unitWork,
      schema: schema('Approve (supervisor): sends it to the partner', { params: IdParams }),
    },
    async (request, reply) => {
      await services.disruption.approve(staffOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: number }; Body: Static<typeof ReturnToDraft> }>(
    '/api/v1/disruption-requests/:id/return',
    {
      config: unitWork,
      schema: schema('Return to draft (supervisor), saying why', { params: IdParams, body: ReturnToDraft }),
    },
    async (request, reply) => {
      await services.disruption.returnToDraft(staffOf(request), request.params.id, request.body.reason);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/disruption-figures',
    {
      config: { staff: { allow: 'disruption-figures' } },
      schema: schema('Requests by type, partner and unit; time to action; money frozen and recovered', {}),
    },
    async (_request, reply) =>
      reply.header('cache-control', 'no-store').send(snakeKeys(await services.disruption.figures())),
  );

  // Partners: their TAXII credentials, before any parsing.
  const partnerAuth = authenticatesToken(async (request: FastifyRequest, reply: FastifyReply) => {
    const partner = await services.partners.authenticate(request.headers.authorization);
    if (partner === null) {
      reply.header('www-authenticate', 'Bearer realm="bluelight"');
      return sendProblem(reply, 401, 'Unauthorized', 'Send your partner credentials');
    }
    request.disruptionPartner = partner;
    return undefined;
  });
  const partnerOf = (request: FastifyRequest): Partner => {
    if (request.disruptionPartner === undefined) throw new Error('partner authentication did not run');
    return request.disruptionPartner;
  };
  const partnerSchema = (summary: string, extra: object) => schema(summary, extra, 'partner disruption');

  app.get<{ Querystring: { status?: string } }>(
    '/api/v1/partner/disruption-requests',
    {
      onRequest: partnerAuth,
      schema: partnerSchema('The disruption requests sent to you', {
        querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 20 })) }),
      }),
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({
        requests: snakeKeys(await services.disruption.forPartner(partnerOf(request), request.query.status)),
      }),
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/partner/disruption-requests/:id',
    {
      onRequest: partnerAuth,
      schema: partnerSchema('One disruption request sent to you', { params: IdParams }),
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(snakeKeys(await services.disruption.oneForPartner(partnerOf(request), request.params.id))),
  );

  app.post<{ Params: { id: number }; Body: Static<typeof Acknowledge> | undefined }>(
    '/api/v1/partner/disruption-requests/:id/acknowledge',
    {
      onRequest: partnerAuth,
      schema: partnerSchema('Acknowledge: you have it in hand', { params: IdParams, body: Acknowledge }),
    },
    async (request, reply) => {
      const ref = request.body?.partner_reference;
      const answer = await services.disruption.acknowledge(
        partnerOf(request),
        request.params.id,
        ref === undefined ? {} : { partnerReference: ref },
      );
      return reply.send(snakeKeys(answer));
    },
  );

  app.post<{ Params: { id: number }; Body: Static<typeof Action> }>(
    '/api/v1/partner/disruption-requests/:id/action',
    {
      onRequest: partnerAuth,
      schema: partnerSchema('Actioned: for money, with the amounts frozen and recovered', {
        params: IdParams,
        body: Action,
      }),
    },
    async (request, reply) => {
      const b = request.body;
      const answer = await services.disruption.action(partnerOf(request), request.params.id, {
        ...(b.frozen_pence === undefined ? {} : { frozenPence: b.frozen_pence }),
        ...(b.recovered_pence === undefined ? {} : { recoveredPence: b.recovered_pence }),
        ...(b.note === undefined ? {} : { note: b.note }),
      });
      return reply.send(snakeKeys(answer));
    },
  );

  app.post<{ Params: { id: number }; Body: Static<typeof Decline> }>(
    '/api/v1/partner/disruption-requests/:id/decline',
    {
      onRequest: partnerAuth,
      schema: partnerSchema('Decline, with your reason', { params: IdParams, body: Decline }),
    },
    async (request, reply) => {
      const answer = await services.disruption.decline(partnerOf(request), request.params.id, {
        reason: request.body.reason,
      });
      return reply.send(snakeKeys(answer));
    },
  );
}
