/**
 * Every case, exhibit, examination, custody, campaign and indicator route (JSON API and workspace pages and forms,
 * listed in case-access-routes.ts) × every role × how the person's unit stands to the case: its officer in charge,
 * the owning unit, a unit it is shared with, another unit, an owning-unit officer not named on a restricted case,
 * or no unit at all. The expected outcome of each cell comes from the policy table below; a refused cell must also
 * have written nothing, and a hidden one must answer exactly as for a case that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/access/access-policy.ts';
import {
  FAMILIES,
  leadEmail,
  personEmail,
  REPORT_UNIT,
  seedCaseAccess,
  writableState,
  type CaseAccessWorld,
  type Family,
  type Target,
} from '../support/case-access-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';
import { testDialect } from '../support/test-services.ts';
import { campaignRoutes, CASE_ROUTES, type Caller, type Route, type Rule } from './case-access-routes.ts';

type Relation = 'oic' | 'owner' | 'shared' | 'other' | 'non-member' | 'none';
/** ok; refused: seen but not theirs to do (403, or the form's error); hidden: as if it did not exist (404); forbidden: not for this role (403 API, 404 page). */
type Outcome = 'ok' | 'refused' | 'hidden' | 'forbidden';

// The policy under test, for a case: by how the person's unit stands to it.
// prettier-ignore
const POLICY: Record<'see' | 'direct' | 'team' | 'examine', Record<Relation, Outcome>> = {
  //          in charge  owning unit     shared-with unit  other unit     restricted non-member   no unit
  see:     { oic: 'ok', owner: 'ok',      shared: 'ok',      other: 'hidden', 'non-member': 'hidden', none: 'hidden' },
  direct:  { oic: 'ok', owner: 'refused', shared: 'refused', other: 'hidden', 'non-member': 'hidden', none: 'hidden' },
  team:    { oic: 'ok', owner: 'ok',      shared: 'refused', other: 'hidden', 'non-member': 'hidden', none: 'hidden' },
  examine: { oic: 'ok', owner: 'ok',      shared: 'hidden',  other: 'hidden', 'non-member': 'hidden', none: 'hidden' },
};
/** The one role exception: an owning unit's supervisor directs its cases (those they can see). */
const SUPERVISOR: Role = 'force-supervisor';

interface Cell {
  role: Role;
  relation: Relation;
  email: string;
  unit: string | null;
  family: Family;
  restricted: boolean;
}

// Each role's own kind of unit, and the unit it is "other" from. There are only two national units, so a national
// officer is tested as "other" against a force's case.
const UNIT_ROLES = {
  'force-officer': { family: 'force', other: ['lancashire-cyber', 'force'] },
  'force-supervisor': { family: 'force', other: ['lancashire-cyber', 'force'] },
  'regional-officer': { family: 'regional', other: ['serocu-rccu', 'regional'] },
  'national-officer': { family: 'national', other: ['nccu', 'force'] },
} as const satisfies Partial<Record<Role, { family: Family; other: [string, Family] }>>;

const CELLS: Cell[] = [
  ...Object.entries(UNIT_ROLES).flatMap(([r, home]) => {
    const role = r as Role;
    const f = FAMILIES[home.family];
    const [otherUnit, otherFamily] = home.other;
    const cell = (relation: Relation, unit: string, family: Family, restricted = false): Cell => ({
      role,
      relation,
      email: personEmail(role, unit),
      unit,
      family,
      restricted,
    });
    return [
      cell('owner', f.owner, home.family),
      cell('shared', f.shared, home.family),
      cell('other', otherUnit, otherFamily),
      cell('non-member', f.owner, home.family, true),
    ];
  }),
  // Each family's officer in charge, on its restricted case: the team works it.
  ...(Object.keys(FAMILIES) as Family[]).map((family) => ({
    role: FAMILIES[family].lead,
    relation: 'oic' as const,
    email: leadEmail(family),
    unit: FAMILIES[family].owner,
    family,
    restricted: true,
  })),
  ...(['analyst', 'admin', 'call-handler'] as const).map((role) => ({
    role,
    relation: 'none' as const,
    email: personEmail(role, null),
    unit: null,
    family: 'force' as const,
    restricted: false,
  })),
];

/** Roles the intelligence pages refuse outright. */
const NO_INTELLIGENCE = new Set<Role>(['admin', 'call-handler']);

/** The expected outcome of a rule for a cell. */
function outcomeOf(rule: Rule, cell: Cell): Outcome {
  switch (rule) {
    case 'open':
      return cell.unit === null ? 'hidden' : 'ok';
    // Analysts see every campaign in aggregate; officers those holding a report of their unit (sharing a case does
    // not share its reports' campaign); admins and call handlers none.
    case 'campaign':
      if (cell.role === 'analyst') return 'ok';
      return NO_INTELLIGENCE.has(cell.role) ? 'forbidden' : cell.unit === REPORT_UNIT ? 'ok' : 'hidden';
    case 'lookup':
      return NO_INTELLIGENCE.has(cell.role) ? 'forbidden' : 'ok';
    case 'report':
      return cell.unit === REPORT_UNIT ? 'ok' : 'hidden';
    case 'direct':
      if (cell.relation === 'owner' && cell.role === SUPERVISOR) return 'ok';
  }
  return POLICY[rule][cell.relation];
}
const CASE_RULES: readonly Rule[] = ['see', 'direct', 'team', 'examine'];

describe(`case, exhibit, examination, custody, campaign and indicator routes × roles × relations (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let world: CaseAccessWorld;
  // prettier-ignore
  const ghost: Target = { family: 'force', reference: 'CASE-ZZZZZZZZ', exhibitId: 999999, requestId: 999999, taskId: 999999 };

  beforeAll(async () => {
    ctx = await createTestApp();
    world = await seedCaseAccess(
      ctx,
      CELLS.filter((c) => c.relation !== 'oic').map((c) => ({ role: c.role, unit: c.unit })),
    );
  });
  afterAll(() => ctx.close());

  const caller = (email: string): Caller => ({
    email,
    api: (method, url, payload) =>
      ctx.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${world.token(email)}` },
        ...(payload ? { payload } : {}),
      }),
    web: () => world.client(email),
  });
  const targetOf = (cell: Cell) => world.cases[cell.family][cell.restricted ? 'restricted' : 'open'];
  /** A page without what differs per request (CSP nonce, CSRF token, the language toggle's link to itself). */
  const comparable = (body: string) => body.replace(/(nonce|content|value|href)="[^"]*"/g, '');

  async function prepared(route: Route, cell: Cell, outcome: Outcome): Promise<Target> {
    const target = targetOf(cell);
    if (route.prepare === 'spare') await world.restoreSpare(target);
    if (route.prepare === 'request' && outcome === 'ok')
      return { ...target, requestId: await world.newRequest(target.family, target.exhibitId) };
    if (route.prepare === 'case' && outcome === 'ok') return world.seedCase(target.family, cell.restricted);
    return target;
  }

  async function verify(route: Route, cell: Cell) {
    const outcome = outcomeOf(route.rule, cell);
    const label = `${route.name} as ${cell.role} (${cell.relation}${cell.restricted ? ', restricted case' : ''})`;
    const target = await prepared(route, cell, outcome);
    const as = caller(cell.email);
    if (route.web) await as.web(); // signed in before the snapshot
    const before = outcome === 'ok' ? null : await writableState(ctx);
    const res = await route.send(as, target);
    // Refused or hidden, nothing is written: checks write nothing, not even a read row (forms are not views).
    if (before !== null) expect(await writableState(ctx), label).toEqual(before);
    if (route.lists !== undefined) {
      const forbidden = outcome === 'forbidden' || (route.gated === true && cell.unit === null);
      expect(res.statusCode, label).toBe(forbidden ? (route.web ? 404 : 403) : 200);
      if (!forbidden) expect(route.lists(res.body, target), label).toBe(outcome === 'ok');
    } else if (outcome === 'ok') {
      if (route.web && res.statusCode === 303)
        expect(String(res.headers.location), label).toMatch(/[?&]done=/);
      else expect([200, 201], `${label}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      route.check?.(res, (rule) => outcomeOf(rule, cell) === 'ok');
    } else if (outcome === 'refused') {
      if (route.web) {
        // Back to the form, which says why.
        expect(res.statusCode, label).toBe(303);
        const location = String(res.headers.location);
        expect(location, label).not.toMatch(/done=/);
        const shown = await (await as.web()).get(location);
        expect(shown.body, label).toMatch(/govuk-error-summary[\s\S]*unit that owns/);
      } else expect(res.statusCode, `${label}: ${res.body}`).toBe(403);
    } else {
      expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(
        outcome === 'forbidden' && !route.web ? 403 : 404,
      );
      if (outcome === 'hidden' && CASE_RULES.includes(route.rule)) {
        // Exactly what a case, exhibit or request that does not exist answers them.
        const none = await route.send(as, ghost);
        expect(comparable(res.body), label).toBe(comparable(none.body));
      }
    }
  }

  it('covers every role and relation', () => {
    // Prevent officers hold a unit but pass no gate of these routes (unit-work, intelligence): their refusals are
    // src/web/features/prevent/prevent.test.ts's.
    expect(new Set(CELLS.map((c) => c.role))).toEqual(new Set(ROLES.filter((r) => r !== 'prevent-officer')));
    for (const role of Object.keys(UNIT_ROLES))
      expect(
        new Set(CELLS.filter((c) => c.role === role && c.relation !== 'oic').map((c) => c.relation)),
      ).toEqual(new Set(['owner', 'shared', 'other', 'non-member']));
  });

  for (const route of CASE_ROUTES)
    it(route.name, async () => {
      for (const cell of CELLS) await verify(route, cell);
    });

  // The campaign's routes are known once the world is seeded: one test walks them all.
  it('campaign and indicator routes', async () => {
    for (const route of campaignRoutes(world.campaign)) for (const cell of CELLS) await verify(route, cell);
  });
});
