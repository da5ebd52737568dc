/**
 * Reads the case workspace forms as typed (trimmed), puts them into the JSON API's shape and checks them against
 * the API's own schemas (case-schemas.ts): a limit or rule is written once, for both. What only a form has (a date
 * typed as day, month and year; one reference or email address per line; a choice from the page's lists) is
 * checked here. Each problem names the input to link to and a message key under `cases.errors`.
 */
import { OFFICER_EVENTS, type CustodyEvent } from '../../../domain/custody/custody-chain.ts';
import { ukWallClockToInstant } from '../../../domain/ico/breach-deadline.ts';
import { parseCrimeReference } from '../../../domain/reference/crime-reference.ts';
import type { TSchema } from '@sinclair/typebox';
import {
  Close,
  EXAMINATION_STEPS,
  ExaminationUpdate,
  Mark,
  Member,
  NewCase,
  NewCustody,
  NewDecision,
  NewExamination,
  NewExhibit,
  NewTask,
  PRIORITIES,
  realDate,
  Share,
  schemaProblems,
  type SchemaProblem,
} from './case-schemas.ts';

import type { FormProblem } from '../../plugins/form-errors.ts';

export type { FormProblem };
export type Body = Record<string, unknown>;
export type FormResult<T> =
  | { ok: true; input: T; values: Record<string, string> }
  | { ok: false; problems: FormProblem[]; values: Record<string, string> };

export const ADDABLE_EVENTS = OFFICER_EVENTS;
export { EXAMINATION_STEPS, PRIORITIES };

/** A form field as typed, trimmed ('' when absent); the body is at most 64 KB, so nothing needs cutting. */
const field = (body: Body, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
};
const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);
const lines = (text: string) =>
  text.split(/\r?\n/).flatMap((line) => (line.trim() === '' ? [] : [line.trim()]));

/** The message key for an input id: `task-title` → `taskTitle`. */
const keyOf = (id: string) => id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** An API property's input on the form, and any message keys that differ from `<key>`, `<key>Long`, `<key>Many`. */
type Input = string | { id: string; keys: Partial<Record<SchemaProblem, string>> };

/**
 * The schema's problems with `candidate` (the form in the API's shape) on the inputs they came from (`inputs`, by
 * API property); a property the form does not name is checked by the form itself.
 */
function checked(schema: TSchema, candidate: object, inputs: Record<string, Input>): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const [prop, how] of schemaProblems(schema, candidate)) {
    const input = inputs[prop];
    if (input === undefined) continue;
    const { id, keys } = typeof input === 'string' ? { id: input, keys: {} } : input;
    const key = keyOf(id);
    const standard = { missing: key, long: `${key}Long`, many: `${key}Many`, format: key };
    problems.push({ field: id, key: keys[how] ?? standard[how] });
  }
  return problems;
}

/** Reads named fields as typed. */
function texts(body: Body, names: readonly string[]) {
  return Object.fromEntries(names.map((name) => [name, field(body, name)]));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A UK calendar date typed as day, month and year, as YYYY-MM-DD; null when it is not a real date. */
function readDate(day: string, month: string, year: string): string | null {
  if (![day, month].every((p) => /^\d{1,2}$/.test(p)) || !/^\d{4}$/.test(year)) return null;
  const date = `${year}-${pad(Number(month))}-${pad(Number(day))}`;
  return realDate(date) ? date : null;
}

/** `<prefix>-day/-month/-year/-hour/-minute` as an instant (UK clock time), not after `now`. */
function readWhen(body: Body, prefix: string, now: Date) {
  const part = (name: string) => field(body, `${prefix}-${name}`).slice(0, 5);
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
  const values = texts(body, ['title', 'reports', 'restricted']);
  const typed = lines(values.reports ?? '');
  const parsed: string[] = [];
  const problems = checked(
    NewCase,
    { title: values.title, reports: typed.length > 500 ? typed : [] },
    { title: 'title', reports: 'reports' },
  );
  if (typed.length <= 500)
    for (const line of typed) {
      const ref = parseCrimeReference(line);
      if (ref === null) {
        problems.push({ field: 'reports', key: 'reportFormat', params: { reference: line.slice(0, 40) } });
        break;
      }
      parsed.push(ref);
    }
  if (!oneOf(['yes', 'no'], values.restricted ?? ''))
    problems.push({ field: 'restricted', key: 'restricted' });
  return result(
    problems,
    values,
    { title: values.title ?? '', reports: [...new Set(parsed)], restricted: values.restricted === 'yes' },
    ['title', 'reports', 'restricted'],
  );
}

export function readExhibit(body: Body, now: Date) {
  const values = texts(body, ['initials', 'kind', 'description', 'seizedWhere', 'seals']);
  const initials = (values.initials ?? '').toUpperCase();
  const when = readWhen(body, 'seized', now);
  const seals = lines(values.seals ?? '');
  const problems = checked(
    NewExhibit,
    {
      initials,
      kind: values.kind,
      description: values.description,
      // The time is checked as typed (readWhen); the schema sees a good one.
      seized_at: when.at ?? now.toISOString(),
      seized_where: values.seizedWhere,
      seal_numbers: seals,
    },
    {
      initials: 'initials',
      kind: 'kind',
      description: 'description',
      seized_where: 'seizedWhere',
      seal_numbers: {
        id: 'seals',
        keys: { long: 'sealsFormat', many: 'sealsFormat', format: 'sealsFormat' },
      },
    },
  );
  if (when.problem !== undefined) problems.push(when.problem);
  return result(
    problems,
    { ...values, ...when.values },
    {
      initials,
      kind: values.kind ?? '',
      description: values.description ?? '',
      seizedAt: when.at ?? '',
      seizedWhere: values.seizedWhere ?? '',
      sealNumbers: seals,
    },
    ['initials', 'kind', 'description', 'seized-day', 'seized-time-hour', 'seizedWhere', 'seals'],
  );
}

/**
 * "Add to case as exhibit" from a report's evidence file: the case chosen (whether it is one this person works is
 * the service's to say) and the officer's initials, checked by the API's exhibit rule.
 */
export function readReportExhibit(body: Body) {
  const values = texts(body, ['case', 'initials']);
  const initials = (values.initials ?? '').toUpperCase();
  const problems: FormProblem[] = [];
  if ((values.case ?? '') === '') problems.push({ field: 'case', key: 'case' });
  problems.push(...checked(NewExhibit, { initials }, { initials: 'initials' }));
  return result(problems, values, { case: values.case ?? '', initials }, ['case', 'initials']);
}

export function readCustody(body: Body, now: Date, exhibitIds: readonly number[]) {
  const values = texts(body, ['exhibit', 'event', 'location', 'note']);
  const exhibit = Number(values.exhibit);
  const problems: FormProblem[] = [];
  if (!exhibitIds.includes(exhibit)) problems.push({ field: 'custody-exhibit', key: 'custodyExhibit' });
  const when = readWhen(body, 'at', now);
  problems.push(
    ...checked(
      NewCustody,
      { event: values.event, at: when.at ?? now.toISOString(), location: values.location, note: values.note },
      { event: 'event', location: 'location', note: 'note' },
    ),
  );
  if (when.problem !== undefined) problems.push(when.problem);
  return result(
    problems,
    { ...values, ...when.values },
    {
      exhibitId: exhibit,
      event: (values.event ?? '') as CustodyEvent,
      at: when.at ?? '',
      location: values.location ?? '',
      note: values.note ?? '',
    },
    ['custody-exhibit', 'event', 'at-day', 'at-time-hour', 'location', 'note'],
  );
}

export function readTask(body: Body) {
  const values = texts(body, ['title', 'owner', 'due-day', 'due-month', 'due-year']);
  const dueOn = readDate(values['due-day'] ?? '', values['due-month'] ?? '', values['due-year'] ?? '');
  const problems = checked(
    NewTask,
    { title: values.title, owner: values.owner, due_on: dueOn ?? '' },
    {
      title: 'task-title',
      owner: { id: 'owner', keys: { format: 'ownerFormat' } },
      due_on: { id: 'due-day', keys: { missing: 'due', format: 'due' } },
    },
  );
  return result(
    problems,
    values,
    { title: values.title ?? '', owner: values.owner ?? '', dueOn: dueOn ?? '' },
    ['task-title', 'owner', 'due-day'],
  );
}

export function readDecision(body: Body) {
  const values = texts(body, ['decision', 'reason']);
  const problems = checked(NewDecision, values, { decision: 'decision', reason: 'decision-reason' });
  return result(problems, values, { decision: values.decision ?? '', reason: values.reason ?? '' }, [
    'decision',
    'decision-reason',
  ]);
}

/**
 * Share the case with another unit, or transfer it there: a transfer names the receiving unit's officer in charge
 * and, optionally, more of its officers for the team (one email address per line).
 */
export function readShare(body: Body, units: readonly string[]) {
  const values = texts(body, ['unit', 'kind', 'officer', 'members', 'reason']);
  const transfer = values.kind === 'transfer';
  const members = lines(values.members ?? '');
  const problems: FormProblem[] = [];
  if (!units.includes(values.unit ?? '')) problems.push({ field: 'share-unit', key: 'shareUnit' });
  if (!['share', 'transfer'].includes(values.kind ?? ''))
    problems.push({ field: 'share-kind', key: 'shareKind' });
  problems.push(
    ...checked(
      Share,
      {
        unit: values.unit,
        reason: values.reason,
        transfer,
        ...(transfer ? { officer_in_charge: values.officer, members } : {}),
      },
      {
        unit: 'share-unit',
        reason: 'share-reason',
        officer_in_charge: {
          id: 'transfer-officer',
          keys: { missing: 'transferOfficer', format: 'transferOfficerFormat' },
        },
        members: {
          id: 'transfer-members',
          keys: { long: 'transferMembersFormat', format: 'transferMembersFormat' },
        },
      },
    ),
  );
  // Which address is wrong, for the message.
  const bad = members.find((m) => schemaProblems(Member, { email: m }).size > 0);
  for (const problem of problems)
    if (problem.key === 'transferMembersFormat') problem.params = { email: (bad ?? '').slice(0, 40) };
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
  const values = texts(body, ['outcome', 'reason']);
  const problems = checked(Close, values, { outcome: 'outcome', reason: 'close-reason' });
  return result(problems, values, { outcome: values.outcome ?? '', reason: values.reason ?? '' }, [
    'outcome',
    'close-reason',
  ]);
}

export function readExaminationRequest(body: Body, exhibitIds: readonly number[]) {
  const values = texts(body, ['exhibit', 'what', 'why', 'priority', 'legalAuthority']);
  const exhibit = Number(values.exhibit);
  const problems: FormProblem[] = [];
  if (!exhibitIds.includes(exhibit)) problems.push({ field: 'exam-exhibit', key: 'examExhibit' });
  problems.push(
    ...checked(
      NewExamination,
      {
        what: values.what,
        why: values.why,
        priority: values.priority,
        legal_authority: values.legalAuthority,
      },
      { what: 'what', why: 'why', priority: 'priority', legal_authority: 'legalAuthority' },
    ),
  );
  return result(
    problems,
    values,
    {
      exhibitId: exhibit,
      what: values.what ?? '',
      why: values.why ?? '',
      priority: values.priority ?? '',
      legalAuthority: values.legalAuthority ?? '',
    },
    ['exam-exhibit', 'what', 'why', 'priority', 'legalAuthority'],
  );
}

export function readExaminationStep(body: Body, id: number) {
  const status = field(body, 'status');
  const findings = field(body, 'findings');
  const values = { [`findings-${id}`]: findings };
  const input = `findings-${id}`;
  const problems = checked(
    ExaminationUpdate,
    { status, ...(findings === '' ? {} : { findings }) },
    {
      status: { id: input, keys: { missing: 'step', format: 'step' } },
      findings: { id: input, keys: { long: 'findingsLong' } },
    },
  );
  // The API leaves this rule to the service (findings to complete); the form says it before the service does.
  if (problems.length === 0 && status === 'complete' && findings === '')
    problems.push({ field: input, key: 'findings' });
  return result(problems, values, {
    status: status as (typeof EXAMINATION_STEPS)[number],
    ...(findings === '' ? {} : { findings }),
  });
}

/** A number typed in a box; null when it is not one. */
function readNumber(value: string): number | null {
  return /^-?\d+(?:\.\d+)?$/.test(value) ? Number(value) : null;
}

/** Mark the call data records that place the number within a distance of a point between two times. */
export function readMark(body: Body, now: Date) {
  const values = texts(body, ['latitude', 'longitude', 'radius', 'note']);
  const [lat, lon, radius] = [values.latitude, values.longitude, values.radius].map((v) =>
    readNumber(v ?? ''),
  );
  const from = readWhen(body, 'from', now);
  const to = readWhen(body, 'to', now);
  const problems: FormProblem[] = [];
  for (const [name, n] of [
    ['latitude', lat],
    ['longitude', lon],
    ['radius', radius],
  ] as const) {
    const typed = values[name] ?? '';
    if (typed === '') problems.push({ field: name, key: name });
    else if (typed.length > 20) problems.push({ field: name, key: `${name}Long` });
    else if (n === null) problems.push({ field: name, key: `${name}Range` });
  }
  // The ranges are the API's (a number outside them is refused by the same schema).
  problems.push(
    ...checked(
      Mark,
      {
        latitude: lat ?? 0,
        longitude: lon ?? 0,
        radius_m: radius ?? 1,
        from: from.at ?? now.toISOString(),
        to: to.at ?? now.toISOString(),
        note: values.note,
      },
      {
        latitude: { id: 'latitude', keys: { format: 'latitudeRange' } },
        longitude: { id: 'longitude', keys: { format: 'longitudeRange' } },
        radius_m: { id: 'radius', keys: { format: 'radiusRange' } },
        note: { id: 'mark-note', keys: { long: 'markNoteLong' } },
      },
    ),
  );
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
  const values = texts(body, ['email']);
  const problems = checked(Member, values, { email: { id, keys: { format: keyOf(id), long: keyOf(id) } } });
  return result(problems, values, { email: values.email ?? '' });
}
