import { forceForPostcode } from '../../domain/postcode/force-for-postcode.ts';
import { loadPostcodeAreas } from '../../reference-data/read-reference-file.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const OUTSIDE_MESSAGES = {
  jersey: 'is in Jersey, a Crown Dependency not covered by UK police forces (States of Jersey Police)',
  guernsey:
    'is in the Bailiwick of Guernsey, a Crown Dependency not covered by UK police forces (Guernsey Police)',
  'isle-of-man':
    'is on the Isle of Man, a Crown Dependency not covered by UK police forces (Isle of Man Constabulary)',
  bfpo: 'is a British Forces Post Office address, which is in no police force area',
  'non-geographic': 'is a non-geographic postcode, which does not show a location',
} as const;

/** Exit codes: 0 found, 2 not a UK postcode, 3 a real postcode that no UK police force covers. */
export function forceForPostcodeCommand(args: string[], io: CliIo): number {
  const input = args.join(' ').trim();
  if (input === '') throw new CliError('give a postcode, e.g. bluelight force-for-postcode "CA1 1AA"');
  // The postcode map alone: the rest of the reference data is not needed to name a force.
  const answer = forceForPostcode(loadPostcodeAreas(), input);
  switch (answer.kind) {
    case 'invalid':
      throw new CliError(
        answer.reason === 'format'
          ? `"${input}" is not a UK postcode; give one like CA1 1AA`
          : `"${input}" is not in a UK postcode area; give one like CA1 1AA`,
      );
    case 'outside':
      io.stdout(
        JSON.stringify({ postcode: answer.postcode, forces: [], outside: answer.jurisdiction }) + '\n',
      );
      io.stderr(`bluelight: ${answer.postcode} ${OUTSIDE_MESSAGES[answer.jurisdiction]}\n`);
      return 3;
    case 'found':
      io.stdout(JSON.stringify({ postcode: answer.postcode, forces: answer.forces }) + '\n');
      return 0;
  }
}
