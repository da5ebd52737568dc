import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Third-party data the product is measured against; it is read in place, never copied into the project. */
export function sharedTestData(file: string): string {
  const candidates = [
    process.env.BLUELIGHT_TEST_DATA,
    join(root, '../shared/test-data'),
    '/work/shared/test-data',
  ];
  for (const dir of candidates) {
    if (dir !== undefined && existsSync(join(dir, file))) return join(dir, file);
  }
  throw new Error(
    `shared test data ${file} not found; set BLUELIGHT_TEST_DATA to the shared test-data folder`,
  );
}
