import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { OUTCOMES } from '../../../domain/casework/status.ts';
import { EXHIBIT_KINDS, systemCustodyText } from '../../../services/investigations/index.ts';
import type { Services } from '../../../services/index.ts';
import {
  ADDABLE_EVENTS,
  PRIORITIES,
  readClose,
  readShare,
  readCustody,
  readDecision,
  readExaminationRequest,
  readExaminationStep,
  readExhibit,
  readMember,
  readNewCase,
  readTask,
  type Body,
  type FormResult,
} from './case-forms.ts';
import { displayFormats, failForm, pageMessages, type Done } from './case-messages.ts';
import {
  caseFrame,
  casePath,
  idOf,
  notFound,
  refused,
  unitWork,
  TABS,
  type CaseOfForm,
  type CaseView,
  type Tab,
} from './case-pages.ts';
import { exhibitRoutes } from './exhibit-routes.ts';
import { caseListPage, pageNumber } from './case-list-page.ts';
import { unitNameIn } from '../../plugins/views.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

const LEFT = Symbol('left the case');
/** Examination requests a page of the forensics queue shows. */
const EXAMINATIONS_PER_PAGE = 3;
/** The share form's inputs for the fields a refused transfer names. */
const SHARE_FIELDS = { officer_in_charge: 'transfer-officer', members: 'transfer-members' };

/** The unit's investigations: cases with their exhibits, chain of custody, tasks, decisions and forensics. */
export function casesRoutes(app: FastifyInstance, services: Services): void {
  const inv = services.investigations;

  app.get<{ Querystring: Record<string, unknown> }>(
    '/staff/cases',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const messages = await pageMessages(request, '/staff/cases');
      const page = pageNumber(request.query.page);
      const list = await inv.caseList(staff, request.query, page);
      return reply.header('cache-control', 'no-store').page('cases/views/cases.njk', {
        pageTitle: request.t('cases.list.title'),
        wideLayout: true,
        staff,
        unit: staff.unitId === null ? undefined : services.reference.unit(staff.unitId),
        ...caseListPage(list, page),
        // The open-a-case form is folded until asked for, or back with its problems.
        openForm: request.query.form === 'open' || 'errors' in messages,
        ...displayFormats(request.lng),
        ...messages,
      });
    },
  );

  app.post<{ Body: Body }>('/staff/cases', { config: unitWork }, async (request, reply) => {
    const staff = staffOf(request);
    const form = readNewCase(request.body);
    if (!form.ok) return failForm(request, reply, '/staff/cases', form.problems, form.values);
    // The service checks each report in the case's transaction and names the first the unit cannot use.
    try {
      const reference = await inv.createCase(staff, { ...form.input, members: [] });
      return await reply.code(303).redirect(`${casePath(reference)}?done=opened`);
    } catch (error) {
      const problem = refused(error, 'reports');
      if (problem === 'not-found') return notFound(reply);
      return failForm(request, reply, '/staff/cases', [problem], form.values);
    }
  });

  async function casePage(request: FastifyRequest, reply: FastifyReply, reference: string, tab: string) {
    const staff = staffOf(request);
    if (!(TABS as readonly string[]).includes(tab)) return notFound(reply);
    const found = await inv.readCase(staff, reference);
    if (found === null) return notFound(reply);
    const current = tab as Tab;
    const today = services.clock().toISOString().slice(0, 10);
    const t = request.t;
    const exhibitRef = new Map(found.exhibits.map((e) => [e.id, e.exhibitRef]));
    const exhibitAsked = (request.query as Record<string, unknown>).exhibit;
    const custody = [];
    if (current === 'custody')
      for (const exhibit of found.exhibits)
        custody.push({
          exhibit,
          chain: ((await inv.custody(staff, exhibit.id))?.entries ?? []).map((e) => ({
            ...e,
            ...custodyText(t, e),
          })),
        });
    return reply.header('cache-control', 'no-store').page(`cases/views/case-${current}.njk`, {
      pageTitle: `${t(`cases.tabs.${current}`)}: ${found.reference}`,
      staff,
      decisions: found.decisions.map((d) => ({ ...d, ...decisionText(request, d) })),
      team: current === 'overview' ? await inv.teamCandidates(staff, found.reference) : [],
      examinations: found.examinations.map((e) => ({
        ...e,
        exhibit: exhibitRef.get(e.exhibitId) ?? '',
        turnaround:
          e.completedAt === null ? null : (Date.parse(e.completedAt) - Date.parse(e.requestedAt)) / 3_600_000,
      })),
      custody,
      // The exhibit whose chain is shown open (a link to one exhibit's custody).
      openExhibit: typeof exhibitAsked === 'string' ? idOf(exhibitAsked) : null,
      today,
      outcomes: OUTCOMES,
      shareUnits: services.reference.units.filter((u) => u.id !== found.unit),
      kinds: EXHIBIT_KINDS,
      events: ADDABLE_EVENTS,
      priorities: PRIORITIES,
      ...(await caseFrame(request, found, current, casePath(found.reference, current), today)),
    });
  }

  /** A decision-log entry in the page's language: the service's own entries are coded, officers' are as typed. */
  function decisionText(request: FastifyRequest, d: CaseView['decisions'][number]) {
    const t = request.t;
    const subject = d.subject ?? '';
    switch (d.code) {
      case 'closed':
        return {
          title: (OUTCOMES as readonly string[]).includes(subject)
            ? t('cases.overview.closedWith', { outcome: t(`workspace.outcomes.${subject}`) })
            : d.decision,
          reason: d.reason,
        };
      case 'shared':
      case 'transferred':
        return {
          title: t(`cases.decisions.${d.code}`, {
            unit: unitNameIn(services.reference, subject, request.lng),
          }),
          reason: d.reason,
        };
      case 'campaign':
        return {
          title: t('cases.decisions.campaign', { id: subject }),
          reason: t('cases.decisions.campaignReason'),
        };
      case 'member-added':
      case 'member-removed':
      case 'officer-in-charge':
        return { title: t(`cases.decisions.${d.code}`, { email: subject }), reason: d.reason };
      default:
        return { title: d.decision, reason: d.reason };
    }
  }

  /** Where and note of a custody entry; what the service wrote itself is said in the page's language. */
  function custodyText(t: FastifyRequest['t'], e: { event: string; location: string; note: string }) {
    const coded = systemCustodyText(e);
    const places = {
      evidenceStore: 'cases.custody.evidenceStore',
      forensics: 'cases.custody.forensicsLab',
      onlineReport: 'cases.custody.onlineReport',
    };
    const note = coded.note;
    return {
      location: coded.location === null ? e.location : t(places[coded.location]),
      note:
        note === null
          ? e.note
          : note.code === 'sealed'
            ? t('cases.custody.sealedWith', { seals: note.seals })
            : note.code === 'examined'
              ? t('cases.custody.examinationComplete', { id: note.id })
              : t('cases.custody.receivedOnline', { report: note.report }),
    };
  }

  app.get<{ Params: { reference: string } }>(
    '/staff/cases/:reference',
    { config: unitWork },
    (request, reply) => casePage(request, reply, request.params.reference, 'overview'),
  );
  app.get<{ Params: { reference: string; tab: string } }>(
    '/staff/cases/:reference/:tab',
    { config: unitWork },
    (request, reply) => casePage(request, reply, request.params.reference, request.params.tab),
  );

  /** One form on a case page: read, run, and back to the tab with a banner or the problems. */
  function caseForm<T>(
    action: string,
    tab: Tab,
    done: Done,
    read: (body: Body, found: CaseOfForm) => FormResult<T>,
    run: (staff: StaffMember, found: CaseOfForm, input: T) => Promise<unknown>,
    refusedField: string,
  ) {
    app.post<{ Params: { reference: string }; Body: Body }>(
      `/staff/cases/:reference/${action}`,
      { config: unitWork },
      async (request, reply) => {
        const staff = staffOf(request);
        // Only the case's identity and exhibits: a form is not a view (no read row), and the use case checks again.
        const found = await inv.findCase(staff, request.params.reference);
        if (found === null) return notFound(reply);
        const back = casePath(found.reference, tab);
        const form = read(request.body, found);
        if (!form.ok) return failForm(request, reply, back, form.problems, form.values);
        let result: unknown;
        try {
          result = await run(staff, found, form.input);
        } catch (error) {
          const problem = refused(error, refusedField);
          if (problem === 'not-found') return notFound(reply);
          return failForm(request, reply, back, [problem], form.values);
        }
        // An officer who has just left a restricted case can no longer see it: back to the list.
        return reply.code(303).redirect(`${result === LEFT ? '/staff/cases' : back}?done=${done}`);
      },
    );
  }

  const now = () => services.clock();
  const exhibitIds = (found: CaseOfForm) => found.exhibits.map((e) => e.id);
  caseForm(
    'decisions',
    'overview',
    'decision',
    readDecision,
    (staff, found, input) => inv.addDecision(staff, found.reference, input.decision, input.reason),
    'decision',
  );
  caseForm(
    'close',
    'overview',
    'closed',
    readClose,
    (staff, found, input) => inv.close(staff, found.reference, input.outcome, input.reason),
    'outcome',
  );
  app.post<{ Params: { reference: string }; Body: Body }>(
    '/staff/cases/:reference/share',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const found = await inv.findCase(staff, request.params.reference);
      if (found === null) return notFound(reply);
      const back = casePath(found.reference, 'overview');
      const units = services.reference.units.map((u) => u.id).filter((id) => id !== found.unit);
      const form = readShare(request.body, units);
      if (!form.ok) return failForm(request, reply, back, form.problems, form.values);
      const { unit, reason, transfer, officerInCharge, members } = form.input;
      try {
        if (transfer) await inv.transfer(staff, found.reference, { unit, reason, officerInCharge, members });
        else await inv.share(staff, found.reference, unit, reason);
      } catch (error) {
        const problem = refused(error, 'share-unit', SHARE_FIELDS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, back, [problem], form.values);
      }
      // A transferred case belongs to the other unit now: back to the list, where it no longer appears.
      return reply
        .code(303)
        .redirect(form.input.transfer ? '/staff/cases?done=transferred' : `${back}?done=shared`);
    },
  );
  caseForm(
    'members',
    'overview',
    'memberAdded',
    (body) => readMember(body, 'member'),
    (staff, found, input) => inv.addMember(staff, found.reference, input.email),
    'member',
  );
  caseForm(
    'members/remove',
    'overview',
    'memberRemoved',
    (body) => readMember(body, 'member'),
    async (staff, found, input) => {
      await inv.removeMember(staff, found.reference, input.email);
      return found.restricted && input.email.trim().toLowerCase() === staff.email ? LEFT : null;
    },
    'member',
  );
  caseForm(
    'exhibits',
    'exhibits',
    'exhibit',
    (body) => readExhibit(body, now()),
    (staff, found, input) => inv.addExhibit(staff, found.reference, input),
    'initials',
  );
  caseForm(
    'custody',
    'custody',
    'custody',
    (body, found) => readCustody(body, now(), exhibitIds(found)),
    (staff, _found, { exhibitId, ...input }) => inv.addCustody(staff, exhibitId, input),
    'custody-exhibit',
  );
  caseForm(
    'tasks',
    'tasks',
    'task',
    readTask,
    (staff, found, input) => inv.addTask(staff, found.reference, input),
    'task-title',
  );
  caseForm(
    'examinations',
    'forensics',
    'examination',
    (body, found) => readExaminationRequest(body, exhibitIds(found)),
    (staff, _found, { exhibitId, ...input }) => inv.requestExamination(staff, exhibitId, input),
    'exam-exhibit',
  );

  app.post<{ Params: { reference: string; task: string } }>(
    '/staff/cases/:reference/tasks/:task/done',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const task = idOf(request.params.task);
      if (task === null) return notFound(reply);
      try {
        await inv.completeTask(staff, request.params.reference, task);
      } catch (error) {
        if (refused(error, 'tasks') === 'not-found') return notFound(reply);
        throw error;
      }
      return reply
        .code(303)
        .redirect(`${casePath(request.params.reference.toUpperCase(), 'tasks')}?done=taskDone`);
    },
  );

  app.get<{ Querystring: Record<string, unknown> }>(
    '/staff/examinations',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const queue = await inv.examinationQueue(staff);
      // A few requests a page (each holds its form): the page stays a screen or two tall.
      const messages = await pageMessages(request, '/staff/examinations');
      const pages = Math.max(1, Math.ceil(queue.requests.length / EXAMINATIONS_PER_PAGE));
      // A form back with problems is shown on the page that holds its request.
      const refusedAt = queue.requests.findIndex(
        (r) => `findings-${String(r.id)}` in (messages.fieldErrors ?? {}),
      );
      const page =
        refusedAt >= 0
          ? Math.floor(refusedAt / EXAMINATIONS_PER_PAGE) + 1
          : Math.min(pageNumber(request.query.page), pages);
      const at = (n: number) => `/staff/examinations?page=${String(n)}`;
      const shown = queue.requests.slice((page - 1) * EXAMINATIONS_PER_PAGE, page * EXAMINATIONS_PER_PAGE);
      return reply.header('cache-control', 'no-store').page('cases/views/examinations.njk', {
        pageTitle: request.t('cases.examinations.title'),
        staff,
        unit: staff.unitId === null ? undefined : services.reference.unit(staff.unitId),
        requests: shown,
        // The first still to finish has its form open: the next to work on.
        openRequest: shown.find((r) => r.status === 'requested' || r.status === 'in-progress')?.id,
        page,
        pages,
        previousUrl: page > 1 ? at(page - 1) : null,
        nextUrl: page < pages ? at(page + 1) : null,
        median: queue.medianTurnaroundHours,
        ...displayFormats(request.lng),
        ...messages,
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Body }>(
    '/staff/examinations/:id',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const form = readExaminationStep(request.body, id);
      if (!form.ok) return failForm(request, reply, '/staff/examinations', form.problems, form.values);
      try {
        await inv.updateExamination(staff, id, form.input);
      } catch (error) {
        const problem = refused(error, `findings-${id}`);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, '/staff/examinations', [problem], form.values);
      }
      return reply.code(303).redirect(`/staff/examinations?done=${form.input.status}`);
    },
  );

  exhibitRoutes(app, services);
}
