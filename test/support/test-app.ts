import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/web/app.ts';
import { serveAxe } from './axe-script.ts';
import { createTestServices } from './test-services.ts';

export type TestServices = Awaited<ReturnType<typeof createTestServices>>;

/** The real app on a fresh database, built by the same factory as production. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: Parameters<typeof createTestServices>[1] = {},
): Promise<{
  app: FastifyInstance;
  services: TestServices;
  close(): Promise<void>;
}> {
  const services = await createTestServices(env, options);
  const app = await createApp(services, { logger: false });
  serveAxe(app);
  return {
    app,
    services,
    async close() {
      await app.close();
      await services.cleanup();
    },
  };
}

/** Cookies from a response, as a header value to send back. */
export function cookieHeader(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  return list.map((c) => c.split(';')[0]).join('; ');
}
