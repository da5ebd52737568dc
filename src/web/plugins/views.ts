import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import nunjucks from 'nunjucks';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import { primaryNav } from '../features/workspace/workspace-nav.ts';
import { LANGUAGES } from './i18n.ts';

const dir = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const TEMPLATE_PATHS = [
  dir('../layouts/'),
  dir('../features/'),
  dir('../../../node_modules/govuk-frontend/dist/'),
  dir('../../../node_modules/@ministryofjustice/frontend/'),
];
/** Staff pages wear the workspace's layout (its own header and navigation); every other page the public one. */
const isWorkspacePath = (path: string) => path === '/staff' || path.startsWith('/staff/');

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with the shared context (language, translations, CSP nonce, CSRF token). */
    page(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

/** The same path with ?lng= set, for the language toggle. */
export function languageUrl(request: FastifyRequest, lng: string): string {
  const url = new URL(request.url, 'http://localhost');
  url.searchParams.set('lng', lng);
  return url.pathname + url.search;
}

function pageContext(request: FastifyRequest, reply: FastifyReply, reference: ReferenceData) {
  const currentPath = new URL(request.url, 'http://localhost').pathname;
  const staff = request.staff as StaffMember | null | undefined;
  return {
    pageLayout: isWorkspacePath(currentPath) ? 'workspace.njk' : 'base.njk',
    // The workspace header: who is signed in, their unit, and the primary navigation their areas allow.
    workspace:
      staff === null || staff === undefined
        ? null
        : {
            person: staff.email,
            unit: staff.unitId === null ? null : unitNameIn(reference, staff.unitId, request.lng),
            primary: primaryNav(staff, currentPath),
          },
    lng: request.lng,
    t: request.t,
    cspNonce: reply.cspNonce.script,
    csrfToken: reply.generateCsrf(),
    currentPath,
    languages: LANGUAGES.map((lng) => ({
      lng,
      url: languageUrl(request, lng),
      current: lng === request.lng,
    })),
    service: (id: string) => reference.service(id),
    // Welsh names where the reference data has them.
    localName: (item: { name: string; nameCy?: string }) =>
      request.lng === 'cy' && item.nameCy ? item.nameCy : item.name,
    forceName: (id: string) => {
      const force = reference.force(id);
      return force === undefined ? id : request.lng === 'cy' && force.nameCy ? force.nameCy : force.name;
    },
    unitName: (id: string) => unitNameIn(reference, id, request.lng),
  };
}

/** A unit's name in a page's language (its id when it is not in the reference data). */
export function unitNameIn(reference: ReferenceData, id: string, lng: string): string {
  const unit = reference.unit(id);
  return unit === undefined ? id : lng === 'cy' && unit.nameCy ? unit.nameCy : unit.name;
}

export const viewsPlugin = fp<{ reference: ReferenceData; production: boolean }>(
  async (app, options) => {
    await app.register(fastifyView, {
      engine: { nunjucks },
      templates: TEMPLATE_PATHS,
      production: options.production,
      options: {
        autoescape: true,
        throwOnUndefined: false,
        trimBlocks: true,
        lstripBlocks: true,
        onConfigure: (env: nunjucks.Environment) => {
          env.addGlobal('assetPath', '/assets');
          env.addFilter('ukDate', (iso: string, lng: string) =>
            new Date(iso).toLocaleDateString(lng === 'cy' ? 'cy-GB' : 'en-GB', {
              day: 'numeric',
              month: 'long',
              year: 'numeric',
              timeZone: 'Europe/London',
            }),
          );
          env.addFilter('ukDateTime', (iso: string, lng: string) =>
            new Date(iso).toLocaleString(lng === 'cy' ? 'cy-GB' : 'en-GB', {
              day: 'numeric',
              month: 'long',
              year: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
              timeZone: 'Europe/London',
            }),
          );
          env.addFilter('pounds', (pence: number) =>
            (pence / 100).toLocaleString('en-GB', { style: 'currency', currency: 'GBP' }),
          );
        },
      },
    });
    app.decorateReply(
      'page',
      async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
        const context = pageContext(this.request, this, options.reference);
        const html = await this.viewAsync(template, { ...context, ...data });
        return this.type('text/html; charset=utf-8').send(html);
      },
    );
  },
  { name: 'views', dependencies: ['security', 'i18n', '@fastify/csrf-protection'] },
);
