import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { sharedTestData } from './shared-test-data.ts';

/** The OASIS STIX 2.1 JSON schemas from the shared test data (read in place), one validator per object type. */
export function stixValidators(): (object: { type: string; [property: string]: unknown }) => string[] {
  const root = join(sharedTestData('stix2-json-schemas'), 'schemas');
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats.default(ajv);
  const byType = new Map<string, string>();
  for (const dir of readdirSync(root)) {
    for (const file of readdirSync(join(root, dir))) {
      if (!file.endsWith('.json')) continue;
      const schema = JSON.parse(readFileSync(join(root, dir, file), 'utf8')) as {
        $id: string;
        title?: string;
      };
      ajv.addSchema(schema);
      if (dir !== 'common' || file === 'marking-definition.json' || file === 'bundle.json')
        byType.set(file.replace(/\.json$/, ''), schema.$id);
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  return (object) => {
    const id = byType.get(object.type);
    if (id === undefined) return [`no schema for type ${object.type}`];
    let validate = compiled.get(id);
    if (validate === undefined) {
      validate = ajv.getSchema(id);
      if (validate === undefined) return [`schema ${id} did not compile`];
      compiled.set(id, validate);
    }
    return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}
