/**
 * Investigations: cases that group reports, exhibits seized in them (with files stored by SHA-256), and a
 * tamper-evident chain of custody for every exhibit. Cases are scoped to the unit that owns them and units it is
 * shared with; a restricted case (child sexual abuse) is visible only to its officer in charge and named members.
 *
 * Every use case that writes is one transaction in which access is checked (access.ts, holding the case row), the
 * change made, the custody entry appended and the audit row written. Queries are the repositories' (`repos`).
 */
import type { Db, Dialect } from '../../db/database.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import { createReportAccess } from '../report-access.ts';
import { createCaseAccess } from './access.ts';
import { createBundle } from './bundle.ts';
import { createCallRecords } from './call-records.ts';
import { createCases } from './cases.ts';
import type { InvestigationsContext } from './context.ts';
import { createCustody, createCustodyChain } from './custody.ts';
import { createExhibits } from './exhibits.ts';
import { createForensics } from './forensics.ts';
import { createHashLists } from './hash-lists.ts';
import { createCaseTeam } from './team.ts';

export { ServiceError } from '../service-error.ts';
export { CDR_COLUMNS, MAX_CDR_ROWS } from '../../domain/investigations/call-records.ts';
export { systemCustodyText, type VerifyResult } from './custody.ts';
export { EXHIBIT_KINDS } from './exhibits.ts';
export { CASE_PAGE_SIZE } from './cases.ts';

export function createInvestigations(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories = repositories,
) {
  const context: InvestigationsContext = {
    db,
    clock,
    reference,
    repos,
    access: createCaseAccess(dialect, repos),
    reportAccess: createReportAccess(dialect, repos),
  };
  const chain = createCustodyChain(context);
  return {
    ...createCases(context),
    ...createCaseTeam(context),
    ...createExhibits(context, chain),
    ...createCustody(context, chain),
    ...createForensics(context, chain),
    ...createCallRecords(context),
    ...createHashLists(context),
    ...createBundle(context, chain),
  };
}

export type Investigations = ReturnType<typeof createInvestigations>;
