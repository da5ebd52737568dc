import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { createOutboxWorker } from '../../src/services/outbox-worker.ts';
import {
  PUBLISH_INDICATORS_JOB,
  publishIndicatorsHandler,
  publishStixHandler,
} from '../../src/services/sharing.ts';
import { COLLECTIONS } from '../../src/services/taxii.ts';
import { webhookHandler } from '../../src/services/webhooks.ts';
import { TAXII_MEDIA_TYPE } from '../../src/web/features/taxii/taxii-routes.ts';
import type { TestServices } from './test-app.ts';

const quiet = { info: () => undefined, error: () => undefined };

/** Runs the outbox as production does (linking, publication, and webhook pushes if asked) until nothing is due. */
export async function runPublication(
  services: TestServices,
  options: { clock?: () => Date; webhooks?: boolean } = {},
): Promise<void> {
  // Production links new reports first (their link job queues their publication).
  await services.intelligence.linkPending();
  const clock = options.clock ?? services.clock;
  const worker = createOutboxWorker(
    services.database.db,
    services.database.dialect,
    clock,
    {
      'publish-stix': publishStixHandler(services.sharing),
      [PUBLISH_INDICATORS_JOB]: publishIndicatorsHandler(services.sharing),
      ...(options.webhooks === true
        ? { 'partner-webhook': webhookHandler(services.database.db, services.partners, clock) }
        : {}),
      'confirmation-email': () => Promise.resolve(),
    },
    quiet,
  );
  for (let round = 0; round < 20 && (await worker.runOnce()) > 0; round++);
}

/** Every page of one objects query in every collection that holds indicators, paged as a TAXII client would. */
export async function readEveryCollection(
  app: FastifyInstance,
  authorization: string,
  query: string,
): Promise<string[]> {
  const pages: string[] = [];
  for (const collection of COLLECTIONS.filter((c) => c.tlp !== null)) {
    let next: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await app.inject({
        url: `/taxii2/bluelight/collections/${collection.id}/objects/?${query}${next ? `&next=${next}` : ''}`,
        headers: { authorization, accept: TAXII_MEDIA_TYPE },
      });
      expect(res.statusCode).toBe(200);
      pages.push(res.body);
      const body = res.json<{ more?: boolean; next?: string }>();
      if (body.more !== true) break;
      next = body.next;
    }
  }
  return pages;
}

/**
 * A public report as a unit has assessed it: only then does what it alone names go to partners (an unverified
 * typed email vouches for nothing). Straight to the status, as `casework.setStatus` would leave it.
 */
export async function submitAssessed(
  services: TestServices,
  submission: Parameters<TestServices['reportIntake']['submit']>[0],
): Promise<Awaited<ReturnType<TestServices['reportIntake']['submit']>>> {
  const report = await services.reportIntake.submit(submission);
  // Intake starts linking in the background (linkSoon) without waiting for it: link here, so the report's
  // publication job exists before the caller runs the outbox, however busy the machine is.
  await services.intelligence.linkPending();
  await services.database.db
    .updateTable('reports')
    .set({ status: 'assessed' })
    .where('reference', '=', report.reference)
    .execute();
  return report;
}
