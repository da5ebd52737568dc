import type { StaffGate } from '../../plugins/staff-gate.ts';

/**
 * Where one copy of the report journey is mounted. The same pages, checks, triage and routing serve the public at
 * /report and call handlers (advisers) taking a report for a caller at /staff/adviser/report, behind the staff gate.
 */
export interface Journey {
  /** The path its pages live under. */
  base: string;
  /** Where "back" from the first question goes. */
  start: string;
  /** The session key of its draft, so an adviser's caller's answers never mix with anything else in the session. */
  draftKey: string;
  /** Route config every one of its routes carries (the adviser's: the staff gate). */
  config: { staff?: StaffGate };
  /** True when a call handler takes the report on a caller's behalf. */
  adviser: boolean;
}

export const PUBLIC_JOURNEY: Journey = {
  base: '/report',
  start: '/report',
  draftKey: 'reportDraft',
  config: {},
  adviser: false,
};

export const ADVISER_JOURNEY: Journey = {
  base: '/staff/adviser/report',
  start: '/staff/adviser',
  draftKey: 'adviserReportDraft',
  config: { staff: { allow: 'adviser-reporting' } },
  adviser: true,
};
