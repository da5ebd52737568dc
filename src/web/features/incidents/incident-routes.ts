import type { FastifyInstance, FastifyReply } from 'fastify';
import { areasOf } from '../../../domain/access/access-policy.ts';
import { CATEGORIES, isCategory } from '../../../domain/classification/taxonomy.ts';
import { isEmailAddress } from '../../../domain/contact/email-address.ts';
import { SECTORS } from '../../../domain/report/report-draft.ts';
import type { ReportSubmission } from '../../../domain/report/report-submission.ts';
import { INCIDENT_LIMITS } from '../../../services/incidents.ts';
import { ServiceError } from '../../../services/service-error.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { londonTime } from '../ask/ask-routes.ts';
import { LAST_REPORT_KEY } from '../report/report-routes.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

const NARRATIVE_MAX = 5000;
/** The declaration form's inputs, named as the service names the fields it blames. */
const DECLARE_INPUTS = Object.fromEntries(
  ['name', 'nameCy', 'description', 'descriptionCy', 'indicators', 'category', 'sector', 'to'].map((f) => [
    f,
    f,
  ]),
);
/** Each action's own form: a refusal is shown on its first input. */
const ACTION_INPUT: Record<string, string> = { partners: 'partner', update: 'message', close: 'closingNote' };
const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? body[name].trim().slice(0, max + 1) : '';
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};

/**
 * "Were you affected by …?": a short journey for an open significant incident that records the report through the
 * intake (as the full journey does) and links it to the incident in the same transaction.
 */
export function incidentRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { id: string } }>('/incidents/:id', async (request, reply) => {
    const id = idOf(request.params.id);
    const incident = id === null ? null : await services.incidents.publicIncident(id);
    if (incident === null) return notFound(reply);
    const name = request.lng === 'cy' ? incident.nameCy : incident.name;
    return reply.page('incidents/views/affected.njk', {
      pageTitle: request.t('incidents.affected', { name }),
      incident,
      name,
      ...(await formMessages(request, `/incidents/${incident.id}`, 'incidents.question.errors')),
    });
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/incidents/:id',
    { config: { clientLimit: 'answer' } },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const incident = id === null ? null : await services.incidents.publicIncident(id);
      if (incident === null) return notFound(reply);
      const answer = field(request.body, 'affected', 3);
      if (answer === 'yes') return reply.code(303).redirect(`/incidents/${incident.id}/report`);
      if (answer === 'no') return reply.code(303).redirect('/report/triage/danger');
      return failForm(request, reply, `/incidents/${incident.id}`, [{ field: 'affected', key: 'answer' }]);
    },
  );

  app.get<{ Params: { id: string } }>('/incidents/:id/report', async (request, reply) => {
    const id = idOf(request.params.id);
    const incident = id === null ? null : await services.incidents.publicIncident(id);
    if (incident === null) return notFound(reply);
    return reply.page('incidents/views/report.njk', {
      pageTitle: request.t('incidents.report.title'),
      incident,
      name: request.lng === 'cy' ? incident.nameCy : incident.name,
      maxLength: NARRATIVE_MAX,
      ...(await formMessages(request, `/incidents/${incident.id}/report`, 'incidents.report.errors')),
    });
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/incidents/:id/report',
    { config: { clientLimit: 'report-submit' } },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const incident = id === null ? null : await services.incidents.publicIncident(id);
      if (incident === null) return notFound(reply);
      const path = `/incidents/${incident.id}/report`;
      const values = {
        narrative: field(request.body, 'narrative', NARRATIVE_MAX),
        postcode: field(request.body, 'postcode', 20),
        email: field(request.body, 'email', 320),
      };
      const problems: FormProblem[] = [];
      if (values.narrative === '') problems.push({ field: 'narrative', key: 'narrative' });
      else if (values.narrative.length > NARRATIVE_MAX)
        problems.push({ field: 'narrative', key: 'narrativeTooLong' });
      const place =
        values.postcode === '' || values.postcode.length > 20
          ? null
          : services.postcodes.lookup(values.postcode);
      if (place?.kind !== 'found') problems.push({ field: 'postcode', key: 'postcode' });
      if (values.email !== '' && (!isEmailAddress(values.email) || values.email.length > 320))
        problems.push({ field: 'email', key: 'email' });
      if (problems.length > 0 || place?.kind !== 'found')
        return failForm(request, reply, path, problems, values);
      const submission: ReportSubmission = {
        source: 'web',
        reporterType: 'individual',
        reporter: {
          name: '',
          victimName: null,
          email: values.email === '' ? null : values.email,
          phone: null,
          preferredContact: values.email === '' ? null : 'email',
        },
        organisation: null,
        postcode: place.postcode,
        force: {
          id: place.forces.length === 1 ? (place.forces[0] ?? null) : null,
          candidates: [...place.forces],
        },
        // The incident's type of crime when it names one; the classifier decides otherwise.
        category: incident.category !== null && isCategory(incident.category) ? incident.category : null,
        narrative: values.narrative,
        startedAt: null,
        ongoing: false,
        contactMethod: null,
        losses: [],
        suspect: {
          names: [],
          emails: [],
          phones: [],
          websites: [],
          socials: [],
          bankAccounts: [],
          wallets: [],
        },
        vulnerability: [],
        consents: { victimSupport: false },
        evidence: [],
      };
      // Stored, and linked while the incident is open, before the confirmation is shown.
      const report = await services.reportIntake.submit(submission, {
        lng: request.lng === 'cy' ? 'cy' : 'en',
        clientAddress: request.ip,
        incidentId: incident.id,
      });
      app.metrics.reportReceived('journey');
      await request.session.regenerate();
      request.session.set(LAST_REPORT_KEY, {
        reference: report.reference,
        category: report.category,
        email: submission.reporter.email,
        copy: [],
      });
      await request.session.save();
      return reply.code(303).redirect('/report/confirmation');
    },
  );
}

/** The workspace: incidents seen by everyone who reads intelligence; declared and run by regional and national units. */
export function incidentStaffRoutes(app: FastifyInstance, services: Services): void {
  const see = { staff: { allow: 'incidents' } } as const;
  const declare = { staff: { allow: 'incident-declaring' } } as const;
  const choices = { categories: Object.keys(CATEGORIES), sectors: SECTORS };

  app.get('/staff/incidents', { config: see }, async (request, reply) => {
    const staff = staffOf(request);
    return reply.header('cache-control', 'no-store').page('incidents/views/staff-list.njk', {
      pageTitle: request.t('incidents.staff.title'),
      incidents: await services.incidents.list(staff),
      canDeclare: areasOf(staff).includes('incident-declaring'),
      // The declaration form, folded under the list, open when asked for (`?form=declare`).
      openForm: (request.query as Record<string, unknown>).form === 'declare',
      ...choices,
      ...(await formMessages(request, '/staff/incidents', 'incidents.staff.errors')),
    });
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/staff/incidents',
    { config: declare },
    async (request, reply) => {
      const body = request.body;
      const values = {
        name: field(body, 'name', INCIDENT_LIMITS.name),
        nameCy: field(body, 'nameCy', INCIDENT_LIMITS.name),
        description: field(body, 'description', INCIDENT_LIMITS.description),
        descriptionCy: field(body, 'descriptionCy', INCIDENT_LIMITS.description),
        indicators: field(body, 'indicators', 20_000),
        category: field(body, 'category', 60),
        sector: field(body, 'sector', 40),
        from: field(body, 'from', 16),
        to: field(body, 'to', 16),
      };
      const problems: FormProblem[] = [];
      for (const name of ['name', 'nameCy', 'description', 'descriptionCy'] as const)
        if (values[name] === '') problems.push({ field: name, key: name });
      const when = (text: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? londonTime(text) : null);
      const from = when(values.from);
      const to = values.to === '' ? null : when(values.to);
      if (from === null) problems.push({ field: 'from', key: 'from' });
      if (values.to !== '' && to === null) problems.push({ field: 'to', key: 'to' });
      if (problems.length > 0 || from === null)
        return failForm(request, reply, '/staff/incidents', problems, values);
      try {
        const id = await services.incidents.declare(staffOf(request), {
          ...values,
          category: values.category === '' ? null : values.category,
          sector: values.sector === '' ? null : values.sector,
          from: from.toISOString(),
          to: to === null ? null : to.toISOString(),
        });
        return await reply.code(303).redirect(`/staff/incidents/${id}`);
      } catch (error) {
        const problem = serviceProblem(error, 'name', DECLARE_INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, '/staff/incidents', [problem], values);
      }
    },
  );

  app.get<{ Params: { id: string } }>('/staff/incidents/:id', { config: see }, async (request, reply) => {
    const id = idOf(request.params.id);
    if (id === null) return notFound(reply);
    try {
      const page = await services.incidents.view(staffOf(request), id);
      const force = (forceId: string) => {
        const f = services.reference.force(forceId);
        return f === undefined ? null : request.lng === 'cy' && f.nameCy ? f.nameCy : f.name;
      };
      return await reply.header('cache-control', 'no-store').page('incidents/views/staff-incident.njk', {
        // Staff read it in the page's language, as the public do.
        pageTitle: request.lng === 'cy' ? page.incident.nameCy : page.incident.name,
        ...page,
        force,
        ...(await formMessages(request, `/staff/incidents/${id}`, 'incidents.staff.errors')),
      });
    } catch (error) {
      if (serviceProblem(error, 'id') === 'not-found') return notFound(reply);
      throw error;
    }
  });

  app.post<{ Params: { id: string; action: string }; Body: Record<string, unknown> }>(
    '/staff/incidents/:id/:action',
    { config: declare },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null || !Object.hasOwn(ACTION_INPUT, request.params.action)) return notFound(reply);
      const staff = staffOf(request);
      const path = `/staff/incidents/${id}`;
      const body = request.body;
      const values: Record<string, string> = {};
      try {
        if (request.params.action === 'partners') {
          values.partner = field(body, 'partner', INCIDENT_LIMITS.partner);
          values.note = field(body, 'note', INCIDENT_LIMITS.note);
          if (values.partner === '')
            return await failForm(request, reply, path, [{ field: 'partner', key: 'partner' }], values);
          await services.incidents.recordPartner(staff, id, values.partner, values.note);
        } else if (request.params.action === 'update') {
          values.message = field(body, 'message', INCIDENT_LIMITS.message);
          values.messageCy = field(body, 'messageCy', INCIDENT_LIMITS.message);
          const problems: FormProblem[] = [];
          if (values.message === '') problems.push({ field: 'message', key: 'message' });
          if (values.messageCy === '') problems.push({ field: 'messageCy', key: 'messageCy' });
          if (problems.length > 0) return await failForm(request, reply, path, problems, values);
          await services.incidents.sendUpdate(staff, id, values.message, values.messageCy);
        } else {
          values.closingNote = field(body, 'closingNote', INCIDENT_LIMITS.description);
          await services.incidents.close(staff, id, values.closingNote);
        }
      } catch (error) {
        // Not their unit's incident: they see no form, so the page's heading carries the message.
        const fallback = error instanceof ServiceError && error.kind === 'forbidden' ? 'incident' : undefined;
        const problem = serviceProblem(error, fallback ?? ACTION_INPUT[request.params.action] ?? 'partner', {
          partner: 'partner',
          message: 'message',
          messageCy: 'messageCy',
          note: request.params.action === 'close' ? 'closingNote' : 'note',
        });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, path, [problem], values);
      }
      return reply.code(303).redirect(path);
    },
  );
}
