import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A file in the shared folder beside the project (seeds, third-party test data). Read in place, never copied.
 * Looked for next to the checkout, then at /work/shared; BLUELIGHT_SHARED overrides both.
 */
export function sharedFile(path: string): string {
  const candidates = [process.env.BLUELIGHT_SHARED, join(root, '../shared'), '/work/shared'];
  for (const dir of candidates) {
    if (dir !== undefined && existsSync(join(dir, path))) return join(dir, path);
  }
  throw new Error(`shared file ${path} not found; set BLUELIGHT_SHARED to the shared folder`);
}

export function sharedTestData(file: string): string {
  return sharedFile(join('test-data', file));
}
