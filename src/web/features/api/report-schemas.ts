import { Type, type Static } from '@sinclair/typebox';
import { CONTACT_METHODS, PAYMENT_METHODS } from '../../../domain/report/report-draft.ts';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const List = (maxLength: number) => Type.Array(Text(maxLength), { maxItems: 50 });

/** The partner report body. One schema: request validation, TypeScript types and the OpenAPI document. */
export const ReportBody = Type.Object(
  {
    reporter: Type.Object(
      {
        type: Type.Union([Type.Literal('individual'), Type.Literal('organisation')]),
        name: Text(200),
        email: Type.Optional(Type.String({ maxLength: 320, format: 'email' })),
        phone: Type.Optional(Text(30)),
        postcode: Text(20),
        language: Type.Optional(
          Type.Union([Type.Literal('en'), Type.Literal('cy')], {
            description:
              'The language the person reported in (en or cy, default en): emails to them are written in it.',
          }),
        ),
        organisation: Type.Optional(
          Type.Object(
            {
              name: Text(200),
              sector: Type.Optional(Text(60)),
              employees: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    incident: Type.Object(
      {
        narrative: Text(10_000),
        started_at: Type.Optional(Type.String({ format: 'date' })),
        ongoing: Type.Optional(Type.Boolean()),
        contact_method: Type.Optional(Type.Union(CONTACT_METHODS.map((m) => Type.Literal(m)))),
        losses: Type.Optional(
          Type.Array(
            Type.Object(
              {
                amount_pence: Type.Integer({ minimum: 1, maximum: 100_000_000_000 }),
                method: Type.Union(PAYMENT_METHODS.map((m) => Type.Literal(m))),
              },
              { additionalProperties: false },
            ),
            { maxItems: 50 },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    suspect: Type.Optional(
      Type.Object(
        {
          names: Type.Optional(List(200)),
          emails: Type.Optional(List(320)),
          phones: Type.Optional(List(40)),
          websites: Type.Optional(List(2000)),
          bank_accounts: Type.Optional(List(60)),
          wallets: Type.Optional(List(120)),
        },
        { additionalProperties: false },
      ),
    ),
    consents: Type.Object(
      {
        victim_support: Type.Boolean({
          description:
            'The person agreed to be referred to Victim Support. Refused (422) where the service makes no referrals.',
        }),
        victim_support_contact_time: Type.Optional(
          Type.Union([
            Type.Literal('morning'),
            Type.Literal('afternoon'),
            Type.Literal('evening'),
            Type.Literal('any'),
          ]),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

export const ReportCreated = Type.Object({
  reference: Type.String({ examples: ['CYB-7F3K-Q9MD-R'] }),
  status: Type.String(),
  status_url: Type.String({ format: 'uri' }),
});

/** The answer to a bulk CSV: each row taken (with its reference) or refused (with its fields, problem-style). */
export const BulkResult = Type.Object({
  created: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reference: Type.String(),
      status_url: Type.String({ format: 'uri' }),
      replayed: Type.Optional(Type.Boolean()),
    }),
  ),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer(),
      errors: Type.Array(Type.Object({ name: Type.String(), message: Type.String() })),
    }),
  ),
});

export const ReportStatus = Type.Object({
  reference: Type.String(),
  status: Type.String(),
  received_at: Type.String({ format: 'date-time' }),
  updates: Type.Array(
    Type.Object({ kind: Type.String(), message: Type.String(), at: Type.String({ format: 'date-time' }) }),
  ),
});

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    /** Why a service refused (e.g. `member-unknown`): stable, for clients to branch on. */
    code: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ name: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details (application/problem+json)' },
);
