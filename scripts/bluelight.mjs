#!/usr/bin/env node
// The command line, run from its bundle (dist/cli-bundle/, see scripts/build.mjs): builds dist/ first only when
// the sources changed.
import { spawnSync } from 'node:child_process';
import { isStale } from './build.mjs';

if (isStale()) {
  const build = spawnSync(
    process.execPath,
    [new URL('./build.mjs', import.meta.url).pathname, '--if-stale'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0) process.exit(1);
}
const { runCliProcess } = await import('../dist/cli-bundle/main.js');
await runCliProcess(process.argv.slice(2));
