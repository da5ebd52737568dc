import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isMedium, MEDIA } from '../../../domain/classification/online-cues.ts';
import { CATEGORIES, isCategory } from '../../../domain/classification/taxonomy.ts';
import type { ReviewSubject } from '../../../services/classification-review.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

const BASE = '/staff/classification-review';
const isSubject = (value: unknown): value is ReviewSubject => value === 'report' || value === 'legacy';
const field = (body: Record<string, unknown>, name: string, max: number) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
const parseId = (raw: string): number | null => (/^\d{1,12}$/.test(raw) ? Number(raw) : null);

/**
 * The classification review queue (issue 17): doubtful classifications of reports and imported force records,
 * least confident first; an analyst or a force supervisor confirms or corrects the category and the online
 * element. Other roles get 404, as if the pages did not exist.
 */
export function classificationReviewRoutes(app: FastifyInstance, services: Services): void {
  const gate = { config: { staff: { allow: 'classification-review' } } } as const;
  app.get<{ Querystring: Record<string, string | undefined> }>(BASE, gate, async (request, reply) => {
    const staff = staffOf(request);
    const subject = isSubject(request.query.subject) ? request.query.subject : null;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(request.query.page ?? '1', 10) || 1));
    const { items, more } = await services.classificationReview.pending(staff, { subject, page });
    return reply.header('cache-control', 'no-store').page('classification-review/views/queue.njk', {
      pageTitle: request.t('classificationReview.title'),
      staff,
      items: items.map((i) => ({ ...i, excerpt: i.text.length > 160 ? `${i.text.slice(0, 157)}…` : i.text })),
      subject,
      page,
      more,
      threshold: services.config.classificationReviewThreshold,
      done:
        request.query.done === 'confirmed' || request.query.done === 'corrected' ? request.query.done : null,
    });
  });

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    subjectRaw: string,
    idRaw: string,
    form: { values?: Record<string, string>; errors?: [string, string][] } = {},
  ) => {
    const staff = staffOf(request);
    const id = parseId(idRaw);
    const item =
      isSubject(subjectRaw) && id !== null
        ? await services.classificationReview.get(staff, subjectRaw, id)
        : undefined;
    if (item === undefined) {
      reply.callNotFound();
      return reply;
    }
    const errors = (form.errors ?? []).map(([name, key]) => ({
      text: request.t(`classificationReview.errors.${key}`),
      href: `#${name}`,
    }));
    return reply
      .code(errors.length > 0 ? 400 : 200)
      .header('cache-control', 'no-store')
      .page('classification-review/views/record.njk', {
        pageTitle: request.t('classificationReview.recordTitle', { label: item.label }),
        staff,
        item: {
          ...item,
          evidence: JSON.parse(item.onlineEvidence) as { id: string; words: string }[],
          reasonList: JSON.parse(item.reasons) as string[],
        },
        categories: Object.keys(CATEGORIES),
        media: MEDIA,
        values: form.values ?? {
          category: item.category,
          online: item.online === 'unknown' ? '' : item.online,
        },
        ...(errors.length > 0
          ? {
              errors,
              fieldErrors: Object.fromEntries(
                (form.errors ?? []).map(([name, key]) => [
                  name,
                  { text: request.t(`classificationReview.errors.${key}`) },
                ]),
              ),
            }
          : {}),
      });
  };

  app.get<{ Params: { subject: string; id: string } }>(`${BASE}/:subject/:id`, gate, async (request, reply) =>
    show(request, reply, request.params.subject, request.params.id),
  );

  app.post<{ Params: { subject: string; id: string }; Body: Record<string, unknown> }>(
    `${BASE}/:subject/:id`,
    gate,
    async (request, reply) => {
      const staff = staffOf(request);
      const values = {
        category: field(request.body, 'category', 64),
        online: field(request.body, 'online', 32),
        reason: field(request.body, 'reason', 2000),
      };
      const errors: [string, string][] = [];
      if (!isCategory(values.category)) errors.push(['category', 'category']);
      if (values.online !== 'none' && !isMedium(values.online)) errors.push(['online', 'online']);
      if (values.reason === '') errors.push(['reason', 'reason']);
      const id = parseId(request.params.id);
      if (errors.length > 0 || !isSubject(request.params.subject) || id === null)
        return show(request, reply, request.params.subject, request.params.id, { values, errors });
      const online = values.online === 'none' ? 'none' : isMedium(values.online) ? values.online : 'none';
      if (!isCategory(values.category)) return reply;
      const result = await services.classificationReview.decide(staff, request.params.subject, id, {
        category: values.category,
        online,
        reason: values.reason,
      });
      if (result.kind === 'not-found') {
        reply.callNotFound();
        return reply;
      }
      return reply.code(303).redirect(`${BASE}?done=${result.kind}`);
    },
  );
}
