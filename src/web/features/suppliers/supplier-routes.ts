/**
 * The workspace's supplier pages (docs/suppliers.md): the framework (suppliers, capabilities, rates) with the unit's
 * budget and taskings, raising a tasking from a case, one tasking (approve or return to its raiser, send again,
 * cancel, close with a rating), and the figures.
 * Every rule is the service's; a tasking not of the unit's answers 404.
 */
import type { FastifyInstance } from 'fastify';
import { CAPABILITIES } from '../../../domain/suppliers/suppliers.ts';
import type { Services } from '../../../services/index.ts';
import type { TaskingInput } from '../../../services/suppliers/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { idOf, notFound, penceOf, STAFF_SUPPLIERS, STAFF_TASKINGS, text } from './supplier-form.ts';

const NEW = `${STAFF_TASKINGS}/new`;
/** The page's input for each field the service may blame. */
const INPUTS: Record<string, string> = {
  supplier: 'offer',
  scope: 'scope',
  deadline: 'deadline',
  budget_cap: 'budget_cap',
  exhibits: 'exhibits',
  rating: 'rating',
  outcome: 'outcome',
  reason: 'reason',
};

export function supplierRoutes(app: FastifyInstance, services: Services): void {
  const unitWork = { staff: { allow: 'unit-work' } } as const;

  app.get<{ Querystring: { form?: string } }>(
    STAFF_SUPPLIERS,
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      return reply.header('cache-control', 'no-store').page('suppliers/views/list.njk', {
        pageTitle: request.t('suppliers.list.title'),
        suppliers: await services.suppliers.list(),
        taskings: await services.suppliers.forUnit(staff),
        budget: staff.unitId === null ? null : await services.suppliers.budgetOf(staff.unitId),
        // The folded "Task a supplier" form opens with `?form=raise` (and when back with a problem).
        openForm: request.query.form,
        ...(await formMessages(request, STAFF_SUPPLIERS, 'suppliers.errors')),
      });
    },
  );

  app.get(
    '/staff/suppliers/figures',
    { config: { staff: { allow: 'supplier-figures' } } },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').page('suppliers/views/figures.njk', {
        pageTitle: request.t('suppliers.figures.title'),
        figures: await services.suppliers.figures(),
      }),
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    NEW,
    { config: unitWork },
    async (request, reply) => {
      const reference = (request.query.case ?? '').trim().toUpperCase().slice(0, 30);
      if (reference === '')
        return failForm(request, reply, STAFF_SUPPLIERS, [{ field: 'case', key: 'caseRequired' }]);
      const options = await services.suppliers.optionsFor(staffOf(request), reference);
      if (options === null)
        return failForm(request, reply, STAFF_SUPPLIERS, [{ field: 'case', key: 'caseUnknown' }], {
          case: reference,
        });
      const suppliers = await services.suppliers.list();
      return reply.header('cache-control', 'no-store').page('suppliers/views/new.njk', {
        pageTitle: request.t('suppliers.form.title'),
        ...options,
        offers: suppliers.flatMap((s) =>
          s.rates.map((r) => ({ value: `${String(s.id)}:${r.capability}`, supplier: s.name, ...r })),
        ),
        capabilities: CAPABILITIES,
        ...(await formMessages(request, NEW, 'suppliers.errors')),
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    STAFF_TASKINGS,
    { config: unitWork },
    async (request, reply) => {
      const body = request.body;
      const reference = text(body, 'case', 30);
      const back = `${NEW}?case=${encodeURIComponent(reference)}`;
      const values = {
        offer: text(body, 'offer', 60),
        scope: text(body, 'scope', 4100),
        deadline: text(body, 'deadline', 20),
        budget_cap: text(body, 'budget_cap', 30),
      };
      const exhibits = ([] as unknown[])
        .concat(body.exhibits ?? [])
        .filter((e): e is string => typeof e === 'string');
      const problems: FormProblem[] = [];
      const [supplierId = '', capability = ''] = values.offer.split(':');
      if (idOf(supplierId) === null) problems.push({ field: 'offer', key: 'offer' });
      if (values.scope === '') problems.push({ field: 'scope', key: 'scope' });
      if (values.deadline === '') problems.push({ field: 'deadline', key: 'deadline' });
      const cap = penceOf(values.budget_cap);
      if (cap === null) problems.push({ field: 'budget_cap', key: 'budgetCap' });
      const exhibitIds = exhibits.map(idOf);
      if (exhibitIds.some((id) => id === null)) problems.push({ field: 'exhibits', key: 'exhibits' });
      if (problems.length > 0)
        return failForm(request, reply, back, problems, { ...values, exhibits: exhibits.join(',') });
      const input: TaskingInput = {
        caseReference: reference,
        supplierId: Number(supplierId),
        capability,
        scope: values.scope,
        deadline: values.deadline,
        budgetCapPence: cap ?? 0,
        exhibitIds: exhibitIds.filter((id): id is number => id !== null),
      };
      let id: number;
      try {
        id = await services.suppliers.raise(staffOf(request), input);
      } catch (error) {
        const problem = serviceProblem(error, 'scope', INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, back, [problem], { ...values, exhibits: exhibits.join(',') });
      }
      return reply.code(303).redirect(`${STAFF_TASKINGS}/${String(id)}`);
    },
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    `${STAFF_TASKINGS}/:id`,
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const found = id === null ? null : await services.suppliers.detail(staffOf(request), id);
      if (found === null) return notFound(reply);
      const path = `${STAFF_TASKINGS}/${String(found.tasking.id)}`;
      return reply.header('cache-control', 'no-store').page('suppliers/views/tasking.njk', {
        pageTitle: request.t('suppliers.tasking.title', { id: String(found.tasking.id) }),
        ...found,
        done: ['approved', 'closed', 'cancelled', 'returned', 'resubmitted'].includes(
          request.query.done ?? '',
        )
          ? request.query.done
          : null,
        ...(await formMessages(request, path, 'suppliers.errors')),
      });
    },
  );

  app.post<{ Params: { id: string; action: string }; Body: Record<string, unknown> }>(
    `${STAFF_TASKINGS}/:id/:action`,
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const { action } = request.params;
      if (id === null || !['approve', 'close', 'cancel', 'return', 'resubmit'].includes(action))
        return notFound(reply);
      const page = `${STAFF_TASKINGS}/${String(id)}`;
      const staff = staffOf(request);
      const values: Record<string, string> =
        action === 'resubmit'
          ? {
              scope: text(request.body, 'scope', 4100),
              deadline: text(request.body, 'deadline', 20),
              budget_cap: text(request.body, 'budget_cap', 30),
            }
          : {
              rating: text(request.body, 'rating', 2),
              outcome: text(request.body, 'outcome', 2100),
              reason: text(request.body, 'reason', 2100),
            };
      try {
        if (action === 'approve') await services.suppliers.approve(staff, id);
        else if (action === 'cancel' || action === 'return') {
          const reason = values.reason ?? '';
          if (reason === '')
            return await failForm(request, reply, page, [{ field: 'reason', key: 'reason' }], values);
          if (action === 'cancel') await services.suppliers.cancel(staff, id, { reason });
          else await services.suppliers.returnToRaiser(staff, id, { reason });
        } else if (action === 'resubmit') {
          // The same checks of what was typed as the raising form's; the rules are the service's.
          const problems: FormProblem[] = [];
          if (values.scope === '') problems.push({ field: 'scope', key: 'scope' });
          if (values.deadline === '') problems.push({ field: 'deadline', key: 'deadline' });
          const cap = penceOf(values.budget_cap ?? '');
          if (cap === null) problems.push({ field: 'budget_cap', key: 'budgetCap' });
          if (problems.length > 0) return await failForm(request, reply, page, problems, values);
          await services.suppliers.resubmit(staff, id, {
            scope: values.scope ?? '',
            deadline: values.deadline ?? '',
            budgetCapPence: cap ?? 0,
          });
        } else {
          if ((values.rating ?? '') === '')
            return await failForm(request, reply, page, [{ field: 'rating', key: 'rating' }], values);
          await services.suppliers.close(staff, id, {
            rating: Number(values.rating),
            outcome: values.outcome ?? '',
          });
        }
      } catch (error) {
        // A refusal naming no field (not the raiser, moved on) goes on the page's action line.
        const field = action === 'close' ? 'rating' : 'action';
        const problem = serviceProblem(error, field, INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, page, [problem], values);
      }
      const done =
        {
          approve: 'approved',
          close: 'closed',
          cancel: 'cancelled',
          return: 'returned',
          resubmit: 'resubmitted',
        }[action] ?? '';
      return reply.code(303).redirect(`${page}?done=${done}`);
    },
  );
}
