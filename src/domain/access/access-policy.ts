/** Staff roles and what each may see. Pure: the policy is tested as a matrix without any storage. */
export const ROLES = [
  'force-officer',
  'force-supervisor',
  'regional-officer',
  'national-officer',
  'analyst',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export interface StaffMember {
  email: string;
  role: Role;
  forceId: string | null;
  /** The unit whose queue this person works (force roles: their force's cyber crime unit). */
  unitId: string | null;
}

export interface ReportScope {
  unitId: string | null;
  forceId: string | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Officers see only reports routed or transferred to their unit; analysts and admins see no report content. */
export function canReadReport(staff: StaffMember, report: ReportScope): boolean {
  if (staff.role === 'analyst' || staff.role === 'admin') return false;
  return staff.unitId !== null && report.unitId === staff.unitId;
}

/** Supervisors read the audit trail of reports their force's unit holds. */
export function canReadAudit(staff: StaffMember, report: ReportScope): boolean {
  return staff.role === 'force-supervisor' && canReadReport(staff, report);
}

export function canReadStatistics(staff: StaffMember): boolean {
  return staff.role !== 'admin';
}

/** Indicators and campaigns: every role but admin (analysts included: they hold no personal data). */
export function canReadIntelligence(staff: StaffMember): boolean {
  return staff.role !== 'admin';
}

/**
 * Analysts review values that only intelligence-only or anonymous reports name and release them to partners (an
 * officer may release one named in a report of their own unit, from that report).
 */
export function canReleaseToPartners(staff: StaffMember): boolean {
  return staff.role === 'analyst';
}

/**
 * Analysts see every campaign in aggregate; officers see campaigns holding at least one report of their unit, and
 * of the other reports only which force and unit hold them.
 */
export function canSeeCampaign(staff: StaffMember, unitsHoldingReports: readonly (string | null)[]): boolean {
  if (staff.role === 'analyst') return true;
  if (!canReadIntelligence(staff) || staff.unitId === null) return false;
  return unitsHoldingReports.includes(staff.unitId);
}
