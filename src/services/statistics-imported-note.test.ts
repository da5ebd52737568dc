import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { repositories } from '../db/repositories/index.ts';
import { createStatistics, IMPORTED_NOTE_MAX_AGE_MS } from './statistics.ts';

/** Offline records (threats in person): judged to have no online element, so not counted as cybercrime. */
const offline = (from: number, n: number) =>
  'record_id,recorded_date,crime_type,summary\n' +
  Array.from(
    { length: n },
    (_, i) =>
      `OFF/${String(from + i)},2026-10-01,Threats to kill,Neighbour shouted he would kill IP in the street.`,
  ).join('\n') +
  '\n';

describe(`the statistics page's note on imported records (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('is counted at most once a minute however many views ask, and follows new records after that', async () => {
    let now = new Date('2026-11-01T12:00:00Z').getTime();
    let counts = 0;
    const repos = {
      ...repositories,
      classificationReview: {
        ...repositories.classificationReview,
        countImportedNotCounted: (
          ...args: Parameters<typeof repositories.classificationReview.countImportedNotCounted>
        ) => {
          counts++;
          return repositories.classificationReview.countImportedNotCounted(...args);
        },
      },
    };
    const statistics = createStatistics(services.database.db, services.reference, () => new Date(now), repos);
    const importOffline = (from: number, n: number) =>
      services.legacyImport.import(Readable.from([offline(from, n)]), 'cumbria', {
        onReject: () => undefined,
      });

    await importOffline(0, 20);
    // A burst of views: one count.
    const burst = await Promise.all(Array.from({ length: 50 }, () => statistics.importedNotCounted()));
    expect(burst.every((c) => c.offline === 20)).toBe(true);
    expect(counts).toBe(1);

    await importOffline(20, 20);
    now += IMPORTED_NOTE_MAX_AGE_MS - 1;
    expect((await statistics.importedNotCounted()).offline).toBe(20);
    expect(counts).toBe(1);

    // A minute on: the view gets the last count at once while the new one is read, then the new one.
    now += 1;
    expect((await statistics.importedNotCounted()).offline).toBe(20);
    await vi.waitFor(async () => {
      expect((await statistics.importedNotCounted()).offline).toBe(40);
    });
    expect(counts).toBe(2);
  });
});
