/** What a unit is told about, and which of it cannot wait. Pure: no storage, no email. */

/** Why a unit is told: one email each, to the unit's mailbox. */
export const NOTIFICATION_REASONS = [
  /** A new report needing the unit at once: a live attack, a child at risk, extortion in progress, a vulnerable victim. */
  'urgent-report',
  /** A report transferred to the unit, or routed to it again after a change of category. */
  'transfer-in',
  /** The victim added information to their report. */
  'victim-information',
  /** An organisation asked the unit for Cyber Protect help. */
  'protect-request',
  /** Nobody has made first contact with the victim within FIRST_CONTACT_DAYS. */
  'first-contact-overdue',
  /** An industry partner submitted a value one of the unit's reports names. */
  'partner-intelligence',
  /** A partner actioned or declined one of the unit's disruption requests. */
  'disruption-result',
  /** A disruption request's clock ran out before the partner actioned or declined it. */
  'disruption-overdue',
] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

export function isNotificationReason(value: unknown): value is NotificationReason {
  return typeof value === 'string' && (NOTIFICATION_REASONS as readonly string[]).includes(value);
}

/**
 * A report the unit must hear about at once, whatever anyone's digest setting: routing marked it urgent (a child at
 * risk, a live attack, extortion in progress) or the victim may be vulnerable. The one rule: intake, transfers, the
 * victim's additions, overdue first contact and the "urgent, not allocated" count all read it.
 */
export function needsUnitAtOnce(report: { urgent: number | boolean; vulnerable: number | boolean }): boolean {
  return Boolean(report.urgent) || Boolean(report.vulnerable);
}

/** The category a Protect request is listed under in emails (it has no crime category). */
export const PROTECT_REQUEST_CATEGORY = 'protect-request';
