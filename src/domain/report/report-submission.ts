import type { Category } from '../classification/taxonomy.ts';
import { WHAT_HAPPENED_CHOICES, reporterType, type EvidenceItem, type ReportDraft } from './report-draft.ts';

/** A complete report as received from the public journey or the partner API, ready to store. */
export interface ReportSubmission {
  source: 'web' | 'api';
  reporterType: 'individual' | 'on-behalf' | 'organisation';
  reporter: {
    name: string;
    victimName: string | null;
    email: string | null;
    phone: string | null;
    preferredContact: string | null;
  };
  organisation: { name: string; sector: string | null; employees: string | null } | null;
  postcode: string | null;
  force: { id: string | null; candidates: string[] };
  /** The category the reporter chose, or null for the classifier to decide from the narrative. */
  category: Category | null;
  narrative: string;
  startedAt: string | null;
  ongoing: boolean;
  contactMethod: string | null;
  losses: { amountPence: number; method: string }[];
  suspect: {
    names: string[];
    emails: string[];
    phones: string[];
    websites: string[];
    socials: string[];
    bankAccounts: string[];
    wallets: string[];
  };
  vulnerability: string[];
  /** contactTime: when Victim Support may call (morning, afternoon, evening, any), if the victim consented. */
  consents: { victimSupport: boolean; contactTime?: string };
  evidence: EvidenceItem[];
}

/** One entry per non-empty line. */
export function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export function isVulnerable(submission: Pick<ReportSubmission, 'vulnerability'>): boolean {
  return submission.vulnerability.some((flag) => flag !== 'none');
}

export function totalLossPence(submission: Pick<ReportSubmission, 'losses'>): number {
  return submission.losses.reduce((sum, loss) => sum + loss.amountPence, 0);
}

function pad(n: string): string {
  return n.padStart(2, '0');
}

/** Turns the journey's answers into a submission. `amountPence` is the parsed money answer. */
export function draftToSubmission(
  draft: ReportDraft,
  amountPence: number | null,
  normalisedPhone: string | null,
): ReportSubmission {
  const type = reporterType(draft);
  const intelligence = draft.intelligence !== undefined;
  const money = draft.money;
  const bank =
    money && money.sortCode !== ''
      ? [`${money.sortCode.replace(/[\s-]/g, '')}-${money.accountNumber.replace(/\s/g, '')}`]
      : [];
  const suspicious = draft.suspicious;
  const narrative = intelligence
    ? [suspicious?.narrative, suspicious?.sender, suspicious?.link]
        .filter((s) => s !== undefined && s !== '')
        .join('\n')
    : (draft.whatHappened?.narrative ?? '');
  const when = draft.when;
  const contact = draft.contactDetails;
  return {
    source: 'web',
    reporterType: type,
    reporter: {
      name: draft.aboutYou?.name ?? '',
      victimName: draft.aboutYou?.victimName || null,
      email: contact?.email ? contact.email.toLowerCase() : null,
      phone: normalisedPhone,
      preferredContact: contact?.preferred || null,
    },
    organisation: draft.organisation
      ? {
          name: draft.organisation.name,
          sector: draft.organisation.sector,
          employees: draft.organisation.employees,
        }
      : null,
    postcode: draft.postcode?.normalised || null,
    force: {
      id:
        draft.force?.force ??
        (draft.postcode?.candidates.length === 1 ? (draft.postcode.candidates[0] ?? null) : null),
      candidates: draft.postcode?.candidates ?? [],
    },
    category: intelligence
      ? 'phishing-attempt'
      : (WHAT_HAPPENED_CHOICES[draft.whatHappened?.choice ?? ''] ?? 'other'),
    narrative,
    startedAt: when ? `${when.year}-${pad(when.month)}-${pad(when.day)}` : null,
    ongoing: when?.ongoing === 'yes' || draft.triage['live-attack'] === 'yes',
    contactMethod: intelligence ? (draft.intelligence ?? null) : (draft.contactMethod?.method ?? null),
    losses: money?.lost === 'yes' && amountPence !== null ? [{ amountPence, method: money.method }] : [],
    suspect: {
      names: lines(draft.suspect?.names),
      emails: lines(draft.suspect?.emails),
      phones: lines(draft.suspect?.phones),
      websites: [...lines(draft.suspect?.websites), ...lines(suspicious?.link)],
      socials: lines(draft.suspect?.socials),
      bankAccounts: bank,
      wallets: lines(money?.wallets),
    },
    vulnerability: draft.vulnerability?.flags ?? [],
    consents: {
      victimSupport: draft.victimSupport?.consent === 'yes',
      ...(draft.victimSupport?.consent === 'yes'
        ? { contactTime: draft.victimSupport.contactTime ?? 'any' }
        : {}),
    },
    evidence: draft.evidence ?? [],
  };
}
