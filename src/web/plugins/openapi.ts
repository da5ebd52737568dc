import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

/** Builds the OpenAPI document from the same TypeBox schemas the routes validate with. */
export const openApiPlugin = fp<{ baseUrl: string }>(
  async (app, { baseUrl }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Bluelight API',
          version: '1.0.0',
          description: 'Cybercrime reports from partners. Errors are application/problem+json (RFC 9457).',
        },
        servers: [{ url: baseUrl }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      },
      // Only the machine API belongs in the document, not the pages.
      hideUntagged: true,
    });
    app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
  },
  { name: 'openapi' },
);
