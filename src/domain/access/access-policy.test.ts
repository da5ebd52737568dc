import { describe, expect, it } from 'vitest';
import {
  canApproveTasking,
  canSeeTaskingAsSupplier,
  canManagePartnerUsers,
  canSeeSubmission,
  canUseGroupAsPartner,
  leavesNoPartnerAdministrator,
  portalAreasOf,
  canSeeIndicatorValue,
  areasOf,
  canReadIntelligence,
  canReadStatistics,
  canReadUnitFigures,
  canTakeReportsForCallers,
  canWorkCases,
  canApproveAlert,
  canPublishAdvice,
  canWriteAlerts,
  mayEnter,
  STAFF_AREAS,
  type StaffArea,
  canPreviewEvidenceImages,
  canChangeTeam,
  canDirectCase,
  canExamine,
  canJoinTeam,
  canReadReport,
  canSeeCampaign,
  canSeeCase,
  canReviewRecord,
  caseRelation,
  leavesNoAdministrator,
  ROLES,
  seesUnmaskedReviewText,
  teamAfterTransfer,
  type CaseScope,
  type Role,
  type StaffMember,
  workplaceOf,
} from './access-policy.ts';

const person = (email: string, role: Role, unitId: string | null): StaffMember => ({
  email,
  role,
  forceId: null,
  unitId,
});

// Owned by Cumbria, shared with Kent; the officer in charge and one more Cumbria officer on the team.
const open: CaseScope = {
  unitId: 'cumbria-cyber',
  sharedWith: ['kent-cyber'],
  restricted: false,
  officerInCharge: 'oic@cumbria',
  members: ['oic@cumbria', 'member@cumbria', 'member@kent'],
};
const restricted: CaseScope = { ...open, restricted: true };

const OIC = person('oic@cumbria', 'force-officer', 'cumbria-cyber');
const MEMBER = person('member@cumbria', 'force-officer', 'cumbria-cyber');
const OFFICER = person('officer@cumbria', 'force-officer', 'cumbria-cyber');
const SUPERVISOR = person('sup@cumbria', 'force-supervisor', 'cumbria-cyber');
const KENT_MEMBER = person('member@kent', 'force-officer', 'kent-cyber');
const KENT_SUPERVISOR = person('sup@kent', 'force-supervisor', 'kent-cyber');
const LANCS = person('sup@lancs', 'force-supervisor', 'lancashire-cyber');
const ANALYST = person('analyst@x', 'analyst', null);
const ADMIN_IN_UNIT = person('admin@x', 'admin', 'cumbria-cyber');

describe('case access policy', () => {
  // [who, see open, see restricted, direct open, direct restricted, change team of open, examine open]
  const TABLE: [StaffMember, boolean, boolean, boolean, boolean, boolean, boolean][] = [
    [OIC, true, true, true, true, true, true],
    [MEMBER, true, true, false, false, true, true],
    [OFFICER, true, false, false, false, true, true],
    [SUPERVISOR, true, false, true, false, true, true],
    [KENT_MEMBER, true, true, false, false, false, false],
    [KENT_SUPERVISOR, true, false, false, false, false, false],
    [LANCS, false, false, false, false, false, false],
    [ANALYST, false, false, false, false, false, false],
    [ADMIN_IN_UNIT, false, false, false, false, false, false],
  ];
  for (const [who, seeOpen, seeRestricted, directOpen, directRestricted, team, examine] of TABLE)
    it(`${who.email} (${who.role})`, () => {
      expect(canSeeCase(who, open)).toBe(seeOpen);
      expect(canSeeCase(who, restricted)).toBe(seeRestricted);
      expect(canDirectCase(who, open)).toBe(directOpen);
      expect(canDirectCase(who, restricted)).toBe(directRestricted);
      expect(canChangeTeam(who, open, 'someone@else')).toBe(team);
      expect(canExamine(who, open, 'cumbria-cyber')).toBe(examine);
      // Nobody works a case they cannot see.
      if (!seeRestricted) {
        expect(canDirectCase(who, restricted)).toBe(false);
        expect(canChangeTeam(who, restricted, who.email)).toBe(false);
        expect(canExamine(who, restricted, 'cumbria-cyber')).toBe(false);
      }
    });

  it('lets an officer of a sharing unit take only themselves off the team', () => {
    expect(canChangeTeam(KENT_MEMBER, restricted, KENT_MEMBER.email)).toBe(true);
    expect(canChangeTeam(KENT_MEMBER, restricted, MEMBER.email)).toBe(false);
  });

  it('examines only from the queue that holds the request', () => {
    expect(canExamine(KENT_MEMBER, open, 'kent-cyber')).toBe(true);
    expect(canExamine(OIC, open, 'kent-cyber')).toBe(false);
  });

  it('names the relation of each unit to the case', () => {
    expect([OIC, KENT_MEMBER, LANCS, ANALYST].map((s) => caseRelation(s, open))).toEqual([
      'owner',
      'shared',
      'none',
      'none',
    ]);
  });

  it('lets only case-working roles of the given units join a team', () => {
    for (const role of ROLES)
      expect(canJoinTeam({ role, unitId: 'nccu' }, ['nccu']), role).toBe(
        role !== 'analyst' && role !== 'admin' && role !== 'call-handler' && role !== 'prevent-officer',
      );
    expect(canJoinTeam({ role: 'force-officer', unitId: 'kent-cyber' }, ['cumbria-cyber'])).toBe(false);
    expect(canJoinTeam({ role: 'force-officer', unitId: null }, [null])).toBe(false);
  });
});

describe('the team after a transfer', () => {
  const members = [
    { email: 'oic@cumbria', unitId: 'cumbria-cyber' },
    { email: 'member@kent', unitId: 'kent-cyber' },
    { email: 'member@nw', unitId: 'nwrocu-rccu' },
    { email: 'gone@nowhere', unitId: null },
  ];

  it('keeps members whose unit still has the case, drops the old unit’s, adds the new officer in charge and named', () => {
    expect(
      teamAfterTransfer({
        members,
        toUnit: 'nwrocu-rccu',
        sharedWith: ['kent-cyber', 'nwrocu-rccu'],
        officerInCharge: 'lead@nw',
        named: ['second@nw', 'member@nw'],
      }),
    ).toEqual({
      keep: ['member@kent', 'member@nw'],
      drop: ['oic@cumbria', 'gone@nowhere'],
      add: ['lead@nw', 'second@nw'],
    });
  });

  it('leaves nobody of the old unit, even when the case was not shared', () => {
    const team = teamAfterTransfer({
      members,
      toUnit: 'lancashire-cyber',
      sharedWith: [],
      officerInCharge: 'lead@lancs',
      named: [],
    });
    expect(team).toEqual({
      keep: [],
      drop: ['oic@cumbria', 'member@kent', 'member@nw', 'gone@nowhere'],
      add: ['lead@lancs'],
    });
  });
});

describe('reports and campaigns', () => {
  it('reads a report only in the unit holding it, never as analyst or admin', () => {
    const report = { unitId: 'cumbria-cyber', forceId: 'cumbria' };
    expect(canReadReport(OFFICER, report)).toBe(true);
    expect(canReadReport(KENT_MEMBER, report)).toBe(false);
    expect(canReadReport(ADMIN_IN_UNIT, report)).toBe(false);
  });

  it('shows a campaign to analysts and to units holding one of its reports', () => {
    expect(canSeeCampaign(ANALYST, ['kent-cyber'])).toBe(true);
    expect(canSeeCampaign(OFFICER, ['kent-cyber', 'cumbria-cyber'])).toBe(true);
    expect(canSeeCampaign(OFFICER, ['kent-cyber'])).toBe(false);
    expect(canSeeCampaign(ADMIN_IN_UNIT, ['cumbria-cyber'])).toBe(false);
  });

  it('shows a phone, email or account to analysts only when it names the offender; technical values always', () => {
    const holders = (source: string) => [{ unitId: 'kent-cyber', source }];
    const value = (type: string, source: string, submittedByPartner = false) => ({
      type,
      holders: holders(source),
      submittedByPartner,
    });
    expect(canSeeIndicatorValue(ANALYST, value('phone', 'narrative'))).toBe(false);
    expect(canSeeIndicatorValue(ANALYST, value('uk-bank-account', 'forwarder'))).toBe(false);
    expect(canSeeIndicatorValue(ANALYST, value('phone', 'suspect'))).toBe(true);
    expect(canSeeIndicatorValue(ANALYST, value('email', 'sender'))).toBe(true);
    expect(canSeeIndicatorValue(ANALYST, value('phone', 'narrative', true))).toBe(true);
    expect(canSeeIndicatorValue(ANALYST, value('domain', 'narrative'))).toBe(true);
    // The unit holding the report reads it there anyway; another unit sees no page at all.
    expect(canSeeIndicatorValue(KENT_MEMBER, value('phone', 'narrative'))).toBe(true);
    expect(canSeeIndicatorValue(OFFICER, value('domain', 'suspect'))).toBe(false);
    expect(canSeeIndicatorValue(ADMIN_IN_UNIT, value('domain', 'suspect'))).toBe(false);
  });

  it('shows evidence images of child sexual abuse and sextortion only to a case team holding the report', () => {
    const report = (category: string) => ({ unitId: 'cumbria-cyber', forceId: 'cumbria', category });
    // Any reader of a report of another type; nobody who cannot read it.
    expect(canPreviewEvidenceImages(OFFICER, report('romance-fraud'), [])).toBe(true);
    expect(canPreviewEvidenceImages(KENT_MEMBER, report('romance-fraud'), [open])).toBe(false);
    for (const category of ['child-sexual-abuse', 'sextortion']) {
      // Reading the report is not enough, nor is seeing a case that holds it without being on its team.
      expect(canPreviewEvidenceImages(OFFICER, report(category), []), category).toBe(false);
      expect(canPreviewEvidenceImages(OFFICER, report(category), [open]), category).toBe(false);
      expect(canPreviewEvidenceImages(SUPERVISOR, report(category), [open, restricted]), category).toBe(
        false,
      );
      expect(canPreviewEvidenceImages(MEMBER, report(category), [open]), category).toBe(true);
      expect(canPreviewEvidenceImages(OIC, report(category), [restricted]), category).toBe(true);
      // A team member of another unit reads no report of this unit.
      expect(canPreviewEvidenceImages(KENT_MEMBER, report(category), [open]), category).toBe(false);
    }
  });
});

describe('accounts and the workspace', () => {
  it('places force roles in a force, regional and national officers in a unit, analysts and admins nowhere', () => {
    expect(Object.fromEntries(ROLES.map((role) => [role, workplaceOf(role)]))).toEqual({
      'force-officer': 'force',
      'force-supervisor': 'force',
      'regional-officer': 'unit',
      'national-officer': 'unit',
      analyst: null,
      admin: null,
      'call-handler': null,
      'prevent-officer': 'unit',
    });
    expect(workplaceOf('toString')).toBeNull();
  });

  it('keeps one active administrator: the last one is neither disabled nor given another role', () => {
    const admin = { role: 'admin', active: true } as const;
    expect(leavesNoAdministrator(admin, { role: 'admin', active: false }, 0)).toBe(true);
    expect(leavesNoAdministrator(admin, { role: 'analyst', active: true }, 0)).toBe(true);
    expect(leavesNoAdministrator(admin, { role: 'analyst', active: true }, 1)).toBe(false);
    expect(leavesNoAdministrator(admin, admin, 0)).toBe(false);
    // Nothing to keep: an analyst leaving, or an admin already disabled.
    expect(
      leavesNoAdministrator({ role: 'analyst', active: true }, { role: 'analyst', active: false }, 0),
    ).toBe(false);
    expect(
      leavesNoAdministrator({ role: 'admin', active: false }, { role: 'analyst', active: false }, 0),
    ).toBe(false);
  });

  it('offers each role the areas its pages admit', () => {
    expect(areasOf(ANALYST)).toEqual([
      'any-staff',
      'intelligence',
      'partner-release',
      'classification-review',
      'incidents',
      'disruption-figures',
      'unit-figures',
      'supplier-figures',
    ]);
    expect(areasOf(ADMIN_IN_UNIT)).toEqual(['any-staff', 'administration']);
    expect(areasOf(SUPERVISOR)).toEqual([
      'any-staff',
      'unit-work',
      'intelligence',
      'advice-editing',
      'alert-writing',
      'prevent-referring',
      'incidents',
      'disruption-figures',
      'unit-figures',
      'supplier-figures',
      'group-setup',
    ]);
    // Prevent officers work their region's referrals and nothing else; regional and national officers declare incidents.
    expect(areasOf({ ...SUPERVISOR, role: 'prevent-officer', unitId: 'nwrocu-rccu' })).toEqual([
      'any-staff',
      'prevent-work',
    ]);
    expect(areasOf({ ...SUPERVISOR, role: 'regional-officer', unitId: 'nwrocu-rccu' })).toContain(
      'incident-declaring',
    );
    expect(areasOf({ ...SUPERVISOR, forceId: 'cumbria' })).toContain('classification-review');
    // Working groups are set up by supervisors and regional and national officers, never by force officers.
    expect(
      ROLES.filter((role) =>
        areasOf({ ...SUPERVISOR, role, unitId: 'cumbria-cyber' }).includes('group-setup'),
      ),
    ).toEqual(['force-supervisor', 'regional-officer', 'national-officer']);
  });

  it('lets whoever reads statistics read the unit figures, but not admins, call handlers or Prevent officers', () => {
    expect(ROLES.filter((role) => canReadUnitFigures({ ...OFFICER, role }))).toEqual([
      'force-officer',
      'force-supervisor',
      'regional-officer',
      'national-officer',
      'analyst',
    ]);
  });
});

describe('stay-safe alerts and advice: the two-person rule (issue 24)', () => {
  const colleague = person('sup2@cumbria', 'force-supervisor', 'cumbria-cyber');
  const alert = { unitId: 'cumbria-cyber', author: OFFICER.email };

  it('lets force and regional units write alerts, and no other role', () => {
    expect(ROLES.filter((role) => canWriteAlerts({ ...OFFICER, role }))).toEqual([
      'force-officer',
      'force-supervisor',
      'regional-officer',
    ]);
    expect(canWriteAlerts({ ...OFFICER, unitId: null })).toBe(false);
  });

  it('lets a second person of the unit approve an alert, never its author or another unit', () => {
    expect(canApproveAlert(SUPERVISOR, alert)).toBe(true);
    expect(canApproveAlert(OFFICER, alert)).toBe(false);
    expect(canApproveAlert({ ...colleague, unitId: 'lancashire-cyber' }, alert)).toBe(false);
    expect(canApproveAlert({ ...colleague, role: 'analyst' }, alert)).toBe(false);
  });

  it('lets one with authority in the unit approve a supplier tasking, never its raiser', () => {
    const tasking = { unitId: 'cumbria-cyber', raisedBy: OFFICER.email };
    expect(canApproveTasking(SUPERVISOR, tasking)).toBe(true);
    expect(canApproveTasking(OFFICER, tasking)).toBe(false);
    expect(canApproveTasking(SUPERVISOR, { ...tasking, raisedBy: SUPERVISOR.email })).toBe(false);
    expect(canApproveTasking({ ...colleague, unitId: 'lancashire-cyber' }, tasking)).toBe(false);
    expect(canApproveTasking({ ...colleague, role: 'analyst' }, tasking)).toBe(false);
  });

  it('lets an editor publish national advice only when someone else saved the draft', () => {
    expect(canPublishAdvice(SUPERVISOR, colleague.email)).toBe(true);
    expect(canPublishAdvice(SUPERVISOR, SUPERVISOR.email)).toBe(false);
    expect(canPublishAdvice(OFFICER, colleague.email)).toBe(false);
  });
});

describe('classification review', () => {
  const cumbriaSupervisor: StaffMember = { ...SUPERVISOR, forceId: 'cumbria' };

  it('reviews every force as an analyst, only their own force as a supervisor, nothing as anyone else', () => {
    expect(canReviewRecord(ANALYST, { forceId: 'kent' })).toBe(true);
    expect(canReviewRecord(cumbriaSupervisor, { forceId: 'cumbria' })).toBe(true);
    expect(canReviewRecord(cumbriaSupervisor, { forceId: 'kent' })).toBe(false);
    expect(canReviewRecord({ ...OFFICER, forceId: 'cumbria' }, { forceId: 'cumbria' })).toBe(false);
  });

  it('shows the text unmasked to the force’s supervisor only: analysts hold no personal data', () => {
    expect(seesUnmaskedReviewText(cumbriaSupervisor)).toBe(true);
    expect(ROLES.filter((role) => seesUnmaskedReviewText({ ...cumbriaSupervisor, role }))).toEqual([
      'force-supervisor',
    ]);
  });
});

describe('call handlers (advisers)', () => {
  // Even placed in a unit (which account placement refuses), a call handler reads nothing of anyone's reports.
  const HANDLER = person('adviser@x', 'call-handler', 'cumbria-cyber');

  it('enter the adviser journey and no other area; no other role enters it', () => {
    const areas = Object.keys(STAFF_AREAS) as StaffArea[];
    expect(areas.filter((area) => mayEnter(HANDLER, area))).toEqual(['any-staff', 'adviser-reporting']);
    for (const role of ROLES) expect(canTakeReportsForCallers({ role }), role).toBe(role === 'call-handler');
  });

  it('read no report, case, figure or campaign', () => {
    expect(canReadReport(HANDLER, { unitId: 'cumbria-cyber', forceId: 'cumbria' })).toBe(false);
    expect(canWorkCases(HANDLER)).toBe(false);
    expect(canSeeCase(HANDLER, open)).toBe(false);
    expect(canReadStatistics(HANDLER)).toBe(false);
    expect(canReadIntelligence(HANDLER)).toBe(false);
    expect(canSeeCampaign(HANDLER, ['cumbria-cyber'])).toBe(false);
  });
});

describe('the partner portal’s rules', () => {
  const user = { id: 1, email: 'u@bank.example', role: 'partner-user', partnerId: 7 } as const;
  const admin = { id: 2, email: 'a@bank.example', role: 'partner-admin', partnerId: 7 } as const;

  it('keeps each area to its users, and users to their own organisation', () => {
    expect(portalAreasOf(user, { id: 7, canSubmit: false, supplier: false })).toEqual(['portal-any']);
    expect(portalAreasOf(admin, { id: 7, canSubmit: true, supplier: false })).toEqual([
      'portal-any',
      'portal-submit',
      'portal-users',
    ]);
    expect(portalAreasOf(user, { id: 7, canSubmit: false, supplier: true })).toEqual([
      'portal-any',
      'portal-supplier',
    ]);
    expect(canManagePartnerUsers(admin, { partnerId: 8 })).toBe(false);
    expect(canSeeSubmission(user, { partnerId: 8 })).toBe(false);
    expect(canSeeSubmission(user, { partnerId: 7 })).toBe(true);
    expect(canUseGroupAsPartner(user, [null, 8])).toBe(false);
  });

  it('shows a supplier only its own taskings, and only once approved', () => {
    const supplier = { id: 7, canSubmit: false, supplier: true };
    expect(canSeeTaskingAsSupplier(user, supplier, { partnerId: 7, released: true })).toBe(true);
    expect(canSeeTaskingAsSupplier(user, supplier, { partnerId: 8, released: true })).toBe(false);
    expect(canSeeTaskingAsSupplier(user, supplier, { partnerId: 7, released: false })).toBe(false);
    expect(
      canSeeTaskingAsSupplier(user, { ...supplier, supplier: false }, { partnerId: 7, released: true }),
    ).toBe(false);
    expect(
      canSeeTaskingAsSupplier({ ...user, partnerId: 8 }, supplier, { partnerId: 7, released: true }),
    ).toBe(false);
  });

  it('keeps one active partner admin', () => {
    const active = { role: 'partner-admin', active: true } as const;
    expect(leavesNoPartnerAdministrator(active, { role: 'partner-admin', active: false }, 0)).toBe(true);
    expect(leavesNoPartnerAdministrator(active, { role: 'partner-admin', active: false }, 1)).toBe(false);
    expect(
      leavesNoPartnerAdministrator(
        { role: 'partner-user', active: true },
        { role: 'partner-user', active: false },
        0,
      ),
    ).toBe(false);
  });
});
