import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { PROGRESS_LIMITS } from './report-progress.ts';

describe(`progress-check attempt limits (${testDialect})`, () => {
  let now = new Date('2026-11-23T10:01:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());

  it('throttles a client for the rest of the window, then forgets the finished window', async () => {
    // A malformed reference counts against the client only, not against any report.
    for (let i = 0; i < PROGRESS_LIMITS.perClient; i++) {
      expect((await services.progress.check('not-a-reference', 'x@example.org', '203.0.113.9')).kind).toBe(
        'no-match',
      );
    }
    expect((await services.progress.check('not-a-reference', 'x@example.org', '203.0.113.9')).kind).toBe(
      'throttled',
    );
    await services.progress.purgeOldAttempts();
    expect(await services.database.db.selectFrom('attempt_counters').selectAll().execute()).not.toHaveLength(
      0,
    );

    now = new Date(now.getTime() + PROGRESS_LIMITS.windowMinutes * 60_000);
    await services.progress.purgeOldAttempts();
    expect(await services.database.db.selectFrom('attempt_counters').selectAll().execute()).toHaveLength(0);
    expect((await services.progress.check('not-a-reference', 'x@example.org', '203.0.113.9')).kind).toBe(
      'no-match',
    );
  });
});
