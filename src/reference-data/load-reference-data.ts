import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  parseWarningListText,
  WARNING_LIST_KINDS,
  type WarningListFile,
} from '../domain/indicators/warning-lists.ts';
import {
  buildReferenceData,
  checkReferenceFiles,
  type ReferenceData,
  type ReferenceFiles,
} from './reference-data.ts';
import { DEFAULT_REFERENCE_DIR, readFile, ReferenceDataError } from './read-reference-file.ts';
import {
  BankHolidaysFileSchema,
  ForcesFileSchema,
  NationalFileSchema,
  PostcodeFileSchema,
  RegionsFileSchema,
  RoutingRulesFileSchema,
  UnitContactsFileSchema,
  UNIT_CONTACT_FIELDS,
  UnitsFileSchema,
  type Unit,
} from './schema.ts';

export { DEFAULT_REFERENCE_DIR, ReferenceDataError };

function readWarningLists(dir: string, problems: string[]): WarningListFile[] {
  return (Object.keys(WARNING_LIST_KINDS) as WarningListFile['name'][]).flatMap((name) => {
    const path = join(dir, 'warning-lists', `${name}.txt`);
    if (!existsSync(path)) {
      problems.push(`warning-lists/${name}.txt: missing`);
      return [];
    }
    return [{ name, values: parseWarningListText(readFileSync(path, 'utf8')) }];
  });
}

/**
 * A deployment's confirmed unit addresses (UNIT_CONTACTS_FILE) put over units.json's placeholders; a unit it names
 * that does not exist is a problem, so a typing mistake never leaves a unit on its placeholder unnoticed.
 */
function withUnitContacts(
  units: Unit[],
  file: string | null,
  problems: string[],
): { units: Unit[]; confirmed: Set<string> } {
  const confirmed = new Set<string>();
  if (file === null) return { units, confirmed };
  const contacts = readFile(dirname(file), basename(file), UnitContactsFileSchema, problems);
  if (contacts === undefined) return { units, confirmed };
  const known = new Set(units.map((u) => u.id));
  for (const [id, given] of Object.entries(contacts.units)) {
    if (!known.has(id)) problems.push(`${basename(file)}: names unknown unit ${id}`);
    for (const field of Object.keys(given)) confirmed.add(`${id} ${field}`);
  }
  return { units: units.map((u) => ({ ...u, ...contacts.units[u.id] })), confirmed };
}

/**
 * Production never pretends: a unit left on a placeholder address would have its reports, referrals and urgent
 * notices sent to a mailbox nobody reads, so every placeholder still in effect stops the start, named.
 */
function placeholdersInEffect(
  units: Unit[],
  placeholders: readonly (typeof UNIT_CONTACT_FIELDS)[number][],
  confirmed: ReadonlySet<string>,
): string[] {
  return units.flatMap((unit) =>
    placeholders
      .filter((field) => unit[field] !== undefined && !confirmed.has(`${unit.id} ${field}`))
      .map(
        (field) =>
          `units.json: ${unit.id} ${field} ${unit[field] ?? ''} is a placeholder; NODE_ENV=production needs the ` +
          'confirmed address in UNIT_CONTACTS_FILE',
      ),
  );
}

/**
 * Reads and validates every reference file; throws ReferenceDataError listing all problems. `unitContactsFile`
 * (UNIT_CONTACTS_FILE) replaces units' mailboxes, out-of-hours contacts and Prevent mailboxes; `production`
 * (NODE_ENV=production) refuses every placeholder address left in effect.
 */
export function loadReferenceData(
  dir: string = DEFAULT_REFERENCE_DIR,
  options: { unitContactsFile?: string | null; production?: boolean } = {},
): ReferenceData {
  const problems: string[] = [];
  const forces = readFile(dir, 'forces.json', ForcesFileSchema, problems);
  const regions = readFile(dir, 'regions.json', RegionsFileSchema, problems);
  const national = readFile(dir, 'national.json', NationalFileSchema, problems);
  const postcodes = readFile(dir, 'postcode-areas.json', PostcodeFileSchema, problems);
  const units = readFile(dir, 'units.json', UnitsFileSchema, problems);
  const routing = readFile(dir, 'routing-rules.json', RoutingRulesFileSchema, problems);
  const bankHolidays = readFile(dir, 'bank-holidays.json', BankHolidaysFileSchema, problems);
  const warningLists = readWarningLists(dir, problems);
  if (!forces || !regions || !national || !postcodes || !units || !routing || !bankHolidays)
    throw new ReferenceDataError(problems);
  const contacts = withUnitContacts(units.units, options.unitContactsFile ?? null, problems);
  if (options.production === true)
    problems.push(...placeholdersInEffect(contacts.units, units.placeholders, contacts.confirmed));
  const files: ReferenceFiles = {
    forces: forces.forces,
    regions: regions.regions,
    directorySource: regions.source,
    nationalUnits: national.units,
    services: national.services,
    postcodeAreas: postcodes.areas,
    units: contacts.units,
    routing: { thresholds: routing.thresholds, cniSectors: routing.cniSectors, rules: routing.rules },
    warningLists,
    bankHolidays: { years: bankHolidays.years, divisions: bankHolidays.divisions },
  };
  problems.push(...checkReferenceFiles(files));
  if (problems.length > 0) throw new ReferenceDataError(problems);
  return buildReferenceData(files);
}
