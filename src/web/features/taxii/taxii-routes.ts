/**
 * TAXII 2.1 server (OASIS, 10 June 2021) for vetted industry partners: discovery, one API root, collections,
 * objects, object, versions, manifest and status. Every answer, errors included, is
 * application/taxii+json;version=2.1; every path ends with "/"; results ascend by date added and page with an
 * opaque, stateless `next` cursor.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PARTNER_OBJECT_LIMIT, PARTNER_POST_LIMIT, windowOf } from '../../../domain/limits/client-limits.ts';
import type { Services } from '../../../services/index.ts';
import { ServiceError } from '../../../services/service-error.ts';
import type { Partner } from '../../../services/partners.ts';
import {
  canRead,
  canWrite,
  COLLECTIONS,
  decodeCursor,
  DEFAULT_PAGE,
  encodeCursor,
  MAX_PAGE,
  STIX_MEDIA_TYPE,
  SUBMISSIONS_COLLECTION,
  type Collection,
  type ObjectFilters,
  type ManifestRow,
  type ObjectRow,
} from '../../../services/taxii.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
const API_ROOT = 'bluelight';
const MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
const MAX_POSTED_OBJECTS = 1000;
const OBJECTS_ROUTE = `/taxii2/${API_ROOT}/collections/:id/objects/`;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;
const STIX_ID = /^([a-z0-9][a-z0-9-]{0,62})--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

declare module 'fastify' {
  interface FastifyRequest {
    partner?: Partner;
  }
}

class TaxiiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly title: string,
    readonly description?: string,
  ) {
    super(title);
  }
}

function sendTaxii(reply: FastifyReply, status: number, body: object): FastifyReply {
  return sendTaxiiText(reply, status, JSON.stringify(body));
}

function sendTaxiiText(reply: FastifyReply, status: number, json: string | Buffer): FastifyReply {
  // Serialised by the caller: Fastify would otherwise rewrite the media type's parameters (quotes, charset).
  return reply
    .code(status)
    .header('content-type', TAXII_MEDIA_TYPE)
    .header('cache-control', 'no-store')
    .serializer((payload) => payload as string)
    .send(json);
}

/**
 * An objects envelope, the stored STIX JSON spliced in as stored: parsing and re-serialising every object was
 * most of the cost of a page. The store holds only JSON.stringify output, so this is the same text as before.
 * Written straight into one buffer: a joined string would be measured and copied again on the way out. On
 * PostgreSQL the stored JSON arrives as bytes and is copied as bytes.
 */
export function objectsEnvelope(rows: readonly ObjectRow[], more: boolean): Buffer {
  const last = rows.at(-1);
  if (last === undefined) return Buffer.from('{}');
  const head = `${more ? `{"more":true,"next":${JSON.stringify(encodeCursor(last.id))},` : '{"more":false,'}"objects":[`;
  let size = Buffer.byteLength(head) + rows.length + 1;
  for (const row of rows)
    size += typeof row.body === 'string' ? Buffer.byteLength(row.body) : row.body.length;
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head);
  for (const [i, row] of rows.entries()) {
    if (i > 0) out[at++] = 0x2c; // ,
    at += typeof row.body === 'string' ? out.write(row.body, at) : row.body.copy(out, at);
  }
  out[at++] = 0x5d; // ]
  out[at++] = 0x7d; // }
  // Unfilled bytes of an unsafe allocation would be another request's memory: never send them.
  if (at !== size) throw new Error(`objects envelope: ${String(at)} of ${String(size)} bytes written`);
  return out;
}

function sendError(reply: FastifyReply, status: number, title: string, description?: string): FastifyReply {
  return sendTaxii(reply, status, {
    title,
    http_status: String(status),
    ...(description ? { description } : {}),
  });
}

/** A TAXII timestamp with any number of fractional digits → the store's microsecond form (truncated). */
function microsTimestamp(value: string): string | null {
  const match = TIMESTAMP.exec(value);
  if (match === null || Number.isNaN(Date.parse(`${match[1] ?? ''}Z`))) return null;
  return `${match[1] ?? ''}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

function versionTimestamp(value: string): string | null {
  const match = TIMESTAMP.exec(value);
  if (match === null) return null;
  const date = new Date(`${match[1] ?? ''}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

type Query = Record<string, string | string[] | undefined>;

function param(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function list(query: Query, name: string, check: (v: string) => boolean): string[] | undefined {
  const value = param(query, name);
  if (value === undefined) return undefined;
  const values = value.split(',').map((v) => v.trim());
  if (values.some((v) => !check(v))) throw new TaxiiError(400, 'Bad Request', `${name} is malformed`);
  return values;
}

function parseFilters(
  query: Query,
  withIds: boolean,
): { filters: ObjectFilters; after: number; limit: number } {
  const limitText = param(query, 'limit');
  let limit = DEFAULT_PAGE;
  if (limitText !== undefined) {
    if (!/^\d{1,9}$/.test(limitText) || Number(limitText) < 1)
      throw new TaxiiError(400, 'Bad Request', 'limit must be a positive integer');
    limit = Math.min(MAX_PAGE, Number(limitText));
  }
  const addedAfterText = param(query, 'added_after');
  const addedAfter = addedAfterText === undefined ? undefined : microsTimestamp(addedAfterText);
  if (addedAfter === null) throw new TaxiiError(400, 'Bad Request', 'added_after must be a timestamp');
  const nextText = param(query, 'next');
  const after = nextText === undefined ? 0 : decodeCursor(nextText);
  if (after === null) throw new TaxiiError(400, 'Bad Request', 'next is not a cursor this server gave');
  const versions = (
    list(
      query,
      'match[version]',
      (v) => v === 'last' || v === 'first' || v === 'all' || versionTimestamp(v) !== null,
    ) ?? ['last']
  ).map((v) => (v === 'last' || v === 'first' || v === 'all' ? v : (versionTimestamp(v) ?? v)));
  return {
    filters: {
      addedAfter,
      ids: withIds ? list(query, 'match[id]', (v) => STIX_ID.test(v)) : undefined,
      types: list(query, 'match[type]', (v) => /^[a-z0-9][a-z0-9-]{0,62}$/.test(v)),
      versions,
      specVersions: list(query, 'match[spec_version]', (v) => /^\d\.\d$/.test(v)),
    },
    after,
    limit,
  };
}

function dateHeaders(reply: FastifyReply, rows: readonly { dateAdded: string }[]): void {
  const first = rows[0];
  const last = rows.at(-1);
  if (first === undefined || last === undefined) return;
  reply.header('X-TAXII-Date-Added-First', first.dateAdded).header('X-TAXII-Date-Added-Last', last.dateAdded);
}

function acceptable(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type === '*/*' || type === 'application/*') return true;
    if (type !== 'application/taxii+json') return false;
    const version = params.find((p) => p.startsWith('version='));
    return version === undefined || version === 'version=2.1';
  });
}

function collectionJson(collection: Collection, partner: Partner) {
  return {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    can_read: canRead(partner, collection),
    can_write: canWrite(partner, collection),
    media_types: [STIX_MEDIA_TYPE],
  };
}

export function taxiiRoutes(app: FastifyInstance, services: Services): void {
  void app.register(
    (taxii, _options, done) => {
      taxii.addContentTypeParser(
        /^application\/taxii\+json/,
        { parseAs: 'string', bodyLimit: MAX_CONTENT_LENGTH },
        (_request, body, done) => {
          try {
            done(null, JSON.parse(body as string) as unknown);
          } catch {
            done(new TaxiiError(400, 'Bad Request', 'The body is not valid JSON'), undefined);
          }
        },
      );
      taxii.setErrorHandler(async (error: FastifyError | TaxiiError | ServiceError, request, reply) => {
        if (error instanceof TaxiiError)
          return sendError(reply, error.httpStatus, error.title, error.description);
        if (error instanceof ServiceError && error.kind === 'forbidden')
          return sendError(reply, 403, 'Forbidden', error.message);
        if (error instanceof ServiceError) throw error;
        const status = error.statusCode ?? 500;
        if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
          return sendError(
            reply,
            415,
            'Unsupported Media Type',
            `POST with Content-Type: ${TAXII_MEDIA_TYPE}`,
          );
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
          return sendError(reply, 413, 'Payload Too Large', `At most ${MAX_CONTENT_LENGTH} bytes`);
        if (status < 500) return sendError(reply, status, 'Bad Request', error.message);
        request.log.error({ err: error }, 'TAXII request failed');
        return sendError(reply, 500, 'Internal Server Error');
      });
      /**
       * 429 with Retry-After (seconds to the end of the fixed window). The body is a TAXII error message, as TAXII
       * 2.1 requires of every answer, that also carries the RFC 9457 members (type, status, detail), so clients of
       * either kind read it.
       */
      const tooManyRequests = (reply: FastifyReply, windowMinutes: number, description: string) => {
        const now = services.clock();
        const end = windowOf(now, windowMinutes).end;
        const seconds = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
        return sendTaxii(reply.header('Retry-After', String(seconds)), 429, {
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail: description,
          http_status: '429',
          description,
        });
      };
      taxii.setNotFoundHandler(async (_request, reply) => sendError(reply, 404, 'Not Found'));
      taxii.addHook('onRequest', async (request, reply) => {
        const partner = await services.partners.authenticate(request.headers.authorization);
        if (partner === null) {
          reply.header('WWW-Authenticate', 'Basic realm="Bluelight TAXII", Bearer realm="Bluelight TAXII"');
          return sendError(reply, 401, 'Unauthorized', 'Send HTTP Basic credentials or a bearer token');
        }
        if (!acceptable(request.headers.accept))
          return sendError(reply, 406, 'Not Acceptable', `This server answers ${TAXII_MEDIA_TYPE}`);
        request.partner = partner;
        if (request.method === 'POST' && request.routeOptions.url === OBJECTS_ROUTE) {
          // Before the body is read: who may write here, and how often.
          const { id } = request.params as { id?: string };
          const collection = COLLECTIONS.find((c) => c.id === id);
          if (collection === undefined) return sendError(reply, 404, 'Not Found', 'No such collection');
          if (!canWrite(partner, collection))
            return sendError(reply, 403, 'Forbidden', 'You cannot write to this collection');
          const count = await services.clientLimits.tally(
            `taxii-post:${String(partner.id)}`,
            PARTNER_POST_LIMIT.windowMinutes,
          );
          if (count > PARTNER_POST_LIMIT.perPartner)
            return tooManyRequests(
              reply,
              PARTNER_POST_LIMIT.windowMinutes,
              `At most ${String(PARTNER_POST_LIMIT.perPartner)} POSTs every ${String(PARTNER_POST_LIMIT.windowMinutes)} minutes`,
            );
        }
        return undefined;
      });

      const partnerOf = (request: FastifyRequest): Partner => {
        if (request.partner === undefined) throw new TaxiiError(401, 'Unauthorized');
        return request.partner;
      };
      const collectionFor = (
        request: FastifyRequest<{ Params: { id: string } }>,
        access: 'read' | 'write' | 'see',
      ) => {
        const partner = partnerOf(request);
        const collection = COLLECTIONS.find((c) => c.id === request.params.id);
        if (collection === undefined) throw new TaxiiError(404, 'Not Found', 'No such collection');
        const readable = canRead(partner, collection);
        const writable = canWrite(partner, collection);
        if (access === 'see' && !readable && !writable)
          throw new TaxiiError(403, 'Forbidden', 'Not in your scope');
        if (access === 'read' && !readable)
          throw new TaxiiError(403, 'Forbidden', 'You cannot read this collection');
        if (access === 'write' && !writable)
          throw new TaxiiError(403, 'Forbidden', 'You cannot write to this collection');
        return { partner, collection };
      };
      /** One page of an objects, manifest or versions answer: date headers, `more`, `next`, or `{}` when empty. */
      const paged = (
        reply: FastifyReply,
        rows: ManifestRow[],
        more: boolean,
        key: 'objects' | 'versions',
        item: (row: ManifestRow) => unknown,
      ) => {
        dateHeaders(reply, rows);
        if (rows.length === 0) return sendTaxii(reply, 200, {});
        const last = rows.at(-1);
        return sendTaxii(reply, 200, {
          more,
          ...(more && last !== undefined ? { next: encodeCursor(last.id) } : {}),
          [key]: rows.map(item),
        });
      };
      const envelope = (reply: FastifyReply, rows: ObjectRow[], more: boolean) => {
        dateHeaders(reply, rows);
        return sendTaxiiText(reply, 200, objectsEnvelope(rows, more));
      };
      /** The object's id from the path, if any version of it is in the collection; 404 otherwise. */
      const objectIn = async (collection: Collection, objectId: string) => {
        if (!STIX_ID.test(objectId) || !(await services.taxii.holds(collection, objectId)))
          throw new TaxiiError(404, 'Not Found', 'No such object in this collection');
        return objectId;
      };

      taxii.get('/', async (request, reply) => {
        const root = `${services.config.baseUrl.replace(/\/$/, '')}/taxii2/${API_ROOT}/`;
        return sendTaxii(reply, 200, {
          title: 'Bluelight TAXII server',
          description:
            'Indicators and campaigns from crime reports to UK police, for vetted industry partners.',
          contact: 'cyber-sharing@bluelight.police.uk',
          default: root,
          api_roots: [root],
        });
      });

      taxii.get(`/${API_ROOT}/`, async (_request, reply) =>
        sendTaxii(reply, 200, {
          title: 'Bluelight',
          description: 'UK police cybercrime indicators and campaigns (STIX 2.1)',
          versions: [TAXII_MEDIA_TYPE],
          max_content_length: MAX_CONTENT_LENGTH,
        }),
      );

      taxii.get(`/${API_ROOT}/collections/`, async (request, reply) => {
        const partner = partnerOf(request);
        const visible = COLLECTIONS.filter((c) => canRead(partner, c) || canWrite(partner, c));
        return sendTaxii(
          reply,
          200,
          visible.length === 0 ? {} : { collections: visible.map((c) => collectionJson(c, partner)) },
        );
      });

      taxii.get<{ Params: { id: string } }>(`/${API_ROOT}/collections/:id/`, async (request, reply) => {
        const { partner, collection } = collectionFor(request, 'see');
        return sendTaxii(reply, 200, collectionJson(collection, partner));
      });

      taxii.get<{ Params: { id: string }; Querystring: Query }>(
        `/${API_ROOT}/collections/:id/objects/`,
        async (request, reply) => {
          const { collection } = collectionFor(request, 'read');
          const { filters, after, limit } = parseFilters(request.query, true);
          const { rows, more } = await services.taxii.page(collection, filters, after, limit);
          return envelope(reply, rows, more);
        },
      );

      taxii.get<{ Params: { id: string }; Querystring: Query }>(
        `/${API_ROOT}/collections/:id/manifest/`,
        async (request, reply) => {
          const { collection } = collectionFor(request, 'read');
          const { filters, after, limit } = parseFilters(request.query, true);
          const { rows, more } = await services.taxii.manifest(collection, filters, after, limit);
          return paged(reply, rows, more, 'objects', (r) => ({
            id: r.stixId,
            date_added: r.dateAdded,
            version: r.version,
            media_type: STIX_MEDIA_TYPE,
          }));
        },
      );

      taxii.get<{ Params: { id: string; objectId: string }; Querystring: Query }>(
        `/${API_ROOT}/collections/:id/objects/:objectId/`,
        async (request, reply) => {
          const { collection } = collectionFor(request, 'read');
          const objectId = await objectIn(collection, request.params.objectId);
          const { filters, after, limit } = parseFilters(request.query, false);
          const { rows, more } = await services.taxii.page(
            collection,
            { ...filters, ids: [objectId] },
            after,
            limit,
          );
          return envelope(reply, rows, more);
        },
      );

      taxii.get<{ Params: { id: string; objectId: string }; Querystring: Query }>(
        `/${API_ROOT}/collections/:id/objects/:objectId/versions/`,
        async (request, reply) => {
          const { collection } = collectionFor(request, 'read');
          const objectId = await objectIn(collection, request.params.objectId);
          const { filters, after, limit } = parseFilters(request.query, false);
          const { rows, more } = await services.taxii.manifest(
            collection,
            { ...filters, ids: [objectId], versions: ['all'] },
            after,
            limit,
          );
          return paged(reply, rows, more, 'versions', (r) => r.version);
        },
      );

      taxii.post<{ Params: { id: string }; Body: unknown }>(
        `/${API_ROOT}/collections/:id/objects/`,
        async (request, reply) => {
          const { partner, collection } = collectionFor(request, 'write');
          if (!collection.canWrite) throw new TaxiiError(403, 'Forbidden');
          if (
            !acceptable(request.headers['content-type']) ||
            !/taxii\+json/i.test(request.headers['content-type'] ?? '')
          )
            throw new TaxiiError(
              415,
              'Unsupported Media Type',
              `POST with Content-Type: ${TAXII_MEDIA_TYPE}`,
            );
          const body = request.body as { objects?: unknown } | null;
          if (body === null || typeof body !== 'object' || !Array.isArray(body.objects))
            throw new TaxiiError(400, 'Bad Request', 'The body must be an envelope with an objects array');
          if (body.objects.length > MAX_POSTED_OBJECTS)
            throw new TaxiiError(
              413,
              'Payload Too Large',
              `At most ${MAX_POSTED_OBJECTS} objects per request`,
            );
          // Counted before anything is read or stored: every object, refused or not, uses the partner's allowance.
          if (collection.id === SUBMISSIONS_COLLECTION.id) {
            const objects = await services.clientLimits.tally(
              `taxii-objects:${String(partner.id)}`,
              PARTNER_OBJECT_LIMIT.windowMinutes,
              body.objects.length,
            );
            if (objects > PARTNER_OBJECT_LIMIT.perPartner)
              return tooManyRequests(
                reply,
                PARTNER_OBJECT_LIMIT.windowMinutes,
                `At most ${String(PARTNER_OBJECT_LIMIT.perPartner)} objects every ${String(PARTNER_OBJECT_LIMIT.windowMinutes)} minutes`,
              );
          }
          const status =
            collection.id === SUBMISSIONS_COLLECTION.id
              ? await services.partnerSubmissions.accept(partner, body.objects)
              : await services.taxiiFeedback.accept(partner, body.objects);
          return sendTaxii(reply, 202, status);
        },
      );

      taxii.get<{ Params: { statusId: string } }>(
        `/${API_ROOT}/status/:statusId/`,
        async (request, reply) => {
          const partner = partnerOf(request);
          const status = /^[0-9a-f-]{36}$/.test(request.params.statusId)
            ? await services.taxii.status(request.params.statusId, partner.id)
            : null;
          if (status === null) throw new TaxiiError(404, 'Not Found', 'No such status');
          return sendTaxii(reply, 200, status);
        },
      );
      done();
    },
    { prefix: '/taxii2' },
  );
}
