/**
 * Reads the case workspace forms as typed (trimmed, cut one past the limit so "too long" can be told apart) and
 * checks them by the same rules as the JSON API (src/web/features/api/cases-api-routes.ts). Each problem names the
 * input to link to and a message key under `cases.errors`.
 */
import { OUTCOMES } from '../../../domain/casework/status.ts';
import { CUSTODY_EVENTS, type CustodyEvent } from '../../../domain/custody/custody-chain.ts';
import { ukWallClockToInstant } from '../../../domain/ico/breach-deadline.ts';
import { parseCrimeReference } from '../../../domain/reference/crime-reference.ts';
import { EXHIBIT_KINDS } from '../../../services/investigations/index.ts';

import type { FormProblem } from '../../plugins/form-errors.ts';

export type { FormProblem };
export type Body = Record<string, unknown>;
export type FormResult<T> =
  | { ok: true; input: T; values: Record<string, string> }
  | { ok: false; problems: FormProblem[]; values: Record<string, string> };

export const ADDABLE_EVENTS = CUSTODY_EVENTS.filter((e) => e !== 'file-added');
export const PRIORITIES = ['urgent', 'high', 'routine'] as const;
export const EXAMINATION_STEPS = ['in-progress', 'complete', 'rejected'] as const;

const field = (body: Body, name: string, max: number) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max + 1) : '';
};
const isEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** The message key for an input id: `task-title` → `taskTitle`. */
const keyOf = (id: string) => id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

type Kind = 'required' | 'optional' | 'choice';

/**
 * Reads named fields; a missing one is `<key>`, a long one `<key>Long` (keys from the form's input ids). A choice
 * (select, radios, a coded value) has one message, whether it is missing or not one of the choices.
 */
function texts(body: Body, spec: [name: string, id: string, max: number, kind: Kind][]) {
  const values: Record<string, string> = {};
  const problems: FormProblem[] = [];
  for (const [name, id, max, kind] of spec) {
    const value = field(body, name, max);
    values[name] = value;
    if (kind !== 'optional' && value === '') problems.push({ field: id, key: keyOf(id) });
    else if (value.length > max)
      problems.push({ field: id, key: kind === 'choice' ? keyOf(id) : `${keyOf(id)}Long` });
  }
  return { values, problems };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A UK calendar date typed as day, month and year, as YYYY-MM-DD; null when it is not a real date. */
function readDate(day: string, month: string, year: string): string | null {
  if (![day, month].every((p) => /^\d{1,2}$/.test(p)) || !/^\d{4}$/.test(year)) return null;
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${year}-${pad(m)}-${pad(d)}`;
}

/** `<prefix>-day/-month/-year/-hour/-minute` as an instant (UK clock time), not after `now`. */
function readWhen(body: Body, prefix: string, now: Date) {
  const part = (name: string) => field(body, `${prefix}-${name}`, 4);
  const values = Object.fromEntries(
    ['day', 'month', 'year', 'hour', 'minute'].map((n) => [`${prefix}-${n}`, part(n)]),
  );
  const date = readDate(part('day'), part('month'), part('year'));
  if (date === null) return { values, problem: { field: `${prefix}-day`, key: `${prefix}Date` } };
  const [hour, minute] = [part('hour'), part('minute')];
  const time = { field: `${prefix}-time-hour`, key: `${prefix}Time` };
  if (!/^\d{1,2}$/.test(hour) || !/^\d{1,2}$/.test(minute) || Number(hour) > 23 || Number(minute) > 59)
    return { values, problem: time };
  const [y, m, d] = date.split('-').map(Number);
  const at = ukWallClockToInstant({
    year: y ?? 0,
    month: m ?? 0,
    day: d ?? 0,
    hour: Number(hour),
    minute: Number(minute),
  });
  if (at === null) return { values, problem: time };
  if (at.getTime() > now.getTime()) return { values, problem: { field: `${prefix}-day`, key: 'future' } };
  return { values, at: at.toISOString() };
}

/** The outcome of reading a form, problems in the order of the inputs on the page (`order`: input ids). */
function result<T>(
  problems: FormProblem[],
  values: Record<string, string>,
  input: T,
  order: readonly string[] = [],
): FormResult<T> {
  if (problems.length === 0) return { ok: true, input, values };
  const at = (p: FormProblem) => order.indexOf(p.field);
  // One message per input: the first found.
  const first = problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);
  return { ok: false, problems: first.sort((a, b) => at(a) - at(b)), values };
}

export function readNewCase(body: Body) {
  const { values, problems } = texts(body, [
    ['title', 'title', 200, 'required'],
    ['reports', 'reports', 20_000, 'optional'],
  ]);
  values.restricted = field(body, 'restricted', 3);
  const reports = values.reports?.split(/\r?\n/).flatMap((line) => (line.trim() === '' ? [] : [line.trim()]));
  const parsed: string[] = [];
  if (reports !== undefined && reports.length > 500) problems.push({ field: 'reports', key: 'reportsMany' });
  else
    for (const line of reports ?? []) {
      const ref = parseCrimeReference(line);
      if (ref === null) {
        problems.push({ field: 'reports', key: 'reportFormat', params: { reference: line.slice(0, 40) } });
        break;
      }
      parsed.push(ref);
    }
  if (!oneOf(['yes', 'no'], values.restricted)) problems.push({ field: 'restricted', key: 'restricted' });
  return result(
    problems,
    values,
    { title: values.title ?? '', reports: [...new Set(parsed)], restricted: values.restricted === 'yes' },
    ['title', 'reports', 'restricted'],
  );
}

export function readExhibit(body: Body, now: Date) {
  const { values, problems } = texts(body, [
    ['initials', 'initials', 4, 'choice'],
    ['kind', 'kind', 20, 'choice'],
    ['description', 'description', 2000, 'required'],
    ['seizedWhere', 'seizedWhere', 500, 'required'],
    ['seals', 'seals', 2000, 'optional'],
  ]);
  const initials = (values.initials ?? '').toUpperCase();
  if (initials !== '' && !/^[A-Z]{2,4}$/.test(initials))
    problems.push({ field: 'initials', key: 'initials' });
  const kind = values.kind ?? '';
  if (kind !== '' && kind.length <= 20 && !oneOf(EXHIBIT_KINDS, kind))
    problems.push({ field: 'kind', key: 'kind' });
  const when = readWhen(body, 'seized', now);
  if (when.problem !== undefined) problems.push(when.problem);
  const seals = (values.seals ?? '').split(/\r?\n/).flatMap((s) => (s.trim() === '' ? [] : [s.trim()]));
  if (seals.length > 20 || seals.some((s) => s.length > 40 || s.includes(',')))
    problems.push({ field: 'seals', key: 'sealsFormat' });
  return result(
    problems,
    { ...values, ...when.values },
    {
      initials,
      kind,
      description: values.description ?? '',
      seizedAt: when.at ?? '',
      seizedWhere: values.seizedWhere ?? '',
      sealNumbers: seals,
    },
    ['initials', 'kind', 'description', 'seized-day', 'seized-time-hour', 'seizedWhere', 'seals'],
  );
}

export function readCustody(body: Body, now: Date, exhibitIds: readonly number[]) {
  const { values, problems } = texts(body, [
    ['exhibit', 'custody-exhibit', 15, 'choice'],
    ['event', 'event', 20, 'choice'],
    ['location', 'location', 500, 'required'],
    ['note', 'note', 2000, 'optional'],
  ]);
  const exhibit = Number(values.exhibit);
  if (values.exhibit !== '' && !exhibitIds.includes(exhibit))
    problems.push({ field: 'custody-exhibit', key: 'custodyExhibit' });
  const event = values.event ?? '';
  if (event !== '' && !oneOf(ADDABLE_EVENTS, event)) problems.push({ field: 'event', key: 'event' });
  const when = readWhen(body, 'at', now);
  if (when.problem !== undefined) problems.push(when.problem);
  return result(
    problems,
    { ...values, ...when.values },
    {
      exhibitId: exhibit,
      event: event as CustodyEvent,
      at: when.at ?? '',
      location: values.location ?? '',
      note: values.note ?? '',
    },
    ['custody-exhibit', 'event', 'at-day', 'at-time-hour', 'location', 'note'],
  );
}

export function readTask(body: Body) {
  const { values, problems } = texts(body, [
    ['title', 'task-title', 500, 'required'],
    ['owner', 'owner', 320, 'required'],
  ]);
  if (values.owner !== '' && !isEmail(values.owner ?? ''))
    problems.push({ field: 'owner', key: 'ownerFormat' });
  const [day, month, year] = ['day', 'month', 'year'].map(
    (n) => (values[`due-${n}`] = field(body, `due-${n}`, 4)),
  );
  const dueOn = readDate(day ?? '', month ?? '', year ?? '');
  if (dueOn === null) problems.push({ field: 'due-day', key: 'due' });
  return result(
    problems,
    values,
    { title: values.title ?? '', owner: values.owner ?? '', dueOn: dueOn ?? '' },
    ['task-title', 'owner', 'due-day'],
  );
}

export function readDecision(body: Body) {
  const { values, problems } = texts(body, [
    ['decision', 'decision', 2000, 'required'],
    ['reason', 'decision-reason', 2000, 'required'],
  ]);
  return result(problems, values, { decision: values.decision ?? '', reason: values.reason ?? '' });
}

/**
 * Share the case with another unit, or transfer it there: a transfer names the receiving unit's officer in charge
 * and, optionally, more of its officers for the team (one email address per line).
 */
export function readShare(body: Body, units: readonly string[]) {
  const { values, problems } = texts(body, [
    ['unit', 'share-unit', 60, 'choice'],
    ['kind', 'share-kind', 10, 'choice'],
    ['officer', 'transfer-officer', 320, 'optional'],
    ['members', 'transfer-members', 20_000, 'optional'],
    ['reason', 'share-reason', 2000, 'required'],
  ]);
  if (values.unit !== '' && !units.includes(values.unit ?? ''))
    problems.unshift({ field: 'share-unit', key: 'shareUnit' });
  if (values.kind !== '' && !['share', 'transfer'].includes(values.kind ?? ''))
    problems.push({ field: 'share-kind', key: 'shareKind' });
  const transfer = values.kind === 'transfer';
  const members = (values.members ?? '').split(/\r?\n/).flatMap((l) => (l.trim() === '' ? [] : [l.trim()]));
  if (transfer) {
    if (values.officer === '') problems.push({ field: 'transfer-officer', key: 'transferOfficer' });
    else if (!isEmail(values.officer ?? ''))
      problems.push({ field: 'transfer-officer', key: 'transferOfficerFormat' });
    const bad = members.length > 50 ? undefined : members.find((m) => !isEmail(m) || m.length > 320);
    if (members.length > 50) problems.push({ field: 'transfer-members', key: 'transferMembersMany' });
    else if (bad !== undefined)
      problems.push({
        field: 'transfer-members',
        key: 'transferMembersFormat',
        params: { email: bad.slice(0, 40) },
      });
  }
  return result(
    problems,
    values,
    {
      unit: values.unit ?? '',
      reason: values.reason ?? '',
      transfer,
      officerInCharge: values.officer ?? '',
      members,
    },
    ['share-unit', 'share-kind', 'transfer-officer', 'transfer-members', 'share-reason'],
  );
}

export function readClose(body: Body) {
  const { values, problems } = texts(body, [
    ['outcome', 'outcome', 60, 'choice'],
    ['reason', 'close-reason', 2000, 'required'],
  ]);
  if (values.outcome !== '' && !oneOf(OUTCOMES, values.outcome ?? ''))
    problems.unshift({ field: 'outcome', key: 'outcome' });
  return result(problems, values, { outcome: values.outcome ?? '', reason: values.reason ?? '' });
}

export function readExaminationRequest(body: Body, exhibitIds: readonly number[]) {
  const { values, problems } = texts(body, [
    ['exhibit', 'exam-exhibit', 15, 'choice'],
    ['what', 'what', 2000, 'required'],
    ['why', 'why', 2000, 'required'],
    ['priority', 'priority', 10, 'choice'],
    ['legalAuthority', 'legalAuthority', 500, 'required'],
  ]);
  const exhibit = Number(values.exhibit);
  if (values.exhibit !== '' && !exhibitIds.includes(exhibit))
    problems.push({ field: 'exam-exhibit', key: 'examExhibit' });
  const priority = values.priority ?? '';
  if (priority !== '' && !oneOf(PRIORITIES, priority)) problems.push({ field: 'priority', key: 'priority' });
  return result(
    problems,
    values,
    {
      exhibitId: exhibit,
      what: values.what ?? '',
      why: values.why ?? '',
      priority,
      legalAuthority: values.legalAuthority ?? '',
    },
    ['exam-exhibit', 'what', 'why', 'priority', 'legalAuthority'],
  );
}

export function readExaminationStep(body: Body, id: number) {
  const status = field(body, 'status', 20);
  const findings = field(body, 'findings', 20_000);
  const values = { [`findings-${id}`]: findings };
  const problems: FormProblem[] = [];
  if (!oneOf(EXAMINATION_STEPS, status)) problems.push({ field: `findings-${id}`, key: 'step' });
  else if (findings.length > 20_000) problems.push({ field: `findings-${id}`, key: 'findingsLong' });
  else if (status === 'complete' && findings === '')
    problems.push({ field: `findings-${id}`, key: 'findings' });
  return result(problems, values, {
    status: status as (typeof EXAMINATION_STEPS)[number],
    ...(findings === '' ? {} : { findings }),
  });
}

/** A number typed in a box, within [min, max]; null when it is not one. */
function readNumber(value: string, min: number, max: number): number | null {
  if (!/^-?\d+(?:\.\d+)?$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** Mark the call data records that place the number within a distance of a point between two times. */
export function readMark(body: Body, now: Date) {
  const { values, problems } = texts(body, [
    ['latitude', 'latitude', 20, 'required'],
    ['longitude', 'longitude', 20, 'required'],
    ['radius', 'radius', 10, 'required'],
    ['note', 'mark-note', 500, 'optional'],
  ]);
  const lat = readNumber(values.latitude ?? '', -90, 90);
  const lon = readNumber(values.longitude ?? '', -180, 180);
  const radius = readNumber(values.radius ?? '', 1, 100_000);
  const typed = (name: string) => values[name] !== '' && (values[name]?.length ?? 0) <= 20;
  if (typed('latitude') && lat === null) problems.push({ field: 'latitude', key: 'latitudeRange' });
  if (typed('longitude') && lon === null) problems.push({ field: 'longitude', key: 'longitudeRange' });
  if (typed('radius') && radius === null) problems.push({ field: 'radius', key: 'radiusRange' });
  const from = readWhen(body, 'from', now);
  const to = readWhen(body, 'to', now);
  for (const when of [from, to]) if (when.problem !== undefined) problems.push(when.problem);
  if (from.at !== undefined && to.at !== undefined && to.at < from.at)
    problems.push({ field: 'to-day', key: 'toBeforeFrom' });
  return result(
    problems,
    { ...values, ...from.values, ...to.values },
    {
      lat: lat ?? 0,
      lon: lon ?? 0,
      radiusM: radius ?? 0,
      from: from.at ?? '',
      // Up to the end of the minute typed: "to 09:30" takes in an event at 09:30:40.
      to: to.at === undefined ? '' : new Date(Date.parse(to.at) + 59_999).toISOString(),
      note: values.note ?? '',
    },
    ['latitude', 'longitude', 'radius', 'from-day', 'from-time-hour', 'to-day', 'to-time-hour', 'mark-note'],
  );
}

/** An officer to add to, or take off, the case's team (chosen from a list, so only the choice is checked). */
export function readMember(body: Body, id: string) {
  const { values, problems } = texts(body, [['email', id, 320, 'choice']]);
  return result(problems, values, { email: values.email ?? '' });
}
