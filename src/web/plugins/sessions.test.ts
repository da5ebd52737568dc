import type { FastifyReply } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { RequestSession } from './sessions.ts';

/** A reply that only records the cookies a session sets or clears. */
function fakeReply() {
  const cookies: string[] = [];
  const reply = {
    request: { cookies: {} },
    setCookie: (name: string) => cookies.push(`set ${name}`),
    clearCookie: (name: string) => cookies.push(`clear ${name}`),
  };
  return { reply: reply as unknown as FastifyReply, cookies };
}

describe(`sessions: two requests of one browser at once (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    ctx = await createTestServices();
  });
  afterAll(() => ctx.cleanup());

  const opened = async (id: string) => {
    const session = new RequestSession(ctx.sessions, fakeReply().reply, id, false);
    await session.load();
    return session;
  };

  it('keeps what each of them set: the later save does not write back what the earlier one changed', async () => {
    const id = ctx.sessions.newId();
    await ctx.sessions.create(id, { staffUserId: 7, kept: 'before' });
    // Both load the same row before either saves, as a double-submitted form's two POSTs do.
    const [first, second] = [await opened(id), await opened(id)];
    first.set('shownOnce', { secret: 'enrolment' });
    second.set('formFlash', { problems: ['email'] });
    await Promise.all([first.save(), second.save()]);
    expect(await ctx.sessions.load(id)).toEqual({
      staffUserId: 7,
      kept: 'before',
      shownOnce: { secret: 'enrolment' },
      formFlash: { problems: ['email'] },
    });
  });

  it('lets the later of two changes to one key win, and a key set to nothing go', async () => {
    const id = ctx.sessions.newId();
    await ctx.sessions.create(id, { staffUserId: 7, formFlash: { problems: ['old'] } });
    const [first, second] = [await opened(id), await opened(id)];
    first.set('formFlash', null);
    await first.save();
    second.set('journey', 'step 2');
    second.set('kept', undefined);
    await second.save();
    expect(await ctx.sessions.load(id)).toEqual({ staffUserId: 7, formFlash: null, journey: 'step 2' });
  });

  it('does not bring back a session ended while a request of it ran', async () => {
    const id = ctx.sessions.newId();
    await ctx.sessions.create(id, { staffUserId: 7 });
    const late = await opened(id);
    await ctx.sessions.destroy(id);
    late.set('formFlash', { problems: ['email'] });
    await late.save();
    expect(await ctx.sessions.load(id)).toBeNull();
  });
});
