import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import {
  CONTACT_METHODS,
  EMPLOYEE_BANDS,
  PAYMENT_METHODS,
  PREFERRED_CONTACT,
  CONTACT_TIMES,
  SECTORS,
  VULNERABILITY_FLAGS,
  WHAT_HAPPENED_CHOICES,
  type ReportDraft,
} from '../../../domain/report/report-draft.ts';
import { isEmailAddress } from '../../../domain/contact/email-address.ts';

/** A field error: the form field's id and the locale key of its message (under report.errors). */
export interface FieldError {
  field: string;
  key: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

type Body = Record<string, unknown>;

export const LIMITS = { short: 200, line: 500, list: 2000, narrative: 10_000 } as const;

function text(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '';
}

function list(body: Body, name: string): string[] {
  const value = body[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

const oneOf = (value: string, options: readonly string[]) => options.includes(value);

class Checker {
  readonly errors: FieldError[] = [];
  check(ok: boolean, field: string, key: string): boolean {
    if (!ok && !this.errors.some((e) => e.field === field)) this.errors.push({ field, key });
    return ok;
  }
  required(value: string, field: string, key: string, max: number = LIMITS.short): void {
    if (this.check(value !== '', field, `${key}.required`))
      this.check(value.length <= max, field, `${key}.tooLong`);
  }
  optional(value: string, field: string, key: string, max: number): void {
    this.check(value.length <= max, field, `${key}.tooLong`);
  }
  result<T>(value: T): Validated<T> {
    return this.errors.length === 0 ? { ok: true, value } : { ok: false, errors: this.errors };
  }
}

export function validateOrganisation(body: Body): Validated<NonNullable<ReportDraft['organisation']>> {
  const c = new Checker();
  const value = {
    name: text(body, 'name'),
    sector: text(body, 'sector'),
    employees: text(body, 'employees'),
  };
  c.required(value.name, 'name', 'organisationName');
  c.check(oneOf(value.sector, SECTORS), 'sector', 'sector.required');
  c.check(oneOf(value.employees, EMPLOYEE_BANDS), 'employees', 'employees.required');
  return c.result(value);
}

export function validateAboutYou(
  body: Body,
  onBehalf: boolean,
): Validated<NonNullable<ReportDraft['aboutYou']>> {
  const c = new Checker();
  const value = { name: text(body, 'name'), victimName: onBehalf ? text(body, 'victimName') : '' };
  c.required(value.name, 'name', 'name');
  if (onBehalf) c.required(value.victimName, 'victimName', 'victimName');
  return c.result(value);
}

export function validateWhatHappened(body: Body): Validated<NonNullable<ReportDraft['whatHappened']>> {
  const c = new Checker();
  const value = { choice: text(body, 'choice'), narrative: text(body, 'narrative') };
  c.check(Object.hasOwn(WHAT_HAPPENED_CHOICES, value.choice), 'choice', 'choice.required');
  c.required(value.narrative, 'narrative', 'narrative', LIMITS.narrative);
  return c.result(value);
}

export function validateSuspicious(body: Body): Validated<NonNullable<ReportDraft['suspicious']>> {
  const c = new Checker();
  const value = {
    sender: text(body, 'sender'),
    link: text(body, 'link'),
    narrative: text(body, 'narrative'),
  };
  c.check(
    value.sender !== '' || value.link !== '' || value.narrative !== '',
    'sender',
    'suspicious.required',
  );
  c.optional(value.sender, 'sender', 'sender', LIMITS.line);
  c.optional(value.link, 'link', 'link', LIMITS.list);
  c.optional(value.narrative, 'narrative', 'narrative', LIMITS.narrative);
  return c.result(value);
}

/** A real calendar date, not in the future and not before 1990. */
export function validateWhen(body: Body, today: Date): Validated<NonNullable<ReportDraft['when']>> {
  const c = new Checker();
  const value = {
    day: text(body, 'day'),
    month: text(body, 'month'),
    year: text(body, 'year'),
    ongoing: text(body, 'ongoing'),
  };
  if (value.day === '' && value.month === '' && value.year === '') c.check(false, 'day', 'date.required');
  else if (![value.day, value.month, value.year].every((p) => /^\d+$/.test(p)))
    c.check(false, 'day', 'date.invalid');
  else {
    const [d, m, y] = [Number(value.day), Number(value.month), Number(value.year)];
    const date = new Date(Date.UTC(y, m - 1, d));
    const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    if (c.check(real && y >= 1990, 'day', 'date.invalid'))
      c.check(date.getTime() <= today.getTime(), 'day', 'date.future');
  }
  c.check(oneOf(value.ongoing, ['yes', 'no']), 'ongoing', 'ongoing.required');
  return c.result(value);
}

export function validateContactMethod(body: Body): Validated<NonNullable<ReportDraft['contactMethod']>> {
  const c = new Checker();
  const value = { method: text(body, 'method') };
  c.check(oneOf(value.method, CONTACT_METHODS), 'method', 'contactMethod.required');
  return c.result(value);
}

/** "£1,250.50" → 125050 pence; null when it is not an amount of money. */
export function parsePence(input: string): number | null {
  const compact = input.replace(/[£\s]/g, '');
  if (!/^(\d{1,3}(,\d{3})+|\d{1,10})(\.\d{1,2})?$/.test(compact)) return null;
  const [pounds = '0', pence = ''] = compact.replace(/,/g, '').split('.');
  const value = Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
  return Number.isSafeInteger(value) ? value : null;
}

export function validateMoney(body: Body): Validated<NonNullable<ReportDraft['money']>> {
  const c = new Checker();
  const value = {
    lost: text(body, 'lost'),
    amount: text(body, 'amount'),
    method: text(body, 'method'),
    sortCode: text(body, 'sortCode'),
    accountNumber: text(body, 'accountNumber'),
    wallets: text(body, 'wallets'),
  };
  if (c.check(oneOf(value.lost, ['yes', 'no']), 'lost', 'lost.required') && value.lost === 'yes') {
    if (c.check(value.amount !== '', 'amount', 'amount.required')) {
      const pence = parsePence(value.amount);
      c.check(pence !== null && pence > 0, 'amount', 'amount.invalid');
    }
    c.check(oneOf(value.method, PAYMENT_METHODS), 'method', 'paymentMethod.required');
  }
  const sortCode = value.sortCode.replace(/[\s-]/g, '');
  const account = value.accountNumber.replace(/\s/g, '');
  if (sortCode !== '' || account !== '') {
    c.check(/^\d{6}$/.test(sortCode), 'sortCode', 'sortCode.invalid');
    c.check(/^\d{8}$/.test(account), 'accountNumber', 'accountNumber.invalid');
  }
  c.optional(value.wallets, 'wallets', 'wallets', LIMITS.list);
  if (value.lost === 'no') Object.assign(value, { amount: '', method: '' });
  return c.result(value);
}

export function validateSuspect(body: Body): Validated<NonNullable<ReportDraft['suspect']>> {
  const c = new Checker();
  const value = {
    names: text(body, 'names'),
    emails: text(body, 'emails'),
    phones: text(body, 'phones'),
    websites: text(body, 'websites'),
    socials: text(body, 'socials'),
  };
  for (const field of ['names', 'emails', 'phones', 'websites', 'socials'] as const)
    c.optional(value[field], field, 'list', LIMITS.list);
  return c.result(value);
}

export function validateVulnerability(body: Body): Validated<NonNullable<ReportDraft['vulnerability']>> {
  const c = new Checker();
  const flags = list(body, 'flags');
  if (
    c.check(
      flags.length > 0 && flags.every((f) => oneOf(f, VULNERABILITY_FLAGS)),
      'flags',
      'vulnerability.required',
    )
  ) {
    c.check(!(flags.includes('none') && flags.length > 1), 'flags', 'vulnerability.noneAlone');
  }
  return c.result({ flags });
}

/** A UK or international phone number in E.164, or null. */
export function normalisePhone(input: string): string | null {
  try {
    if (!isValidPhoneNumber(input, 'GB')) return null;
    return parsePhoneNumberWithError(input, 'GB').number;
  } catch {
    return null;
  }
}

export function validateContactDetails(
  body: Body,
  required: boolean,
): Validated<NonNullable<ReportDraft['contactDetails']>> {
  const c = new Checker();
  const value = {
    email: text(body, 'email'),
    phone: text(body, 'phone'),
    preferred: text(body, 'preferred'),
  };
  if (required) c.check(value.email !== '' || value.phone !== '', 'email', 'contact.required');
  if (value.email !== '')
    c.check(value.email.length <= 320 && isEmailAddress(value.email), 'email', 'email.invalid');
  if (value.phone !== '')
    c.check(value.phone.length <= 30 && normalisePhone(value.phone) !== null, 'phone', 'phone.invalid');
  if (value.email !== '' || value.phone !== '')
    c.check(oneOf(value.preferred, PREFERRED_CONTACT), 'preferred', 'preferred.required');
  return c.result(value);
}

export function validateForce(
  body: Body,
  candidates: readonly string[],
): Validated<NonNullable<ReportDraft['force']>> {
  const c = new Checker();
  const value = { force: text(body, 'force') };
  c.check(candidates.includes(value.force), 'force', 'force.required');
  return c.result(value);
}

export function validateVictimSupport(body: Body): Validated<NonNullable<ReportDraft['victimSupport']>> {
  const c = new Checker();
  const consent = text(body, 'consent');
  const contactTime = text(body, 'contactTime');
  c.check(oneOf(consent, ['yes', 'no']), 'consent', 'victimSupport.required');
  if (consent === 'yes' && contactTime !== '')
    c.check(oneOf(contactTime, CONTACT_TIMES), 'contactTime', 'victimSupport.contactTime');
  return c.result(
    consent === 'yes' ? { consent, contactTime: contactTime === '' ? 'any' : contactTime } : { consent },
  );
}

/** The address a saved report's link goes to ("Save and come back later"): the journey's email rule. */
export function validateSaveEmail(body: Body): Validated<{ email: string }> {
  const c = new Checker();
  const email = text(body, 'email');
  if (c.check(email !== '', 'email', 'saveEmail.required'))
    c.check(email.length <= 320 && isEmailAddress(email), 'email', 'email.invalid');
  return c.result({ email });
}
