import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Category } from '../../../domain/classification/taxonomy.ts';
import type { AdviceContent } from '../../../services/advice.ts';
import type { Services } from '../../../services/index.ts';
import { fillPlaceholders, placeholderValues } from './advice-text.ts';

/** The hub's groups: what happens to people, then what happens to businesses, charities and other organisations. */
export const ADVICE_GROUPS: Record<'individuals' | 'organisations', readonly Category[]> = {
  individuals: [
    'online-shopping-fraud',
    'romance-fraud',
    'investment-fraud',
    'impersonation-fraud',
    'advance-fee-fraud',
    'card-account-fraud',
    'tech-support-fraud',
    'phishing-attempt',
    'hacking-social-email',
    'hacking-personal',
    'malware',
    'sextortion',
    'online-harassment',
    'child-sexual-abuse',
    'other',
  ],
  organisations: [
    'hacking-extortion',
    'business-email-compromise',
    'hacking-server',
    'denial-of-service',
    'hacking-pbx',
  ],
};

/** Advice content with its placeholders filled in and split into plain and linked runs, ready for the template. */
export function renderableAdvice(
  services: Services,
  request: FastifyRequest,
  content: AdviceContent,
  lng: string = request.lng,
) {
  const values = placeholderValues(services.reference, request.t, lng);
  return content.sections.map((section) => ({
    heading: section.heading,
    paragraphs: section.paragraphs.map((text) => fillPlaceholders(text, values)),
    bullets: section.bullets.map((text) => fillPlaceholders(text, values)),
  }));
}

/** Public Protect advice: the hub, and one page per report category from the latest published version. */
export function adviceRoutes(app: FastifyInstance, services: Services): void {
  app.get('/advice', async (request, reply) =>
    reply.page('advice/views/hub.njk', {
      pageTitle: request.t('adviceHub.title'),
      groups: Object.entries(ADVICE_GROUPS).map(([name, categories]) => ({ name, categories })),
    }),
  );

  app.get<{ Params: { category: string } }>('/advice/:category', async (request, reply) => {
    const page = await services.advice.published(request.params.category, request.lng);
    if (page === null) {
      reply.callNotFound();
      return reply;
    }
    return reply.page('advice/views/category.njk', {
      pageTitle: page.title,
      page,
      sections: renderableAdvice(services, request, page),
      forOrganisations: ADVICE_GROUPS.organisations.includes(page.category),
    });
  });
}
