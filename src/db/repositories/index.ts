/**
 * Every repository, as one object a service factory takes (`repos = repositories`): services call queries only
 * through it, so a test can hand a factory a copy in which one call fails, and see that the use case's
 * transaction leaves nothing behind.
 */
import * as advice from './advice-repository.ts';
import * as alerts from './alert-repository.ts';
import * as ask from './ask-repository.ts';
import * as attempts from './attempt-repository.ts';
import * as audit from './audit-repository.ts';
import * as callRecords from './call-record-repository.ts';
import * as caseList from './case-list-repository.ts';
import * as cases from './case-repository.ts';
import * as classificationReview from './classification-review-repository.ts';
import * as custody from './custody-repository.ts';
import * as disruption from './disruption-repository.ts';
import * as evidence from './evidence-repository.ts';
import * as exhibits from './exhibit-repository.ts';
import * as feeds from './feed-repository.ts';
import * as forensics from './forensics-repository.ts';
import * as hashLists from './hash-list-repository.ts';
import * as idempotency from './idempotency-repository.ts';
import * as incidents from './incident-repository.ts';
import * as indicators from './indicator-repository.ts';
import * as intelligence from './intelligence-repository.ts';
import * as legacy from './legacy-record-repository.ts';
import * as notifications from './notification-repository.ts';
import * as outbox from './outbox-repository.ts';
import * as partnerSubmissions from './partner-submission-repository.ts';
import * as partners from './partner-repository.ts';
import * as prevent from './prevent-repository.ts';
import * as protectRequests from './protect-request-repository.ts';
import * as referrals from './referral-repository.ts';
import * as reports from './report-repository.ts';
import * as retention from './retention-repository.ts';
import * as savedDrafts from './saved-draft-repository.ts';
import * as sessions from './session-repository.ts';
import * as sharing from './sharing-repository.ts';
import * as stats from './stats-repository.ts';
import * as suppliers from './supplier-repository.ts';
import * as taxiiFeedback from './taxii-feedback-repository.ts';
import * as tokens from './token-repository.ts';
import * as unitFigures from './unit-figures-repository.ts';
import * as uploadKeys from './upload-key-repository.ts';
import * as users from './user-repository.ts';
import * as workingGroups from './working-group-repository.ts';

export const repositories = {
  advice,
  alerts,
  ask,
  attempts,
  audit,
  callRecords,
  caseList,
  cases,
  classificationReview,
  custody,
  disruption,
  evidence,
  exhibits,
  feeds,
  forensics,
  hashLists,
  idempotency,
  incidents,
  indicators,
  intelligence,
  legacy,
  notifications,
  outbox,
  partnerSubmissions,
  partners,
  prevent,
  protectRequests,
  referrals,
  reports,
  retention,
  savedDrafts,
  sessions,
  sharing,
  stats,
  suppliers,
  taxiiFeedback,
  tokens,
  unitFigures,
  uploadKeys,
  users,
  workingGroups,
};

export type Repositories = typeof repositories;
