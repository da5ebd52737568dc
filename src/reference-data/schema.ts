import { Type, type Static } from '@sinclair/typebox';
import { EMAIL_ADDRESS } from '../domain/contact/email-address.ts';

const Id = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const Url = Type.String({ pattern: '^https?://[^\\s]+$' });
const Email = Type.String({ pattern: EMAIL_ADDRESS.source });
const Phone = Type.String({ pattern: '^[0-9][0-9 ]{2,14}$' });

export const ForceSchema = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 3 }),
    shortName: Type.String({ minLength: 3 }),
    nameCy: Type.Optional(Type.String({ minLength: 3 })),
    shortNameCy: Type.Optional(Type.String({ minLength: 3 })),
    nation: Type.Union([
      Type.Literal('england'),
      Type.Literal('wales'),
      Type.Literal('scotland'),
      Type.Literal('northern-ireland'),
      Type.Literal('great-britain'),
    ]),
    territorial: Type.Boolean(),
    region: Type.Union([Id, Type.Null()]),
    website: Url,
    nonEmergency: Phone,
  },
  { additionalProperties: false },
);

export const CyberProtectContactSchema = Type.Object(
  {
    label: Type.String(),
    website: Url,
    email: Email,
    forces: Type.Optional(Type.Array(Id, { minItems: 1 })),
  },
  { additionalProperties: false },
);

export const RegionSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    nameCy: Type.String(),
    rocu: Type.Object(
      { id: Id, name: Type.String(), nameCy: Type.String(), shortName: Type.String() },
      { additionalProperties: false },
    ),
    forces: Type.Array(Id, { minItems: 1 }),
    cyberProtect: Type.Array(CyberProtectContactSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const NationalUnitSchema = Type.Object(
  { id: Id, name: Type.String(), nameCy: Type.String(), organisation: Type.String(), website: Url },
  { additionalProperties: false },
);

export const ServiceSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    nameCy: Type.String(),
    phone: Type.Optional(Phone),
    textphone: Type.Optional(Phone),
    textRelay: Type.Optional(Phone),
    email: Type.Optional(Email),
    website: Type.Optional(Url),
    liveAttack24x7: Type.Optional(Type.Boolean()),
    deadlineHours: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

const ForceList = Type.Array(Id, { minItems: 1 });
const DistrictKey = Type.String({ pattern: '^[A-Z]{1,2}[0-9][0-9A-Z]?$' });

export const PostcodeAreaSchema = Type.Object(
  {
    name: Type.String(),
    forces: ForceList,
    districts: Type.Optional(Type.Record(DistrictKey, ForceList)),
  },
  { additionalProperties: false },
);

export const ForcesFileSchema = Type.Object({ description: Type.String(), forces: Type.Array(ForceSchema) });
export const RegionsFileSchema = Type.Object({
  description: Type.String(),
  source: Type.Object({ note: Type.String(), phone: Phone }),
  regions: Type.Array(RegionSchema),
});
export const NationalFileSchema = Type.Object({
  description: Type.String(),
  units: Type.Array(NationalUnitSchema),
  services: Type.Array(ServiceSchema),
});
export const PostcodeFileSchema = Type.Object({
  description: Type.String(),
  areas: Type.Record(Type.String({ pattern: '^[A-Z]{1,2}$' }), PostcodeAreaSchema),
});

export const UnitSchema = Type.Object(
  {
    id: Id,
    kind: Type.Union([
      Type.Literal('force'),
      Type.Literal('regional'),
      Type.Literal('national'),
      Type.Literal('fraud-assessment'),
    ]),
    force: Type.Optional(Id),
    region: Type.Optional(Id),
    name: Type.String({ minLength: 3 }),
    nameCy: Type.String({ minLength: 3 }),
    head: Type.Optional(Type.String()),
    fundedBy: Type.Optional(Type.String()),
    since: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2100 })),
    /** The unit's shared mailbox: told at once of every new item (services/unit-notifications.ts). */
    mailbox: Email,
    /** Also told of urgent items outside working hours (domain/notifications/working-hours.ts). */
    outOfHours: Email,
    /** Regional units: the region's Prevent team, told of every new Prevent referral (services/prevent.ts). */
    preventMailbox: Type.Optional(Email),
  },
  { additionalProperties: false },
);
/** The unit contact fields. */
export const UNIT_CONTACT_FIELDS = ['mailbox', 'outOfHours', 'preventMailbox'] as const;
export const UnitsFileSchema = Type.Object({
  description: Type.String(),
  /** The contact fields whose shipped addresses are placeholders, not confirmed: production refuses them. */
  placeholders: Type.Array(Type.Union(UNIT_CONTACT_FIELDS.map((f) => Type.Literal(f)))),
  units: Type.Array(UnitSchema),
});

/** UNIT_CONTACTS_FILE: a deployment's confirmed addresses, replacing units.json's for the units it names. */
export const UnitContactsFileSchema = Type.Object(
  {
    units: Type.Record(
      Id,
      Type.Object(
        { mailbox: Email, outOfHours: Email, preventMailbox: Type.Optional(Email) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Slugs = Type.Array(Type.String({ pattern: '^[a-z0-9-]+$' }), { minItems: 1 });
export const RoutingRulesFileSchema = Type.Object({
  description: Type.String(),
  thresholds: Type.Object(
    {
      leadsMinLossPence: Type.Integer({ minimum: 0 }),
      leadsVulnerableVictim: Type.Boolean(),
      leadsNamedSuspectWithUkPhone: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  cniSectors: Slugs,
  rules: Type.Array(
    Type.Object(
      {
        id: Id,
        when: Type.Object(
          {
            category: Type.Optional(Slugs),
            cyber: Type.Optional(
              Type.Array(
                Type.Union([Type.Literal('dependent'), Type.Literal('enabled'), Type.Literal('none')]),
                { minItems: 1 },
              ),
            ),
            reporterType: Type.Optional(Slugs),
            organisation: Type.Optional(Type.Boolean()),
            cniSector: Type.Optional(Type.Boolean()),
            ongoing: Type.Optional(Type.Boolean()),
            extortion: Type.Optional(Type.Boolean()),
            forceKnown: Type.Optional(Type.Boolean()),
            minLossPence: Type.Optional(Type.Integer({ minimum: 0 })),
            leads: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        route: Type.Union([
          Type.Literal('none'),
          Type.Literal('force'),
          Type.Literal('regional'),
          Type.Literal('nccu'),
          Type.Literal('fraud-assessment'),
        ]),
        urgent: Type.Union([Type.Boolean(), Type.Literal('if-ongoing')]),
      },
      { additionalProperties: false },
    ),
    { minItems: 1 },
  ),
});

export type Force = Static<typeof ForceSchema>;
export type Unit = Static<typeof UnitSchema>;
export type Region = Static<typeof RegionSchema>;
export type CyberProtectContact = Static<typeof CyberProtectContactSchema>;
export type NationalUnit = Static<typeof NationalUnitSchema>;
export type Service = Static<typeof ServiceSchema>;
export type PostcodeArea = Static<typeof PostcodeAreaSchema>;

const HolidayList = Type.Array(
  Type.Object(
    { date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), name: Type.String({ minLength: 3 }) },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export const BankHolidaysFileSchema = Type.Object(
  {
    description: Type.String(),
    /** The years the lists are complete for (cross-checked: every division has days in each). */
    years: Type.Object(
      {
        from: Type.Integer({ minimum: 2000, maximum: 2100 }),
        to: Type.Integer({ minimum: 2000, maximum: 2100 }),
      },
      { additionalProperties: false },
    ),
    divisions: Type.Object(
      {
        'england-and-wales': HolidayList,
        scotland: HolidayList,
        'northern-ireland': HolidayList,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type BankHolidaysFile = Static<typeof BankHolidaysFileSchema>;
