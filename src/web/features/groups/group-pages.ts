/**
 * The workspace's working-group pages (docs/sharing.md#sector-working-groups): the unit's groups, one group
 * (members, requests with their answers, alerts), asking a request or posting an alert, the admin's membership
 * forms, and linking an answer to a case or report. Every rule is the service's, as for the API; a group that is
 * not the caller's answers 404.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { mayEnter } from '../../../domain/access/access-policy.ts';
import { oneLineName } from '../../../domain/access/access-reason.ts';
import { INDICATOR_TYPES } from '../../../domain/indicators/indicator.ts';
import { SHARING_TLPS } from '../../../domain/sharing/tlp.ts';
import type { Services } from '../../../services/index.ts';
import { isServiceError } from '../../../services/service-error.ts';
import { checkNewGroup, GROUP_NAME_MAX, GROUP_SECTORS } from '../../../services/working-groups.ts';
import {
  failForm,
  formMessages,
  keepValues,
  serviceProblem,
  type FormProblem,
} from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';
import { paginationLinks } from '../../pagination.ts';

const LIST = '/staff/groups';
const NEW = '/staff/groups/new';
const MESSAGES_A_PAGE = 10;
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
type Body = Record<string, unknown>;

export function groupPages(app: FastifyInstance, services: Services): void {
  const unitWork = { staff: { allow: 'unit-work' } } as const;
  const groups = services.workingGroups;

  app.get(LIST, { config: unitWork }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('groups/views/list.njk', {
      pageTitle: request.t('groups.list.title'),
      groups: await groups.groupsOfUnit(staffOf(request)),
      canSetUp: mayEnter(staffOf(request), 'group-setup'),
    }),
  );

  // ---- Setting a group up: the form, check your answers, then the service (audited as group-created) ----
  const setUp = { staff: { allow: 'group-setup' } } as const;
  const newGroupValues = (body: Body) => ({
    // As the service keeps it (one line), so the check page shows what will be made.
    name: oneLineName(text(body, 'name', GROUP_NAME_MAX + 1)),
    sector: text(body, 'sector', 40),
  });
  /** The form's own checks (required), then the service's rule for a new group, as problems on the inputs. */
  const newGroupProblems = (values: { name: string; sector: string }): FormProblem[] => {
    const problems: FormProblem[] = [];
    if (values.name === '') problems.push({ field: 'name', key: 'groupName' });
    if (values.sector === '') problems.push({ field: 'sector', key: 'groupSector' });
    if (problems.length > 0) return problems;
    try {
      checkNewGroup(values);
      return [];
    } catch (error) {
      const problem = serviceProblem(error, 'name', { name: 'name', sector: 'sector' });
      return problem === 'not-found' ? [] : [problem];
    }
  };

  app.get(NEW, { config: setUp }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('groups/views/new.njk', {
      pageTitle: request.t('groups.create.title'),
      sectors: GROUP_SECTORS,
      nameMax: GROUP_NAME_MAX,
      ...(await formMessages(request, NEW, 'groups.errors')),
    }),
  );

  /** Check your answers: nothing is made yet; "Change" goes back to the form with the answers in it. */
  app.post<{ Body: Body }>(`${NEW}/check`, { config: setUp }, async (request, reply) => {
    const values = newGroupValues(request.body);
    const problems = newGroupProblems(values);
    if (problems.length > 0) return failForm(request, reply, NEW, problems, values);
    await keepValues(request, NEW, values);
    return reply.header('cache-control', 'no-store').page('groups/views/new-check.njk', {
      pageTitle: request.t('groups.create.checkTitle'),
      values,
      admin: staffOf(request).email,
      adminUnit: staffOf(request).unitId ?? '',
    });
  });

  app.post<{ Body: Body }>(NEW, { config: setUp }, async (request, reply) => {
    const values = newGroupValues(request.body);
    const problems = newGroupProblems(values);
    if (problems.length > 0) return failForm(request, reply, NEW, problems, values);
    let id: number;
    try {
      id = await groups.create(staffOf(request), values);
    } catch (error) {
      const problem = serviceProblem(error, 'name', { name: 'name', sector: 'sector' });
      if (problem === 'not-found') return notFound(reply);
      return failForm(request, reply, NEW, [problem], values);
    }
    return reply.code(303).redirect(`${LIST}/${String(id)}?done=created`);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    `${LIST}/:id`,
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const group = id === null ? null : await groups.groupForStaff(staffOf(request), id);
      if (group === null) return notFound(reply);
      // The messages (newest first) a page of MESSAGES_A_PAGE; `?message=` (after linking an answer) opens its page.
      const path = `${LIST}/${String(group.id)}`;
      const pages = Math.max(1, Math.ceil(group.messages.length / MESSAGES_A_PAGE));
      const rawPage = request.query.page;
      const wanted = idOf(request.query.message ?? '');
      const at = wanted === null ? -1 : group.messages.findIndex((m) => m.id === wanted);
      const page =
        at >= 0
          ? Math.floor(at / MESSAGES_A_PAGE) + 1
          : rawPage !== undefined && /^[1-9]\d{0,5}$/.test(rawPage)
            ? Number(rawPage)
            : 1;
      if (page > pages) return notFound(reply);
      const href = (n: number) => `${path}?page=${String(n)}#messages`;
      return reply.header('cache-control', 'no-store').page('groups/views/group.njk', {
        pageTitle: group.name,
        group,
        shownMessages: group.messages.slice((page - 1) * MESSAGES_A_PAGE, page * MESSAGES_A_PAGE),
        firstMessage: (page - 1) * MESSAGES_A_PAGE + 1,
        lastMessage: Math.min(page * MESSAGES_A_PAGE, group.messages.length),
        pagination: paginationLinks(page, pages, href),
        types: INDICATOR_TYPES,
        tlps: SHARING_TLPS,
        done: ['created', 'posted', 'member-added', 'member-removed', 'linked'].includes(
          request.query.done ?? '',
        )
          ? request.query.done
          : null,
        // The form folded under the messages that is shown open (`?form=request|alert|members`).
        openForm: request.query.form,
        ...(await formMessages(request, `${LIST}/${String(group.id)}`, 'groups.errors')),
      });
    },
  );

  /** An alert or a request for information; the form's inputs are named after its kind. */
  app.post<{ Params: { id: string }; Body: Body }>(
    `${LIST}/:id/messages`,
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const kind = request.body.kind === 'request' ? 'request' : 'alert';
      if (id === null) return notFound(reply);
      const page = `${LIST}/${String(id)}`;
      const f = (name: string) => `${kind}-${name}`;
      const values = Object.fromEntries(
        ['text', 'tlp', 'indicator-type', 'indicator-value', 'deadline'].map((n) => [
          f(n),
          text(request.body, f(n), n === 'indicator-value' ? 2048 : 2000),
        ]),
      );
      const problems: FormProblem[] = [];
      if (values[f('text')] === '') problems.push({ field: f('text'), key: `${kind}Text` });
      if (values[f('tlp')] === '') problems.push({ field: f('tlp'), key: 'tlp' });
      const deadline = values[f('deadline')] ?? '';
      if (kind === 'request') {
        if (values[f('indicator-value')] === '')
          problems.push({ field: f('indicator-value'), key: 'indicatorValue' });
        if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline)) problems.push({ field: f('deadline'), key: 'deadline' });
      }
      if (problems.length > 0) return failForm(request, reply, `${page}#${kind}-form`, problems, values);
      const indicatorValue = values[f('indicator-value')] ?? '';
      try {
        await groups.post(staffOf(request), id, {
          kind,
          text: values[f('text')] ?? '',
          tlp: values[f('tlp')] ?? '',
          ...(indicatorValue === ''
            ? {}
            : { indicatorType: values[f('indicator-type')] ?? '', indicatorValue }),
          // The end of the day chosen, in UTC.
          ...(kind === 'request' ? { deadline: `${deadline}T23:59:59.000Z` } : {}),
        });
      } catch (error) {
        const problem = serviceProblem(error, f('text'), {
          text: f('text'),
          tlp: f('tlp'),
          indicator_value: f('indicator-value'),
          deadline: f('deadline'),
        });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, `${page}#${kind}-form`, [problem], values);
      }
      return reply.code(303).redirect(`${page}?done=posted`);
    },
  );

  /** The admin adds (`member` = "partner:<id>" or "unit:<id>") or removes a member. */
  app.post<{ Params: { id: string; action: string }; Body: Body }>(
    `${LIST}/:id/members/:action`,
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const { action } = request.params;
      if (id === null || (action !== 'add' && action !== 'remove')) return notFound(reply);
      const page = `${LIST}/${String(id)}`;
      const field = action === 'add' ? 'member' : 'remove-member';
      const raw = text(request.body, 'member', 100);
      const [kindOf, ...rest] = raw.split(':');
      const value = rest.join(':');
      const partnerId = kindOf === 'partner' ? idOf(value) : null;
      const member =
        partnerId !== null ? { partnerId } : kindOf === 'unit' && value !== '' ? { unitId: value } : null;
      if (member === null) return failForm(request, reply, `${page}#members`, [{ field, key: 'member' }]);
      try {
        if (action === 'add') await groups.addMember(staffOf(request), id, member);
        else await groups.removeMember(staffOf(request), id, member);
      } catch (error) {
        // Only the admin is shown these forms: anyone else's post is answered as for no such page.
        if (isServiceError(error) && error.kind === 'forbidden') return notFound(reply);
        const problem = serviceProblem(error, field, { partner_id: field, unit_id: field });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, `${page}#members`, [problem]);
      }
      return reply.code(303).redirect(`${page}?done=member-${action === 'add' ? 'added' : 'removed'}`);
    },
  );

  /** Links a partner's answer to a case (a CASE- reference) or a report (a crime reference). */
  app.post<{ Params: { id: string; messageId: string; answerId: string }; Body: Body }>(
    `${LIST}/:id/requests/:messageId/answers/:answerId/link`,
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const messageId = idOf(request.params.messageId);
      const answerId = idOf(request.params.answerId);
      if (id === null || messageId === null || answerId === null) return notFound(reply);
      // Back to the page of messages that holds this request.
      const page = `${LIST}/${String(id)}?message=${String(messageId)}`;
      const field = `link-${String(answerId)}`;
      const reference = text(request.body, 'reference', 40);
      if (reference === '')
        return failForm(request, reply, `${page}#${field}`, [{ field, key: 'reference' }]);
      const isCase = /^case-/i.test(reference);
      try {
        await groups.linkAnswer(
          staffOf(request),
          id,
          messageId,
          answerId,
          isCase ? { caseReference: reference.toUpperCase() } : { reportReference: reference },
        );
      } catch (error) {
        const problem = serviceProblem(error, field, { case: field, report: field });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, `${page}#${field}`, [problem], { [field]: reference });
      }
      return reply.code(303).redirect(`${page}&done=linked#answer-${String(answerId)}`);
    },
  );
}
