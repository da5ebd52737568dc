/**
 * Specialist suppliers (issue 22, MSP): the framework's capabilities and vetting levels, a tasking's workflow, the
 * financial year a date falls in, a unit's budget left, and the figures' pure sums. No I/O.
 */

export const CAPABILITIES = [
  'device-forensics',
  'cloud-extraction',
  'mobile-extraction',
  'malware-analysis',
  'incident-response',
  'crypto-tracing',
  'osint',
  'expert-witness',
] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const isCapability = (value: unknown): value is Capability =>
  typeof value === 'string' && (CAPABILITIES as readonly string[]).includes(value);

/** Non-police personnel vetting levels, then national security vetting. */
export const VETTING_LEVELS = ['nppv1', 'nppv2', 'nppv3', 'sc', 'dv'] as const;
export type VettingLevel = (typeof VETTING_LEVELS)[number];
export const isVettingLevel = (value: unknown): value is VettingLevel =>
  typeof value === 'string' && (VETTING_LEVELS as readonly string[]).includes(value);

export const TASKING_STATUSES = [
  'awaiting-approval',
  'returned',
  'approved',
  'accepted',
  'delivered',
  'closed',
  'declined',
  'cancelled',
] as const;
export type TaskingStatus = (typeof TASKING_STATUSES)[number];
/** The statuses its supplier sees a tasking in: once approved (and its exhibits released), never before. */
export const SUPPLIER_STATUSES = [
  'approved',
  'accepted',
  'delivered',
  'closed',
  'declined',
  'cancelled',
] as const;
/** Ended early: declined by the supplier or cancelled by the raiser; nothing is spent, released files are closed. */
export const isEndedEarly = (status: string) => status === 'declined' || status === 'cancelled';
/**
 * Whether the supplier may see a tasking in this state: once approved (its exhibits released), and still after it
 * ended; a tasking cancelled before approval was never the supplier's.
 */
export const isSupplierStatus = (status: string, approvedAt: string | null = null) =>
  (SUPPLIER_STATUSES as readonly string[]).includes(status) && (!isEndedEarly(status) || approvedAt !== null);
/** While the supplier holds the released exhibits: approved and not yet delivered (what a cancellation ends). */
export const holdsRelease = (status: string) => status === 'approved' || status === 'accepted';

export type TaskingAction =
  | 'approve'
  | 'return'
  | 'resubmit'
  | 'accept'
  | 'deliver'
  | 'log-time'
  | 'complete'
  | 'close'
  | 'decline'
  | 'cancel';
const MOVES: Record<TaskingAction, { from: readonly TaskingStatus[]; to: TaskingStatus }> = {
  approve: { from: ['awaiting-approval'], to: 'approved' },
  // The approver may send it back to its raiser to change, before anything is released; the raiser sends it again.
  return: { from: ['awaiting-approval'], to: 'returned' },
  resubmit: { from: ['returned'], to: 'awaiting-approval' },
  accept: { from: ['approved'], to: 'accepted' },
  // The supplier may turn it down before accepting it; the raiser may call it off until it is delivered.
  decline: { from: ['approved'], to: 'declined' },
  cancel: { from: ['awaiting-approval', 'returned', 'approved', 'accepted'], to: 'cancelled' },
  // Files may be returned, and time and cost logged, until the supplier says it has finished.
  deliver: { from: ['accepted'], to: 'accepted' },
  'log-time': { from: ['accepted'], to: 'accepted' },
  complete: { from: ['accepted'], to: 'delivered' },
  close: { from: ['delivered'], to: 'closed' },
};
/** Where a tasking goes from `status` by `action`, or null when that step does not start there. */
export function nextTaskingStatus(status: string, action: TaskingAction): TaskingStatus | null {
  const move = MOVES[action];
  return (move.from as readonly string[]).includes(status) ? move.to : null;
}
export const startsFrom = (action: TaskingAction): readonly string[] => MOVES[action].from;

/** The UK public sector's financial year (April to March) a date falls in: "2026-27". */
export function financialYearOf(date: Date): string {
  const year = date.getUTCFullYear();
  const start = date.getUTCMonth() >= 3 ? year : year - 1;
  return `${String(start)}-${String((start + 1) % 100).padStart(2, '0')}`;
}
export const isFinancialYear = (value: string) => {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  return match !== null && (Number(match[1]) + 1) % 100 === Number(match[2]);
};

/**
 * What a tasking takes from its unit's budget: its cap until the supplier says what it cost, then that cost (a
 * tasking still awaiting approval, or returned to its raiser, takes nothing yet, but is checked against what is
 * left when raised, sent again and approved).
 */
export function committedPence(tasking: {
  status: string;
  budgetCapPence: number;
  costPence: number | null;
}) {
  if (tasking.status === 'awaiting-approval' || tasking.status === 'returned' || isEndedEarly(tasking.status))
    return 0;
  return tasking.costPence ?? tasking.budgetCapPence;
}

/** Whether it came back by its deadline (a date: the whole day counts). Null while it has not come back. */
export function deliveredOnTime(tasking: { deadline: string; deliveredAt: string | null }): boolean | null {
  if (tasking.deliveredAt === null) return null;
  return tasking.deliveredAt.slice(0, 10) <= tasking.deadline;
}

/** A date typed as YYYY-MM-DD that exists. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The reference the supplier's deliverables are numbered under, as exhibits: `MSP12/1`, `MSP12/2`… */
export const deliverableRef = (taskingId: number, n: number) => `MSP${String(taskingId)}/${String(n)}`;

/** The share of its cap a tasking's logged cost may reach before both sides are warned. */
export const CAP_WARNING_SHARE = 0.8;
/**
 * How a tasking's logged cost stands against its cap: `reached` (nothing more may be logged at a cost), `near`
 * (at least CAP_WARNING_SHARE of it), or null.
 */
export function capUse(loggedPence: number, capPence: number): 'reached' | 'near' | null {
  if (loggedPence >= capPence) return 'reached';
  return loggedPence >= capPence * CAP_WARNING_SHARE ? 'near' : null;
}

/** A time entry's length: whole quarter hours, from a quarter to 24 hours, in minutes. */
export const isWorkMinutes = (minutes: number) =>
  Number.isInteger(minutes) && minutes % 15 === 0 && minutes >= 15 && minutes <= 24 * 60;

/** Hours as typed ("3", "3.5", "0.25") as minutes; null when not a time entry's length. */
export function minutesOfHours(raw: string): number | null {
  const cleaned = raw.trim();
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(cleaned)) return null;
  const minutes = Math.round(Number(cleaned) * 6000) / 100;
  return isWorkMinutes(minutes) ? minutes : null;
}
