import type { JourneyOffers } from '../../../domain/report/report-draft.ts';
import type { ReportSubmission } from '../../../domain/report/report-submission.ts';
import type { PostcodeAnswer } from '../../../services/postcode-lookup.ts';
import type { ProblemField } from '../../plugins/errors.ts';
import { normalisePhone } from '../report/report-validation.ts';
import type { ReportBody } from './report-schemas.ts';

/** Checks what the schema cannot (real postcode, phone, dates) and maps the partner body to a submission. */
export function apiBodyToSubmission(
  body: ReportBody,
  lookupPostcode: (postcode: string) => PostcodeAnswer,
  today: Date,
  offers: JourneyOffers,
): { ok: true; submission: ReportSubmission } | { ok: false; errors: ProblemField[] } {
  const errors: ProblemField[] = [];
  const { reporter, incident } = body;

  const place = lookupPostcode(reporter.postcode);
  if (place.kind === 'invalid')
    errors.push({ name: 'reporter.postcode', message: 'must be a UK postcode, like CA1 1AA' });
  if (place.kind === 'outside')
    errors.push({
      name: 'reporter.postcode',
      message: `is outside the UK police forces (${place.jurisdiction})`,
    });

  const phone = reporter.phone === undefined ? null : normalisePhone(reporter.phone);
  if (reporter.phone !== undefined && phone === null)
    errors.push({ name: 'reporter.phone', message: 'must be a valid phone number' });
  if (reporter.type === 'organisation' && reporter.organisation === undefined) {
    errors.push({ name: 'reporter.organisation', message: 'is required when reporter.type is organisation' });
  }
  if (incident.started_at !== undefined && incident.started_at > today.toISOString().slice(0, 10)) {
    errors.push({ name: 'incident.started_at', message: 'must be today or in the past' });
  }
  // Refused rather than dropped, so the caller does not tell the person a referral was made.
  if (body.consents.victim_support && !offers.victimSupport)
    errors.push({
      name: 'consents.victim_support',
      message:
        'must be false: this service makes no Victim Support referrals; give the person their number instead',
    });
  if (errors.length > 0 || place.kind !== 'found') return { ok: false, errors };

  const suspect = body.suspect ?? {};
  return {
    ok: true,
    submission: {
      source: 'api',
      reporterType: reporter.type,
      reporter: {
        name: reporter.name,
        victimName: null,
        email: reporter.email?.toLowerCase() ?? null,
        phone,
        preferredContact: null,
      },
      organisation: reporter.organisation
        ? {
            name: reporter.organisation.name,
            sector: reporter.organisation.sector ?? null,
            employees: reporter.organisation.employees?.toString() ?? null,
          }
        : null,
      postcode: place.postcode,
      // A split district cannot be asked about here: routing resolves it.
      force: {
        id: place.forces.length === 1 ? (place.forces[0] ?? null) : null,
        candidates: [...place.forces],
      },
      // No category is asked for: the classifier decides it from the narrative.
      category: null,
      narrative: incident.narrative,
      startedAt: incident.started_at ?? null,
      ongoing: incident.ongoing ?? false,
      contactMethod: incident.contact_method ?? null,
      losses: (incident.losses ?? []).map((l) => ({ amountPence: l.amount_pence, method: l.method })),
      suspect: {
        names: suspect.names ?? [],
        emails: suspect.emails ?? [],
        phones: suspect.phones ?? [],
        websites: suspect.websites ?? [],
        socials: [],
        bankAccounts: suspect.bank_accounts ?? [],
        wallets: suspect.wallets ?? [],
      },
      vulnerability: [],
      consents: {
        victimSupport: body.consents.victim_support,
        ...(body.consents.victim_support
          ? { contactTime: body.consents.victim_support_contact_time ?? 'any' }
          : {}),
      },
      evidence: [],
    },
  };
}
