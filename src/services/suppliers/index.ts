/**
 * Specialist suppliers (issue 22, MSP; docs/suppliers.md): the framework and budgets (framework.ts), units' taskings
 * (taskings.ts, tasking-returns.ts) and the suppliers' own side in the partner portal (supplier-work.ts, time-log.ts). Each step that writes is one
 * transaction with its custody entries and its audit row.
 */
import type { Db, Dialect } from '../../db/database.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import { createCaseAccess } from '../investigations/access.ts';
import { createCustodyChain } from '../investigations/custody.ts';
import { createReportAccess } from '../report-access.ts';
import type { SuppliersContext } from './context.ts';
import { createSupplierFramework } from './framework.ts';
import { createSupplierWork } from './supplier-work.ts';
import { createTaskingReturns } from './tasking-returns.ts';
import { createTaskings } from './taskings.ts';
import { createTimeLog } from './time-log.ts';
import { taskingEmailHandler, TASKING_EMAIL_JOB } from './tasking-emails.ts';
import { taskingWebhookHandler, TASKING_WEBHOOK_JOB } from './tasking-webhooks.ts';
import type { Partners } from '../partners.ts';
import type { EmailSender } from '../email/email-sender.ts';
import type { Translate } from '../email/victim-emails.ts';

export type { Tasking, TaskingInput } from './taskings.ts';

export function createSuppliers(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories = repositories,
) {
  const caseAccess = createCaseAccess(dialect, repos);
  const context: SuppliersContext = {
    db,
    dialect,
    clock,
    reference,
    repos,
    caseAccess,
    custody: createCustodyChain({
      db,
      clock,
      reference,
      repos,
      access: caseAccess,
      reportAccess: createReportAccess(dialect, repos),
    }),
  };
  return {
    ...createSupplierFramework(db, clock, reference, repos),
    ...createTaskings(context),
    ...createTaskingReturns(context),
    ...createSupplierWork(context),
    ...createTimeLog(context),
    /** The outbox handler of the tasking emails (tasking-emails.ts). */
    emailHandlers: (sender: EmailSender, t: Translate, baseUrl: string) => ({
      [TASKING_EMAIL_JOB]: taskingEmailHandler(context, sender, t, baseUrl),
    }),
    /** The outbox handler of the suppliers' webhooks (tasking-webhooks.ts). */
    webhookHandlers: (partners: Partners) => ({
      [TASKING_WEBHOOK_JOB]: taskingWebhookHandler(context, partners),
    }),
  };
}

export type Suppliers = ReturnType<typeof createSuppliers>;
