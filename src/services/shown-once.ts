/**
 * A secret waiting to be shown once (an enrolment, a temporary password, partner credentials, a token), kept in the
 * person's server-side session between the POST that made it and the page that shows it. Sealed with DATA_KEY
 * (AES-256-GCM, bound to the page it is for), so a copy of the sessions table, a backup or a free page the
 * database has not overwritten yet gives nothing away.
 */
import type { DataCipher } from './data-cipher.ts';

const context = (page: string) => `sessions.shown-once:${page}`;

export function createShownOnce(cipher: DataCipher) {
  return {
    seal: (page: string, value: Readonly<Record<string, unknown>>): string =>
      cipher.seal(JSON.stringify(value), context(page)),
    /** The value sealed for `page`; throws DataCipherError for anything else (another page's, altered, old key). */
    open: (page: string, sealed: string): Record<string, unknown> =>
      JSON.parse(cipher.open(sealed, context(page))) as Record<string, unknown>,
  };
}

export type ShownOnce = ReturnType<typeof createShownOnce>;
