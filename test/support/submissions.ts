import type { ReportSubmission } from '../../src/domain/report/report-submission.ts';

/** A complete individual's report with nothing in it but what a test sets. */
export function makeSubmission(overrides: Partial<ReportSubmission> = {}): ReportSubmission {
  return {
    source: 'api',
    reporterType: 'individual',
    reporter: { name: 'A Person', victimName: null, email: null, phone: null, preferredContact: null },
    organisation: null,
    postcode: 'CA1 1AA',
    force: { id: 'cumbria', candidates: ['cumbria'] },
    category: null,
    narrative: 'I paid for tickets on a website and they never arrived',
    startedAt: null,
    ongoing: false,
    contactMethod: null,
    losses: [],
    suspect: { names: [], emails: [], phones: [], websites: [], socials: [], bankAccounts: [], wallets: [] },
    vulnerability: [],
    consents: { victimSupport: false },
    evidence: [],
    ...overrides,
  };
}

export function suspect(fields: Partial<ReportSubmission['suspect']>): ReportSubmission['suspect'] {
  return {
    names: [],
    emails: [],
    phones: [],
    websites: [],
    socials: [],
    bankAccounts: [],
    wallets: [],
    ...fields,
  };
}
