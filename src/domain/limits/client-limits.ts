import ipaddr from 'ipaddr.js';

/** How many times one client may do something in a fixed window. */
export interface ClientLimit {
  windowMinutes: number;
  perClient: number;
}

/**
 * Every public POST, per client (see docs/security.md). Counted in the database so the limits hold across app
 * instances. Windows must stay within LONGEST_WINDOW_MINUTES: finished windows are purged after that.
 */
export const CLIENT_LIMITS = {
  /** Question pages of the report journey, the ICO deadline calculator: generous, people correct mistakes. */
  answer: { windowMinutes: 15, perClient: 300 },
  /** A report or a suspicious message (both end at /report/submit). */
  'report-submit': { windowMinutes: 60, perClient: 10 },
  'evidence-upload': { windowMinutes: 15, perClient: 30 },
  'protect-request': { windowMinutes: 60, perClient: 5 },
  'ask-question': { windowMinutes: 15, perClient: 5 },
  /** A Prevent referral from a school, parent or carer, or organisation (each lands in a Prevent officer's queue). */
  'prevent-referral': { windowMinutes: 60, perClient: 5 },
  'progress-check': { windowMinutes: 15, perClient: 20 },
  /** One client's attempts at one reference (the per-client limit above covers all references). */
  'progress-check-reference': { windowMinutes: 15, perClient: 5 },
  /** A victim adding information or correcting contact details after the progress check (uploads: evidence-upload). */
  'victim-addition': { windowMinutes: 60, perClient: 20 },
  /** "Save and come back later": each sends an email (and one address gets at most a few a day, saved-drafts.ts). */
  'save-draft': { windowMinutes: 60, perClient: 5 },
  /** Stay-safe alert subscriptions: each sends a confirmation email (at most one an hour per address). */
  'alert-subscribe': { windowMinutes: 60, perClient: 10 },
  /** Confirming or stopping alerts, and answering a Protect questionnaire, from an emailed link. */
  'emailed-link': { windowMinutes: 15, perClient: 20 },
  /** Opening a saved report's link (its token is 256 random bits: this only keeps the load down). */
  'resume-draft': { windowMinutes: 15, perClient: 20 },
} as const satisfies Record<string, ClientLimit>;

export type ClientAction = keyof typeof CLIENT_LIMITS;

/**
 * Wrong answers for one reference from all clients together. Past this, a postcode no longer proves who is
 * asking (the email address given still does), so a botnet cannot guess postcodes and a stranger cannot lock
 * the victim out with wrong guesses.
 */
export const PROGRESS_REFERENCE_GUARD = { windowMinutes: 24 * 60, wrongAnswers: 50 } as const;

/**
 * TAXII POSTs (feedback and submissions) per partner: partners are authenticated, so they are counted by who they
 * are, not where they connect from. Each POST carries at most 1,000 objects and 10 MB.
 */
export const PARTNER_POST_LIMIT = { windowMinutes: 15, perPartner: 60 } as const;

/**
 * Objects POSTed to partner-submissions per partner, refused or not: each stored one is matched against reports and
 * may tell units, so 60 POSTs of 1,000 objects would flood units' notifications and the publication queue.
 */
export const PARTNER_OBJECT_LIMIT = { windowMinutes: 60, perPartner: 5000 } as const;

export const LONGEST_WINDOW_MINUTES = Math.max(
  PROGRESS_REFERENCE_GUARD.windowMinutes,
  PARTNER_POST_LIMIT.windowMinutes,
  PARTNER_OBJECT_LIMIT.windowMinutes,
  ...Object.values(CLIENT_LIMITS).map((limit) => limit.windowMinutes),
);

/** The fixed window `now` falls in. */
export function windowOf(now: Date, windowMinutes: number): { start: Date; end: Date } {
  const windowMs = windowMinutes * 60_000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs) };
}

/**
 * Who counts as one client: an IPv4 address, or an IPv6 /64 (one household or device gets a whole /64, so
 * counting single IPv6 addresses would let anyone step round the limit).
 */
export function clientOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
  if (parsed instanceof ipaddr.IPv4) return parsed.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toNormalizedString()}/64`);
  return `${network.toNormalizedString()}/64`;
}
