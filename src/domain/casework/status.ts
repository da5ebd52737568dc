/** Report statuses and the moves a unit may make between them. */
export const STATUSES = [
  'received',
  'assessed',
  'allocated',
  'investigating',
  'transferred',
  'closed',
  'no-crime',
  'duplicate',
  'intelligence',
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses staff may set from the workspace (transfer has its own action). */
export const SETTABLE: readonly Status[] = [
  'assessed',
  'allocated',
  'investigating',
  'closed',
  'no-crime',
  'duplicate',
];

/** Home Office outcomes recorded when a report is closed. */
export const OUTCOMES = [
  'charge-summons',
  'caution',
  'community-resolution',
  'evidential-difficulties',
  'victim-does-not-support',
  'suspect-not-identified',
  'transferred-to-other-agency',
  'advice-given',
] as const;

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** True when first contact with the victim, due within `days` of the report, has not happened yet. */
export function isOverdue(status: string, receivedAt: string, now: Date, days: number): boolean {
  if (status !== 'received') return false;
  return now.getTime() - Date.parse(receivedAt) > days * 86_400_000;
}

/** Reports new to the unit, not yet assessed: received, or transferred in from another unit. */
export const NEW_STATUSES: readonly Status[] = ['received', 'transferred'];

/** Reports a unit no longer works: closed, no crime, a duplicate, or intelligence only. */
export const FINISHED_STATUSES: readonly Status[] = ['closed', 'no-crime', 'duplicate', 'intelligence'];

/** Report update kinds: a unit's message the victim reads, and what the victim adds to their report later. */
export const MESSAGE_TO_VICTIM = 'message';
export const VICTIM_UPDATE = {
  information: 'victim.information',
  evidence: 'victim.evidence',
  contact: 'victim.contact',
} as const;
/** Any of these after a unit's message means the victim has answered (the unit's "awaiting the victim" count). */
export const VICTIM_UPDATE_KINDS: readonly string[] = Object.values(VICTIM_UPDATE);

/** The instant before which a report still awaiting first contact is overdue (the same rule as isOverdue). */
export function overdueBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
