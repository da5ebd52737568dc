/**
 * A fast, exact path for phone numbers as extraction meets them: UK numbers written 0… or +44…, and other
 * numbers written +<country code>…. libphonenumber-js rebuilds each metadata regular expression on every test,
 * which made phone validation most of extraction's cost; this module reads the same metadata once, compiles each
 * pattern once, and follows libphonenumber's own steps for these shapes (calling code; country among those
 * sharing it; national-prefix stripping; number type; possible lengths). Shapes it does not follow (a national
 * prefix written after a non-UK calling code, non-geographic codes) return undefined and go to libphonenumber.
 * fast-phone.test.ts checks it against libphonenumber itself.
 */
import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/max/metadata';

// The order libphonenumber tries types in (getNumberType).
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

interface Plan {
  /** Absent for a plan without per-type patterns: isValid then only tests the national number pattern. */
  hasTypes: boolean;
  nationalPrefixForParsing: RegExp | null;
  nationalNumber: RegExp;
  possibleLengths: number[];
  leadingDigits: RegExp | null;
  types: { pattern: RegExp; lengths: number[] | undefined }[];
}

// The metadata's own accessors, typed loosely: these are the methods libphonenumber's helpers call.
interface NumberingPlanLike {
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  nationalPrefixForParsing(): string | undefined;
  type(t: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function planFor(country: string): Plan {
  const metadata = new Metadata(metadataJson) as unknown as {
    selectNumberingPlan(c: string): void;
    numberingPlan: NumberingPlanLike;
  };
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan;
  const leading = plan.leadingDigits();
  const types: Plan['types'] = [];
  for (const name of TYPES) {
    const type = plan.type(name);
    // An empty or missing pattern never matches (isNumberTypeEqualTo).
    if (type === undefined || !type.pattern()) {
      types.push({ pattern: /(?!)/, lengths: undefined });
      continue;
    }
    types.push({ pattern: whole(type.pattern()), lengths: type.possibleLengths() });
  }
  const prefix = plan.nationalPrefixForParsing();
  return {
    hasTypes: plan.hasTypes(),
    nationalPrefixForParsing: prefix ? new RegExp(`^(?:${prefix})`) : null,
    nationalNumber: whole(plan.nationalNumberPattern()),
    possibleLengths: plan.possibleLengths() ?? [],
    leadingDigits: leading ? new RegExp(`^(?:${leading})`) : null,
    types,
  };
}

const { country_calling_codes: CALLING_CODES, nonGeographic: NON_GEOGRAPHIC } = metadataJson as unknown as {
  country_calling_codes: Record<string, string[]>;
  nonGeographic: Record<string, unknown>;
};

const compiled = new Map<string, Plan>();
function plan(country: string): Plan {
  let found = compiled.get(country);
  if (found === undefined) {
    found = planFor(country);
    compiled.set(country, found);
  }
  return found;
}

/** The plans sharing a calling code, main one first, as libphonenumber lists them. */
const plansFor = (callingCode: string): Plan[] => (CALLING_CODES[callingCode] ?? []).map(plan);
const PLANS_44 = plansFor('44');
const GB = plan('GB');

/** libphonenumber's isValid for a number in a plan (getNumberType defined). */
function isValidFor(nationalNumber: string, plan: Plan): boolean {
  if (!plan.nationalNumber.test(nationalNumber)) return false;
  if (!plan.hasTypes) return true;
  for (const type of plan.types) {
    if (type.lengths !== undefined && !type.lengths.includes(nationalNumber.length)) continue;
    if (type.pattern.test(nationalNumber)) return true;
  }
  return false;
}

/**
 * libphonenumber's getCountryByCallingCode: one plan, or leading digits decide, else the first valid plan. With it,
 * whether the number is valid there when that was found on the way (true), so that it is not tested twice.
 */
function planByNationalNumber(nationalNumber: string, plans: Plan[]): [Plan | undefined, true | undefined] {
  if (plans.length === 1) return [plans[0], undefined];
  for (const plan of plans) {
    if (plan.leadingDigits !== null) {
      if (plan.leadingDigits.test(nationalNumber)) return [plan, undefined];
    } else if (isValidFor(nationalNumber, plan)) return [plan, true];
  }
  return [undefined, undefined];
}

type Length = 'possible' | 'short-or-invalid' | 'long';

function lengthFor(nationalNumber: string, plan: Plan): Length {
  const lengths = plan.possibleLengths;
  const n = nationalNumber.length;
  if (lengths.length === 0 || lengths[0] === n) return 'possible';
  if ((lengths[0] ?? 0) > n) return 'short-or-invalid';
  if ((lengths.at(-1) ?? 0) < n) return 'long';
  return lengths.includes(n) ? 'possible' : 'short-or-invalid';
}

// Written nationally (0…), or after +44 with or without the 0: the 0 is then the national prefix.
const UK = /^(?:0|\+440?)([1-9]\d{1,16})$/;
// "0|180020" is GB's national prefix for parsing: after +44 (without a 0) a number starting 180020 would be cut.
const CUT_AFTER_44 = /^\+44180020/;
const UK_RESERVED = /^[1-37-9]\d{8,9}$/;

/**
 * E.164 for a compact UK number (digits, optional leading +), null if libphonenumber would refuse it (allowing,
 * as normalisePhone does, possible UK numbers in drama and reserved ranges), or undefined for other shapes.
 */
export function ukPhone(compact: string): string | null | undefined {
  const match = UK.exec(compact);
  if (match === null || CUT_AFTER_44.test(compact)) return undefined;
  const digits = match[1] ?? '';
  const [found, valid] = planByNationalNumber(digits, PLANS_44);
  const plan = found ?? GB;
  if (compact.startsWith('0') || compact.startsWith('+440')) {
    // extractNationalNumber keeps the 0 when the stripped number's length is impossible for its country; a
    // national number starting 0 is then valid nowhere under +44 and not a reserved range.
    if (lengthFor(digits, plan) === 'short-or-invalid') return null;
  }
  // parse() refuses national numbers longer than 17 digits.
  if (digits.length > 17) return null;
  if (valid ?? isValidFor(digits, plan)) return `+44${digits}`;
  if (lengthFor(digits, plan) === 'possible' && UK_RESERVED.test(digits)) return `+44${digits}`;
  return null;
}

/**
 * E.164 for a compact number written +<calling code>… outside +44, null if libphonenumber would refuse it, or
 * undefined when its national prefix or a non-geographic code would need libphonenumber's fuller rules.
 */
export function internationalPhone(compact: string): string | null | undefined {
  if (!/^\+[1-9]\d{3,}$/.test(compact)) return undefined;
  // extractCountryCallingCode: the shortest leading 1 to 3 digits that are a calling code.
  let callingCode: string | undefined;
  for (let i = 2; i <= 4; i++) {
    const code = compact.slice(1, i);
    if (NON_GEOGRAPHIC[code] !== undefined) return undefined;
    if (CALLING_CODES[code] !== undefined) {
      callingCode = code;
      break;
    }
  }
  if (callingCode === undefined) return null;
  if (callingCode === '44') return undefined;
  const plans = plansFor(callingCode);
  const main = plans[0];
  if (main === undefined) return undefined;
  const nationalNumber = compact.slice(1 + callingCode.length);
  // A national prefix after the calling code ("+33 0…") is cut by rules this path does not follow.
  if (main.nationalPrefixForParsing !== null && main.nationalPrefixForParsing.test(nationalNumber))
    return undefined;
  // parse() refuses national numbers shorter than 2 or longer than 17 digits.
  if (nationalNumber.length < 2 || nationalNumber.length > 17) return null;
  const [found, valid] = planByNationalNumber(nationalNumber, plans);
  return (valid ?? isValidFor(nationalNumber, found ?? main)) ? `+${callingCode}${nationalNumber}` : null;
}
