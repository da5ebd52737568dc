/** Staff roles and what each may see. Pure: the policy is tested as a matrix without any storage. */
export const ROLES = [
  'force-officer',
  'force-supervisor',
  'regional-officer',
  'national-officer',
  'analyst',
  'admin',
  'call-handler',
  'prevent-officer',
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

/**
 * Call handlers (advisers) take reports by phone or web chat on a caller's behalf: the adviser journey, its bulk
 * upload and the confirmation of what they themselves submitted, and nothing else (no queue, cases, figures,
 * intelligence or other reports). No other role takes reports for callers.
 */
export function canTakeReportsForCallers(staff: { role: Role }): boolean {
  return staff.role === 'call-handler';
}

/** Roles that read no report: analysts, admins, call handlers and Prevent officers (who work referrals only). */
const HOLDS_REPORTS = (role: Role) =>
  role !== 'analyst' && role !== 'admin' && role !== 'call-handler' && role !== 'prevent-officer';

/** Officers see only reports routed or transferred to their unit; analysts, admins and call handlers see none. */
export function canReadReport(staff: StaffMember, report: ReportScope): boolean {
  if (!HOLDS_REPORTS(staff.role)) return false;
  return staff.unitId !== null && report.unitId === staff.unitId;
}

/** Supervisors read the audit trail of reports their force's unit holds. */
export function canReadAudit(staff: StaffMember, report: ReportScope): boolean {
  return staff.role === 'force-supervisor' && canReadReport(staff, report);
}

export function canReadStatistics(staff: StaffMember): boolean {
  return staff.role !== 'admin' && staff.role !== 'call-handler';
}

/**
 * Unit figures (each unit's work by month, exact; no personal data): whoever reads statistics, but not Prevent
 * officers, who work their referrals and nothing else.
 */
export function canReadUnitFigures(staff: StaffMember): boolean {
  return canReadStatistics(staff) && staff.role !== 'prevent-officer';
}

/**
 * Indicators, campaigns and significant incidents: every role but admin, call handler and Prevent officer
 * (analysts included: they hold no personal data).
 */
export function canReadIntelligence(staff: StaffMember): boolean {
  return staff.role !== 'admin' && staff.role !== 'call-handler' && staff.role !== 'prevent-officer';
}

/**
 * Analysts review values that only intelligence-only or anonymous reports name and release them to partners (an
 * officer may release one named in a report of their own unit, from that report).
 */
export function canReleaseToPartners(staff: StaffMember): boolean {
  return staff.role === 'analyst';
}

/**
 * An indicator's page (its reports, partner intelligence, feedback and life in the feed): analysts for every value,
 * officers for a value some report of their unit names (as for campaigns). A value only partners submitted is for
 * analysts alone.
 */
export function canSeeIndicator(
  staff: StaffMember,
  unitsHoldingReports: readonly (string | null)[],
): boolean {
  return canSeeCampaign(staff, unitsHoldingReports);
}

/** Types whose values may be a person's (a phone, an email address, an account, a wallet), whoever named them. */
const PERSONAL_TYPES: ReadonlySet<string> = new Set([
  'phone',
  'email',
  'uk-bank-account',
  'iban',
  'btc-address',
  'eth-address',
]);
/** Where in a report a value names the offender rather than anyone the victim mentions. */
const SUSPECT_SIDE: ReadonlySet<string> = new Set(['suspect', 'sender']);

/**
 * Whether someone who may see an indicator's page sees its value. Technical values (URLs, domains, addresses,
 * hashes) and values a report of the person's own unit names: yes. A phone, email address, account or wallet named
 * only in other units' reports is shown to analysts (who hold no personal data) only when it names the offender: a
 * report's suspect answers or an email's sender headers, or a partner's submission (partners submit suspect-side
 * values only). From a narrative or a forwarded email's own headers it may be the victim's or a relative's.
 */
export function canSeeIndicatorValue(
  staff: StaffMember,
  indicator: {
    type: string;
    holders: readonly { unitId: string | null; source: string }[];
    submittedByPartner: boolean;
  },
): boolean {
  if (
    !canSeeIndicator(
      staff,
      indicator.holders.map((h) => h.unitId),
    )
  )
    return false;
  if (!PERSONAL_TYPES.has(indicator.type)) return true;
  if (staff.unitId !== null && indicator.holders.some((h) => h.unitId === staff.unitId)) return true;
  return indicator.submittedByPartner || indicator.holders.some((h) => SUSPECT_SIDE.has(h.source));
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

/**
 * Analysts and admins hold no case; every other role works the cases of its unit. The one "works a unit's cases"
 * rule: the unit's queue, its cases, its Protect requests and its "ask the unit" events all read it.
 */
export function canWorkCases(staff: { role: Role; unitId: string | null }): boolean {
  return staff.unitId !== null && HOLDS_REPORTS(staff.role);
}

/**
 * Prevent (issue 24): each region's Prevent officers work the referrals of young people drifting into cyber crime
 * routed to their regional unit, and nothing else (no reports, cases or intelligence).
 */
export function canWorkPrevent(staff: { role: Role; unitId: string | null }): boolean {
  return staff.role === 'prevent-officer' && staff.unitId !== null;
}

/** A referral exists for a Prevent officer only when it was routed to their own region's unit. */
export function canSeePreventReferral(staff: StaffMember, referral: { unitId: string }): boolean {
  return canWorkPrevent(staff) && staff.unitId === referral.unitId;
}

/** Officers who meet a young person at risk refer them from the workspace (as the public form does). */
export function canReferToPrevent(staff: StaffMember): boolean {
  return canWorkCases(staff);
}

/**
 * Significant incidents (issue 24): the NCCU and regional units declare them, and the declaring unit's officers run
 * them (close, record partners told, update every linked victim). Everyone who reads intelligence sees them.
 */
export function canDeclareIncident(staff: StaffMember): boolean {
  return (staff.role === 'national-officer' || staff.role === 'regional-officer') && staff.unitId !== null;
}

export function canRunIncident(staff: StaffMember, incident: { unitId: string }): boolean {
  return canDeclareIncident(staff) && staff.unitId === incident.unitId;
}

/**
 * Sector working groups: supervisors and regional and national officers set one up, and become its admin (who alone
 * manages its membership). Members of a unit that is a member post alerts and requests for information to it.
 */
export function canSetUpGroups(staff: StaffMember): boolean {
  return (
    staff.unitId !== null &&
    (staff.role === 'force-supervisor' ||
      staff.role === 'regional-officer' ||
      staff.role === 'national-officer')
  );
}

export function canPostToGroup(staff: StaffMember, memberUnits: readonly (string | null)[]): boolean {
  return canWorkCases(staff) && staff.unitId !== null && memberUnits.includes(staff.unitId);
}

/**
 * Disruption requests (issue 22): a unit's officers raise them to industry partners; they and the unit see the
 * unit's requests only.
 */
export function canSeeDisruption(staff: StaffMember, request: { unitId: string }): boolean {
  return canWorkCases(staff) && staff.unitId === request.unitId;
}

/**
 * A request goes to a partner only once someone with authority in the raising unit approves it, never the person
 * who raised it: a force unit's supervisor; in regional and national units (which have no supervisor role) another
 * of the unit's officers.
 */
export function canApproveDisruption(
  staff: StaffMember,
  request: { unitId: string; raisedBy: string },
): boolean {
  const authority =
    staff.role === 'force-supervisor' ||
    staff.role === 'regional-officer' ||
    staff.role === 'national-officer';
  return authority && canSeeDisruption(staff, request) && staff.email !== request.raisedBy;
}

/**
 * Specialist supplier taskings (issue 22, MSP): a unit's officers raise them from a case they work and see their
 * unit's; one with authority in the unit other than the raiser approves (the two-person rule, as for disruption).
 */
export function canSeeTasking(staff: StaffMember, tasking: { unitId: string }): boolean {
  return canWorkCases(staff) && staff.unitId === tasking.unitId;
}

export function canApproveTasking(
  staff: StaffMember,
  tasking: { unitId: string; raisedBy: string },
): boolean {
  return canApproveDisruption(staff, tasking);
}

/** Supervisors allocate their unit's reports to its officers. */
export function canAllocate(staff: StaffMember): boolean {
  return staff.role === 'force-supervisor';
}

/** Units' editors of the Protect advice pages: supervisors and regional and national officers. */
export const ADVICE_EDITORS = ['force-supervisor', 'regional-officer', 'national-officer'] as const;
export function canEditAdvice(staff: StaffMember): boolean {
  return (ADVICE_EDITORS as readonly string[]).includes(staff.role);
}

/**
 * The two-person rule for national advice (issue 24): an editor publishes a draft only when someone else wrote it.
 */
export function canPublishAdvice(staff: StaffMember, draftAuthor: string): boolean {
  return canEditAdvice(staff) && staff.email !== draftAuthor;
}

/** Stay-safe alerts are written by force units (officers and supervisors) and regional units for their area. */
export function canWriteAlerts(staff: StaffMember): boolean {
  return staff.unitId !== null && (isForceRole(staff.role) || staff.role === 'regional-officer');
}

/** A second person of the alert's unit approves it for publication: never its author (the two-person rule). */
export function canApproveAlert(staff: StaffMember, alert: { unitId: string; author: string }): boolean {
  return canWriteAlerts(staff) && staff.unitId === alert.unitId && staff.email !== alert.author;
}

/** Admins run the service: staff accounts, API tokens, partners, background jobs. They see no report content. */
export function canAdminister(staff: StaffMember): boolean {
  return staff.role === 'admin';
}

/** The units whose campaigns someone sees in full: analysts every unit (undefined), officers their own. */
export function campaignUnitsOf(staff: StaffMember): string[] | undefined {
  if (staff.role === 'analyst') return undefined;
  return staff.unitId === null ? [] : [staff.unitId];
}

/**
 * What a staff route may ask of the person calling it (route config `staff: { allow }`, read by the staff gate
 * in web/plugins/staff-gate.ts): each names one rule of this file.
 */
export const STAFF_AREAS = {
  /** Any signed-in staff member: the service decides what they see (a report outside their unit is "not found"). */
  'any-staff': () => true,
  /** A unit's officers and supervisors: cases, exhibits, examinations, "ask the unit" events. */
  'unit-work': canWorkCases,
  intelligence: canReadIntelligence,
  'partner-release': canReleaseToPartners,
  'advice-editing': canEditAdvice,
  /** Force and regional units write and approve stay-safe alerts for their area. */
  'alert-writing': canWriteAlerts,
  /** Analysts (every force) and force supervisors (their own) confirm or correct doubtful classifications. */
  'classification-review': canReviewClassification,
  administration: canAdminister,
  /** Call handlers: the journey on a caller's behalf and the bulk upload (`canTakeReportsForCallers`). */
  'adviser-reporting': canTakeReportsForCallers,
  /** A region's Prevent officers: its referrals queue and their workflow. */
  'prevent-work': canWorkPrevent,
  /** Officers of a unit referring a young person to Prevent from the workspace. */
  'prevent-referring': canReferToPrevent,
  /** Significant incidents: seen by everyone who reads intelligence; declared by regional and national officers. */
  incidents: canReadIntelligence,
  'incident-declaring': canDeclareIncident,
  /**
   * Figures of disruption requests (by type, partner and unit; no personal data): whoever reads intelligence. Not
   * Prevent officers, who work their referrals and nothing else.
   */
  'disruption-figures': canReadIntelligence,
  /** Every unit's figures by month, exact (the public page protects them). */
  'unit-figures': canReadUnitFigures,
  /** Supplier figures (taskings, spend against budget, on time, ratings; no personal data): likewise. */
  'supplier-figures': canReadIntelligence,
  /** Setting up a sector working group (its creator becomes its admin): supervisors, regional and national officers. */
  'group-setup': canSetUpGroups,
} as const satisfies Record<string, (staff: StaffMember) => boolean>;
export type StaffArea = keyof typeof STAFF_AREAS;

export function mayEnter(staff: StaffMember, area: StaffArea): boolean {
  return STAFF_AREAS[area](staff);
}

/** Every area this person may enter: what the workspace's navigation offers them (no page decides it again). */
export function areasOf(staff: StaffMember): StaffArea[] {
  return (Object.keys(STAFF_AREAS) as StaffArea[]).filter((area) => mayEnter(staff, area));
}

/** Roles that work in a force, in its cyber crime unit. */
export const FORCE_ROLES = ['force-officer', 'force-supervisor'] as const satisfies readonly Role[];
/** Roles that work in a unit of one of these kinds (regional or national), not a force's. */
export const UNIT_ROLES = {
  'regional-officer': ['regional'],
  'national-officer': ['national', 'fraud-assessment'],
  'prevent-officer': ['regional'],
} as const satisfies Partial<Record<Role, readonly string[]>>;
export type UnitRole = keyof typeof UNIT_ROLES;

export function isForceRole(role: string): role is (typeof FORCE_ROLES)[number] {
  return (FORCE_ROLES as readonly string[]).includes(role);
}

export function isUnitRole(role: string): role is UnitRole {
  return Object.hasOwn(UNIT_ROLES, role);
}

/** Where a role works: a force, a (regional or national) unit, or nowhere (analysts and admins). */
export function workplaceOf(role: string): 'force' | 'unit' | null {
  if (isForceRole(role)) return 'force';
  return isUnitRole(role) ? 'unit' : null;
}

/**
 * The service always keeps one active administrator: an account stops being an active admin (disabled, or given
 * another role) only while another active admin remains.
 */
export function leavesNoAdministrator(
  before: { role: Role; active: boolean },
  after: { role: Role; active: boolean },
  otherActiveAdmins: number,
): boolean {
  const wasAdmin = before.role === 'admin' && before.active;
  const staysAdmin = after.role === 'admin' && after.active;
  return wasAdmin && !staysAdmin && otherActiveAdmins === 0;
}

/** Who a case belongs to and who may see it: what every case, exhibit, examination and custody rule reads. */
export interface CaseScope {
  /** The unit that owns the case. */
  unitId: string;
  /** Other units the case is shared with (they see and work it; it stays the owner's). */
  sharedWith: readonly string[];
  /** Only the officer in charge and named members see a restricted case, even inside its units. */
  restricted: boolean;
  officerInCharge: string;
  members: readonly string[];
}

export type CaseRelation = 'owner' | 'shared' | 'none';

export function caseRelation(staff: StaffMember, scope: CaseScope): CaseRelation {
  if (!canWorkCases(staff)) return 'none';
  if (staff.unitId === scope.unitId) return 'owner';
  return staff.unitId !== null && scope.sharedWith.includes(staff.unitId) ? 'shared' : 'none';
}

const onTeam = (staff: StaffMember, scope: CaseScope) =>
  staff.email === scope.officerInCharge || scope.members.includes(staff.email);

/**
 * Whether the case exists for this person at all: its own or a sharing unit's officers, and for a restricted case
 * only those on its team. Every action on a case, its exhibits, examinations and custody starts here; a case that
 * fails it answers exactly like one that does not exist.
 */
export function canSeeCase(staff: StaffMember, scope: CaseScope): boolean {
  if (caseRelation(staff, scope) === 'none') return false;
  return !scope.restricted || onTeam(staff, scope);
}

/**
 * Report categories whose evidence images are never shown just because a report is the unit's: child sexual abuse
 * and sextortion images are seen only by the team of a case that holds the report (their files can still be
 * downloaded, audited, by anyone who may read the report, for grading and forensic tools).
 */
export const IMAGE_RESTRICTED_CATEGORIES: readonly string[] = Object.freeze([
  'child-sexual-abuse',
  'sextortion',
]);

/**
 * Whether this person may see a report's evidence images in the browser: anyone who reads the report, except for
 * the restricted categories, where they must be on the team of a case they can see that holds the report
 * (`casesHoldingReport`).
 */
export function canPreviewEvidenceImages(
  staff: StaffMember,
  report: ReportScope & { category: string },
  casesHoldingReport: readonly CaseScope[],
): boolean {
  if (!canReadReport(staff, report)) return false;
  if (!IMAGE_RESTRICTED_CATEGORIES.includes(report.category)) return true;
  return casesHoldingReport.some((scope) => canSeeCase(staff, scope) && onTeam(staff, scope));
}

/** Share, transfer or close: only the owning unit, by its officer in charge or a supervisor (who can see it). */
export function canDirectCase(staff: StaffMember, scope: CaseScope): boolean {
  return (
    canSeeCase(staff, scope) &&
    caseRelation(staff, scope) === 'owner' &&
    (staff.email === scope.officerInCharge || staff.role === 'force-supervisor')
  );
}

/** Name or remove team members (for a restricted case: decide who sees it): the owning unit's officers who see it. */
export function canManageTeam(staff: StaffMember, scope: CaseScope): boolean {
  return canSeeCase(staff, scope) && caseRelation(staff, scope) === 'owner';
}

/** Add or take off this person: a team manager, or anyone who sees the case taking themselves off. */
export function canChangeTeam(staff: StaffMember, scope: CaseScope, email: string): boolean {
  return canManageTeam(staff, scope) || (email === staff.email && canSeeCase(staff, scope));
}

/** Take on, complete or reject an examination: officers of the unit whose forensics queue holds it, who see the case. */
export function canExamine(staff: StaffMember, scope: CaseScope, queueUnitId: string): boolean {
  return canSeeCase(staff, scope) && staff.unitId === queueUnitId;
}

/** Who may be on a case's team: people who work cases, in one of these units. */
export function canJoinTeam(
  person: { role: Role; unitId: string | null },
  unitIds: readonly (string | null)[],
): boolean {
  return canWorkCases(person) && unitIds.includes(person.unitId);
}

/**
 * A case's team after a transfer to `toUnit`. The receiving unit names the new officer in charge (and may name
 * more of its officers); members stay only while their unit still has the case (the receiving unit or one it is
 * still shared with), so the old unit's officers leave the team and a restricted case stays restricted to the
 * people named.
 */
export function teamAfterTransfer(input: {
  members: readonly { email: string; unitId: string | null }[];
  toUnit: string;
  sharedWith: readonly string[];
  officerInCharge: string;
  named: readonly string[];
}): { keep: string[]; drop: string[]; add: string[] } {
  const units = [input.toUnit, ...input.sharedWith.filter((u) => u !== input.toUnit)];
  const keep = input.members.filter((m) => m.unitId !== null && units.includes(m.unitId)).map((m) => m.email);
  const drop = input.members.map((m) => m.email).filter((email) => !keep.includes(email));
  const add = [...new Set([input.officerInCharge, ...input.named])].filter((email) => !keep.includes(email));
  return { keep, drop, add };
}

/**
 * Classification review (issue 17): analysts review every force's doubtful classifications; a force supervisor
 * reviews their own force's. Null: not for this role.
 */
export function classificationReviewScope(staff: StaffMember): { forceId: string | null } | null {
  if (staff.role === 'analyst') return { forceId: null };
  if (staff.role === 'force-supervisor' && staff.forceId !== null) return { forceId: staff.forceId };
  return null;
}

export function canReviewClassification(staff: StaffMember): boolean {
  return classificationReviewScope(staff) !== null;
}

/** Whether this reviewer may see and decide a record of this force (every force's for analysts). */
export function canReviewRecord(staff: StaffMember, record: { forceId: string }): boolean {
  const scope = classificationReviewScope(staff);
  return scope !== null && (scope.forceId === null || scope.forceId === record.forceId);
}

/**
 * Who reads a record under review as the force holds it: its force's supervisor. Analysts judge every force's
 * records but hold no personal data, so contact and account identifiers are masked for them (and for anyone else).
 */
export function seesUnmaskedReviewText(staff: StaffMember): boolean {
  return staff.role === 'force-supervisor';
}

// ---- The partner portal (/partner): partner organisations' own people, a separate area with its own matrix ----

/** A partner organisation's people: users, and the admins who manage them (partner admins). */
export const PARTNER_ROLES = ['partner-user', 'partner-admin'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export function isPartnerRole(value: unknown): value is PartnerRole {
  return typeof value === 'string' && (PARTNER_ROLES as readonly string[]).includes(value);
}

/** A signed-in partner portal user (never a staff member: they are told apart by their account's partner). */
export interface PartnerUser {
  id: number;
  email: string;
  role: PartnerRole;
  partnerId: number;
}

/** What the portal's rules need to know of the user's organisation. */
export interface PortalPartner {
  id: number;
  /** May contribute indicators (the partner-submissions collection, and the portal's form and CSV). */
  canSubmit: boolean;
  /** A specialist supplier on the framework (issue 22, MSP). */
  supplier: boolean;
}

/** Partner admins manage their own organisation's users, and no one else's. */
export function canManagePartnerUsers(user: PartnerUser, target?: { partnerId: number }): boolean {
  return user.role === 'partner-admin' && (target === undefined || target.partnerId === user.partnerId);
}

/**
 * A partner's submission is seen by its own organisation's users only; another partner sees a value only as it was
 * shared (published to a collection it reads), never the submission.
 */
export function canSeeSubmission(user: PartnerUser, submission: { partnerId: number }): boolean {
  return submission.partnerId === user.partnerId;
}

/** A tasking is seen in the portal by the users of the supplier it was given to, once approved, and no one else. */
export function canSeeTaskingAsSupplier(
  user: PartnerUser,
  partner: PortalPartner,
  tasking: { partnerId: number; released: boolean },
): boolean {
  return (
    partner.supplier && user.partnerId === partner.id && tasking.partnerId === partner.id && tasking.released
  );
}

/** A group's messages are for its members: a partner reads and posts to a group it is a member of. */
export function canUseGroupAsPartner(
  partner: { partnerId: number },
  memberPartners: readonly (number | null)[],
): boolean {
  return memberPartners.includes(partner.partnerId);
}

/**
 * The portal's areas (route config `portal: { allow }`, read by the partner gate in web/plugins/partner-gate.ts).
 * Staff sessions never reach these, nor partner sessions the staff areas above.
 */
export const PORTAL_AREAS = {
  /** Any signed-in user of a live partner: their collections, feedback, submissions and groups. */
  'portal-any': () => true,
  /** Contributing indicators by form or CSV: users of a partner allowed to submit. */
  'portal-submit': (_user: PartnerUser, partner: PortalPartner) => partner.canSubmit,
  /** Managing the organisation's users: its partner admins. */
  'portal-users': (user: PartnerUser) => canManagePartnerUsers(user),
  /** A specialist supplier's taskings: its users, and no other partner's. */
  'portal-supplier': (_user: PartnerUser, partner: PortalPartner) => partner.supplier,
} as const satisfies Record<string, (user: PartnerUser, partner: PortalPartner) => boolean>;
export type PortalArea = keyof typeof PORTAL_AREAS;

export function mayEnterPortal(user: PartnerUser, partner: PortalPartner, area: PortalArea): boolean {
  return PORTAL_AREAS[area](user, partner);
}

export function portalAreasOf(user: PartnerUser, partner: PortalPartner): PortalArea[] {
  return (Object.keys(PORTAL_AREAS) as PortalArea[]).filter((area) => mayEnterPortal(user, partner, area));
}

/** Each partner organisation keeps one active partner admin (as the service keeps one administrator). */
export function leavesNoPartnerAdministrator(
  before: { role: PartnerRole; active: boolean },
  after: { role: PartnerRole; active: boolean },
  otherActiveAdmins: number,
): boolean {
  const wasAdmin = before.role === 'partner-admin' && before.active;
  const staysAdmin = after.role === 'partner-admin' && after.active;
  return wasAdmin && !staysAdmin && otherActiveAdmins === 0;
}
