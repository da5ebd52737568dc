import type { Category } from '../classification/taxonomy.ts';
import type { ExitPage, TriageAnswers } from '../triage/triage.ts';

/** What the public journey has collected so far (kept in the server-side session). */
export interface ReportDraft {
  triage: TriageAnswers;
  acknowledged: ExitPage[];
  /** Set when someone chose to record a suspicious message or website as intelligence. */
  intelligence?: 'email' | 'text' | 'website';
  organisation?: { name: string; sector: string; employees: string };
  aboutYou?: { name: string; victimName: string };
  whatHappened?: { choice: string; narrative: string };
  when?: { day: string; month: string; year: string; ongoing: string };
  contactMethod?: { method: string };
  money?: {
    lost: string;
    amount: string;
    method: string;
    sortCode: string;
    accountNumber: string;
    wallets: string;
  };
  suspect?: { names: string; emails: string; phones: string; websites: string; socials: string };
  suspicious?: { sender: string; link: string; narrative: string };
  evidence?: EvidenceItem[];
  vulnerability?: { flags: string[] };
  contactDetails?: { email: string; phone: string; preferred: string };
  postcode?: { postcode: string; normalised: string; candidates: string[] };
  force?: { force: string };
  victimSupport?: { consent: string; contactTime?: string };
}

export interface EvidenceItem {
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** Plain-language answers to "what happened?", each mapped to a report category. */
export const WHAT_HAPPENED_CHOICES: Readonly<Record<string, Category>> = {
  'bought-something': 'online-shopping-fraud',
  'card-or-bank-used': 'card-account-fraud',
  impersonation: 'impersonation-fraud',
  investment: 'investment-fraud',
  relationship: 'romance-fraud',
  'fee-to-unlock': 'advance-fee-fraud',
  'tech-support': 'tech-support-fraud',
  'invoice-or-bank-details-changed': 'business-email-compromise',
  'email-or-social-hacked': 'hacking-social-email',
  'device-or-account-hacked': 'hacking-personal',
  'systems-hacked': 'hacking-server',
  'phone-system-hijacked': 'hacking-pbx',
  ransomware: 'hacking-extortion',
  virus: 'malware',
  'website-flooded': 'denial-of-service',
  'intimate-images-threat': 'sextortion',
  harassment: 'online-harassment',
  'something-else': 'other',
};

export const CONTACT_METHODS = [
  'email',
  'text',
  'phone-call',
  'social-media',
  'website',
  'dating-site',
  'marketplace',
  'messaging-app',
  'no-contact',
  'other',
] as const;
export const PAYMENT_METHODS = [
  'bank-transfer',
  'card',
  'cryptocurrency',
  'gift-cards',
  'cash',
  'payment-app',
  'other',
] as const;
export const SECTORS = [
  'retail',
  'finance',
  'health',
  'education',
  'charity',
  'public-sector',
  'manufacturing',
  'telecoms',
  'energy',
  'transport',
  'water',
  'technology',
  'legal-professional',
  'hospitality',
  'other',
] as const;
export const EMPLOYEE_BANDS = ['1-9', '10-49', '50-249', '250-999', '1000+'] as const;
export const VULNERABILITY_FLAGS = [
  'over-70',
  'disability',
  'repeat-victim',
  'mental-health',
  'none',
] as const;
export const PREFERRED_CONTACT = ['email', 'phone', 'either'] as const;
/** When Victim Support may call someone who asked for their help. */
export const CONTACT_TIMES = ['morning', 'afternoon', 'evening', 'any'] as const;

export type ReportPage =
  | 'organisation'
  | 'about-you'
  | 'what-happened'
  | 'suspicious'
  | 'when'
  | 'contact-method'
  | 'money'
  | 'suspect'
  | 'evidence'
  | 'vulnerability'
  | 'contact-details'
  | 'postcode'
  | 'force'
  | 'victim-support'
  | 'check-answers';

export function reporterType(draft: ReportDraft): 'individual' | 'on-behalf' | 'organisation' {
  const who = draft.triage['reporting-for'];
  return who === 'organisation' ? 'organisation' : who === 'someone-else' ? 'on-behalf' : 'individual';
}

/** What this service can offer in the journey: no Victim Support question when referrals are switched off. */
export interface JourneyOffers {
  victimSupport: boolean;
}

/** The question pages for this draft, in order. Answers decide which apply (organisations, intelligence only, split postcodes). */
export function reportPages(draft: ReportDraft, offers: JourneyOffers): ReportPage[] {
  const organisation = reporterType(draft) === 'organisation';
  if (draft.intelligence !== undefined) {
    return ['suspicious', 'evidence', 'contact-details', 'postcode', 'check-answers'];
  }
  const pages: ReportPage[] = [];
  if (organisation) pages.push('organisation');
  pages.push('about-you', 'what-happened', 'when', 'contact-method', 'money', 'suspect', 'evidence');
  if (!organisation) pages.push('vulnerability');
  pages.push('contact-details', 'postcode');
  if ((draft.postcode?.candidates.length ?? 0) > 1) pages.push('force');
  if (offers.victimSupport) pages.push('victim-support');
  pages.push('check-answers');
  return pages;
}

/** The first page still unanswered, so a person who jumps ahead is brought back. */
export function firstUnansweredPage(draft: ReportDraft, offers: JourneyOffers): ReportPage {
  const answered: Partial<Record<ReportPage, unknown>> = {
    organisation: draft.organisation,
    'about-you': draft.aboutYou,
    'what-happened': draft.whatHappened,
    suspicious: draft.suspicious,
    when: draft.when,
    'contact-method': draft.contactMethod,
    money: draft.money,
    suspect: draft.suspect,
    evidence: draft.evidence,
    vulnerability: draft.vulnerability,
    'contact-details': draft.contactDetails,
    postcode: draft.postcode,
    force: draft.force,
    'victim-support': draft.victimSupport,
  };
  return (
    reportPages(draft, offers).find((page) => page !== 'check-answers' && answered[page] === undefined) ??
    'check-answers'
  );
}
