import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import i18next, { type TFunction } from 'i18next';

export const LANGUAGES = ['en', 'cy'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_COOKIE = 'lng';

const LOCALES_DIR = fileURLToPath(new URL('../locales/', import.meta.url));

/** Reads locales/<lng>/*.json; each file becomes a top-level key (common.json → "common.…"). */
export function readLocale(lng: Language): Record<string, unknown> {
  const dir = join(LOCALES_DIR, lng);
  const resources: Record<string, unknown> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    resources[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
  }
  return resources;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** One i18next instance with every language loaded; `fixed[lng]` translates in that language. */
export async function createTranslator(): Promise<Record<Language, TFunction>> {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: Object.fromEntries(LANGUAGES.map((lng) => [lng, { translation: readLocale(lng) }])),
    lng: 'en',
    fallbackLng: false,
    // Nunjucks escapes output; escaping here too would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  return Object.fromEntries(LANGUAGES.map((lng) => [lng, i18n.getFixedT(lng)])) as Record<
    Language,
    TFunction
  >;
}

declare module 'fastify' {
  interface FastifyRequest {
    lng: Language;
    t: TFunction;
  }
}

/** Chooses English or Welsh per request: ?lng= (remembered in a cookie), then the cookie, then English. */
export const i18nPlugin = fp(
  async (app) => {
    const fixed = await createTranslator();

    app.decorateRequest('lng', 'en');
    app.decorateRequest('t', fixed.en);
    app.addHook('onRequest', async (request, reply) => {
      const query = request.query as Record<string, unknown> | undefined;
      const requested = query?.lng;
      let lng: Language = 'en';
      if (isLanguage(requested)) {
        lng = requested;
        reply.setCookie(LANGUAGE_COOKIE, lng, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: app.secureCookies,
          maxAge: 365 * 24 * 3600,
        });
      } else {
        const cookie = request.cookies[LANGUAGE_COOKIE];
        if (isLanguage(cookie)) lng = cookie;
      }
      request.lng = lng;
      request.t = fixed[lng];
    });
  },
  { name: 'i18n', dependencies: ['@fastify/cookie', 'security'] },
);
