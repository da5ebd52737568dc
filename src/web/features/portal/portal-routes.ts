/**
 * The partner portal (/partner): a partner organisation's people sign in with a password and a second factor (the
 * staff sign-in, see services/partner-users.ts), read their collections, feedback, submissions and working groups,
 * submit indicators by form or CSV (the TAXII collection's use case and limits), answer requests for information,
 * post alerts, follow their groups as server-sent events, and (partner admins) manage their organisation's users.
 * Every page but signing in and out is behind the portal gate (plugins/partner-gate.ts) with its area; what a user
 * may see within it (their organisation's own submissions, their groups) is the services'.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { portalAreasOf, type PortalArea } from '../../../domain/access/access-policy.ts';
import { INDICATOR_TYPES, isIndicatorType } from '../../../domain/indicators/indicator.ts';
import { PARTNER_OBJECT_LIMIT, PARTNER_POST_LIMIT } from '../../../domain/limits/client-limits.ts';
import {
  checkRow,
  MAX_CSV_BYTES,
  MAX_CSV_ROWS,
  readSubmissionCsv,
  type RowProblem,
  type SubmissionRow,
} from '../../../domain/sharing/submission-rows.ts';
import { SHARING_TLPS, SUBMISSION_TLPS } from '../../../domain/sharing/tlp.ts';
import type { Services } from '../../../services/index.ts';
import { PARTNER_SESSION_KEY } from '../../../services/sessions.ts';
import { PASSWORD_LENGTH } from '../../../services/staff-passwords.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import {
  PORTAL_PASSWORD_PATH,
  PORTAL_SIGN_IN_PATH,
  portalOf,
  type PortalCaller,
} from '../../plugins/partner-gate.ts';
import { noStore, showOnceAt, takeShownOnce } from '../../plugins/shown-once.ts';
import { enrolmentQr, groupedSecret } from '../admin/enrolment.ts';
import { streamGroupEvents } from '../groups/group-events.ts';
import { rowId as idParam } from '../../../domain/row-id.ts';

/** Open event streams a user may hold at once (each polls the database), per app instance. */
export const MAX_STREAMS_PER_USER = 3;

const any = { portal: { allow: 'portal-any' } } as const;
const submit = { portal: { allow: 'portal-submit' } } as const;
const users = { portal: { allow: 'portal-users' } } as const;

const SUBMIT_PATH = '/partner/submit';
const RESULT_PATH = '/partner/submit/result';
const USERS_PATH = '/partner/users';
const CREDENTIALS_PATH = '/partner/users/credentials';
const RESULT_KEY = 'portalSubmitResult';

const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};

/** The portal's navigation: each link names its page's area, offered only to those who may enter it. */
const NAV: { href: string; key: string; area: PortalArea }[] = [
  { href: '/partner', key: 'home', area: 'portal-any' },
  { href: '/partner/collections', key: 'collections', area: 'portal-any' },
  { href: '/partner/submissions', key: 'submissions', area: 'portal-any' },
  { href: SUBMIT_PATH, key: 'submit', area: 'portal-submit' },
  { href: '/partner/feedback', key: 'feedback', area: 'portal-any' },
  { href: '/partner/groups', key: 'groups', area: 'portal-any' },
  { href: '/partner/disruption-requests', key: 'disruption', area: 'portal-any' },
  { href: '/partner/taskings', key: 'taskings', area: 'portal-supplier' },
  { href: '/partner/tokens', key: 'tokens', area: 'portal-any' },
  { href: USERS_PATH, key: 'users', area: 'portal-users' },
];
export const portalNav = (caller: PortalCaller) => {
  const areas = new Set(portalAreasOf(caller.user, caller.partner));
  return NAV.filter((link) => areas.has(link.area));
};

/** A portal page (a feature's `views/` template), never cached, with the signed-in caller's navigation. */
export function portalPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  title: string,
  data: object = {},
) {
  const caller = request.portal;
  return reply.header('cache-control', 'no-store').page(template, {
    pageTitle: title,
    portal: caller,
    nav: caller === null ? [] : portalNav(caller),
    ...data,
  });
}

/** A CSV row's problem as the error summary's item: it names the line and the column. */
const rowProblem = (p: RowProblem): FormProblem => ({
  field: p.line === null ? p.field : 'csv',
  key: `portal.submit.errors.rows.${p.field}.${p.kind}`,
  params: { line: String(p.line ?? '') },
});

export function portalRoutes(app: FastifyInstance, services: Services): void {
  /** Open streams per user id, on this instance. */
  const streams = new Map<number, number>();

  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    data: Record<string, unknown> = {},
  ) => portalPage(request, reply, `portal/views/${template}`, title, data);

  // ---- Signing in and out, and one's own password: the staff machinery under the portal's own session ----

  app.get(PORTAL_SIGN_IN_PATH, async (request, reply) =>
    page(request, reply, 'sign-in.njk', request.t('portal.signIn.title'), { values: {} }),
  );

  app.post<{ Body: Record<string, unknown> }>(PORTAL_SIGN_IN_PATH, async (request, reply) => {
    const values = { email: text(request.body, 'email', 320) };
    const password = text(request.body, 'password', 500);
    const code = text(request.body, 'code', 20);
    const errors: [string, string][] = [];
    if (values.email === '') errors.push(['email', 'emailRequired']);
    if (password === '') errors.push(['password', 'passwordRequired']);
    if (code === '') errors.push(['code', 'codeRequired']);
    // Shown in place, as staff sign-in is (no session is kept for someone not signed in).
    const fail = (list: [string, string][], status = 400) =>
      reply.code(status).page('portal/views/sign-in.njk', {
        pageTitle: request.t('portal.signIn.title'),
        nav: [],
        values,
        errors: list.map(([field, key]) => ({
          text: request.t(`portal.signIn.errors.${key}`),
          href: `#${field}`,
        })),
        fieldErrors: Object.fromEntries(
          list.map(([field, key]) => [field, { text: request.t(`portal.signIn.errors.${key}`) }]),
        ),
      });
    if (errors.length > 0) return fail(errors);
    const result = await services.partnerUsers.signIn(
      values.email,
      password,
      code,
      services.clientLimits.clientKey(request.ip),
    );
    if (result === 'throttled') return fail([['email', 'tooManyAttempts']], 429);
    // One answer for every failure (unknown, wrong, locked, disabled, a staff account, code used).
    if (result === null) return fail([['email', 'wrongDetails']]);
    // A new session id on sign-in, so an id known before sign-in is worthless after it.
    await request.session.destroy();
    request.session.set(PARTNER_SESSION_KEY, result.id);
    await request.session.save();
    return reply.code(303).redirect('/partner');
  });

  app.post('/partner/sign-out', async (request, reply) => {
    await request.session.destroy();
    return reply.code(303).redirect(PORTAL_SIGN_IN_PATH);
  });

  const ownPassword = { portal: { allow: 'portal-any', beforeOwnPassword: true } } as const;
  app.get<{ Querystring: { done?: string } }>(
    PORTAL_PASSWORD_PATH,
    { config: ownPassword },
    async (request, reply) => {
      const id = request.session.get(PARTNER_SESSION_KEY);
      const signedIn = typeof id === 'number' ? await services.partnerUsers.sessionUser(id) : null;
      const first = signedIn?.passwordChangeDue === true;
      return page(
        request,
        reply,
        'password.njk',
        request.t(first ? 'portal.password.firstTitle' : 'portal.password.title'),
        {
          first,
          nav: first ? [] : portalNav(portalOf(request)),
          done: !first && request.query.done === 'changed',
          ...(await formMessages(request, PORTAL_PASSWORD_PATH, 'account.password.errors')),
        },
      );
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    PORTAL_PASSWORD_PATH,
    { config: ownPassword },
    async (request, reply) => {
      const { user } = portalOf(request);
      const read = (name: string) => text(request.body, name, PASSWORD_LENGTH.max + 1);
      const current = read('current-password');
      const next = read('new-password');
      const confirm = read('confirm-password');
      const problems: FormProblem[] = [];
      if (current === '') problems.push({ field: 'current-password', key: 'currentRequired' });
      if (next === '') problems.push({ field: 'new-password', key: 'newRequired' });
      else if (confirm === '') problems.push({ field: 'confirm-password', key: 'confirmRequired' });
      else if (confirm !== next) problems.push({ field: 'confirm-password', key: 'confirmMismatch' });
      if (problems.length > 0) return failForm(request, reply, PORTAL_PASSWORD_PATH, problems);
      try {
        // The staff password change: the same rules, lock-out and audit, every session ended.
        await services.staffPasswords.change(user.id, current, next);
      } catch (error) {
        const problem = serviceProblem(error, 'current-password', {
          currentPassword: 'current-password',
          newPassword: 'new-password',
        });
        if (problem === 'not-found') return reply.code(303).redirect(PORTAL_SIGN_IN_PATH);
        return failForm(request, reply, PORTAL_PASSWORD_PATH, [problem]);
      }
      await request.session.regenerate();
      await request.session.save();
      return reply.code(303).redirect(`${PORTAL_PASSWORD_PATH}?done=changed`);
    },
  );

  // ---- Reading: home, collections, feedback, submissions ----

  app.get('/partner', { config: any }, async (request, reply) => {
    const caller = portalOf(request);
    return page(request, reply, 'home.njk', request.t('portal.home.title'), {
      groups: await services.workingGroups.groupsFor(caller.partner),
      collections: services.partnerPortal.collections(caller.partner).length,
    });
  });

  app.get('/partner/collections', { config: any }, async (request, reply) => {
    const { user, partner } = portalOf(request);
    return page(request, reply, 'collections.njk', request.t('portal.collections.title'), {
      collections: await services.partnerPortal.listCollections(user, partner),
    });
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    '/partner/collections/:id',
    { config: any },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const q = (request.query.q ?? '').trim().slice(0, 200);
      const type = request.query.type ?? '';
      const before = Number.parseInt(request.query.before ?? '', 10);
      let found;
      try {
        found = await services.partnerPortal.search(user, partner, request.params.id, {
          ...(q === '' ? {} : { text: q }),
          ...(isIndicatorType(type) ? { type } : {}),
          ...(Number.isInteger(before) && before > 0 ? { before } : {}),
        });
      } catch (error) {
        if (serviceProblem(error, 'q') === 'not-found') return notFound(reply);
        throw error;
      }
      const nextUrl =
        found.next === null
          ? null
          : `/partner/collections/${encodeURIComponent(request.params.id)}?${new URLSearchParams({
              ...(q === '' ? {} : { q }),
              ...(isIndicatorType(type) ? { type } : {}),
              before: String(found.next),
            }).toString()}`;
      return page(request, reply, 'collection.njk', found.collection.title, {
        collection: found.collection,
        items: found.items,
        q,
        type: isIndicatorType(type) ? type : '',
        types: INDICATOR_TYPES,
        nextUrl,
      });
    },
  );

  app.get('/partner/feedback', { config: any }, async (request, reply) => {
    const { user, partner } = portalOf(request);
    return page(request, reply, 'feedback.njk', request.t('portal.feedback.title'), {
      feedback: await services.partnerPortal.feedback(user, partner),
    });
  });

  app.get('/partner/submissions', { config: any }, async (request, reply) => {
    const { user, partner } = portalOf(request);
    return page(request, reply, 'submissions.njk', request.t('portal.submissions.title'), {
      ...(await services.partnerPortal.submissions(user, partner)),
    });
  });

  // ---- Submitting: one value, or a CSV; the TAXII collection's use case and per-partner limits ----

  app.get(SUBMIT_PATH, { config: submit }, async (request, reply) =>
    page(request, reply, 'submit.njk', request.t('portal.submit.title'), {
      types: INDICATOR_TYPES,
      tlps: SUBMISSION_TLPS,
      maxRows: MAX_CSV_ROWS,
      ...(await formMessages(request, SUBMIT_PATH, 'portal.submit.errors')),
    }),
  );

  /** The partner's allowance, shared with its TAXII POSTs: counted (refused rows too) before anything is stored. */
  const withinLimits = async (caller: PortalCaller, rows: number): Promise<boolean> => {
    const posts = await services.clientLimits.tally(
      `taxii-post:${String(caller.partner.id)}`,
      PARTNER_POST_LIMIT.windowMinutes,
    );
    if (posts > PARTNER_POST_LIMIT.perPartner) return false;
    const objects = await services.clientLimits.tally(
      `taxii-objects:${String(caller.partner.id)}`,
      PARTNER_OBJECT_LIMIT.windowMinutes,
      rows,
    );
    return objects <= PARTNER_OBJECT_LIMIT.perPartner;
  };

  const submitRows = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rows: SubmissionRow[],
    values: Record<string, string>,
  ) => {
    const caller = portalOf(request);
    if (!(await withinLimits(caller, rows.length)))
      return failForm(request, reply, SUBMIT_PATH, [{ field: 'csv', key: 'tooMany' }], values);
    const result = await services.partnerPortal.submit(caller.user, caller.partner, rows);
    request.session.set(RESULT_KEY, result);
    await request.session.save();
    return reply.code(303).redirect(RESULT_PATH);
  };

  app.post<{ Body: Record<string, unknown> }>(SUBMIT_PATH, { config: submit }, async (request, reply) => {
    const cells = {
      type: text(request.body, 'type', 40),
      value: text(request.body, 'value', 2100),
      tlp: text(request.body, 'tlp', 20),
      reshare: text(request.body, 'reshare', 10),
      labels: text(request.body, 'labels', 300),
    };
    const checked = checkRow(null, cells);
    if ('problems' in checked)
      return failForm(request, reply, SUBMIT_PATH, checked.problems.map(rowProblem), cells);
    return submitRows(request, reply, [checked.row], cells);
  });

  /**
   * A CSV, pasted (`field` csv) or uploaded (`field` file): the same checks and use case either way. Nothing is
   * stored from a file with a bad row: every problem is listed, naming its line and column.
   */
  const takeCsv = async (
    request: FastifyRequest,
    reply: FastifyReply,
    csv: string,
    field: 'csv' | 'file',
    values: Record<string, string>,
  ) => {
    const read = readSubmissionCsv(csv);
    if ('file' in read)
      return failForm(
        request,
        reply,
        SUBMIT_PATH,
        [{ field, key: `portal.submit.errors.file.${read.file}` }],
        values,
      );
    if ('problems' in read)
      return failForm(
        request,
        reply,
        SUBMIT_PATH,
        read.problems.slice(0, 50).map((p) => ({ ...rowProblem(p), field })),
        values,
      );
    return submitRows(request, reply, read.rows, {});
  };

  app.post<{ Body: Record<string, unknown> }>(
    `${SUBMIT_PATH}/csv`,
    { config: submit },
    async (request, reply) => {
      const csv = typeof request.body.csv === 'string' ? request.body.csv : '';
      const values = { csv: csv.slice(0, 60 * 1024) };
      if (csv.trim() === '')
        return failForm(request, reply, SUBMIT_PATH, [{ field: 'csv', key: 'csvRequired' }], values);
      return takeCsv(request, reply, csv, 'csv', values);
    },
  );

  // A CSV file: multipart in its own context only, one file of at most MAX_CSV_BYTES; the form carries its CSRF
  // token in the URL (checked before the body is read), as the other uploads do.
  void app.register(async (upload) => {
    await upload.register(multipart, {
      limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 0, parts: 1 },
    });
    upload.post(`${SUBMIT_PATH}/file`, { config: submit }, async (request, reply) => {
      const fail = (key: string) => failForm(request, reply, SUBMIT_PATH, [{ field: 'file', key }]);
      if (!request.isMultipart()) return fail('fileRequired');
      let content: Buffer | null = null;
      for await (const part of request.files()) {
        const bytes = await part.toBuffer().catch(() => null);
        if (bytes === null || part.file.truncated) return fail('portal.submit.errors.file.too-large');
        if (bytes.byteLength > 0) content = bytes;
      }
      if (content === null) return fail('fileRequired');
      // A spreadsheet's UTF-8 byte order mark is not part of the first column's name.
      return takeCsv(request, reply, content.toString('utf8').replace(/^\uFEFF/, ''), 'file', {});
    });
  });

  app.get(RESULT_PATH, { config: submit }, async (request, reply) => {
    const result = request.session.get(RESULT_KEY) as
      Awaited<ReturnType<Services['partnerPortal']['submit']>> | null | undefined;
    if (result === undefined || result === null) return reply.code(303).redirect('/partner/submissions');
    request.session.set(RESULT_KEY, null);
    await request.session.save();
    return page(request, reply, 'submit-result.njk', request.t('portal.result.title'), { result });
  });

  // ---- Working groups: requests for information, alerts, and their event stream ----

  app.get('/partner/groups', { config: any }, async (request, reply) =>
    page(request, reply, 'groups.njk', request.t('portal.groups.title'), {
      groups: await services.workingGroups.groupsFor(portalOf(request).partner),
    }),
  );

  const groupPath = (id: number) => `/partner/groups/${String(id)}`;

  app.get<{ Params: { id: string } }>('/partner/groups/:id', { config: any }, async (request, reply) => {
    const { user, partner } = portalOf(request);
    const id = idParam(request.params.id);
    const group = id === null ? null : await services.workingGroups.groupFor(partner, id, user.email);
    if (group === null || id === null) return notFound(reply);
    return page(request, reply, 'group.njk', group.name, {
      group,
      types: INDICATOR_TYPES,
      tlps: SHARING_TLPS,
      ...(await formMessages(request, groupPath(id), 'portal.group.errors')),
    });
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/partner/groups/:id/alerts',
    { config: any },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const id = idParam(request.params.id);
      // Not a member: "not found" before anything typed is looked at, as for a group that does not exist.
      if (id === null || (await services.workingGroups.latestEventId(partner, id)) === null)
        return notFound(reply);
      const values = {
        text: text(request.body, 'text', 2100),
        tlp: text(request.body, 'tlp', 20),
        indicatorType: text(request.body, 'indicator-type', 40),
        indicatorValue: text(request.body, 'indicator-value', 2100),
      };
      const problems: FormProblem[] = [];
      if (values.text === '') problems.push({ field: 'alert-text', key: 'textRequired' });
      if (values.tlp === '') problems.push({ field: 'alert-tlp', key: 'tlpRequired' });
      if (problems.length > 0) return failForm(request, reply, groupPath(id), problems, values);
      try {
        await services.workingGroups.postAlert(partner, user.email, id, {
          text: values.text,
          tlp: values.tlp,
          ...(values.indicatorValue === ''
            ? {}
            : { indicatorType: values.indicatorType, indicatorValue: values.indicatorValue }),
        });
      } catch (error) {
        const problem = serviceProblem(error, 'alert-text', {
          text: 'alert-text',
          tlp: 'alert-tlp',
          indicator_value: 'indicator-value',
        });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, groupPath(id), [problem], values);
      }
      return reply.code(303).redirect(`${groupPath(id)}?done=alert`);
    },
  );

  app.post<{ Params: { id: string; messageId: string }; Body: Record<string, unknown> }>(
    '/partner/groups/:id/requests/:messageId/answer',
    { config: any },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const id = idParam(request.params.id);
      const messageId = idParam(request.params.messageId);
      if (
        id === null ||
        messageId === null ||
        (await services.workingGroups.latestEventId(partner, id)) === null
      )
        return notFound(reply);
      const seen = text(request.body, 'seen', 5);
      const comment = text(request.body, 'comment', 2100);
      const field = `seen-${String(messageId)}`;
      if (seen !== 'yes' && seen !== 'no')
        return failForm(request, reply, groupPath(id), [{ field, key: 'seenRequired' }], { comment });
      try {
        await services.workingGroups.answer(
          partner,
          id,
          messageId,
          { seen: seen === 'yes', comment },
          user.email,
        );
      } catch (error) {
        const problem = serviceProblem(error, field, { comment: `comment-${String(messageId)}` });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, groupPath(id), [problem], { comment });
      }
      return reply.code(303).redirect(`${groupPath(id)}?done=answer#request-${String(messageId)}`);
    },
  );

  /**
   * The group's new messages as server-sent events for the page (app.js shows them), the partner API's stream
   * under the portal's session: each poll also checks that the session's user is still active and a member, so a
   * disabled user's stream stops at once. At most MAX_STREAMS_PER_USER at once per user.
   */
  app.get<{ Params: { id: string } }>(
    '/partner/groups/:id/events',
    { config: any },
    async (request, reply) => {
      const { user, partner } = portalOf(request);
      const id = idParam(request.params.id);
      const latest = id === null ? null : await services.workingGroups.latestEventId(partner, id);
      if (id === null || latest === null) return notFound(reply);
      const open = streams.get(user.id) ?? 0;
      if (open >= MAX_STREAMS_PER_USER)
        return reply
          .code(429)
          .header('retry-after', '30')
          .header('cache-control', 'no-store')
          .type('text/plain')
          .send('Too many open event streams');
      streams.set(user.id, open + 1);
      const resume = Number(request.headers['last-event-id']);
      const after =
        Number.isInteger(resume) && resume >= 0 && request.headers['last-event-id'] !== undefined
          ? resume
          : latest;
      return streamGroupEvents(
        request,
        reply,
        after,
        async (from) => {
          const still = await services.partnerUsers.sessionUser(user.id);
          if (still === null) return null;
          return services.workingGroups.eventsFor(still.partner, id, from, still.user.email);
        },
        () => {
          const left = (streams.get(user.id) ?? 1) - 1;
          if (left <= 0) streams.delete(user.id);
          else streams.set(user.id, left);
        },
      );
    },
  );

  // ---- The organisation's users, for its partner admins ----

  app.get<{ Querystring: { done?: string } }>(USERS_PATH, { config: users }, async (request, reply) => {
    const { user } = portalOf(request);
    return page(request, reply, 'users.njk', request.t('portal.users.title'), {
      users: await services.partnerUsers.list(user),
      me: user.id,
      done: ['disabled', 'already'].includes(request.query.done ?? '') ? request.query.done : null,
      ...(await formMessages(request, USERS_PATH, 'portal.users.errors')),
    });
  });

  const showCredentials = (
    request: FastifyRequest,
    reply: FastifyReply,
    made: { email: string; password: string; otpauthUri: string; secret: string },
  ) =>
    showOnceAt(request, reply, services.shownOnce, CREDENTIALS_PATH, {
      email: made.email,
      password: made.password,
      qr: enrolmentQr(made.otpauthUri, request.t('admin.enrolment.qrLabel', { email: made.email })),
      secret: groupedSecret(made.secret),
    });

  app.post<{ Body: Record<string, unknown> }>(USERS_PATH, { config: users }, async (request, reply) => {
    const { user } = portalOf(request);
    const values = { email: text(request.body, 'email', 320), role: text(request.body, 'role', 20) };
    const problems: FormProblem[] = [];
    if (values.email === '') problems.push({ field: 'email', key: 'emailRequired' });
    if (values.role === '') problems.push({ field: 'role', key: 'roleRequired' });
    if (problems.length > 0) return failForm(request, reply, USERS_PATH, problems, values);
    try {
      const made = await services.partnerUsers.add(
        { admin: user },
        { partnerId: user.partnerId, email: values.email, role: values.role },
      );
      return await showCredentials(request, reply, made);
    } catch (error) {
      const problem = serviceProblem(error, 'email', { email: 'email', role: 'role' });
      if (problem === 'not-found') return notFound(reply);
      return failForm(request, reply, USERS_PATH, [problem], values);
    }
  });

  app.get(CREDENTIALS_PATH, { config: users }, async (request, reply) => {
    const shown = await takeShownOnce(request, services.shownOnce, CREDENTIALS_PATH);
    noStore(reply);
    if (shown === null)
      return page(request, reply, 'shown-already.njk', request.t('admin.shownOnce.title'), {});
    return page(request, reply, 'credentials.njk', request.t('admin.enrolment.title'), { ...shown });
  });

  app.post<{ Params: { id: string; action: string } }>(
    '/partner/users/:id/:action',
    { config: users },
    async (request, reply) => {
      const { user } = portalOf(request);
      const id = idParam(request.params.id);
      const { action } = request.params;
      if (id === null || (action !== 'disable' && action !== 'reset')) return notFound(reply);
      try {
        if (action === 'reset')
          return await showCredentials(
            request,
            reply,
            await services.partnerUsers.reset({ admin: user }, id),
          );
        const done = await services.partnerUsers.disable({ admin: user }, id);
        return await reply.code(303).redirect(`${USERS_PATH}?done=${done}`);
      } catch (error) {
        const problem = serviceProblem(error, `user-${String(id)}`);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, USERS_PATH, [problem]);
      }
    },
  );
}
