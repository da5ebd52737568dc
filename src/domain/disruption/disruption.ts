/**
 * Disruption requests (issue 22): a unit asks a named industry partner to take down a website, suspend a phone
 * number, freeze or recall funds, or close an account. Pure rules: the kinds, what each may target, the workflow's
 * moves, the clock by urgency, and what the victim reads of a result. See docs/disruption.md.
 */

export const DISRUPTION_TYPES = [
  'takedown',
  'suspend-number',
  'freeze-funds',
  'recall-funds',
  'close-account',
] as const;
export type DisruptionType = (typeof DISRUPTION_TYPES)[number];

/** What each kind of request may name: a suspect-side value of one of these types. */
export const TARGET_TYPES: Readonly<Record<DisruptionType, readonly string[]>> = {
  takedown: ['url', 'domain', 'ipv4', 'ipv6'],
  'suspend-number': ['phone'],
  'freeze-funds': ['uk-bank-account', 'iban'],
  'recall-funds': ['uk-bank-account', 'iban'],
  // A social media or marketplace account: the handle or profile the suspect answers name, or its address.
  'close-account': ['social', 'email', 'url'],
};

/** Requests that move money carry an amount, the date of the payment and its transaction references. */
export const isMoneyRequest = (type: DisruptionType) => type === 'freeze-funds' || type === 'recall-funds';

export const URGENCIES = ['immediate', 'high', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The clock each urgency gives the partner, from the moment the request is sent, to action or decline it. */
export const SLA_HOURS: Readonly<Record<Urgency, number>> = { immediate: 4, high: 24, routine: 120 };

/** The law or agreement a request rests on (the request names it; `legalBasisDetail` may add a reference). */
export const LEGAL_BASES = ['dpa-2018-schedule-2', 'poca-2002', 'court-order', 'partner-terms'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const DISRUPTION_STATUSES = [
  'draft',
  'awaiting-approval',
  'sent',
  'acknowledged',
  'actioned',
  'declined',
] as const;
export type DisruptionStatus = (typeof DISRUPTION_STATUSES)[number];

export type DisruptionAction = 'submit' | 'approve' | 'return' | 'acknowledge' | 'action' | 'decline';

/** The workflow: each action and the statuses it may start from. */
const MOVES: Readonly<Record<DisruptionAction, { from: readonly DisruptionStatus[]; to: DisruptionStatus }>> =
  {
    submit: { from: ['draft'], to: 'awaiting-approval' },
    approve: { from: ['awaiting-approval'], to: 'sent' },
    return: { from: ['awaiting-approval'], to: 'draft' },
    acknowledge: { from: ['sent'], to: 'acknowledged' },
    action: { from: ['sent', 'acknowledged'], to: 'actioned' },
    decline: { from: ['sent', 'acknowledged'], to: 'declined' },
  };

/** Where an action leads from a status, or null when it may not be taken there. */
export function nextStatus(from: string, action: DisruptionAction): DisruptionStatus | null {
  const move = MOVES[action];
  return (move.from as readonly string[]).includes(from) ? move.to : null;
}

/** Sent and not yet answered: the partner's clock is running. */
export const isOpenWithPartner = (status: string) => status === 'sent' || status === 'acknowledged';

export function isDisruptionType(value: unknown): value is DisruptionType {
  return typeof value === 'string' && (DISRUPTION_TYPES as readonly string[]).includes(value);
}
export function isUrgency(value: unknown): value is Urgency {
  return typeof value === 'string' && (URGENCIES as readonly string[]).includes(value);
}
export function isLegalBasis(value: unknown): value is LegalBasis {
  return typeof value === 'string' && (LEGAL_BASES as readonly string[]).includes(value);
}

/** When the partner's clock runs out for a request sent at `sentAt`. */
export function dueAt(sentAt: Date, urgency: Urgency): Date {
  return new Date(sentAt.getTime() + SLA_HOURS[urgency] * 3_600_000);
}

/** Values that may be someone's own (phone, email, account): only ever taken from what names the offender. */
const PERSONAL_TYPES: ReadonlySet<string> = new Set(['phone', 'email', 'uk-bank-account', 'iban', 'social']);
/** Where in a report a value names the offender: the suspect answers, an evidence email's sender headers. */
const SUSPECT_SIDE: ReadonlySet<string> = new Set(['suspect', 'sender']);

/**
 * Whether a value a report names, from these places (`report_indicators.source`), may be sent to a partner as a
 * request's target: personal types only from the suspect side; technical ones (websites, addresses) from anywhere
 * but the victim's own forwarded headers.
 */
export function isSuspectSideTarget(type: string, sources: readonly string[]): boolean {
  if (PERSONAL_TYPES.has(type)) return sources.some((s) => SUSPECT_SIDE.has(s));
  return sources.some((s) => s !== 'forwarder');
}

/** Lower case, only letters and digits: "07700 900-123" and "07700900123" compare equal. */
const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Whether free text sent to a partner mentions any of the victims' own details (name, email, phone, postcode):
 * compared squashed, so spacing, case and punctuation do not hide them. Values too short to tell apart (under 4
 * letters or digits) are not compared.
 */
export function mentionsPersonalData(text: string, personal: readonly string[]): boolean {
  const haystack = squash(text);
  if (haystack === '') return false;
  return personal.some((value) => {
    const needle = squash(value);
    return needle.length >= 4 && haystack.includes(needle);
  });
}

/**
 * What the victim reads of an actioned request, in plain words (keys under `report.updates.disruption`): the
 * account frozen, money recovered, the website taken down, the number suspended, the account closed. Nothing for a
 * decline: the victim is not told of what did not happen, nor who was asked.
 */
export function victimNews(
  type: DisruptionType,
  outcome: { frozenPence: number; recoveredPence: number },
): string[] {
  if (isMoneyRequest(type)) {
    const news: string[] = [];
    if (type === 'freeze-funds' || outcome.frozenPence > 0) news.push('disruption.frozen');
    if (outcome.recoveredPence > 0) news.push('disruption.recovered');
    return news;
  }
  if (type === 'takedown') return ['disruption.takenDown'];
  if (type === 'suspend-number') return ['disruption.suspended'];
  return ['disruption.closed'];
}

/** The median of some durations (milliseconds), or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
