/**
 * Form problems on pages, post/redirect/get: a POST that fails redirects (303) back to its page with the problems
 * and the values typed kept in the session, shown there once as a GOV.UK error summary and field errors, in the
 * page's language. `serviceProblem` is the one place a service's refusal (ServiceError) becomes such a problem;
 * plugins/errors.ts is the one place it becomes problem+json.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../services/service-error.ts';

/**
 * One problem: the input to link to (its id) and its message key. A key with a dot is a full locale key (service
 * errors: `serviceErrors.<code>`); a key without one is under the namespace the page names (`cases.errors`).
 */
export interface FormProblem {
  field: string;
  key: string;
  params?: Record<string, string>;
}

const FLASH = 'formFlash';
interface Flash {
  path: string;
  problems: FormProblem[];
  values: Record<string, string>;
}

/** Back to `path` (303) with the problems and values, to be shown there once. */
export async function failForm(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  problems: FormProblem[],
  values: Record<string, string> = {},
): Promise<FastifyReply> {
  const flash: Flash = { path: path.split('#')[0]?.split('?')[0] ?? path, problems, values };
  request.session.set(FLASH, flash);
  await request.session.save();
  return reply.code(303).redirect(path);
}

/**
 * Keeps what was typed for the page at `path`, with no problems: a check-answers page's "Change" goes back to a form
 * that still holds the answers (used up as any flash is, by the next page that reads one).
 */
export async function keepValues(
  request: FastifyRequest,
  path: string,
  values: Record<string, string>,
): Promise<void> {
  const flash: Flash = { path, problems: [], values };
  request.session.set(FLASH, flash);
  await request.session.save();
}

/** `share-unit` → `shareUnit`: a service error code as its locale key. */
const keyOfCode = (code: string) => code.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * A service's refusal as a problem on the page: on the input `inputs` names for the field the service blamed (the
 * API's field names), else on `field`; 'not-found' for something that does not exist for this person (the page
 * answers 404). Anything but a ServiceError is thrown on.
 */
export function serviceProblem(
  error: unknown,
  field: string,
  inputs: Record<string, string> = {},
): FormProblem | 'not-found' {
  if (!(error instanceof ServiceError)) throw error;
  if (error.kind === 'not-found') return 'not-found';
  return {
    field: (error.field === undefined ? undefined : inputs[error.field]) ?? field,
    key: `serviceErrors.${keyOfCode(error.code)}`,
    params: Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * The error summary, field errors and values for the page at `path` (the flash is used up whichever page reads it,
 * so a problem is never shown twice). Message keys without a dot are under `namespace`. An input with several
 * problems shows them all, in order.
 */
export async function formMessages(request: FastifyRequest, path: string, namespace: string) {
  const flash = request.session.get(FLASH) as Flash | null | undefined;
  const shown = flash?.path === path ? flash : null;
  if (flash !== undefined && flash !== null) {
    request.session.set(FLASH, null);
    await request.session.save();
  }
  if (shown === null) return { values: {} as Record<string, string> };
  const text = (p: FormProblem) =>
    request.t(p.key.includes('.') ? p.key : `${namespace}.${p.key}`, {
      ...p.params,
      // A code the pages have no words for yet still gets a GOV.UK message, not a key.
      defaultValue: request.t('serviceErrors.refused'),
    });
  const byField = new Map<string, string[]>();
  for (const p of shown.problems) byField.set(p.field, [...(byField.get(p.field) ?? []), text(p)]);
  return {
    values: shown.values,
    errors: shown.problems.map((p) => ({ text: text(p), href: `#${p.field}` })),
    fieldErrors: Object.fromEntries(
      [...byField].map(([field, texts]) => [field, { text: texts.join('. ') }]),
    ),
  };
}
