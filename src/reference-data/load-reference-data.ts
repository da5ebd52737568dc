import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  ForcesFileSchema,
  NationalFileSchema,
  PostcodeFileSchema,
  RegionsFileSchema,
  RoutingRulesFileSchema,
  UnitsFileSchema,
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

/** Reads and validates every reference file; throws ReferenceDataError listing all problems. */
export function loadReferenceData(dir: string = DEFAULT_REFERENCE_DIR): ReferenceData {
  const problems: string[] = [];
  const forces = readFile(dir, 'forces.json', ForcesFileSchema, problems);
  const regions = readFile(dir, 'regions.json', RegionsFileSchema, problems);
  const national = readFile(dir, 'national.json', NationalFileSchema, problems);
  const postcodes = readFile(dir, 'postcode-areas.json', PostcodeFileSchema, problems);
  const units = readFile(dir, 'units.json', UnitsFileSchema, problems);
  const routing = readFile(dir, 'routing-rules.json', RoutingRulesFileSchema, problems);
  const warningLists = readWarningLists(dir, problems);
  if (!forces || !regions || !national || !postcodes || !units || !routing)
    throw new ReferenceDataError(problems);
  const files: ReferenceFiles = {
    forces: forces.forces,
    regions: regions.regions,
    directorySource: regions.source,
    nationalUnits: national.units,
    services: national.services,
    postcodeAreas: postcodes.areas,
    units: units.units,
    routing: { thresholds: routing.thresholds, cniSectors: routing.cniSectors, rules: routing.rules },
    warningLists,
  };
  problems.push(...checkReferenceFiles(files));
  if (problems.length > 0) throw new ReferenceDataError(problems);
  return buildReferenceData(files);
}
