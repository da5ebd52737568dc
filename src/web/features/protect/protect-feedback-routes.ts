import type { FastifyInstance, FastifyReply } from 'fastify';
import { WILL_CHANGE } from '../../../domain/protect/protect-workflow.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';

/**
 * The follow-up questionnaire an organisation is emailed after an engagement: its link's token is 256 random bits,
 * kept only as a SHA-256, and works once. Registered where the session is loaded (failForm).
 */
export function protectFeedbackRoutes(app: FastifyInstance, services: Services): void {
  const gone = (reply: FastifyReply) =>
    reply
      .code(404)
      .header('cache-control', 'no-store')
      .page('protect/views/feedback-gone.njk', {
        pageTitle: reply.request.t('protect.feedback.goneTitle'),
      });

  app.get<{ Params: { token: string } }>('/protect/feedback/:token', async (request, reply) => {
    const questionnaire = await services.protectEngagements.questionnaire(request.params.token);
    if (questionnaire === null) return gone(reply);
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .page('protect/views/feedback.njk', {
        pageTitle: request.t('protect.feedback.title'),
        questionnaire,
        token: request.params.token,
        willChange: WILL_CHANGE,
        ...(await formMessages(request, `/protect/feedback/${request.params.token}`, 'protect.errors')),
      });
  });

  app.post<{ Params: { token: string }; Body: Record<string, unknown> }>(
    '/protect/feedback/:token',
    { config: { clientLimit: 'emailed-link' } },
    async (request, reply) => {
      const field = (name: string, max: number) =>
        typeof request.body[name] === 'string' ? request.body[name].slice(0, max + 1) : '';
      const values = {
        usefulness: field('usefulness', 1),
        willChange: field('willChange', 10),
        comments: field('comments', 2001),
      };
      try {
        await services.protectEngagements.answer(request.params.token, {
          usefulness: /^[1-5]$/.test(values.usefulness) ? Number(values.usefulness) : 0,
          willChange: values.willChange,
          comments: values.comments,
        });
      } catch (error) {
        const problem = serviceProblem(error, 'usefulness', {
          usefulness: 'usefulness',
          willChange: 'willChange',
          comments: 'comments',
        });
        if (problem === 'not-found') return gone(reply);
        return failForm(request, reply, `/protect/feedback/${request.params.token}`, [problem], values);
      }
      return reply.code(303).redirect('/protect/feedback-sent');
    },
  );

  app.get('/protect/feedback-sent', async (request, reply) =>
    reply.page('protect/views/feedback-sent.njk', { pageTitle: request.t('protect.feedback.sentTitle') }),
  );
}
