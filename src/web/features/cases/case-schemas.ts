/**
 * The one source of validation for cases: the JSON API (web/features/api/cases-api-routes.ts) validates its bodies
 * with these schemas (Fastify, which also puts them in the OpenAPI document), and the workspace forms
 * (case-forms.ts) check what was typed, put into the API's shape, against the same schemas (`schemaProblems`), so
 * a limit or a rule is written once.
 */
import { FormatRegistry, Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { OUTCOMES } from '../../../domain/casework/status.ts';
import { isEmailAddress } from '../../../domain/contact/email-address.ts';
import { OFFICER_EVENTS } from '../../../domain/custody/custody-chain.ts';
import { EXHIBIT_KINDS } from '../../../services/investigations/index.ts';

const Timestamp = Type.String({ format: 'date-time' });
export const NewCase = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    reports: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 500, default: [] }),
    campaigns: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 })),
    restricted: Type.Optional(Type.Boolean()),
    members: Type.Optional(Type.Array(Type.String({ format: 'email', maxLength: 320 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export const NewExhibit = Type.Object(
  {
    initials: Type.String({ pattern: '^[A-Z]{2,4}$' }),
    kind: Type.Union(EXHIBIT_KINDS.map((k) => Type.Literal(k))),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    seized_at: Timestamp,
    seized_where: Type.String({ minLength: 1, maxLength: 500 }),
    seal_numbers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[^,]+$' }), { maxItems: 20 }),
    ),
  },
  { additionalProperties: false },
);
export const NewCustody = Type.Object(
  {
    event: Type.Union(OFFICER_EVENTS.map((e) => Type.Literal(e))),
    at: Timestamp,
    location: Type.String({ minLength: 1, maxLength: 500 }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const NewFile = Type.Object(
  {
    file_name: Type.String({ minLength: 1, maxLength: 200 }),
    content_base64: Type.String({ minLength: 1, maxLength: 1_400_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
  },
  { additionalProperties: false },
);

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
export const NewTask = Type.Object(
  {
    title: Text(500),
    owner: Type.String({ format: 'email', maxLength: 320 }),
    due_on: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export const NewDecision = Type.Object(
  { decision: Text(2000), reason: Text(2000) },
  { additionalProperties: false },
);
const Email = Type.String({ format: 'email', maxLength: 320 });
export const Share = Type.Object(
  {
    unit: Text(60),
    reason: Text(2000),
    transfer: Type.Optional(Type.Boolean()),
    // A transfer names the receiving unit's officer in charge, and any more of its officers for the team.
    officer_in_charge: Type.Optional(Email),
    members: Type.Optional(Type.Array(Email, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export const Close = Type.Object(
  { outcome: Type.Union(OUTCOMES.map((o) => Type.Literal(o))), reason: Text(2000) },
  { additionalProperties: false },
);
export const PRIORITIES = ['urgent', 'high', 'routine'] as const;
export const EXAMINATION_STEPS = ['in-progress', 'complete', 'rejected'] as const;

export const NewExamination = Type.Object(
  {
    what: Text(2000),
    why: Text(2000),
    priority: Type.Union(PRIORITIES.map((p) => Type.Literal(p))),
    legal_authority: Text(500),
  },
  { additionalProperties: false },
);
export const ExaminationUpdate = Type.Object(
  {
    status: Type.Union(EXAMINATION_STEPS.map((s) => Type.Literal(s))),
    findings: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);
export const Member = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 320 }) },
  { additionalProperties: false },
);
export const Cdr = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: 1_000_000 }) },
  { additionalProperties: false },
);
export const Mark = Type.Object(
  {
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    radius_m: Type.Number({ minimum: 1, maximum: 100_000 }),
    from: Timestamp,
    to: Timestamp,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

// The formats the API's validator (Ajv with ajv-formats, in Fastify; `email` is the domain's rule there too, see
// web/app.ts) knows, for TypeBox's checker here. Set once, the same functions whenever this module loads.
/** A real calendar date written YYYY-MM-DD (no 31 June); forms and the API both check dates with it. */
export const realDate = (text: string) => {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 0) - 1, d ?? 0));
  return date.getUTCFullYear() === y && date.getUTCMonth() === (m ?? 0) - 1 && date.getUTCDate() === d;
};
const FORMATS: Record<string, (value: string) => boolean> = {
  email: isEmailAddress,
  date: (value) => /^\d{4}-\d\d-\d\d$/.test(value) && realDate(value),
  'date-time': (value) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i.test(value) &&
    realDate(value.slice(0, 10)) &&
    !Number.isNaN(Date.parse(value)),
};
for (const [name, check] of Object.entries(FORMATS))
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);

/** Why a property broke its schema, as a form says it: left empty, too long, too many, or not in the right form. */
export type SchemaProblem = 'missing' | 'long' | 'many' | 'format';

/**
 * Each top-level property of `value` that breaks `schema`, and how (the first way found). What the API would refuse
 * with 422 naming the property, a form shows as a message on the input it came from.
 */
export function schemaProblems(schema: TSchema, value: unknown): Map<string, SchemaProblem> {
  const found = new Map<string, SchemaProblem>();
  for (const error of Value.Errors(schema, value)) {
    const [, prop = '', item] = error.path.split('/');
    if (prop === '' || found.has(prop)) continue;
    const limits = error.schema as { maxLength?: number; maxItems?: number };
    const bad: unknown = error.value;
    found.set(
      prop,
      item === undefined && (bad === undefined || bad === '')
        ? 'missing'
        : typeof bad === 'string' && limits.maxLength !== undefined && bad.length > limits.maxLength
          ? 'long'
          : Array.isArray(bad) && limits.maxItems !== undefined && bad.length > limits.maxItems
            ? 'many'
            : 'format',
    );
  }
  return found;
}
