import type { FastifyRequest } from 'fastify';
import type { JourneyOffers, ReportDraft } from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import { PUBLIC_JOURNEY, type Journey } from './journey.ts';

/** What the journey offers in this deployment (VICTIM_SUPPORT_URL=off: no referral question). */
export function journeyOffers(services: Services): JourneyOffers {
  return { victimSupport: services.referrals.offered };
}

export function getDraft(request: FastifyRequest, journey: Journey = PUBLIC_JOURNEY): ReportDraft {
  return (
    (request.session.get(journey.draftKey) as ReportDraft | undefined) ?? { triage: {}, acknowledged: [] }
  );
}

export async function saveDraft(
  request: FastifyRequest,
  draft: ReportDraft,
  journey: Journey = PUBLIC_JOURNEY,
): Promise<void> {
  request.session.set(journey.draftKey, draft);
  await request.session.save();
}

export async function clearDraft(request: FastifyRequest, journey: Journey = PUBLIC_JOURNEY): Promise<void> {
  request.session.set(journey.draftKey, undefined);
  await request.session.save();
}

/** Field errors as GOV.UK error summary items plus a per-field lookup for the inputs. */
export function errorView(request: FastifyRequest, errors: { field: string; key: string }[]) {
  const items = errors.map((e) => ({ text: request.t(`report.errors.${e.key}`), href: `#${e.field}` }));
  const byField = Object.fromEntries(
    errors.map((e) => [e.field, { text: request.t(`report.errors.${e.key}`) }]),
  );
  return { errors: items, fieldErrors: byField };
}
