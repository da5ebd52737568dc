import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { CLIENT_LIMITS, PROGRESS_REFERENCE_GUARD } from '../domain/limits/client-limits.ts';

describe(`progress checks: limits per client and reference (${testDialect})`, () => {
  let now = new Date('2026-11-23T10:01:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let reference = '';
  const victim = { email: 'ann@example.org', postcode: 'CA1 1AA' };
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
    const report = await services.reportIntake.submit(
      makeSubmission({
        reporter: { name: 'Ann', victimName: null, email: victim.email, phone: null, preferredContact: null },
      }),
    );
    reference = report.reference;
  });
  afterAll(() => services.cleanup());

  it('throttles one client guessing one reference, but not the victim on another connection', async () => {
    const stranger = '203.0.113.9';
    const answers = [];
    for (let i = 0; i < 30; i++)
      answers.push((await services.progress.check(reference, `guess${i}@example.org`, stranger)).kind);
    const allowed = CLIENT_LIMITS['progress-check-reference'].perClient;
    expect(answers.slice(0, allowed)).toEqual(Array(allowed).fill('no-match'));
    expect(new Set(answers.slice(allowed))).toEqual(new Set(['throttled']));
    // The right answer from the stranger's connection is refused too: it cannot confirm a guess.
    expect((await services.progress.check(reference, victim.email, stranger)).kind).toBe('throttled');

    expect((await services.progress.check(reference, victim.email, '198.51.100.4')).kind).toBe('found');
    expect((await services.progress.check(reference, victim.postcode, '198.51.100.5')).kind).toBe('found');
  });

  it('stops postcodes proving who is asking after many wrong answers from anywhere; the email still works', async () => {
    now = new Date('2026-11-24T10:01:00Z');
    // A botnet: every address makes one wrong guess, so no per-client limit is reached.
    for (let i = 0; i < PROGRESS_REFERENCE_GUARD.wrongAnswers; i++)
      expect((await services.progress.check(reference, `LA${i % 23} 1AA`, `192.0.2.${i}`)).kind).toBe(
        'no-match',
      );
    expect((await services.progress.check(reference, victim.postcode, '198.51.100.6')).kind).toBe('no-match');
    expect((await services.progress.check(reference, victim.email, '198.51.100.7')).kind).toBe('found');
    // Another reference is not affected.
    const other = await services.reportIntake.submit(makeSubmission({ postcode: 'CA1 1AB' }));
    expect((await services.progress.check(other.reference, 'CA1 1AB', '198.51.100.6')).kind).toBe('found');

    now = new Date(now.getTime() + PROGRESS_REFERENCE_GUARD.windowMinutes * 60_000);
    expect((await services.progress.check(reference, victim.postcode, '198.51.100.6')).kind).toBe('found');
  });

  it('keeps client addresses out of the database and forgets finished windows', async () => {
    const keys = await services.database.db.selectFrom('attempt_counters').select('key').execute();
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key).not.toMatch(/203\.0\.113|198\.51\.100|192\.0\.2/);

    now = new Date(now.getTime() + PROGRESS_REFERENCE_GUARD.windowMinutes * 60_000 + 1);
    await services.clientLimits.purgeFinishedWindows();
    expect(await services.database.db.selectFrom('attempt_counters').selectAll().execute()).toHaveLength(0);
  });
});
