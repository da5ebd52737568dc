import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MaskLabels } from '../../../domain/privacy/mask-identifiers.ts';
import { isMedium, MEDIA } from '../../../domain/classification/online-cues.ts';
import { CATEGORIES, isCategory } from '../../../domain/classification/taxonomy.ts';
import type { ReviewSubject } from '../../../services/classification-review.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

const BASE = '/staff/classification-review';
const isSubject = (value: unknown): value is ReviewSubject => value === 'report' || value === 'legacy';
const field = (body: Record<string, unknown>, name: string, max: number) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
const recordPath = (subject: ReviewSubject, id: number) => `${BASE}/${subject}/${String(id)}`;
const parseId = (raw: string): number | null => (/^\d{1,12}$/.test(raw) ? Number(raw) : null);
/** How masked identifiers read on this page, in its language. */
const masksFor = (request: FastifyRequest): MaskLabels => ({
  email: request.t('classificationReview.masks.email'),
  ipAddress: request.t('classificationReview.masks.ipAddress'),
  number: request.t('classificationReview.masks.number'),
  postcode: request.t('classificationReview.masks.postcode'),
});

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
    const { items, more } = await services.classificationReview.pending(
      staff,
      { subject, page },
      masksFor(request),
    );
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

  app.get<{ Params: { subject: string; id: string } }>(
    `${BASE}/:subject/:id`,
    gate,
    async (request, reply) => {
      const staff = staffOf(request);
      const { subject } = request.params;
      const id = parseId(request.params.id);
      const item =
        isSubject(subject) && id !== null
          ? await services.classificationReview.get(staff, subject, id, masksFor(request))
          : undefined;
      if (item === undefined) {
        reply.callNotFound();
        return reply;
      }
      const form = await formMessages(
        request,
        recordPath(item.subject, item.id),
        'classificationReview.errors',
      );
      return reply.header('cache-control', 'no-store').page('classification-review/views/record.njk', {
        pageTitle: request.t('classificationReview.recordTitle', { label: item.label }),
        staff,
        item: {
          ...item,
          evidence: JSON.parse(item.onlineEvidence) as { id: string; words: string }[],
          reasonList: JSON.parse(item.reasons) as string[],
        },
        categories: Object.keys(CATEGORIES),
        media: MEDIA,
        ...form,
        values:
          form.errors === undefined
            ? { category: item.category, online: item.online === 'unknown' ? '' : item.online }
            : form.values,
      });
    },
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
      const { subject } = request.params;
      const id = parseId(request.params.id);
      if (!isSubject(subject) || id === null) {
        reply.callNotFound();
        return reply;
      }
      const { category, online, reason } = values;
      const problems: FormProblem[] = [];
      if (!isCategory(category)) problems.push({ field: 'category', key: 'category' });
      if (online !== 'none' && !isMedium(online)) problems.push({ field: 'online', key: 'online' });
      if (reason === '') problems.push({ field: 'reason', key: 'reason' });
      if (problems.length > 0 || !isCategory(category) || (online !== 'none' && !isMedium(online)))
        return failForm(request, reply, recordPath(subject, id), problems, values);
      try {
        const result = await services.classificationReview.decide(staff, subject, id, {
          category,
          online,
          reason,
        });
        return await reply.code(303).redirect(`${BASE}?done=${result.kind}`);
      } catch (error) {
        // Out of this reviewer's scope: answered as if it did not exist.
        const problem = serviceProblem(error, 'category');
        if (problem !== 'not-found')
          return failForm(request, reply, recordPath(subject, id), [problem], values);
        reply.callNotFound();
        return reply;
      }
    },
  );
}
