import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

/** Where createTestApp serves axe-core, for the browser tests to load into a page they check. */
export const AXE_SCRIPT_PATH = '/__test/axe-core.js';

let source: string | undefined;

/** axe-core's code, read once (half a megabyte: only for the files that check pages). */
export function axeSource(): string {
  source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/** Serves axe-core from the app's own origin, which its CSP (`script-src 'self'`) allows; never in production. */
export function serveAxe(app: FastifyInstance): void {
  app.get(AXE_SCRIPT_PATH, (_request, reply) =>
    reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/javascript; charset=utf-8')
      .send(axeSource()),
  );
}
