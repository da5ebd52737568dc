/**
 * The routes of the case access matrix (test/access/case-access-matrix.test.ts): each names the policy rule it
 * follows and how to call it as someone, against a target case (its exhibit, examination request and task).
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import {
  FAMILIES,
  personEmail,
  spareEmail,
  UNWATCHED_UNIT,
  type CaseAccessWorld,
  type Target,
} from '../support/case-access-fixtures.ts';
import type { FormClient } from '../support/form-client.ts';

export interface Caller {
  email: string;
  api(method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse>;
  web(): Promise<FormClient>;
}

/**
 * Which rule of the policy table a route follows. see: read and work the case, its exhibits, custody, tasks and
 * call records, and ask for an examination; direct: share, transfer, close; team: name or remove members;
 * examine: work the forensics queue; open: open a case; campaign, lookup, report: campaigns, indicator look-ups and
 * a report's indicator sharing.
 */
export type Rule = 'see' | 'direct' | 'team' | 'examine' | 'open' | 'campaign' | 'lookup' | 'report';

export interface Route {
  name: string;
  web: boolean;
  rule: Rule;
  /** A workspace page only for people who work cases: the others get its 404. */
  gated?: boolean;
  send: (as: Caller, t: Target) => Promise<LightMyRequestResponse>;
  /** What an allowed cell needs first: a case of its own (the change moves or ends it), a fresh request, the spare back. */
  prepare?: 'case' | 'request' | 'spare';
  /** A list: it shows the target exactly when the cell's outcome is ok. */
  lists?: (body: string, t: Target) => boolean;
  /** Only for an allowed cell: what the answer must say, given which rules allow this person. */
  check?: (res: LightMyRequestResponse, allows: (rule: Rule) => boolean) => void;
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
    rule: 'see',
    send: (as, t) => as.api('GET', caseUrl(t)),
    check: (res, allows) => {
      expect(res.json()).toMatchObject({
        permissions: { share_transfer_close: allows('direct'), change_team: allows('team') },
      });
    },
  },
  {
    name: 'POST …/tasks',
    rule: 'see',
    send: (as, t) => as.api('POST', caseUrl(t, '/tasks'), TASK_API(as)),
  },
  {
    name: 'POST …/tasks/:id/done',
    rule: 'see',
    send: (as, t) => as.api('POST', caseUrl(t, `/tasks/${t.taskId}/done`)),
  },
  {
    name: 'POST …/decisions',
    rule: 'see',
    send: (as, t) =>
      as.api('POST', caseUrl(t, '/decisions'), { decision: 'Seek an order', reason: 'Needed' }),
  },
  {
    name: 'POST …/share',
    rule: 'direct',
    send: (as, t) => as.api('POST', caseUrl(t, '/share'), { unit: UNWATCHED_UNIT, reason: 'Links there' }),
  },
  {
    name: 'POST …/share (transfer)',
    rule: 'direct',
    prepare: 'case',
    send: (as, t) => {
      const { officer, ...rest } = TRANSFER(t);
      return as.api('POST', caseUrl(t, '/share'), { ...rest, transfer: true, officer_in_charge: officer });
    },
  },
  {
    name: 'POST …/close',
    rule: 'direct',
    prepare: 'case',
    send: (as, t) => as.api('POST', caseUrl(t, '/close'), { outcome: 'caution', reason: 'Admitted' }),
  },
  {
    name: 'POST …/members',
    rule: 'team',
    prepare: 'spare',
    send: (as, t) => as.api('POST', caseUrl(t, '/members'), { email: spareEmail(t.family) }),
  },
  {
    name: 'POST …/members/remove',
    rule: 'team',
    prepare: 'spare',
    send: (as, t) => as.api('POST', caseUrl(t, '/members/remove'), { email: spareEmail(t.family) }),
  },
  {
    name: 'POST …/exhibits',
    rule: 'see',
    send: (as, t) => as.api('POST', caseUrl(t, '/exhibits'), EXHIBIT_API),
  },
  {
    name: 'POST /api/v1/exhibits/:id/custody',
    rule: 'see',
    send: (as, t) =>
      as.api('POST', `/api/v1/exhibits/${t.exhibitId}/custody`, {
        event: 'moved',
        at: '2025-11-21T10:00:00Z',
        location: 'Lab',
      }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/files',
    rule: 'see',
    send: (as, t) =>
      as.api('POST', `/api/v1/exhibits/${t.exhibitId}/files`, {
        file_name: 'report.txt',
        content_base64: Buffer.from(`report by ${as.email}`).toString('base64'),
      }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/examinations',
    rule: 'see',
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
    rule: 'see',
    send: (as, t) => as.api('POST', `/api/v1/exhibits/${t.exhibitId}/cdr`, { csv: CSV }),
  },
  {
    name: 'POST /api/v1/exhibits/:id/cdr/mark',
    rule: 'see',
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
    rule: 'see',
    send: (as, t) => as.api('GET', `/api/v1/exhibits/${t.exhibitId}/cdr`),
  },
  {
    name: 'GET /api/v1/exhibits/:id/custody',
    rule: 'see',
    send: (as, t) => as.api('GET', `/api/v1/exhibits/${t.exhibitId}/custody`),
  },
  {
    name: 'POST /api/v1/examinations/:id',
    rule: 'examine',
    prepare: 'request',
    send: (as, t) =>
      as.api('POST', `/api/v1/examinations/${t.requestId}`, { status: 'complete', findings: 'Found' }),
  },
  {
    name: 'GET /api/v1/examinations',
    rule: 'examine',
    send: (as) => as.api('GET', '/api/v1/examinations'),
    lists: (body, t) =>
      (JSON.parse(body) as { requests: { id: number }[] }).requests.some((r) => r.id === t.requestId),
  },
  {
    name: 'POST /api/v1/cases',
    rule: 'open',
    send: (as) => as.api('POST', '/api/v1/cases', { title: 'Opened in the matrix', reports: [] }),
  },
];

const WEB: Omit<Route, 'web'>[] = [
  {
    name: 'GET /staff/cases',
    rule: 'see',
    gated: true,
    send: async (as) => (await as.web()).get('/staff/cases'),
    lists: (body, t) => body.includes(`href="/staff/cases/${t.reference}"`),
  },
  ...['', '/exhibits', '/tasks', '/custody', '/forensics'].map((tab): Omit<Route, 'web'> => ({
    name: `GET /staff/cases/:ref${tab}`,
    rule: 'see',
    send: async (as, t) => (await as.web()).get(page(t, tab)),
  })),
  {
    name: 'POST …/decisions (form)',
    rule: 'see',
    send: formPost(
      (t) => page(t, '/decisions'),
      () => ({ decision: 'Seek an order', reason: 'Needed' }),
    ),
  },
  {
    name: 'POST …/close (form)',
    rule: 'direct',
    prepare: 'case',
    send: formPost(
      (t) => page(t, '/close'),
      () => ({ outcome: 'caution', reason: 'Admitted' }),
    ),
  },
  {
    name: 'POST …/share (form)',
    rule: 'direct',
    send: formPost(
      (t) => page(t, '/share'),
      () => ({ unit: UNWATCHED_UNIT, kind: 'share', reason: 'Links there' }),
    ),
  },
  {
    name: 'POST …/share (transfer form)',
    rule: 'direct',
    prepare: 'case',
    send: formPost(
      (t) => page(t, '/share'),
      (t) => ({ ...TRANSFER(t), kind: 'transfer' }),
    ),
  },
  {
    name: 'POST …/members (form)',
    rule: 'team',
    prepare: 'spare',
    send: formPost(
      (t) => page(t, '/members'),
      (t) => ({ email: spareEmail(t.family) }),
    ),
  },
  {
    name: 'POST …/members/remove (form)',
    rule: 'team',
    prepare: 'spare',
    send: formPost(
      (t) => page(t, '/members/remove'),
      (t) => ({ email: spareEmail(t.family) }),
    ),
  },
  {
    name: 'POST …/exhibits (form)',
    rule: 'see',
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
    rule: 'see',
    send: formPost(
      (t) => page(t, '/custody'),
      (t) => ({ exhibit: String(t.exhibitId), event: 'moved', location: 'Lab', ...when('at') }),
    ),
  },
  {
    name: 'POST …/tasks (form)',
    rule: 'see',
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
    rule: 'see',
    send: formPost(
      (t) => page(t, `/tasks/${t.taskId}/done`),
      () => ({}),
    ),
  },
  {
    name: 'POST …/examinations (form)',
    rule: 'see',
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
    rule: 'see',
    send: async (as, t) => (await as.web()).get(page(t, `/exhibits/${t.exhibitId}`)),
  },
  {
    name: 'POST …/exhibits/:id/files (upload)',
    rule: 'see',
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
    rule: 'see',
    send: async (as, t) => (await as.web()).get(page(t, `/exhibits/${t.exhibitId}/calls`)),
  },
  {
    name: 'POST …/exhibits/:id/calls/import (upload)',
    rule: 'see',
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
    rule: 'see',
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
    rule: 'examine',
    gated: true,
    send: async (as) => (await as.web()).get('/staff/examinations'),
    lists: (body, t) => body.includes(`id="request-${t.requestId}"`),
  },
  {
    name: 'POST /staff/examinations/:id (form)',
    rule: 'examine',
    prepare: 'request',
    send: formPost(
      (t) => `/staff/examinations/${t.requestId}`,
      () => ({ status: 'complete', findings: 'Found' }),
    ),
  },
  {
    name: 'POST /staff/cases (form)',
    rule: 'open',
    send: formPost(
      () => '/staff/cases',
      () => ({ title: 'Opened', reports: '', restricted: 'no' }),
    ),
  },
];

/** Cases, exhibits, custody, examinations: the JSON API and the workspace pages and forms. */
export const CASE_ROUTES: Route[] = [
  ...API.map((r) => ({ ...r, web: false })),
  ...WEB.map((r) => ({ ...r, web: true })),
];

/** Campaigns and indicators, for the world's campaign (its report, one of its indicators). */
export const campaignRoutes = (campaign: CaseAccessWorld['campaign']): Route[] => [
  {
    name: 'GET /api/v1/campaigns',
    web: false,
    rule: 'campaign',
    send: (as) => as.api('GET', '/api/v1/campaigns?limit=100'),
    lists: (body) =>
      (JSON.parse(body) as { campaigns: { id: number }[] }).campaigns.some((c) => c.id === campaign.id),
  },
  {
    name: 'GET /api/v1/campaigns/:id',
    web: false,
    rule: 'campaign',
    send: (as) => as.api('GET', `/api/v1/campaigns/${campaign.id}`),
  },
  {
    name: 'GET /api/v1/indicators/:type/:value',
    web: false,
    rule: 'lookup',
    send: (as) =>
      as.api(
        'GET',
        `/api/v1/indicators/${campaign.indicator.type}/${encodeURIComponent(campaign.indicator.value)}`,
      ),
  },
  {
    name: 'GET /staff/campaigns',
    web: true,
    rule: 'campaign',
    send: async (as) => (await as.web()).get('/staff/campaigns'),
    lists: (body) => body.includes(`/staff/campaigns/${campaign.id}"`),
  },
  {
    name: 'GET /staff/campaigns/:id',
    web: true,
    rule: 'campaign',
    send: async (as) => (await as.web()).get(`/staff/campaigns/${campaign.id}`),
  },
  ...(['hold-back', 'release', 'retract'] as const).map((action): Route => ({
    name: `POST /staff/reports/:ref/${action} (indicator sharing)`,
    web: true,
    rule: 'report',
    send: async (as) =>
      (await as.web()).post(`/staff/reports/${campaign.report}/${action}`, campaign.indicator, {
        follow: false,
      }),
  })),
];
