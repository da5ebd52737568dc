/** What every investigations module is built from (index.ts makes one and hands it to each). */
import type { Db } from '../../db/database.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import type { ReportAccess } from '../report-access.ts';
import type { CaseAccess } from './access.ts';

export interface InvestigationsContext {
  db: Db;
  clock: () => Date;
  reference: ReferenceData;
  /** Every query goes through these (tests pass a copy with a failing call). */
  repos: Repositories;
  access: CaseAccess;
  /** The reports a case links: the same check as every other report writer. */
  reportAccess: ReportAccess;
}
