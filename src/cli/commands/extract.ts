import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { extractIndicators } from '../../domain/indicators/extract.ts';
import { CliError, type CliIo } from '../cli-io.ts';
import { mapJsonLines } from '../json-lines.ts';

/**
 * bluelight extract: JSON lines {"id","text"} on stdin → {"id","indicators":[{"type","value"}]} per line, in order.
 * bluelight extract --eml <file>: the indicators of one email, each with where it was found.
 */
export async function extractCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== '--eml') {
    return mapJsonLines('extract', args, io, (text) => ({ indicators: extractIndicators(text) }));
  }
  if (args.length !== 2 || args[1] === undefined || args[1] === '')
    throw new CliError('usage: bluelight extract --eml <file>');
  // Only here: the email parser takes longer to load than the JSON-lines mode takes over a megabyte of text.
  const { extractFromEml, MAX_EML_BYTES } = await import('../../domain/indicators/eml.ts');
  const EML_PROBLEMS = {
    'too-large': `the email is larger than ${MAX_EML_BYTES / 1024 / 1024} MB`,
    'headers-too-large': 'the email’s headers are too large to read safely',
    unreadable: 'the file could not be read as an email',
  } as const;
  const path = resolve(io.cwd, args[1]);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new CliError(`cannot read ${args[1]}: no such file`);
  }
  if (size > MAX_EML_BYTES) throw new CliError(`cannot read ${args[1]}: ${EML_PROBLEMS['too-large']}`, 1);
  const result = await extractFromEml(await readFile(path));
  if (!result.ok) throw new CliError(`cannot read ${args[1]}: ${EML_PROBLEMS[result.reason]}`, 1);
  io.stdout(
    JSON.stringify({
      file: args[1],
      subject: result.subject,
      indicators: result.indicators.map((i) => ({ type: i.type, value: i.value, found_in: i.foundIn })),
      attachments: result.attachments.map((a) => ({
        file_name: a.fileName,
        content_type: a.contentType,
        size: a.size,
        sha256: a.sha256,
      })),
    }) + '\n',
  );
  return 0;
}
