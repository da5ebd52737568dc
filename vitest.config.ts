import { defineConfig } from 'vitest/config';

/** The browser tests start one Chromium per file; BROWSER_WORKERS limits how many run at once (default: all). */
const browserWorkers = Number(process.env.BROWSER_WORKERS ?? 0);

// Shared by both projects (not `extends: true`, which would run the global setup once more per project).
const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Two cores is the machine this suite is sized for; both projects share these workers.
    maxWorkers: 2,
    // Migrates one template database per run; each test file works on its own copy.
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        test: {
          ...timeouts,
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          // Files share a worker's loaded modules (no test mocks modules or globals): loading the app once per
          // worker, not once per file, is a third of the run. Every file still gets its own database and app.
          isolate: false,
        },
      },
      {
        test: {
          ...timeouts,
          // A browser walk through a dozen pages on a loaded 2-core machine: a guard against hangs, not a budget.
          testTimeout: 120_000,
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          // As in the unit project: each file starts its own app, database and Chromium, but the modules load once.
          isolate: false,
          // A worker limit of its own puts this project in a group of its own, run after the other, not beside it.
          ...(browserWorkers > 0 ? { maxWorkers: browserWorkers, sequence: { groupOrder: 1 } } : {}),
        },
      },
    ],
  },
});
