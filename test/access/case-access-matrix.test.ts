/**
 * Every case, exhibit, examination, custody, campaign and indicator route (JSON API and workspace pages and forms)
 * × every role × how the person's unit stands to the case: its officer in charge, the owning unit, a unit it is
 * shared with, another unit, an owning-unit officer not named on a restricted case, or no unit at all. The expected
 * outcome of each cell comes from the policy table below; a refused cell must also have written nothing.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/access/access-policy.ts';
import {
  FAMILIES,
  leadEmail,
  personEmail,
  REPORT_UNIT,
  seedCaseAccess,
  spareEmail,
  writableState,
  type CaseAccessWorld,
  type Family,
  type Target,
} from '../support/case-access-fixtures.ts';
import type { FormClient } from '../support/form-client.ts';
import { createTestApp } from '../support/test-app.ts';
import { testDialect } from '../support/test-services.ts';

type Relation = 'oic' | 'owner' | 'shared' | 'other' | 'non-member' | 'none';
/** ok; refused: seen but not theirs to do (403, or the form's error); hidden: as if it did not exist (404). */
type Outcome = 'ok' | 'refused' | 'hidden' | 'forbidden';
type Rule = 'see' | 'direct' | 'team' | 'examine';

// The policy under test. see: read and work the case, its exhibits, custody, tasks, call records, and ask for an
// examination. direct: share, transfer, close. team: name or remove members. examine: work the forensics queue.
const POLICY: Record<Rule, Record<Relation, Outcome>> = {
  see: { oic: 'ok', owner: 'ok', shared: 'ok', other: 'hidden', 'non-member': 'hidden', none: 'hidden' },
  direct: {
    oic: 'ok',
    owner: 'refused',
    shared: 'refused',
    other: 'hidden',
    'non-member': 'hidden',
    none: 'hidden',
  },
  team: {
    oic: 'ok',
    owner: 'ok',
    shared: 'refused',
    other: 'hidden',
    'non-member': 'hidden',
    none: 'hidden',
  },
  examine: {
    oic: 'ok',
    owner: 'ok',
    shared: 'hidden',
    other: 'hidden',
    'non-member': 'hidden',
    none: 'hidden',
  },
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
  ...(['analyst', 'admin'] as const).map((role) => ({
    role,
    relation: 'none' as const,
    email: personEmail(role, null),
    unit: null,
    family: 'force' as const,
    restricted: false,
  })),
];

const expected = (rule: Rule) => (cell: Cell) =>
  rule === 'direct' && cell.relation === 'owner' && cell.role === SUPERVISOR
    ? 'ok'
    : POLICY[rule][cell.relation];
const worksCases = (cell: Cell): Outcome => (cell.unit === null ? 'hidden' : 'ok');
// Campaigns: analysts see all in aggregate; officers those holding a report of their unit (sharing a case does not
// share its campaign); admins none.
const campaign = (cell: Cell): Outcome =>
  cell.role === 'analyst'
    ? 'ok'
    : cell.role === 'admin'
      ? 'forbidden'
      : cell.unit === REPORT_UNIT
        ? 'ok'
        : 'hidden';
const lookup = (cell: Cell): Outcome => (cell.role === 'admin' ? 'forbidden' : 'ok');
const holdsReport = (cell: Cell): Outcome => (cell.unit === REPORT_UNIT ? 'ok' : 'hidden');

interface Caller {
  email: string;
  api(method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse>;
  web(): Promise<FormClient>;
}
interface Route {
  name: string;
  web: boolean;
  outcome: (cell: Cell) => Outcome;
  send: (as: Caller, t: Target) => Promise<LightMyRequestResponse>;
  /** What an allowed cell needs first: a case of its own (the change moves or ends it), a fresh request, the spare back. */
  prepare?: 'case' | 'request' | 'spare';
  /** A list: it shows the target exactly when the cell's outcome is ok. */
  lists?: (body: string, t: Target) => boolean;
  /** Only for an allowed cell: what the answer must say. */
  check?: (res: LightMyRequestResponse, cell: Cell) => void;
}

const when = (prefix: string) => ({
  [`${prefix}-day`]: '20',
  [`${prefix}-month`]: '11',
  [`${prefix}-year`]: '2025',
  [`${prefix}-hour`]: '09',
  [`${prefix}-minute`]: '30',
});
const TASK_API = (as: Caller) => ({ title: 'Enquiry', owner: as.email, due_on: '2026-12-01' });
const EXHIBIT_API = {
  initials: 'AB',
  kind: 'other',
  description: 'USB stick',
  seized_at: '2025-11-20T09:15:00Z',
  seized_where: 'Carlisle',
};
const TRANSFER = (t: Target) => ({
  unit: FAMILIES[t.family].shared,
  reason: 'They lead now',
  officer: personEmail(FAMILIES[t.family].lead, FAMILIES[t.family].shared),
});
const CSV = 'timestamp,type\n2025-11-20T10:00:00Z,sms';
const caseUrl = (t: Target, rest = '') => `/api/v1/cases/${t.reference}${rest}`;
const page = (t: Target, rest = '') => `/staff/cases/${t.reference}${rest}`;
const formPost =
  (url: (t: Target) => string, fields: (t: Target, as: Caller) => Record<string, string>) =>
  async (as: Caller, t: Target) =>
    (await as.web()).post(url(t), fields(t, as), { follow: false });

const API: Omit<Route, 'web'>[] = [
  {
    name: 'GET /api/v1/cases/:ref',
    outcome: expected('see'),
    send: (as, t) => as.api('GET', caseUrl(t)),
    check: (res, cell) =>
      expect(res.json(), cell.email).toMatchObject({
        permissions: {
          share_transfer_close: expected('direct')(cell) === 'ok',
          change_team: expected('team')(cell) === 'ok',
        },
      }),
  },
  {
    name: 'POST …/tasks',
    outcome: expected('see'),
    send: (as, t) => as.api('POST', caseUrl(t, '/tasks'), TASK_API(as)),
  },
  {
    name: 'POST …/tasks/:id/done',
    outcome: expected('see'),
    send: (as, t) => as.api('POST', caseUrl(t, `/tasks/${t.taskId}/done`)),
  },
  {
    name: 'POST …/decisions',
    outcome: expected('see'),
    send: (as, t) =>
      as.api('POST', caseUrl(t, '/decisions'), { decision: 'Seek an order', reason: 'Needed' }),
  },
  {
    name: 'POST …/share',
    outcome: expected('direct'),
    send: (as, t) => as.api('POST', caseUrl(t, '/share'), { unit: 'psni-cyber', reason: 'Links there' }),
  },
  {
    name: 'POST …/share (transfer)',
    outcome: expected('direct'),
    prepare: 'case',
    send: (as, t) => {
      const { officer, ...rest } = TRANSFER(t);
      return as.api('POST', caseUrl(t, '/share'), { ...rest, transfer: true, officer_in_charge: officer });
    },
  },
  {
    name: 'POST …/close',
    outcome: expected('direct'),
    prepare: 'case',
    send: (as, t) => as.api('POST', caseUrl(t, '/close'), { outcome: 'caution', reason: 'Admitted' }),
  },
  {
    name: 'POST …/members',
    outcome: expected('team'),
    prepare: 'spare',
    send: (as, t) => as.api('POST', caseUrl(t, '/members'), { email: spareEmail(t.family) }),
  },
  {
    name: 'POST …/members/remove',
    outcome: expected('team'),
    prepare: 'spare',
    send: (as, t) => as.api('POST', caseUrl(t, '/members/remove'), { email: spareEmail(t.family) }),
  },
  {
    name: 'POST …/exhibits',
    outcome: expected('see'),
    send: (as, t) => as.api('POST', caseUrl(t, '/exhibits'), EXHIBIT_API),
  },
  {
    name: 'POST /api/v1/exhibits/:id/custody',
    outcome: expected('see'),
    send: (as, t) =>
      as.api('POST', `/api/v1/exhibits/${t.exhibitId}/custody`, {
        event: 'moved',
        at: '2025-11-21T10:00:00Z',
        location: 'Lab',
      }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/files',
    outcome: expected('see'),
    send: (as, t) =>
      as.api('POST', `/api/v1/exhibits/${t.exhibitId}/files`, {
        file_name: 'report.txt',
        content_base64: Buffer.from(`report by ${as.email}`).toString('base64'),
      }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/examinations',
    outcome: expected('see'),
    send: (as, t) =>
      as.api('POST', `/api/v1/exhibits/${t.exhibitId}/examinations`, {
        what: 'Extraction',
        why: 'Messages',
        priority: 'routine',
        legal_authority: 'PACE',
      }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/cdr',
    outcome: expected('see'),
    send: (as, t) => as.api('POST', `/api/v1/exhibits/${t.exhibitId}/cdr`, { csv: CSV }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/cdr/mark',
    outcome: expected('see'),
    send: (as, t) =>
      as.api('POST', `/api/v1/exhibits/${t.exhibitId}/cdr/mark`, {
        latitude: 54.8925,
        longitude: -2.9329,
        radius_m: 100,
        from: '2025-11-20T08:00:00Z',
        to: '2025-11-20T12:00:00Z',
      }),
  },
  {
    name: 'GET /api/v1/exhibits/:id/cdr',
    outcome: expected('see'),
    send: (as, t) => as.api('GET', `/api/v1/exhibits/${t.exhibitId}/cdr`),
  },
  {
    name: 'GET /api/v1/exhibits/:id/custody',
    outcome: expected('see'),
    send: (as, t) => as.api('GET', `/api/v1/exhibits/${t.exhibitId}/custody`),
  },
  {
    name: 'POST /api/v1/examinations/:id',
    outcome: expected('examine'),
    prepare: 'request',
    send: (as, t) =>
      as.api('POST', `/api/v1/examinations/${t.requestId}`, { status: 'complete', findings: 'Found' }),
  },
  {
    name: 'GET /api/v1/examinations',
    outcome: expected('examine'),
    send: (as) => as.api('GET', '/api/v1/examinations'),
    lists: (body, t) =>
      (JSON.parse(body) as { requests: { id: number }[] }).requests.some((r) => r.id === t.requestId),
  },
  {
    name: 'POST /api/v1/cases',
    outcome: worksCases,
    send: (as) => as.api('POST', '/api/v1/cases', { title: 'Opened in the matrix', reports: [] }),
  },
];

const WEB: Omit<Route, 'web'>[] = [
  {
    name: 'GET /staff/cases',
    outcome: (cell) => (cell.unit === null ? 'forbidden' : expected('see')(cell)),
    send: async (as) => (await as.web()).get('/staff/cases'),
    lists: (body, t) => body.includes(`href="/staff/cases/${t.reference}"`),
  },
  ...['', '/exhibits', '/tasks', '/custody', '/forensics'].map((tab) => ({
    name: `GET /staff/cases/:ref${tab}`,
    outcome: expected('see'),
    send: async (as: Caller, t: Target) => (await as.web()).get(page(t, tab)),
  })),
  {
    name: 'POST …/decisions (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, '/decisions'),
      () => ({ decision: 'Seek an order', reason: 'Needed' }),
    ),
  },
  {
    name: 'POST …/close (form)',
    outcome: expected('direct'),
    prepare: 'case',
    send: formPost(
      (t) => page(t, '/close'),
      () => ({ outcome: 'caution', reason: 'Admitted' }),
    ),
  },
  {
    name: 'POST …/share (form)',
    outcome: expected('direct'),
    send: formPost(
      (t) => page(t, '/share'),
      () => ({ unit: 'psni-cyber', kind: 'share', reason: 'Links there' }),
    ),
  },
  {
    name: 'POST …/share (transfer form)',
    outcome: expected('direct'),
    prepare: 'case',
    send: formPost(
      (t) => page(t, '/share'),
      (t) => ({ ...TRANSFER(t), kind: 'transfer' }),
    ),
  },
  {
    name: 'POST …/members (form)',
    outcome: expected('team'),
    prepare: 'spare',
    send: formPost(
      (t) => page(t, '/members'),
      (t) => ({ email: spareEmail(t.family) }),
    ),
  },
  {
    name: 'POST …/members/remove (form)',
    outcome: expected('team'),
    prepare: 'spare',
    send: formPost(
      (t) => page(t, '/members/remove'),
      (t) => ({ email: spareEmail(t.family) }),
    ),
  },
  {
    name: 'POST …/exhibits (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, '/exhibits'),
      () => ({
        initials: 'AB',
        kind: 'other',
        description: 'USB stick',
        seizedWhere: 'Carlisle',
        ...when('seized'),
      }),
    ),
  },
  {
    name: 'POST …/custody (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, '/custody'),
      (t) => ({ exhibit: String(t.exhibitId), event: 'moved', location: 'Lab', ...when('at') }),
    ),
  },
  {
    name: 'POST …/tasks (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, '/tasks'),
      (_t, as) => ({
        title: 'Enquiry',
        owner: as.email,
        'due-day': '1',
        'due-month': '12',
        'due-year': '2099',
      }),
    ),
  },
  {
    name: 'POST …/tasks/:id/done (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, `/tasks/${t.taskId}/done`),
      () => ({}),
    ),
  },
  {
    name: 'POST …/examinations (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, '/examinations'),
      (t) => ({
        exhibit: String(t.exhibitId),
        what: 'Extraction',
        why: 'Messages',
        priority: 'routine',
        legalAuthority: 'PACE',
      }),
    ),
  },
  {
    name: 'GET …/exhibits/:id',
    outcome: expected('see'),
    send: async (as, t) => (await as.web()).get(page(t, `/exhibits/${t.exhibitId}`)),
  },
  {
    name: 'POST …/exhibits/:id/files (upload)',
    outcome: expected('see'),
    send: async (as, t) =>
      (await as.web()).upload(
        page(t, `/exhibits/${t.exhibitId}/files`),
        [{ name: 'a.txt', content: `by ${as.email}` }],
        'files',
        {
          follow: false,
        },
      ),
  },
  {
    name: 'GET …/exhibits/:id/calls',
    outcome: expected('see'),
    send: async (as, t) => (await as.web()).get(page(t, `/exhibits/${t.exhibitId}/calls`)),
  },
  {
    name: 'POST …/exhibits/:id/calls/import (upload)',
    outcome: expected('see'),
    send: async (as, t) =>
      (await as.web()).upload(
        page(t, `/exhibits/${t.exhibitId}/calls/import`),
        [{ name: 'c.csv', content: CSV }],
        'csv',
        {
          follow: false,
        },
      ),
  },
  {
    name: 'POST …/exhibits/:id/calls/mark (form)',
    outcome: expected('see'),
    send: formPost(
      (t) => page(t, `/exhibits/${t.exhibitId}/calls/mark`),
      () => ({
        latitude: '54.8925',
        longitude: '-2.9329',
        radius: '100',
        ...when('from'),
        ...when('to'),
        'from-hour': '08',
      }),
    ),
  },
  {
    name: 'GET /staff/examinations',
    outcome: (cell) => (cell.unit === null ? 'forbidden' : expected('examine')(cell)),
    send: async (as) => (await as.web()).get('/staff/examinations'),
    lists: (body, t) => body.includes(`id="request-${t.requestId}"`),
  },
  {
    name: 'POST /staff/examinations/:id (form)',
    outcome: expected('examine'),
    prepare: 'request',
    send: formPost(
      (t) => `/staff/examinations/${t.requestId}`,
      () => ({ status: 'complete', findings: 'Found' }),
    ),
  },
  {
    name: 'POST /staff/cases (form)',
    outcome: worksCases,
    send: formPost(
      () => '/staff/cases',
      () => ({ title: 'Opened', reports: '', restricted: 'no' }),
    ),
  },
];

describe(`case, exhibit, examination, custody, campaign and indicator routes × roles × relations (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let world: CaseAccessWorld;
  const ghost: Target = {
    family: 'force',
    reference: 'CASE-ZZZZZZZZ',
    exhibitId: 999999,
    requestId: 999999,
    taskId: 999999,
  };

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
    const outcome = route.outcome(cell);
    const label = `${route.name} as ${cell.role} (${cell.relation}${cell.restricted ? ', restricted case' : ''})`;
    const target = await prepared(route, cell, outcome);
    const as = caller(cell.email);
    if (route.web) await as.web(); // signed in before the snapshot
    const before = outcome === 'ok' ? null : await writableState(ctx);
    const res = await route.send(as, target);
    if (route.lists !== undefined) {
      const forbidden = outcome === 'forbidden';
      expect(res.statusCode, label).toBe(forbidden ? (route.web ? 404 : 403) : 200);
      if (!forbidden) expect(route.lists(res.body, target), label).toBe(outcome === 'ok');
    } else if (outcome === 'ok') {
      if (route.web && res.statusCode === 303)
        expect(String(res.headers.location), label).toMatch(/[?&]done=/);
      else expect([200, 201], `${label}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      route.check?.(res, cell);
    } else if (outcome === 'refused') {
      if (route.web) {
        // Back to the form, which says why.
        expect(res.statusCode, label).toBe(303);
        const location = String(res.headers.location);
        expect(location, label).not.toMatch(/done=/);
        const shown = await (await as.web()).get(location);
        expect(shown.body, label).toMatch(/govuk-error-summary[\s\S]*(owns the case|unit that owns)/);
      } else {
        expect(res.statusCode, `${label}: ${res.body}`).toBe(403);
      }
    } else {
      const status = outcome === 'forbidden' && !route.web ? 403 : 404;
      expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBe(status);
      if (outcome === 'hidden' && route.outcome !== worksCases) {
        // Exactly what a case, exhibit or request that does not exist answers them.
        const none = await route.send(as, ghost);
        expect(comparable(res.body), label).toBe(comparable(none.body));
      }
    }
    if (before !== null) {
      const after = await writableState(ctx);
      if (outcome === 'refused') {
        // A person who may see the case leaves a read in the audit log, and nothing else.
        expect({ ...after, counts: { ...after.counts, audit: 0 } }, label).toEqual({
          ...before,
          counts: { ...before.counts, audit: 0 },
        });
      } else expect(after, label).toEqual(before);
    }
  }

  it('covers every role and relation', () => {
    expect(new Set(CELLS.map((c) => c.role))).toEqual(new Set(ROLES));
    for (const role of Object.keys(UNIT_ROLES))
      expect(
        new Set(CELLS.filter((c) => c.role === role && c.relation !== 'oic').map((c) => c.relation)),
      ).toEqual(new Set(['owner', 'shared', 'other', 'non-member']));
  });

  for (const route of [...API.map((r) => ({ ...r, web: false })), ...WEB.map((r) => ({ ...r, web: true }))])
    it(route.name, async () => {
      for (const cell of CELLS) await verify(route, cell);
    });

  describe('campaigns and indicators', () => {
    const routes: Route[] = [
      {
        name: 'GET /api/v1/campaigns',
        web: false,
        outcome: campaign,
        send: (as) => as.api('GET', '/api/v1/campaigns?limit=100'),
        lists: (body) =>
          (JSON.parse(body) as { campaigns: { id: number }[] }).campaigns.some(
            (c) => c.id === world.campaign.id,
          ),
      },
      {
        name: 'GET /api/v1/campaigns/:id',
        web: false,
        outcome: campaign,
        send: (as) => as.api('GET', `/api/v1/campaigns/${world.campaign.id}`),
      },
      {
        name: 'GET /api/v1/indicators/:type/:value',
        web: false,
        outcome: lookup,
        send: (as) =>
          as.api(
            'GET',
            `/api/v1/indicators/${world.campaign.indicator.type}/${encodeURIComponent(world.campaign.indicator.value)}`,
          ),
      },
      {
        name: 'GET /staff/campaigns',
        web: true,
        outcome: campaign,
        send: async (as) => (await as.web()).get('/staff/campaigns'),
        lists: (body) => body.includes(`/staff/campaigns/${world.campaign.id}"`),
      },
      {
        name: 'GET /staff/campaigns/:id',
        web: true,
        outcome: campaign,
        send: async (as) => (await as.web()).get(`/staff/campaigns/${world.campaign.id}`),
      },
      ...(['hold-back', 'release', 'retract'] as const).map((action) => ({
        name: `POST /staff/reports/:ref/${action} (indicator sharing)`,
        web: true,
        outcome: holdsReport,
        send: async (as: Caller) =>
          (await as.web()).post(
            `/staff/reports/${world.campaign.report}/${action}`,
            world.campaign.indicator,
            {
              follow: false,
            },
          ),
      })),
    ];
    for (const route of routes)
      it(route.name, async () => {
        for (const cell of CELLS) {
          const outcome = route.outcome(cell);
          const label = `${route.name} as ${cell.role} (${cell.unit ?? 'no unit'})`;
          if (route.web) await caller(cell.email).web();
          const before = outcome === 'ok' ? null : await writableState(ctx);
          const res = await route.send(caller(cell.email), targetOf(cell));
          if (route.lists !== undefined && outcome !== 'forbidden') {
            expect(res.statusCode, label).toBe(200);
            expect(route.lists(res.body, targetOf(cell)), label).toBe(outcome === 'ok');
          } else if (outcome === 'ok') expect([200, 303], label).toContain(res.statusCode);
          else expect(res.statusCode, label).toBe(outcome === 'forbidden' && !route.web ? 403 : 404);
          if (before !== null) expect(await writableState(ctx), label).toEqual(before);
        }
      });
  });
});
