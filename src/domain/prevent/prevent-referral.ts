/**
 * Prevent referrals (Cyber Choices style): who may refer, what is asked, the intervention workflow and how long a
 * referral's personal details are kept. Pure: services and pages read these lists.
 */

/** Who referred: an officer from the workspace, or a school, parent or carer, or organisation on the public form. */
export const PUBLIC_REFERRER_KINDS = ['school', 'parent', 'organisation'] as const;
export type PublicReferrerKind = (typeof PUBLIC_REFERRER_KINDS)[number];
export const REFERRAL_SOURCES = ['officer', ...PUBLIC_REFERRER_KINDS] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

/** Cyber Choices works with young people of about 10 to 25. */
export const AGE_RANGE = { min: 8, max: 25 } as const;
export const PREVENT_LIMITS = { name: 200, youngPerson: 100, organisation: 200, concern: 2000 } as const;

export const INTERVENTION_TYPES = [
  'cyber-choices-session',
  'mentoring',
  'education-course',
  'positive-activity',
  'warning-letter',
  'other-service',
] as const;
export type InterventionType = (typeof INTERVENTION_TYPES)[number];

export const OUTCOMES = ['engaged', 'declined', 'no-further-action', 'escalated'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The workflow, in order: each step is taken once, from the status before it. */
export const PREVENT_STATUSES = ['new', 'contacted', 'intervention', 'outcome', 'closed'] as const;
export type PreventStatus = (typeof PREVENT_STATUSES)[number];

export type PreventStep =
  | { action: 'contacted' }
  | { action: 'intervention'; type: InterventionType }
  | { action: 'outcome'; outcome: Outcome }
  | { action: 'close' };

const STATUS_AFTER: Record<PreventStep['action'], PreventStatus> = {
  contacted: 'contacted',
  intervention: 'intervention',
  outcome: 'outcome',
  close: 'closed',
};

/** The status a step moves a referral to, or null when the referral is not at the status before it. */
export function statusAfter(current: string, step: PreventStep): PreventStatus | null {
  const next = STATUS_AFTER[step.action];
  const before = PREVENT_STATUSES[PREVENT_STATUSES.indexOf(next) - 1];
  return current === before ? next : null;
}

/** The step a referral at this status takes next (null once closed). */
export function nextAction(status: string): PreventStep['action'] | null {
  const next = PREVENT_STATUSES[PREVENT_STATUSES.indexOf(status as PreventStatus) + 1];
  if (next === undefined || !PREVENT_STATUSES.includes(status as PreventStatus)) return null;
  return (Object.keys(STATUS_AFTER) as PreventStep['action'][]).find((a) => STATUS_AFTER[a] === next) ?? null;
}

/**
 * A closed referral's personal details (names, contact details, age, the concern) are deleted this many days after
 * it closed: long enough to see whether the young person is referred again, no longer. A referral never closed is
 * emptied this long after it last changed. The counts by region and month stay.
 */
export const PREVENT_RETENTION_DAYS = 730;
