import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProgressAnswer } from '../../../services/report-progress.ts';
import { parseCrimeReference } from '../../../domain/reference/crime-reference.ts';
import type { Services } from '../../../services/index.ts';
import { LIVE_REFERRAL_STATUSES } from '../../../services/referrals.ts';
import { errorView } from './report-session.ts';

const MAX_INPUT = 320;
const PROGRESS_KEY = 'progressReference';

/** Check progress: reference plus the email or postcode given. Every wrong pair gets the same message. */
export function progressRoutes(app: FastifyInstance, services: Services): void {
  async function result(
    request: FastifyRequest,
    reply: FastifyReply,
    answer: Extract<ProgressAnswer, { kind: 'found' }>,
    withdrawn = false,
  ) {
    const force = answer.forceId === null ? undefined : services.reference.force(answer.forceId);
    const unit = answer.unitId === null ? undefined : services.reference.unit(answer.unitId);
    const unitName = unit === undefined ? '' : request.lng === 'cy' ? unit.nameCy : unit.name;
    const routedTo =
      answer.routingRule === ''
        ? null
        : request.t(`routing.victim.${answer.routingRule}`, { unit: unitName, defaultValue: '' });
    const reportId = await services.intelligence.reportIdOf(answer.reference);
    const referral = reportId === null ? undefined : await services.referrals.forReport(reportId);
    return reply.header('cache-control', 'no-store').page('report/views/progress-result.njk', {
      pageTitle: request.t('report.progress.resultTitle'),
      report: answer,
      force,
      routedTo,
      referral: referral === undefined ? null : { status: referral.status },
      canWithdraw: referral !== undefined && LIVE_REFERRAL_STATUSES.includes(referral.status),
      withdrawn,
      // Industry partners' takedowns of what the victim reported, in plain words and without naming the partner.
      takedowns: reportId === null ? [] : await services.intelligence.takedownsOf(reportId),
    });
  }

  app.get('/report/progress', async (request, reply) =>
    reply.page('report/views/progress.njk', { pageTitle: request.t('report.progress.title'), values: {} }),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/report/progress',
    { config: { clientLimit: 'progress-check' } },
    async (request, reply) => {
      const reference =
        typeof request.body.reference === 'string' ? request.body.reference.trim().slice(0, MAX_INPUT) : '';
      const secret =
        typeof request.body.secret === 'string' ? request.body.secret.trim().slice(0, MAX_INPUT) : '';
      const values = { reference, secret };
      const fail = (status: number, errors: { field: string; key: string }[]) =>
        reply.code(status).page('report/views/progress.njk', {
          pageTitle: request.t('report.progress.title'),
          values,
          ...errorView(request, errors),
        });

      const errors: { field: string; key: string }[] = [];
      if (reference === '') errors.push({ field: 'reference', key: 'progress.referenceRequired' });
      // The check symbol catches typing mistakes without revealing whether any report exists.
      else if (parseCrimeReference(reference) === null)
        errors.push({ field: 'reference', key: 'progress.referenceInvalid' });
      if (secret === '') errors.push({ field: 'secret', key: 'progress.secretRequired' });
      if (errors.length > 0) return fail(400, errors);

      const answer = await services.progress.check(reference, secret, request.ip);
      if (answer.kind === 'throttled') return reply.tooManyAttempts(answer.retryAt);
      if (answer.kind === 'no-match') return fail(400, [{ field: 'reference', key: 'progress.noMatch' }]);
      // Proven for this session only: lets the victim act on the report (withdraw consent) without retyping.
      request.session.set(PROGRESS_KEY, answer.reference);
      await request.session.save();
      return result(request, reply, answer);
    },
  );

  app.post('/report/progress/withdraw-referral', async (request, reply) => {
    const reference = request.session.get(PROGRESS_KEY);
    if (typeof reference !== 'string') return reply.code(303).redirect('/report/progress');
    const reportId = await services.intelligence.reportIdOf(reference);
    if (reportId !== null) await services.referrals.withdraw(reportId);
    const answer = await services.progress.again(reference);
    if (answer.kind !== 'found') return reply.code(303).redirect('/report/progress');
    return result(request, reply, answer, true);
  });
}
