/**
 * The disruption API's bodies (TypeBox): they validate requests, type the handlers and document the API. The
 * workspace form reads its inputs under the same names and passes them to the same service, whose rules (choices,
 * suspect-side values, personal data) are the one check of what a request may carry.
 */
import { Type, type Static } from '@sinclair/typebox';

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Pence = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });

export const NewDisruption = Type.Object(
  {
    report: Type.Optional(
      Type.String({ maxLength: 30, description: 'The crime reference it is raised from' }),
    ),
    case: Type.Optional(Type.String({ maxLength: 30, description: 'Or the case reference' })),
    indicator_id: Type.Optional(Id),
    campaign_id: Type.Optional(Id),
    partner_id: Id,
    type: Type.String({
      maxLength: 20,
      description: 'takedown, suspend-number, freeze-funds, recall-funds or close-account',
    }),
    target_type: Type.String({
      maxLength: 20,
      description: 'url, domain, ipv4, ipv6, phone, uk-bank-account, iban, email or social',
    }),
    target_value: Type.String({ maxLength: 2048 }),
    urgency: Type.String({
      maxLength: 10,
      description: 'immediate (4 hours), high (24 hours) or routine (5 days)',
    }),
    legal_basis: Type.String({
      maxLength: 30,
      description: 'dpa-2018-schedule-2, poca-2002, court-order or partner-terms',
    }),
    legal_basis_detail: Type.Optional(Type.String({ maxLength: 500 })),
    amount_pence: Type.Optional(Pence),
    transaction_date: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' })),
    transaction_refs: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
    submit: Type.Optional(Type.Boolean({ description: 'Send for approval at once (default: a draft)' })),
  },
  { additionalProperties: false },
);
export type NewDisruptionBody = Static<typeof NewDisruption>;

export const ReturnToDraft = Type.Object(
  { reason: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);

export const Acknowledge = Type.Object(
  { partner_reference: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);
export const Action = Type.Object(
  {
    frozen_pence: Type.Optional(Pence),
    recovered_pence: Type.Optional(Pence),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const Decline = Type.Object(
  { reason: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);

/** The body as the service takes it (the form builds the same). */
export function disruptionInput(body: NewDisruptionBody) {
  return {
    ...(body.report === undefined ? {} : { report: body.report }),
    ...(body.case === undefined ? {} : { caseReference: body.case }),
    ...(body.indicator_id === undefined ? {} : { indicatorId: body.indicator_id }),
    ...(body.campaign_id === undefined ? {} : { campaignId: body.campaign_id }),
    partnerId: body.partner_id,
    type: body.type,
    targetType: body.target_type,
    targetValue: body.target_value,
    urgency: body.urgency,
    legalBasis: body.legal_basis,
    ...(body.legal_basis_detail === undefined ? {} : { legalBasisDetail: body.legal_basis_detail }),
    ...(body.amount_pence === undefined ? {} : { amountPence: body.amount_pence }),
    ...(body.transaction_date === undefined ? {} : { transactionDate: body.transaction_date }),
    ...(body.transaction_refs === undefined ? {} : { transactionRefs: body.transaction_refs }),
    ...(body.submit === undefined ? {} : { submit: body.submit }),
  };
}
