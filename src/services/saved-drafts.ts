/**
 * Save and come back later. The journey's answers are kept for SAVED_DRAFT_DAYS, sealed with DATA_KEY together with
 * the address the link goes to, and found again only through a single-use link whose token exists nowhere but in
 * the email: the worker makes it when it sends the email and stores its SHA-256. Opening the link uses it up in one
 * conditional update, so of two opening it at once only one gets the answers. Files are not kept for a saved draft:
 * those retention has collected meanwhile are gone, and the person is told which.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { ReportDraft } from '../domain/report/report-draft.ts';
import type { ClientLimits } from './client-limits.ts';
import { DataCipherError, type DataCipher } from './data-cipher.ts';
import type { EmailSender } from './email/email-sender.ts';
import type { Translate } from './email/victim-emails.ts';
import { DiscardJob, type JobHandler } from './outbox-worker.ts';
import { ServiceError } from './service-error.ts';

export const SAVED_DRAFT_DAYS = 30;
export const SAVED_DRAFT_EMAIL_JOB = 'saved-draft-email';
/** Links emailed to one address a day, whoever asks: saving cannot be used to flood someone's inbox. */
export const SAVED_DRAFT_EMAILS_PER_ADDRESS = { windowMinutes: 24 * 60, perAddress: 10 } as const;

const DAY_MS = 86_400_000;
/** 32 random bytes, base64url: the only form a token takes. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface Sealed {
  email: string;
  draft: ReportDraft;
}

export type LinkState = 'open' | 'used' | 'expired';

export type Resumed =
  | { kind: 'restored'; draft: ReportDraft; lng: 'en' | 'cy'; missingFiles: string[] }
  | { kind: 'used' }
  | { kind: 'expired' };

/** What the sealed data is bound to: a sealed draft copied onto another row does not open there. */
const context = (id: string) => `saved-draft:${id}`;

/** The sealed answers and address; null when DATA_KEY cannot open them (the key was changed since they were saved). */
function openSealed(cipher: DataCipher, row: { id: string; data: string }): Sealed | null {
  try {
    return JSON.parse(cipher.open(row.data, context(row.id))) as Sealed;
  } catch (error) {
    if (error instanceof DataCipherError) return null;
    throw error;
  }
}

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export function createSavedDrafts(
  db: Db,
  clock: () => Date,
  cipher: DataCipher,
  limits: ClientLimits,
  repos: Repositories = repositories,
) {
  /** The row a link's token names, or undefined (a token of the wrong form is not looked up). */
  const rowOf = (token: string) =>
    TOKEN.test(token) ? repos.savedDrafts.findSavedDraftByTokenHash(db, tokenHash(token)) : undefined;

  const stateOf = (
    row: { consumed_at: string | null; expires_at: string } | undefined,
    now: Date,
  ): LinkState =>
    row === undefined || row.expires_at <= now.toISOString()
      ? 'expired'
      : row.consumed_at !== null
        ? 'used'
        : 'open';

  return {
    /**
     * Keeps the answers and queues the email with the link, in one transaction; answers when the link expires.
     * Refuses (invalid, `saved-draft-too-many`, field `email`) once an address has been sent its day's links.
     */
    async save(input: {
      email: string;
      draft: ReportDraft;
      lng: 'en' | 'cy';
    }): Promise<{ expiresAt: string }> {
      const email = input.email.trim().toLowerCase();
      // Keyed like a client address: the counter's key never holds the address itself.
      const sent = await limits.tally(
        `saved-draft-to:${limits.clientKey(email)}`,
        SAVED_DRAFT_EMAILS_PER_ADDRESS.windowMinutes,
      );
      if (sent > SAVED_DRAFT_EMAILS_PER_ADDRESS.perAddress)
        throw new ServiceError(
          'invalid',
          'saved-draft-too-many',
          'Too many links sent to this address today',
          {
            field: 'email',
          },
        );
      const now = clock();
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + SAVED_DRAFT_DAYS * DAY_MS).toISOString();
      const sealed: Sealed = { email, draft: input.draft };
      await db.transaction().execute(async (trx) => {
        await repos.savedDrafts.insertSavedDraft(trx, {
          id,
          token_hash: null,
          data: cipher.seal(JSON.stringify(sealed), context(id)),
          lng: input.lng,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          consumed_at: null,
        });
        // Nothing personal in the job: the worker reads the sealed row.
        await repos.outbox.enqueueJob(
          trx,
          { kind: SAVED_DRAFT_EMAIL_JOB, dedupeKey: `${SAVED_DRAFT_EMAIL_JOB}:${id}`, payload: { id } },
          now,
        );
      });
      return { expiresAt };
    },

    /** Whether a link can still be used, without using it (an email scanner opening it uses nothing up). */
    async state(token: string): Promise<LinkState> {
      return stateOf(await rowOf(token), clock());
    },

    /**
     * Uses the link: the answers once, to whoever opens it first; 'used' or 'expired' for everyone else. Contact
     * details and the Victim Support answer are not restored: the journey asks for them again.
     */
    async resume(token: string): Promise<Resumed> {
      if (!TOKEN.test(token)) return { kind: 'expired' };
      return db.transaction().execute(async (trx): Promise<Resumed> => {
        const now = clock();
        const row = await repos.savedDrafts.findSavedDraftByTokenHash(trx, tokenHash(token));
        const state = stateOf(row, now);
        if (row === undefined || state !== 'open') return { kind: state === 'used' ? 'used' : 'expired' };
        if (!(await repos.savedDrafts.consumeSavedDraft(trx, row.id, now))) return { kind: 'used' };
        // Saved under a DATA_KEY since replaced: as lost as an expired one (and used up, so it is not tried again).
        const sealed = openSealed(cipher, row);
        if (sealed === null) return { kind: 'expired' };
        // Who to contact and what they agreed to are asked again: the link proves who reads the mailbox, not who
        // typed the answers (someone can save a draft with their own details and have the link sent to a victim).
        const draft: ReportDraft = { ...sealed.draft };
        delete draft.contactDetails;
        delete draft.victimSupport;
        const files = draft.evidence ?? [];
        // Stored again now, so retention keeps them for the restored draft; those already collected are gone.
        const kept = new Set(
          await repos.evidence.touchEvidenceBlobs(
            trx,
            files.map((f) => f.sha256),
            now,
          ),
        );
        return {
          kind: 'restored',
          draft: { ...draft, evidence: files.filter((f) => kept.has(f.sha256)) },
          lng: row.lng,
          missingFiles: files.filter((f) => !kept.has(f.sha256)).map((f) => f.fileName),
        };
      });
    },

    /**
     * The outbox handler: makes the link's token, stores its hash (replacing any earlier link for this draft: only
     * the newest email's works) and sends it in the language of the journey when it was saved.
     */
    emailHandler(sender: EmailSender, t: Translate, baseUrl: string): JobHandler {
      return async (payload) => {
        const { id } = (payload ?? {}) as { id?: unknown };
        if (typeof id !== 'string') throw new DiscardJob('not a saved draft');
        const now = clock();
        const row = await repos.savedDrafts.findSavedDraft(db, id);
        if (row === undefined || stateOf(row, now) !== 'open')
          throw new DiscardJob('the saved draft was used, has expired or is gone; not sent');
        const token = randomBytes(32).toString('base64url');
        if (!(await repos.savedDrafts.setSavedDraftToken(db, id, tokenHash(token), now)))
          throw new DiscardJob('the saved draft was used, has expired or is gone; not sent');
        const sealed = openSealed(cipher, row);
        if (sealed === null) throw new DiscardJob('DATA_KEY does not open the saved draft; not sent');
        const { email } = sealed;
        const vars = {
          link: `${baseUrl}/report/return/${token}?lng=${row.lng}`,
          days: String(SAVED_DRAFT_DAYS),
        };
        await sender.send({
          to: email,
          subject: t(row.lng, 'email.savedDraft.subject', vars),
          text: t(row.lng, 'email.savedDraft.body', vars),
          template: 'email.savedDraft',
          reference: null,
        });
      };
    },
  };
}

export type SavedDrafts = ReturnType<typeof createSavedDrafts>;
