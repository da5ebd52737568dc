import { loadReferenceData } from '../../reference-data/load-reference-data.ts';
import { CliError, type CliIo } from '../cli-io.ts';

export function referenceCheckCommand(args: string[], io: CliIo): number {
  if (args.length > 0) throw new CliError(`reference check takes no arguments (got "${args.join(' ')}")`);
  // The deployment's unit addresses are checked too when it has them (the server reads the same variable).
  const contacts = process.env.UNIT_CONTACTS_FILE;
  const reference = loadReferenceData(undefined, {
    unitContactsFile: contacts === undefined || contacts === '' ? null : contacts,
    // As the server would start: production refuses placeholder addresses.
    production: process.env.NODE_ENV === 'production',
  });
  const areas = Object.values(reference.postcodeAreas);
  const districts = areas.reduce((n, a) => n + Object.keys(a.districts ?? {}).length, 0);
  io.stdout(
    `reference data is valid: ${reference.forces.length} forces, ${reference.regions.length} regions, ` +
      `${reference.nationalUnits.length} national units, ${reference.units.length} receiving units, ${reference.services.length} services, ` +
      `${areas.length} postcode areas with ${districts} district entries\n`,
  );
  return 0;
}
