/**
 * Pages that show a secret once, post/redirect/get: the POST that makes the secret keeps it in the session (sealed,
 * services/shown-once.ts) for the page that shows it and redirects there (303); that page's GET takes it out of the
 * session as it shows it. A refresh, the back button or a second GET then finds nothing and says it was already
 * shown: the action (a rotation, a new account, a reset) is never run again by the browser, and the secret is never
 * in a URL, a cache (`no-store`) or the browser's history of form posts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataCipherError } from '../../services/data-cipher.ts';
import type { ShownOnce } from '../../services/shown-once.ts';

const KEY = 'shownOnce';
/** Secrets waiting at once per session (several tabs); the oldest is dropped beyond this. */
const MAX_WAITING = 8;
/** Page path → the sealed value waiting for it. */
type Waiting = Record<string, string>;

const waitingIn = (request: FastifyRequest): Waiting => {
  const value = request.session.get(KEY);
  return value !== null && typeof value === 'object' ? (value as Waiting) : {};
};

/** Pages showing a secret are never stored by the browser or a proxy. */
export const noStore = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

/** Keeps `value` for the page at `path` (replacing one waiting there) and redirects to it (303). */
export async function showOnceAt(
  request: FastifyRequest,
  reply: FastifyReply,
  shownOnce: ShownOnce,
  path: string,
  value: Readonly<Record<string, unknown>>,
): Promise<FastifyReply> {
  const others = Object.entries(waitingIn(request)).filter(([page]) => page !== path);
  request.session.set(KEY, {
    ...Object.fromEntries(others.slice(-(MAX_WAITING - 1))),
    [path]: shownOnce.seal(path, value),
  });
  await request.session.save();
  return noStore(reply).code(303).redirect(path);
}

/**
 * The value waiting for the page at `path`, taken out of the session (saved before it is returned), or null when
 * none waits: it was shown already, or never made in this session.
 */
export async function takeShownOnce(
  request: FastifyRequest,
  shownOnce: ShownOnce,
  path: string,
): Promise<Record<string, unknown> | null> {
  const waiting = waitingIn(request);
  const sealed = waiting[path];
  if (sealed === undefined) return null;
  request.session.set(KEY, Object.fromEntries(Object.entries(waiting).filter(([page]) => page !== path)));
  await request.session.save();
  try {
    return shownOnce.open(path, sealed);
  } catch (error) {
    // DATA_KEY changed since: the secret is lost, as if it had been shown (the admin makes a new one).
    if (error instanceof DataCipherError) return null;
    throw error;
  }
}
