import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { CATEGORIES, isCategory } from '../../../domain/classification/taxonomy.ts';
import {
  ADVICE_LANGUAGES,
  ADVICE_LIMITS,
  isAdviceLanguage,
  type AdviceContent,
} from '../../../services/advice.ts';
import type { Services } from '../../../services/index.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { renderableAdvice } from './advice-routes.ts';
import {
  ADVICE_PLACEHOLDERS,
  formatAdviceText,
  parseAdviceText,
  placeholderValues,
  type ParseProblem,
} from './advice-text.ts';

const MAX_BODY = 20_000;
/** A version number from the redirect after saving or publishing; anything else shows no banner. */
const versionParam = (value: unknown) =>
  typeof value === 'string' && /^[1-9]\d{0,8}$/.test(value) ? value : null;

interface Params {
  category: string;
  lng: string;
}

/** Units' editing of the Protect advice pages: drafts, then publication; every save and publication audit-logged. */
export function adviceStaffRoutes(app: FastifyInstance, services: Services): void {
  const editors = { staff: { allow: 'advice-editing' } } as const;
  const validPage = (params: Params) => isCategory(params.category) && isAdviceLanguage(params.lng);
  const pagePath = (params: Params) => `/staff/advice/${params.category}/${params.lng}`;
  const editUrl = (params: Params, query: string) => `${pagePath(params)}?${query}`;

  async function renderEdit(
    request: FastifyRequest<{ Params: Params }>,
    reply: FastifyReply,
    staff: StaffMember,
  ) {
    const { category, lng } = request.params;
    const { published, draft, mayPublish } = await services.advice.forEditing(staff, category, lng);
    const start = draft ?? published;
    const query = request.query as Record<string, unknown>;
    // A refused draft or publication comes back here through the session (post/redirect/get).
    const { values: typed, ...problems } = await formMessages(
      request,
      pagePath(request.params),
      'adviceHub.staff.errors',
    );
    const values = placeholderValues(services.reference, request.t, lng);
    return reply.header('cache-control', 'no-store').page('advice/views/staff-edit.njk', {
      pageTitle: request.t('adviceHub.staff.editTitle'),
      staff,
      category,
      pageLng: lng,
      published,
      draft,
      mayPublish,
      preview: draft ? renderableAdvice(services, request, draft, lng) : null,
      values:
        typed.title === undefined
          ? { title: start.title, body: formatAdviceText(start.sections) }
          : { title: typed.title, body: typed.body ?? '' },
      placeholders: Object.keys(ADVICE_PLACEHOLDERS).map((name) => ({ name, ...values.get(name) })),
      saved: versionParam(query.saved),
      publishedVersion: versionParam(query.published),
      ...problems,
    });
  }

  /** A problem the parser found in the advice text, as a problem on the body input. */
  const bodyProblem = (problem: ParseProblem): FormProblem => ({
    field: 'body',
    key: problem.key === 'noSections' ? 'bodyRequired' : problem.key,
    params: {
      ...(problem.line === undefined ? {} : { line: String(problem.line) }),
      ...(problem.heading === undefined ? {} : { heading: problem.heading }),
      name: `{{${problem.name ?? ''}}}`,
      max: String(
        problem.key === 'tooManySections'
          ? ADVICE_LIMITS.sections
          : problem.key === 'tooManyLines'
            ? ADVICE_LIMITS.items
            : problem.key === 'lineTooLong'
              ? ADVICE_LIMITS.text
              : ADVICE_LIMITS.title,
      ),
    },
  });

  app.get('/staff/advice', { config: editors }, async (request, reply) => {
    const staff = staffOf(request);
    const overview = await services.advice.overview(staff);
    return reply.header('cache-control', 'no-store').page('advice/views/staff-list.njk', {
      pageTitle: request.t('adviceHub.staff.title'),
      staff,
      languages: ADVICE_LANGUAGES,
      rows: Object.keys(CATEGORIES).map((category) => ({
        category,
        pages: overview.filter((o) => o.category === category),
      })),
    });
  });

  app.get<{ Params: Params }>('/staff/advice/:category/:lng', { config: editors }, async (request, reply) => {
    const staff = staffOf(request);
    if (!validPage(request.params)) {
      reply.callNotFound();
      return reply;
    }
    return renderEdit(request, reply, staff);
  });

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    '/staff/advice/:category/:lng',
    { config: editors },
    async (request, reply) => {
      const staff = staffOf(request);
      if (!validPage(request.params)) {
        reply.callNotFound();
        return reply;
      }
      const field = (name: string) => (typeof request.body[name] === 'string' ? request.body[name] : '');
      const values = {
        title: field('title').trim().slice(0, 1000),
        body: field('body').slice(0, MAX_BODY + 1),
      };
      const problems: FormProblem[] = [];
      if (values.title === '') problems.push({ field: 'title', key: 'titleRequired' });
      else if (values.title.length > ADVICE_LIMITS.title)
        problems.push({ field: 'title', key: 'titleTooLong', params: { max: String(ADVICE_LIMITS.title) } });
      else if (/[{}]/.test(values.title)) problems.push({ field: 'title', key: 'titleBraces' });
      let sections: AdviceContent['sections'] = [];
      if (values.body.trim() === '') problems.push({ field: 'body', key: 'bodyRequired' });
      else if (values.body.length > MAX_BODY)
        problems.push({ field: 'body', key: 'bodyTooLong', params: { max: String(MAX_BODY) } });
      else {
        const parsed = parseAdviceText(values.body);
        sections = parsed.sections;
        problems.push(...parsed.problems.map(bodyProblem));
      }
      if (problems.length > 0) return failForm(request, reply, pagePath(request.params), problems, values);
      const version = await services.advice.saveDraft(staff, request.params.category, request.params.lng, {
        title: values.title,
        sections,
      });
      return reply.code(303).redirect(editUrl(request.params, `saved=${version}`));
    },
  );

  app.post<{ Params: Params }>(
    '/staff/advice/:category/:lng/publish',
    { config: editors },
    async (request, reply) => {
      const staff = staffOf(request);
      if (!validPage(request.params)) {
        reply.callNotFound();
        return reply;
      }
      let version: number;
      try {
        version = await services.advice.publish(staff, request.params.category, request.params.lng);
      } catch (error) {
        // No draft, or another editor published or replaced it at the same moment.
        const problem = serviceProblem(error, 'publish');
        if (problem === 'not-found') return sendNotFound(request, reply);
        return failForm(request, reply, pagePath(request.params), [problem]);
      }
      return reply.code(303).redirect(editUrl(request.params, `published=${version}`));
    },
  );
}
