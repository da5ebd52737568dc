/**
 * A victim's proof, after the progress check, that a report is theirs: kept in their server-side session, scoped
 * to that one report, for VICTIM_ACCESS_MINUTES from the check (it does not slide). Granting it moves the session
 * to a new id, so an id someone planted or saw before the check opens nothing. Routes never take the reference
 * from the request: the session's is the only report a victim can act on.
 */
import type { FastifyRequest } from 'fastify';
import type { ProvedBy } from '../../../services/report-progress.ts';

const KEY = 'victimAccess';
export const VICTIM_ACCESS_MINUTES = 30;

interface Stored {
  reference: string;
  provedBy: ProvedBy;
  until: string;
}

export async function grantVictimAccess(
  request: FastifyRequest,
  reference: string,
  provedBy: ProvedBy,
  now: Date,
): Promise<void> {
  await request.session.regenerate();
  const until = new Date(now.getTime() + VICTIM_ACCESS_MINUTES * 60_000).toISOString();
  request.session.set(KEY, { reference, provedBy, until } satisfies Stored);
  await request.session.save();
}

/** The report this session proved to be the victim's, and how; null when none, or when it has run out. */
export function victimAccessOf(
  request: FastifyRequest,
  now: Date,
): { reference: string; provedBy: ProvedBy } | null {
  const stored = request.session.get(KEY) as Partial<Stored> | undefined;
  if (
    typeof stored?.reference !== 'string' ||
    (stored.provedBy !== 'email' && stored.provedBy !== 'postcode') ||
    typeof stored.until !== 'string' ||
    stored.until <= now.toISOString()
  )
    return null;
  return { reference: stored.reference, provedBy: stored.provedBy };
}

/** Ends the proof at once ("Finish" on a shared computer): the session, and any copy of its cookie, opens nothing. */
export async function endVictimAccess(request: FastifyRequest): Promise<void> {
  if (request.session.get(KEY) === undefined) return;
  request.session.set(KEY, undefined);
  await request.session.save();
}
