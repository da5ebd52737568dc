import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { SessionStore } from '../../services/sessions.ts';
import { CSRF_COOKIE } from './csrf.ts';

export const SESSION_COOKIE = 'bl_session';
/** Where a session's id is kept: the journey's and staff's cookie, or the partner portal's own (path /partner). */
export interface SessionCookie {
  name: string;
  path: string;
}
const DEFAULT_COOKIE: SessionCookie = { name: SESSION_COOKIE, path: '/' };

/**
 * One request's view of its server-side session. Journey answers live in the database, not the cookie: the
 * cookie holds only a random, signed id. Handlers call `save()` before redirecting. An id the store does not know
 * (expired, ended, or never issued) is not adopted: saving makes a new one. A session ended while this request
 * ran (a password change or reset, a disable, signing out elsewhere) is not brought back by saving.
 */
export class RequestSession {
  private data: Record<string, unknown> | null = null;
  /** The keys this request set: only they are written over an existing session, so concurrent requests merge. */
  private changed = new Set<string>();
  /** Regenerated: everything kept goes to a new row on save. */
  private moving = false;

  constructor(
    private readonly store: SessionStore,
    private readonly reply: FastifyReply,
    private id: string | null,
    private readonly secure: boolean,
    private readonly cookie: SessionCookie = DEFAULT_COOKIE,
  ) {}

  async load(): Promise<void> {
    this.data = this.id === null ? null : await this.store.load(this.id);
    if (this.data === null) this.id = null;
  }

  get(key: string): unknown {
    return this.data?.[key];
  }

  set(key: string, value: unknown): void {
    this.data = { ...(this.data ?? {}), [key]: value };
    this.changed.add(key);
  }

  async save(): Promise<void> {
    if ((this.changed.size === 0 && !this.moving) || this.data === null) return;
    const data = this.data;
    const changes = Object.fromEntries([...this.changed].map((key) => [key, data[key]]));
    this.changed.clear();
    this.moving = false;
    if (this.id !== null) {
      const saved = await this.store.update(this.id, changes);
      if (saved) return;
      // Ended meanwhile: it stays ended, and what this request kept goes with it.
      this.id = null;
      this.data = null;
      this.reply.clearCookie(this.cookie.name, { path: this.cookie.path });
      return;
    }
    const id = this.store.newId();
    await this.store.create(id, data);
    this.id = id;
    this.reply.setCookie(this.cookie.name, id, {
      path: this.cookie.path,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      signed: true,
    });
  }

  /**
   * Moves what is kept to a new id (the old row is deleted; `save()` sets the new cookie), so whoever held the
   * old cookie — a shared computer, a planted id — cannot read what is stored from now on. The CSRF secret is
   * renewed with it, for the same reason: a secret planted or seen before the change of privilege mints no token
   * that works after it.
   */
  async regenerate(): Promise<void> {
    if (this.id !== null) await this.store.destroy(this.id);
    this.id = null;
    this.data = { ...(this.data ?? {}) };
    this.moving = true;
    this.forgetCsrfSecret();
  }

  private forgetCsrfSecret(): void {
    this.reply.clearCookie(CSRF_COOKIE, { path: '/' });
    this.reply.request.cookies[CSRF_COOKIE] = undefined;
  }

  /**
   * Forgets everything: the row is deleted and the cookie cleared. The CSRF secret goes too (signing in and out
   * both start here), so a form token of the session before — one carried in an upload form's URL — is refused;
   * the next page this request or the next renders makes a new one.
   */
  async destroy(): Promise<void> {
    if (this.id !== null) await this.store.destroy(this.id);
    this.id = null;
    this.data = null;
    this.changed.clear();
    this.moving = false;
    this.reply.clearCookie(this.cookie.name, { path: this.cookie.path });
    this.forgetCsrfSecret();
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    session: RequestSession;
  }
}

export const sessionsPlugin = fp<{ store: SessionStore; cookie?: SessionCookie }>(
  (app, { store, cookie = DEFAULT_COOKIE }, done) => {
    app.decorateRequest('session', null as unknown as RequestSession);
    // Loaded before the body is parsed, so the staff gate can refuse a request without a signed-in person first.
    app.addHook('onRequest', async (request, reply) => {
      const signed = request.cookies[cookie.name];
      const unsigned = signed === undefined ? null : request.unsignCookie(signed);
      request.session = new RequestSession(
        store,
        reply,
        unsigned?.valid ? unsigned.value : null,
        app.secureCookies,
        cookie,
      );
      await request.session.load();
    });
    done();
  },
  { name: 'sessions', dependencies: ['@fastify/cookie', 'security'] },
);
