import type { Migration } from 'kysely';
import * as outbox from './2026-11-23T130000-outbox.ts';
import * as reports from './2026-11-23T140000-reports.ts';
import * as statistics from './2026-11-23T150000-statistics.ts';
import * as classification from './2026-11-23T160000-classification.ts';
import * as routing from './2026-11-23T170000-routing.ts';
import * as staff from './2026-11-23T180000-staff.ts';
import * as casework from './2026-11-23T190000-casework.ts';
import * as protectRequests from './2026-11-23T200000-protect-requests.ts';
import * as indicators from './2026-11-29T090000-indicators.ts';
import * as sharing from './2026-11-29T100000-sharing.ts';
import * as referrals from './2026-11-29T110000-referrals.ts';
import * as advice from './2026-11-29T120000-advice.ts';
import * as askTheUnit from './2026-11-29T130000-ask-the-unit.ts';
import * as cases from './2026-11-29T140000-cases.ts';
import * as caseworkDetail from './2026-11-29T150000-casework-detail.ts';
import * as decisionCodes from './2026-11-29T160000-decision-codes.ts';
import * as exhibitFileMd5 from './2026-11-29T170000-exhibit-file-md5.ts';
import * as sharingProvenance from './2026-12-03T100000-sharing-provenance.ts';
import * as signInAndTokens from './2026-12-03T120000-sign-in-and-tokens.ts';
import * as retention from './2026-12-03T150000-retention.ts';
import * as redactRevocations from './2026-12-03T160000-redact-revocations.ts';
import * as republishQueryUrls from './2026-12-03T170000-republish-query-urls.ts';
import * as exhibitFileMd5Backfill from './2026-12-04T100000-exhibit-file-md5-backfill.ts';
import * as tamperEvidence from './2026-12-04T110000-tamper-evidence.ts';
import * as reportLanguage from './2026-12-04T130000-report-language.ts';
import * as onlineElement from './2026-12-05T110000-online-element.ts';
import * as lastSignIn from './2026-12-05T140000-last-sign-in.ts';
import * as passwordChange from './2026-12-06T100000-password-change.ts';
import * as statsMonthly from './2026-12-06T120000-stats-monthly.ts';
import * as unitNotifications from './2026-12-07T140000-unit-notifications.ts';
import * as victimFollowUp from './2026-12-07T150000-victim-follow-up.ts';
import * as takenByAdviser from './2026-12-07T160000-taken-by-adviser.ts';
import * as partnerSubmissions from './2026-12-08T130000-partner-submissions.ts';
import * as externalFeeds from './2026-12-08T140000-external-feeds.ts';
import * as protectEngagements from './2026-12-09T150000-protect-engagements.ts';
import * as alerts from './2026-12-09T151000-alerts.ts';
import * as sealedEvidence from './2026-12-08T170000-sealed-evidence.ts';
import * as workingGroups from './2026-12-09T130000-working-groups.ts';
import * as preventReferrals from './2026-12-09T160000-prevent-referrals.ts';
import * as significantIncidents from './2026-12-09T161000-significant-incidents.ts';
import * as partnerUsers from './2026-12-10T100000-partner-users.ts';
import * as disruptionRequests from './2026-12-10T120000-disruption-requests.ts';
import * as disruptionCampaigns from './2026-12-13T100000-disruption-campaigns.ts';
import * as taskingEndings from './2026-12-13T110000-tasking-endings.ts';
import * as taskingTimeAndReturns from './2026-12-15T100000-tasking-time-and-returns.ts';
import * as queueViews from './2026-12-16T100000-queue-views.ts';
import * as unitFigures from './2026-12-11T100000-unit-figures.ts';
import * as staffUploadKeys from './2026-12-11T120500-staff-upload-keys.ts';
import * as suppliers from './2026-12-11T200000-suppliers.ts';
import * as staffUploadRows from './2026-12-12T100000-staff-upload-rows.ts';
import * as groupAnswerLinks from './2026-12-12T110000-group-answer-links.ts';
import * as unitFiguresReceived from './2026-12-12T120000-unit-figures-received.ts';

/** Every migration, keyed by its timestamped name. Append new ones; never edit or reorder old ones. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T130000-outbox': outbox,
  '2026-11-23T140000-reports': reports,
  '2026-11-23T150000-statistics': statistics,
  '2026-11-23T160000-classification': classification,
  '2026-11-23T170000-routing': routing,
  '2026-11-23T180000-staff': staff,
  '2026-11-23T190000-casework': casework,
  '2026-11-23T200000-protect-requests': protectRequests,
  '2026-11-29T090000-indicators': indicators,
  '2026-11-29T100000-sharing': sharing,
  '2026-11-29T110000-referrals': referrals,
  '2026-11-29T120000-advice': advice,
  '2026-11-29T130000-ask-the-unit': askTheUnit,
  '2026-11-29T140000-cases': cases,
  '2026-11-29T150000-casework-detail': caseworkDetail,
  '2026-11-29T160000-decision-codes': decisionCodes,
  '2026-11-29T170000-exhibit-file-md5': exhibitFileMd5,
  '2026-12-03T100000-sharing-provenance': sharingProvenance,
  '2026-12-03T120000-sign-in-and-tokens': signInAndTokens,
  '2026-12-03T150000-retention': retention,
  '2026-12-03T160000-redact-revocations': redactRevocations,
  '2026-12-03T170000-republish-query-urls': republishQueryUrls,
  '2026-12-04T100000-exhibit-file-md5-backfill': exhibitFileMd5Backfill,
  '2026-12-04T110000-tamper-evidence': tamperEvidence,
  '2026-12-04T130000-report-language': reportLanguage,
  '2026-12-05T110000-online-element': onlineElement,
  '2026-12-05T140000-last-sign-in': lastSignIn,
  '2026-12-06T100000-password-change': passwordChange,
  '2026-12-06T120000-stats-monthly': statsMonthly,
  '2026-12-07T140000-unit-notifications': unitNotifications,
  '2026-12-07T150000-victim-follow-up': victimFollowUp,
  '2026-12-07T160000-taken-by-adviser': takenByAdviser,
  '2026-12-08T130000-partner-submissions': partnerSubmissions,
  '2026-12-08T140000-external-feeds': externalFeeds,
  '2026-12-08T170000-sealed-evidence': sealedEvidence,
  '2026-12-09T130000-working-groups': workingGroups,
  '2026-12-09T150000-protect-engagements': protectEngagements,
  '2026-12-09T151000-alerts': alerts,
  '2026-12-09T160000-prevent-referrals': preventReferrals,
  '2026-12-09T161000-significant-incidents': significantIncidents,
  '2026-12-10T100000-partner-users': partnerUsers,
  '2026-12-10T120000-disruption-requests': disruptionRequests,
  '2026-12-11T100000-unit-figures': unitFigures,
  '2026-12-11T120500-staff-upload-keys': staffUploadKeys,
  '2026-12-11T200000-suppliers': suppliers,
  '2026-12-12T100000-staff-upload-rows': staffUploadRows,
  '2026-12-12T110000-group-answer-links': groupAnswerLinks,
  '2026-12-12T120000-unit-figures-received': unitFiguresReceived,
  '2026-12-13T100000-disruption-campaigns': disruptionCampaigns,
  '2026-12-13T110000-tasking-endings': taskingEndings,
  '2026-12-15T100000-tasking-time-and-returns': taskingTimeAndReturns,
  '2026-12-16T100000-queue-views': queueViews,
};
