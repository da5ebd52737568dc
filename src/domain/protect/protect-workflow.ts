/**
 * The Protect queue's workflow and the words engagements are counted by (issue 24). Pure: the service applies it.
 */
export const PROTECT_STATUSES = ['new', 'contacted', 'scheduled', 'delivered', 'declined'] as const;
export type ProtectStatus = (typeof PROTECT_STATUSES)[number];

/** new → contacted → scheduled → delivered; a request may be declined until it is delivered. */
const NEXT: Readonly<Record<ProtectStatus, readonly ProtectStatus[]>> = {
  new: ['contacted', 'declined'],
  contacted: ['scheduled', 'declined'],
  scheduled: ['delivered', 'declined'],
  delivered: [],
  declined: [],
};

export function isProtectStatus(value: unknown): value is ProtectStatus {
  return typeof value === 'string' && (PROTECT_STATUSES as readonly string[]).includes(value);
}

export function canMoveTo(from: string, to: string): boolean {
  return isProtectStatus(from) && isProtectStatus(to) && NEXT[from].includes(to);
}

/** The statuses a request may move to next (the form offers only these). */
export function nextStatuses(from: string): readonly ProtectStatus[] {
  return isProtectStatus(from) ? NEXT[from] : [];
}

export const ENGAGEMENT_TYPES = ['presentation', 'exercise', 'review', 'advice-clinic'] as const;
export const ENGAGEMENT_AUDIENCES = [
  'business',
  'charity',
  'school',
  'community-safety',
  'criminal-justice',
] as const;
export const ENGAGEMENT_SECTORS = [
  'education',
  'health',
  'charity',
  'finance',
  'retail',
  'manufacturing',
  'technology',
  'hospitality',
  'public-sector',
  'other',
] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];
export type EngagementAudience = (typeof ENGAGEMENT_AUDIENCES)[number];
export type EngagementSector = (typeof ENGAGEMENT_SECTORS)[number];

export const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** The follow-up questionnaire's answers. */
export const WILL_CHANGE = ['yes', 'no', 'unsure'] as const;
export type WillChange = (typeof WILL_CHANGE)[number];
