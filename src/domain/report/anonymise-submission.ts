import type { ReportSubmission } from './report-submission.ts';

/**
 * A stored submission with everything personal removed (who reported, how to reach them, what they said, the
 * suspect's details, support needs, evidence), keeping what the figures and routing read: source, reporter type,
 * category, force, when, how first contacted, losses and the organisation's sector and size.
 */
export function anonymiseSubmission(stored: Partial<ReportSubmission>): ReportSubmission {
  return {
    source: stored.source ?? 'web',
    reporterType: stored.reporterType ?? 'individual',
    reporter: { name: '', victimName: null, email: null, phone: null, preferredContact: null },
    organisation:
      stored.organisation == null
        ? null
        : { name: '', sector: stored.organisation.sector, employees: stored.organisation.employees },
    postcode: null,
    force: stored.force ?? { id: null, candidates: [] },
    category: stored.category ?? null,
    narrative: '',
    startedAt: stored.startedAt ?? null,
    ongoing: stored.ongoing ?? false,
    contactMethod: stored.contactMethod ?? null,
    losses: (stored.losses ?? []).map((loss) => ({ amountPence: loss.amountPence, method: loss.method })),
    suspect: { names: [], emails: [], phones: [], websites: [], socials: [], bankAccounts: [], wallets: [] },
    vulnerability: [],
    consents: { victimSupport: stored.consents?.victimSupport ?? false },
    evidence: [],
  };
}
