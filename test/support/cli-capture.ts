import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { TEST_AUDIT_SIGNING_KEY, TEST_DATA_KEY } from './test-services.ts';

/** The command line's io for a test: output captured, the test keys set, `env` on top, a fresh working directory. */
export function captureCli(env: Record<string, string | undefined> = {}, prefix = 'bluelight-cli-') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATA_KEY: TEST_DATA_KEY,
      AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
      ...env,
    },
    cwd: mkdtempSync(join(tmpdir(), prefix)),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
