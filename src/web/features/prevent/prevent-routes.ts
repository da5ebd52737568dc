import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AGE_RANGE,
  INTERVENTION_TYPES,
  OUTCOMES,
  PREVENT_LIMITS,
  PREVENT_RETENTION_DAYS,
  PUBLIC_REFERRER_KINDS,
  type PreventStep,
  type PublicReferrerKind,
} from '../../../domain/prevent/prevent-referral.ts';
import { isEmailAddress } from '../../../domain/contact/email-address.ts';
import type { Services } from '../../../services/index.ts';
import type { PreventReferralInput } from '../../../services/prevent.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { normalisePhone } from '../report/report-validation.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

const FORM = '/prevent/refer';
const STAFF_FORM = '/staff/prevent/refer';
const AGE_PARAMS = { min: String(AGE_RANGE.min), max: String(AGE_RANGE.max) };
const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? body[name].trim().slice(0, max + 1) : '';
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const forceNameIn = (services: Services, lng: string) => (id: string) => {
  const force = services.reference.force(id);
  return force === undefined ? id : lng === 'cy' && force.nameCy ? force.nameCy : force.name;
};
const lngOf = (request: FastifyRequest): 'en' | 'cy' => (request.lng === 'cy' ? 'cy' : 'en');

/**
 * The young person's part, which both forms ask: checked here for the page's messages (the service holds the same
 * rules), the postcode turned into a force and dropped.
 */
function readYoungPerson(services: Services, body: Record<string, unknown>, problems: FormProblem[]) {
  const values = {
    youngPerson: field(body, 'youngPerson', PREVENT_LIMITS.youngPerson),
    age: field(body, 'age', 3),
    postcode: field(body, 'postcode', 20),
    concern: field(body, 'concern', PREVENT_LIMITS.concern),
    aware: field(body, 'aware', 3),
  };
  if (values.youngPerson === '') problems.push({ field: 'youngPerson', key: 'youngPerson' });
  else if (values.youngPerson.length > PREVENT_LIMITS.youngPerson)
    problems.push({ field: 'youngPerson', key: 'youngPersonTooLong' });
  const age = /^\d{1,2}$/.test(values.age) ? Number(values.age) : NaN;
  if (!(age >= AGE_RANGE.min && age <= AGE_RANGE.max))
    problems.push({ field: 'age', key: 'age', params: AGE_PARAMS });
  const place =
    values.postcode === '' || values.postcode.length > 20 ? null : services.postcodes.lookup(values.postcode);
  const forceId = place?.kind === 'found' ? place.forces[0] : undefined;
  if (forceId === undefined) problems.push({ field: 'postcode', key: 'postcode' });
  if (values.concern === '') problems.push({ field: 'concern', key: 'concern' });
  else if (values.concern.length > PREVENT_LIMITS.concern)
    problems.push({ field: 'concern', key: 'concernTooLong' });
  if (values.aware !== 'yes' && values.aware !== 'no') problems.push({ field: 'aware', key: 'aware' });
  return { values, age, forceId };
}

const SERVICE_INPUTS = {
  youngPerson: 'youngPerson',
  age: 'age',
  concern: 'concern',
  postcode: 'postcode',
  referrerKind: 'referrerKind',
  referrerName: 'referrerName',
  referrerEmail: 'referrerEmail',
  organisation: 'organisation',
};

/** The public side: what Prevent is, its figures, and the referral form for schools, parents and organisations. */
export function preventRoutes(app: FastifyInstance, services: Services): void {
  app.get('/prevent', async (request, reply) =>
    reply.page('prevent/views/prevent.njk', {
      pageTitle: request.t('prevent.title'),
      years: Math.round(PREVENT_RETENTION_DAYS / 365),
      age: AGE_RANGE,
      figures: await services.prevent.publishedFigures(),
      regions: Object.fromEntries(services.reference.regions.map((r) => [r.id, r])),
    }),
  );

  app.get(FORM, async (request, reply) =>
    reply.page('prevent/views/refer.njk', {
      pageTitle: request.t('prevent.form.title'),
      kinds: PUBLIC_REFERRER_KINDS,
      staff: false,
      action: FORM,
      ...(await formMessages(request, FORM, 'prevent.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>(
    FORM,
    { config: { clientLimit: 'prevent-referral' } },
    async (request, reply) => {
      const body = request.body;
      const problems: FormProblem[] = [];
      const who = {
        referrerKind: field(body, 'referrerKind', 20),
        referrerName: field(body, 'referrerName', PREVENT_LIMITS.name),
        organisation: field(body, 'organisation', PREVENT_LIMITS.organisation),
        referrerEmail: field(body, 'referrerEmail', 320),
        referrerPhone: field(body, 'referrerPhone', 30),
      };
      const kind = (PUBLIC_REFERRER_KINDS as readonly string[]).includes(who.referrerKind)
        ? (who.referrerKind as PublicReferrerKind)
        : null;
      if (kind === null) problems.push({ field: 'referrerKind', key: 'referrerKind' });
      if (who.referrerName === '') problems.push({ field: 'referrerName', key: 'referrerName' });
      else if (who.referrerName.length > PREVENT_LIMITS.name)
        problems.push({ field: 'referrerName', key: 'referrerNameTooLong' });
      if (kind !== null && kind !== 'parent' && who.organisation === '')
        problems.push({ field: 'organisation', key: 'organisation' });
      else if (who.organisation.length > PREVENT_LIMITS.organisation)
        problems.push({ field: 'organisation', key: 'organisationTooLong' });
      if (!isEmailAddress(who.referrerEmail) || who.referrerEmail.length > 320)
        problems.push({ field: 'referrerEmail', key: 'referrerEmail' });
      const phone = who.referrerPhone === '' ? null : normalisePhone(who.referrerPhone);
      if (who.referrerPhone !== '' && phone === null)
        problems.push({ field: 'referrerPhone', key: 'referrerPhone' });
      const { values, age, forceId } = readYoungPerson(services, body, problems);
      const typed = { ...who, ...values };
      if (problems.length > 0 || kind === null || forceId === undefined)
        return failForm(request, reply, FORM, problems, typed);
      const input: PreventReferralInput = {
        youngPerson: values.youngPerson,
        age,
        forceId,
        concern: values.concern,
        aware: values.aware === 'yes',
        lng: lngOf(request),
      };
      try {
        const { unitId } = await services.prevent.referFromPublic(
          { kind, name: who.referrerName, email: who.referrerEmail, phone, organisation: who.organisation },
          input,
        );
        return await reply.code(303).redirect(`/prevent/sent?unit=${encodeURIComponent(unitId)}`);
      } catch (error) {
        const problem = serviceProblem(error, 'concern', SERVICE_INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, FORM, [problem], typed);
      }
    },
  );

  app.get<{ Querystring: { unit?: string } }>('/prevent/sent', async (request, reply) => {
    const unit =
      typeof request.query.unit === 'string' ? services.reference.unit(request.query.unit) : undefined;
    const region = services.reference.regions.find((r) => r.id === unit?.region);
    return reply.page('prevent/views/sent.njk', {
      pageTitle: request.t('prevent.sent.title'),
      region,
      officer: false,
    });
  });
}

/** The workspace: the region's Prevent queue and workflow (Prevent officers), and officers' referrals. */
export function preventStaffRoutes(app: FastifyInstance, services: Services): void {
  const work = { staff: { allow: 'prevent-work' } } as const;
  const referring = { staff: { allow: 'prevent-referring' } } as const;

  app.get('/staff/prevent', { config: work }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('prevent/views/staff-queue.njk', {
      pageTitle: request.t('prevent.staff.title'),
      referrals: await services.prevent.queue(staffOf(request)),
      forceName: forceNameIn(services, request.lng),
    }),
  );

  app.get(STAFF_FORM, { config: referring }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('prevent/views/refer.njk', {
      pageTitle: request.t('prevent.staffRefer.title'),
      staff: true,
      action: STAFF_FORM,
      ...(await formMessages(request, STAFF_FORM, 'prevent.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>(STAFF_FORM, { config: referring }, async (request, reply) => {
    const problems: FormProblem[] = [];
    const { values, age, forceId } = readYoungPerson(services, request.body, problems);
    if (problems.length > 0 || forceId === undefined)
      return failForm(request, reply, STAFF_FORM, problems, values);
    try {
      const { unitId } = await services.prevent.referFromWorkspace(staffOf(request), {
        youngPerson: values.youngPerson,
        age,
        forceId,
        concern: values.concern,
        aware: values.aware === 'yes',
        lng: lngOf(request),
      });
      return await reply.code(303).redirect(`/staff/prevent/sent?unit=${encodeURIComponent(unitId)}`);
    } catch (error) {
      const problem = serviceProblem(error, 'concern', SERVICE_INPUTS);
      if (problem === 'not-found') return notFound(reply);
      return failForm(request, reply, STAFF_FORM, [problem], values);
    }
  });

  app.get<{ Querystring: { unit?: string } }>(
    '/staff/prevent/sent',
    { config: referring },
    async (request, reply) => {
      const unit =
        typeof request.query.unit === 'string' ? services.reference.unit(request.query.unit) : undefined;
      return reply.page('prevent/views/sent.njk', {
        pageTitle: request.t('prevent.sent.title'),
        region: services.reference.regions.find((r) => r.id === unit?.region),
        officer: true,
      });
    },
  );

  app.get<{ Params: { id: string } }>('/staff/prevent/:id', { config: work }, async (request, reply) => {
    const id = idOf(request.params.id);
    if (id === null) return notFound(reply);
    try {
      const referral = await services.prevent.find(staffOf(request), id);
      return await reply.header('cache-control', 'no-store').page('prevent/views/staff-referral.njk', {
        pageTitle: request.t('prevent.staff.referral', { id: String(id) }),
        referral,
        forceName: forceNameIn(services, request.lng),
        interventions: INTERVENTION_TYPES,
        outcomes: OUTCOMES,
        ...(await formMessages(request, `/staff/prevent/${id}`, 'prevent.errors')),
      });
    } catch (error) {
      if (serviceProblem(error, 'id') === 'not-found') return notFound(reply);
      throw error;
    }
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/staff/prevent/:id',
    { config: work },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const path = `/staff/prevent/${id}`;
      const action = field(request.body, 'action', 20);
      let step: PreventStep | null = null;
      if (action === 'contacted' || action === 'close') step = { action };
      else if (action === 'intervention') {
        const type = field(request.body, 'intervention', 40);
        if ((INTERVENTION_TYPES as readonly string[]).includes(type))
          step = { action, type: type as (typeof INTERVENTION_TYPES)[number] };
        else return failForm(request, reply, path, [{ field: 'intervention', key: 'step' }]);
      } else if (action === 'outcome') {
        const outcome = field(request.body, 'outcome', 40);
        if ((OUTCOMES as readonly string[]).includes(outcome))
          step = { action, outcome: outcome as (typeof OUTCOMES)[number] };
        else return failForm(request, reply, path, [{ field: 'outcome', key: 'step' }]);
      }
      if (step === null) return notFound(reply);
      try {
        await services.prevent.advance(staffOf(request), id, step);
      } catch (error) {
        const problem = serviceProblem(error, 'next', { contacted: 'next', close: 'next' });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, path, [problem]);
      }
      return reply.code(303).redirect(path);
    },
  );
}
