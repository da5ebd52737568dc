import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { CLIENT_LIMITS } from '../../../domain/limits/client-limits.ts';
import { londonTime } from './ask-routes.ts';

describe('Ask the unit: events, questions, moderation and answers', () => {
  let now = new Date('2026-11-29T10:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let officer: FormClient;
  let eventId = 0;

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    const totp = await addStaff(ctx.services, {
      email: 'sup@cumbria.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    await addStaff(ctx.services, { email: 'analyst@x.example', role: 'analyst' });
    officer = await signInStaff(ctx.app, 'sup@cumbria.example', totp, now);
  });
  afterAll(() => ctx.close());

  it('reads event times as UK clock time, winter and summer', () => {
    expect(londonTime('2026-12-03T18:00')?.toISOString()).toBe('2026-12-03T18:00:00.000Z');
    expect(londonTime('2026-07-03T18:00')?.toISOString()).toBe('2026-07-03T17:00:00.000Z');
    expect(londonTime('2026-02-30T18:00')).toBeNull();
  });

  it('lets a unit announce an event, with GOV.UK errors for missing or backwards times', async () => {
    const backwards = {
      title: 'Scams Q&A',
      titleCy: '',
      description: 'x',
      descriptionCy: 'y',
      startsAt: '2026-12-03T19:00',
      endsAt: '2026-12-03T18:00',
    };
    // Post/redirect/get: the refusal is a redirect back, and the page shows the problems and what was typed once.
    const refused = await officer.post('/staff/ask', backwards, { follow: false });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/staff/ask');
    const bad = await officer.get('/staff/ask');
    expect(errorSummaryOf(bad.body)).toEqual([
      'titleCy: Enter a title in Welsh',
      'endsAt: The event must end after it starts',
    ]);
    expect(bad.body).toContain('value="Scams Q&amp;A"');
    expect(errorSummaryOf((await officer.get('/staff/ask')).body)).toEqual([]);
    await officer.get('/staff/ask?lng=cy');
    const inWelsh = await officer.post('/staff/ask', backwards);
    expect(officer.path).toBe('/staff/ask');
    expect(errorSummaryOf(inWelsh.body)).toEqual([
      'titleCy: Rhowch deitl yn Gymraeg',
      'endsAt: Rhaid i’r digwyddiad ddod i ben ar ôl iddo ddechrau',
    ]);
    await officer.get('/staff/ask?lng=en');
    expect(await ctx.services.database.db.selectFrom('ask_events').select('id').execute()).toEqual([]);
    await officer.post('/staff/ask', {
      title: 'Ask Cumbria’s Cyber and Digital Crime Unit',
      titleCy: 'Gofynnwch i Uned Seiberdroseddu Cumbria',
      description: 'Questions about scams and staying safe online.',
      descriptionCy: 'Cwestiynau am sgamiau.',
      startsAt: '2026-12-03T18:00',
      endsAt: '2026-12-03T19:00',
    });
    expect(officer.path).toMatch(/^\/staff\/ask\/\d+$/);
    eventId = Number(officer.path.split('/').pop());
    const list = await new FormClient(ctx.app).get('/ask');
    expect(list.body).toContain('Ask Cumbria’s Cyber and Digital Crime Unit');
    // Which unit holds it and when it starts (UK time), on the list and on the event's page in both languages.
    expect(list.body).toMatch(/Cumbria[^<]*: 3 December 2026/);
    expect((await officer.get('/staff/ask')).body).toContain('(3 December 2026)');
    const english = await new FormClient(ctx.app).get(`/ask/${eventId}`);
    expect(english.body).toContain('Questions about scams and staying safe online.');
    expect(english.body).toContain('3 December 2026');
    const welsh = await new FormClient(ctx.app).get(`/ask/${eventId}?lng=cy`);
    expect(welsh.body).toContain('Gofynnwch i Uned Seiberdroseddu Cumbria');
    expect(welsh.body).toContain('Cwestiynau am sgamiau.');
    expect(welsh.body).toContain('3 Rhagfyr 2026');
  });

  it('takes questions from the public without sign-in, rate-limited, and shows them only once approved', async () => {
    const person = new FormClient(ctx.app);
    await person.get(`/ask/${eventId}`);
    const empty = await person.post(`/ask/${eventId}`, { question: '', name: '' });
    expect(person.path).toBe(`/ask/${eventId}`);
    expect(errorSummaryOf(empty.body)).toEqual(['question: Enter your question']);
    await person.post(`/ask/${eventId}`, { question: 'How do I spot a fake parcel text?', name: 'Sam' });
    expect(person.path).toBe(`/ask/${eventId}?sent=1`);
    await person.post(`/ask/${eventId}`, { question: 'Is it safe to use public wifi?', name: '' });
    await person.post(`/ask/${eventId}`, { question: 'How can I spot fake delivery texts?', name: '' });
    await person.post(`/ask/${eventId}`, { question: 'Please call me about my neighbour', name: '' });
    const page = await person.get(`/ask/${eventId}`);
    expect(page.body).not.toContain('fake parcel text');
    // Five questions so far (one of them empty) count against this person's limit.
    for (let i = 5; i < CLIENT_LIMITS['ask-question'].perClient; i++)
      await person.post(`/ask/${eventId}`, { question: `spam ${i}` });
    const throttled = await person.post(`/ask/${eventId}`, { question: 'one too many' });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.body).toContain('Sorry, there have been too many attempts');
    expect(await ctx.services.database.db.selectFrom('ask_questions').select('id').execute()).toHaveLength(4);
  });

  it('shows the public question form’s problems after a redirect, in Welsh too, keeping what was typed', async () => {
    // A client of its own: the test above used up its client’s question limit.
    const person = new FormClient(ctx.app, { remoteAddress: '192.0.2.71' });
    await person.get(`/ask/${eventId}?lng=cy`);
    const refused = await person.post(
      `/ask/${eventId}`,
      { question: '', name: 'S'.repeat(101) },
      { follow: false },
    );
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe(`/ask/${eventId}`);
    const page = await person.get(`/ask/${eventId}`);
    expect(errorSummaryOf(page.body)).toEqual([
      'name: Rhaid i’ch enw fod yn 100 nod neu lai',
      'question: Rhowch eich cwestiwn',
    ]);
    expect(page.body).toContain(`value="${'S'.repeat(101)}"`);
    // Shown once: a refresh is the page as it was.
    expect(errorSummaryOf((await person.get(`/ask/${eventId}`)).body)).toEqual([]);
  });

  it('moderates: approve, merge, reject with a reason, answer — and publishes only approved questions and answers', async () => {
    const queue = await ctx.services.database.db
      .selectFrom('ask_questions')
      .select(['id', 'question'])
      .where('event_id', '=', eventId)
      .orderBy('id')
      .execute();
    const id = (text: string) => queue.find((q) => q.question.includes(text))?.id ?? 0;
    await officer.post(`/staff/ask/${eventId}/questions/${id('public wifi')}/approve`);
    await officer.post(`/staff/ask/${eventId}/questions/${id('delivery texts')}/merge`, {
      into: String(id('parcel text')),
    });
    const noReason = await officer.post(`/staff/ask/${eventId}/questions/${id('neighbour')}/reject`, {
      reason: '',
    });
    expect(noReason.body).toContain('Give a reason for rejecting the question');
    await officer.post(`/staff/ask/${eventId}/questions/${id('neighbour')}/reject`, {
      reason: 'Personal: please report it instead',
    });
    await officer.post(`/staff/ask/${eventId}/questions/${id('parcel text')}/answer`, {
      answer: 'Royal Mail never asks for a fee by text. Forward it to 7726.',
    });
    // The unit's page says why a question was rejected and which one another was merged into.
    const moderation = await officer.get(`/staff/ask/${eventId}`);
    expect(moderation.body).toContain('Personal: please report it instead');
    expect(moderation.body).toContain(`Merged into question ${id('parcel text')}`);
    const page = await new FormClient(ctx.app).get(`/ask/${eventId}`);
    expect(page.body).toContain('How do I spot a fake parcel text?');
    expect(page.body).toContain('Asked by Sam');
    expect(page.body).toContain('Royal Mail never asks for a fee by text.');
    expect(page.body).toContain('Is it safe to use public wifi?');
    expect(page.body).not.toContain('neighbour');
    expect(page.body).not.toContain('delivery texts');
    expect(page.body).not.toContain('spam 0');
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'ask-%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'ask-event-created',
        'ask-question-approve',
        'ask-question-merge',
        'ask-question-reject',
        'ask-question-answer',
      ]),
    );
  });

  it('stops taking questions when the event ends; other units and analysts cannot moderate', async () => {
    now = new Date('2026-12-03T19:30:00.000Z');
    const person = new FormClient(ctx.app);
    const page = await person.get(`/ask/${eventId}`);
    expect(page.body).toContain('Finished: no more questions');
    await person.get('/');
    const late = await person.post(`/ask/${eventId}`, { question: 'Too late?' });
    expect(person.path).toBe(`/ask/${eventId}`);
    // The form is gone with the event: the problem is named though its input is not there to link to.
    expect(errorSummaryOf(late.body, { linked: false })).toEqual([
      'question: This event has finished and is no longer taking questions',
    ]);

    const kentTotp = await addStaff(ctx.services, {
      email: 'off@kent.example',
      role: 'force-officer',
      forceId: 'kent',
    });
    const kent = await signInStaff(ctx.app, 'off@kent.example', kentTotp, now);
    expect((await kent.get(`/staff/ask/${eventId}`)).statusCode).toBe(404);
    const before = await ctx.services.database.db
      .selectFrom('ask_questions')
      .select('status')
      .where('event_id', '=', eventId)
      .execute();
    const res = await kent.post(`/staff/ask/${eventId}/questions/1/approve`);
    expect(res.statusCode).toBe(404);
    expect(
      await ctx.services.database.db
        .selectFrom('ask_questions')
        .select('status')
        .where('event_id', '=', eventId)
        .execute(),
    ).toEqual(before);
    expect((await new FormClient(ctx.app).get('/ask/999999')).statusCode).toBe(404);
  });
});
