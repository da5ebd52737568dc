/**
 * Reading one reference file against its schema, kept apart from the rest of the reference data so a one-line
 * command (force-for-postcode) loads only what it reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PostcodeAreaMap } from '../domain/postcode/force-for-postcode.ts';
import { PostcodeFileSchema } from './schema.ts';

export const DEFAULT_REFERENCE_DIR = fileURLToPath(new URL('../../reference/', import.meta.url));

export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`reference data is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'ReferenceDataError';
  }
}

export function readFile<S extends TSchema>(
  dir: string,
  name: string,
  schema: S,
  problems: string[],
): Static<S> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
    return undefined;
  }
  const errors = [...Value.Errors(schema, value)].slice(0, 20);
  for (const e of errors) problems.push(`${name}: ${e.path || '/'} ${e.message}`);
  return errors.length === 0 ? value : undefined;
}

/** Only the postcode map (postcode-areas.json), validated; throws ReferenceDataError naming the problems. */
export function loadPostcodeAreas(dir: string = DEFAULT_REFERENCE_DIR): PostcodeAreaMap {
  const problems: string[] = [];
  const file = readFile(dir, 'postcode-areas.json', PostcodeFileSchema, problems);
  if (file === undefined) throw new ReferenceDataError(problems);
  return file.areas;
}
