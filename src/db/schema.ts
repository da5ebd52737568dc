import type { Generated } from 'kysely';

/** Durable background work, written in the same transaction as the change that causes it. */
export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  /** Deduplicates retried writes of the same job. */
  dedupe_key: string;
  payload: string;
  /** 'discarded': a dead letter an admin gave up on; never 'done', which means it was delivered. */
  status: 'pending' | 'done' | 'dead' | 'discarded';
  attempts: number;
  run_after: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  data: string;
  expires_at: string;
  updated_at: string;
  /** The signed-in staff member, so disabling them can end every session at once. */
  user_id: Generated<number | null>;
}

/** 0 or 1: see the reports migration. */
export type Flag = number;

export interface ReportsTable {
  id: Generated<number>;
  reference: string;
  status: string;
  source: 'web' | 'api';
  partner_token_id: number | null;
  reporter_type: 'individual' | 'on-behalf' | 'organisation';
  category: string;
  cyber: string;
  recording_code: string;
  force_id: string | null;
  /** JSON array of candidate force ids. */
  force_candidates: string;
  postcode: string | null;
  contact_email: string | null;
  loss_pence: number;
  vulnerable: Flag;
  ongoing: Flag;
  victim_support_consent: Flag;
  narrative: string;
  /** Every answer as JSON (ReportSubmission). */
  answers: string;
  extortion: Generated<Flag>;
  /** JSON: the classifier's confidence and reasons. */
  classification: Generated<string>;
  /** The online element: a medium, 'none', or 'unknown' (classified before issue 17). */
  online: Generated<string>;
  /** JSON array of {id, words}: the cues that showed the online element. */
  online_evidence: Generated<string>;
  /** The classifier's calibrated confidence (1 for reports classified before it was stored). */
  confidence: Generated<number>;
  /** 'none', 'pending' (below the review threshold), 'confirmed' or 'corrected'. */
  review: Generated<ReviewState>;
  unit_id: string | null;
  /** The unit the report was routed to at intake, never changed: what unit figures count (issue 24). */
  received_unit: string | null;
  routing_rule: Generated<string>;
  /** JSON array: the facts that made the routing rule fire. */
  routing_reasons: Generated<string>;
  urgent: Generated<Flag>;
  allocated_to: Generated<string | null>;
  /** The campaign this report belongs to, once it shares an indicator with another report. */
  campaign_id: Generated<number | null>;
  /** Traffic Light Protocol for sharing what the report holds: clear, green, amber or red (never shared). */
  tlp: Generated<string>;
  /** Web reports: keyed hash of the client network (IPv4 address, IPv6 /48), so one reporter's repeats count once. */
  reporter_client: Generated<string | null>;
  created_at: string;
  updated_at: string;
  /** When the retention rule removed the personal data of this closed report; null while it is held. */
  anonymised_at: Generated<string | null>;
  /** The language the report was made in: every email to the person who made it is written in it. */
  lng: Generated<'en' | 'cy'>;
  /** When the victim last added to the report (information, evidence, contact details) unseen by the unit since. */
  victim_news_at: Generated<string | null>;
  /** A report a call handler took for a caller: their account (null: made online or through the API). */
  adviser_user_id: Generated<number | null>;
  /** …and the name they signed in with, kept as it was when they took the report. */
  adviser_name: Generated<string | null>;
}

/** A journey saved to come back to from an emailed single-use link (see services/saved-drafts.ts). */
export interface SavedDraftsTable {
  /** A random UUID: also what the sealed data is bound to. */
  id: string;
  /** SHA-256 (hex) of the link's token; null until the email is sent. The token itself is never stored. */
  token_hash: string | null;
  /** The address and answers, sealed with DATA_KEY; '' once the link was used. */
  data: string;
  /** The journey's language when saved: the email is written in it. */
  lng: 'en' | 'cy';
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
}

export interface EvidenceBlobsTable {
  sha256: string;
  size: number;
  content: Uint8Array;
  created_at: string;
  /** Set on every store of these bytes: an orphan is collected only once no draft can still refer to it. */
  last_stored_at: Generated<string | null>;
  /** 1: `content` is sealed (db/evidence-sealer.ts); 0: stored plain, before sealing began. */
  sealed: Generated<number>;
}

export interface ReportEvidenceTable {
  id: Generated<number>;
  report_id: number;
  sha256: string;
  file_name: string;
  content_type: string;
  size: number;
  created_at: string;
}

export interface ReportUpdatesTable {
  id: Generated<number>;
  report_id: number;
  kind: string;
  message: string;
  visible_to_victim: Flag;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  /** Space-separated scopes, e.g. "reports:write". */
  scopes: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** A staff member's token carries that person's access; partner tokens have none. */
  user_id: Generated<number | null>;
  /** Null only for rows the sign-in-and-tokens migration missed; such a token is refused. */
  expires_at: string | null;
  last_used_at: Generated<string | null>;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  role: string;
  force_id: string | null;
  unit_id: string | null;
  password_hash: string;
  /** "v1:…" sealed with DATA_KEY (see services/data-cipher.ts); plain base32 only in rows from before it. */
  totp_secret: string;
  /** The last TOTP time step accepted: that code and every earlier one are refused. */
  totp_last_step: Generated<number>;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  disabled_at: Generated<string | null>;
  created_at: string;
  /** When a sign-in last succeeded (null: never). */
  last_sign_in_at: Generated<string | null>;
  /**
   * 1 while the password is one someone else chose (a new account's, or an admin's reset): the holder must set
   * their own before any other staff page opens.
   */
  password_change_due: Generated<number>;
  /** 1: a daily digest of the unit's non-urgent notifications goes to this person's own address. */
  notification_digest: Generated<number>;
  /**
   * The partner organisation a partner portal user belongs to; null for staff. Staff sign-in, sessions and account
   * pages admit only rows with null here, the partner portal's only rows with a partner.
   */
  partner_id: Generated<number | null>;
  /** The queue's filters and order this person last chose (a query string), restored when they come back. */
  queue_view: Generated<string | null>;
}

/** What a unit was told (one row per notification, keyed by its outbox job), for digests and "told once". */
export interface UnitNotificationsTable {
  id: Generated<number>;
  dedupe_key: string;
  unit_id: string;
  reason: string;
  /** The crime reference, or null for a Protect request. */
  reference: string | null;
  protect_request_id: number | null;
  category: string;
  urgent: number;
  /** When it happened (the outbox job's creation), not when the email went. */
  created_at: string;
}

/** Append-only: rows are only ever inserted. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  reference: string | null;
  force_id: string | null;
  detail: string;
  /** Chained and signed by `writeAudit` (domain/tamper-evidence/audit-chain.ts); null only before the first start. */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  signature: string | null;
  key_id: string | null;
}

/** The signed end of the audit chain: one row, id 1. */
export interface AuditHeadTable {
  id: number;
  count: number;
  hash: string;
  signature: string;
  key_id: string;
}

export interface IdempotencyKeysTable {
  token_id: number;
  key: string;
  request_hash: string;
  reference: string;
  created_at: string;
}

/** A workspace upload form's one-time key, claimed by the staff member's first POST with it (issue 20). */
export interface StaffUploadKeysTable {
  /** SHA-256 of the form's key. */
  key_hash: string;
  user_id: number;
  /** JSON of what the upload made; null while it runs (or if it stopped half way). */
  result: string | null;
  created_at: string;
  finished_at: string | null;
  /** SHA-256 of the file first posted with the key; null on keys claimed before uploads could resume. */
  file_hash: string | null;
}

/** An adviser's upload row (`ws:<key hash>:<line>`), claimed with the report it made: a re-post records it once. */
export interface StaffIdempotencyKeysTable {
  user_id: number;
  key: string;
  request_hash: string;
  reference: string;
  created_at: string;
}

export interface AttemptCountersTable {
  key: string;
  window_start: string;
  count: number;
}

export interface LegacyRecordsTable {
  id: Generated<number>;
  force_id: string;
  record_id: string;
  recorded_on: string;
  original_type: string;
  summary: string;
  postcode: string | null;
  loss_pence: number;
  category: string;
  cyber: string;
  recording_code: string;
  confidence: number;
  extortion: Flag;
  vulnerable: Flag;
  /** JSON array of the classifier's reasons. */
  reasons: string;
  imported_at: string;
  /** The online element: a medium, 'none', or 'unknown' (classified before issue 17). */
  online: Generated<string>;
  /** JSON array of {id, words}: the cues that showed the online element. */
  online_evidence: Generated<string>;
  /** 'none', 'pending' (below the review threshold), 'confirmed' or 'corrected'. */
  review: Generated<ReviewState>;
}

export type ReviewState = 'none' | 'pending' | 'confirmed' | 'corrected';

export interface ClassificationReviewsTable {
  id: Generated<number>;
  subject: 'report' | 'legacy';
  subject_id: number;
  force_id: string;
  decision: 'confirmed' | 'corrected';
  previous_category: string;
  previous_online: string;
  category: string;
  online: string;
  reason: string;
  reviewed_by: string;
  reviewed_at: string;
}

export interface CategoryChangesTable {
  id: Generated<number>;
  report_id: number;
  category: string;
  previous_category: string | null;
  changed_by: string;
  reason: string;
  changed_at: string;
}

/** Daily counts by force, category and source ('report' or 'legacy'); force '' when not yet known. */
export interface StatsDailyTable {
  day: string;
  force_id: string;
  category: string;
  cyber: string;
  source: 'report' | 'legacy';
  /** 0–7: spreads concurrent increments of one key over several rows; queries sum them. */
  shard: number;
  reports: number;
  loss_pence: number;
}

/** The daily counts summed by month, kept by triggers on stats_daily (figures over years read these). */
export type StatsMonthlyTable = Omit<StatsDailyTable, 'day'> & { month: string };

export interface ProtectRequestsTable {
  id: Generated<number>;
  unit_id: string;
  force_id: string;
  organisation: string;
  contact_name: string;
  email: string;
  phone: string | null;
  postcode: string;
  /** Space-separated kinds of help asked for. */
  help: string;
  message: string;
  status: string;
  created_at: string;
  /** The officer of the unit working the request (issue 24). */
  allocated_to: string | null;
  /** The date agreed with the organisation (YYYY-MM-DD), once scheduled. */
  scheduled_for: string | null;
  /** What was delivered, or why it was declined. */
  outcome: string | null;
  updated_at: string | null;
}

/** A Protect request's history: allocation, status changes and replies emailed to the organisation. */
export interface ProtectRequestEventsTable {
  id: Generated<number>;
  request_id: number;
  at: string;
  actor: string;
  kind: string;
  detail: string;
}

export interface ProtectEngagementsTable {
  id: Generated<number>;
  unit_id: string;
  request_id: number | null;
  type: string;
  audience: string;
  sector: string;
  people_reached: number;
  materials: string;
  delivered_on: string;
  organisation: string;
  /** Where the follow-up questionnaire goes (the request's address, or one given when logging). */
  contact_email: string | null;
  lng: string;
  recorded_by: string;
  created_at: string;
  /** SHA-256 of the questionnaire link's token, set when the email is sent; null once answered. */
  feedback_token_hash: string | null;
}

export interface ProtectFeedbackTable {
  engagement_id: number;
  unit_id: string;
  usefulness: number;
  will_change: string;
  comments: string;
  answered_at: string;
}

export interface AlertsTable {
  id: Generated<number>;
  unit_id: string;
  /** `force:<force id>` or `region:<region id>`. */
  area: string;
  campaign_id: number | null;
  title_en: string;
  body_en: string;
  title_cy: string;
  body_cy: string;
  /** draft | published */
  status: string;
  /** Whoever last wrote the text: they may not approve it. */
  author: string;
  created_at: string;
  approved_by: string | null;
  published_at: string | null;
}

export interface AlertSubscribersTable {
  id: Generated<number>;
  email: string;
  lng: string;
  created_at: string;
}

export interface AlertSubscriberAreasTable {
  subscriber_id: number;
  area: string;
  requested_at: string;
  confirmed_at: string | null;
}

export interface AlertBatchesTable {
  alert_id: number;
  first_id: number;
  sent_through: number;
}

/** A Prevent referral (issue 24): a young person at risk of cyber crime, in their region's Prevent queue. */
export interface PreventReferralsTable {
  id: Generated<number>;
  unit_id: string;
  region_id: string;
  force_id: string;
  /** 'officer', 'school', 'parent' or 'organisation'. */
  source: string;
  /** The officer who referred from the workspace (null: the public form). */
  referred_by: string | null;
  referrer_name: string | null;
  referrer_email: string | null;
  referrer_phone: string | null;
  referrer_organisation: string | null;
  /** First name or initials only. */
  young_person: string | null;
  age: number | null;
  concern: string | null;
  /** 1 when the young person (or their parent or carer) knows of the referral. */
  aware: number;
  lng: string;
  /** new, contacted, intervention, outcome, closed. */
  status: string;
  intervention: string | null;
  outcome: string | null;
  contacted_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  /** When retention emptied the personal columns; the row stays for the figures. */
  anonymised_at: string | null;
}

/** A significant incident declared by the NCCU or a regional unit (issue 24). */
export interface IncidentsTable {
  id: Generated<number>;
  unit_id: string;
  name: string;
  name_cy: string;
  description: string;
  description_cy: string;
  /** JSON array of {type, value}. */
  indicators: string;
  category: string | null;
  sector: string | null;
  window_from: string;
  window_to: string | null;
  /** open or closed. */
  status: string;
  declared_by: string;
  declared_at: string;
  closed_by: string | null;
  closed_at: string | null;
  closing_note: string | null;
}

export interface IncidentReportsTable {
  incident_id: number;
  report_id: number;
  /** matched (its rules) or reported (the victim said they were affected). */
  how: string;
  linked_at: string;
}

export interface IncidentPartnersTable {
  id: Generated<number>;
  incident_id: number;
  partner: string;
  note: string;
  recorded_by: string;
  told_at: string;
}

export interface IncidentUpdatesTable {
  id: Generated<number>;
  incident_id: number;
  message: string;
  message_cy: string;
  recipients: number;
  sent_by: string;
  sent_at: string;
}

export interface CampaignsTable {
  id: Generated<number>;
  /** Set when two campaigns were joined by a report linking both; the other one carries on. */
  merged_into: number | null;
  created_at: string;
  updated_at: string;
}

export interface IndicatorsTable {
  id: Generated<number>;
  type: string;
  value: string;
  /** The warning list the value is on (it then never links reports), or null. */
  warning_list: string | null;
  campaign_id: number | null;
  first_seen: string;
  last_seen: string;
  /** 1 when a unit keeps it from industry. */
  held_back: Generated<number>;
  /** 1 when staff found it wrong: published versions are revoked. */
  retracted: Generated<number>;
  /** When and by whom staff released it to partners (needed when only intelligence or anonymous reports name it). */
  released_at: Generated<string | null>;
  released_by: Generated<string | null>;
  /** When a partner actioned a disruption request taking it down: published versions are revoked. */
  taken_down_at: Generated<string | null>;
}

export interface PartnersTable {
  id: Generated<number>;
  name: string;
  /** Comma-separated sector ids. */
  sectors: string;
  /** The highest TLP the partner may receive: clear, green or amber. */
  tlp: string;
  username: string;
  /** SHA-256 of a random 256-bit password (not guessable, so a fast hash is enough). */
  password_hash: string;
  token_hash: string;
  webhook_url: string | null;
  webhook_secret: string | null;
  created_at: string;
  revoked_at: string | null;
  /** 1: may write to the partner-submissions collection (contribute indicators). */
  can_submit: Generated<number>;
  /** 1: a specialist supplier on the framework (issue 22, MSP): sees its taskings in the portal. */
  supplier: Generated<number>;
}

/**
 * Every version of every published STIX object, in the order added (id). A new version clears `latest` on the one
 * before; versions a partner may no longer see are deleted.
 */
export interface TaxiiObjectsTable {
  id: Generated<number>;
  stix_id: string;
  stix_type: string;
  /** The object's `modified` (or `created`): its version. */
  version: string;
  date_added: string;
  /** clear, green or amber; '*' for objects every collection carries (markings, identities). */
  tlp: string;
  /** ',finance,telecoms,' or '*' for all sectors. */
  sectors: string;
  latest: number;
  first: number;
  body: string;
}

export interface TaxiiFeedbackTable {
  id: Generated<number>;
  partner_id: number;
  stix_id: string;
  stix_type: string;
  indicator_stix_id: string;
  /** 'sighting' or 'takedown' (a note confirming the site was taken down). */
  kind: string;
  observed_at: string;
  body: string;
  created_at: string;
}

export interface TaxiiStatusTable {
  id: string;
  partner_id: number;
  body: string;
  created_at: string;
}

/** A value a partner submitted (partner intelligence): one row per partner and value, refreshed on resubmission. */
export interface PartnerSubmissionsTable {
  id: Generated<number>;
  partner_id: number;
  indicator_id: number;
  /** The TAXII status resource of the POST that last submitted it. */
  status_id: string;
  /** The submitted object's id and type (an indicator, or an observable such as domain-name). */
  stix_id: string;
  stix_type: string;
  /** clear, green, amber, amber+strict or red: the partner's marking (amber when it gave none). */
  tlp: string;
  /** 1 when the partner allows it to be re-shared with other partners (x_bluelight_reshare). */
  reshare: number;
  /** The partner's labels (e.g. "mule"), comma-separated, for the unit that is told. */
  labels: string;
  /** Why it is kept for police only and matched against nothing (e.g. 'reporter-contact'), or null. */
  withheld: string | null;
  /** The partner's valid_until: after it the submission no longer counts. */
  valid_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReportIndicatorsTable {
  report_id: number;
  indicator_id: number;
  /**
   * 'suspect' (the suspect answers), 'sender' (an evidence email's sender or relay headers), 'forwarder' (those
   * headers of an email the victim forwarded: their own), 'evidence' (any other evidence text: bodies, subjects,
   * text files) or 'narrative'.
   */
  source: string;
  /** Comma-separated places, e.g. "narrative" or "evidence:header:from". */
  found_in: string;
  created_at: string;
}

export interface ReferralsTable {
  /** A UUID: also the idempotency key Victim Support sees on every delivery attempt. */
  id: string;
  report_id: number;
  /**
   * pending, delivered, acknowledged, contacted, cancelled (withdrawn before delivery), withdrawn, failed,
   * not-sent (no endpoint configured: only logged, never delivered), or expired (not delivered before retention
   * removed the report's personal data; never sent).
   */
  status: string;
  /** Exactly what is sent: only what the victim agreed to share, never the narrative or evidence. */
  payload: string;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  acknowledged_at: string | null;
  contacted_at: string | null;
  withdrawn_at: string | null;
  deletion_confirmed_at: string | null;
}

/** One saved version of a Protect advice page; at most one 'published' per category and language. */
export interface AdviceVersionsTable {
  id: Generated<number>;
  category: string;
  lng: 'en' | 'cy';
  version: number;
  title: string;
  /** JSON: { sections: [{ heading, paragraphs[], bullets[] }] }. */
  body_json: string;
  status: 'draft' | 'published' | 'superseded';
  author: string;
  created_at: string;
  published_by: string | null;
  published_at: string | null;
}

export interface AskEventsTable {
  id: Generated<number>;
  unit_id: string;
  title: string;
  title_cy: string;
  description: string;
  description_cy: string;
  starts_at: string;
  ends_at: string;
  created_by: string;
  created_at: string;
}

export interface AskQuestionsTable {
  id: Generated<number>;
  event_id: number;
  /** Optional: the public may ask without giving a name. */
  name: string | null;
  question: string;
  lng: string;
  /** submitted, approved, rejected or merged. */
  status: string;
  merged_into: number | null;
  reject_reason: string | null;
  answer: string | null;
  answered_by: string | null;
  answered_at: string | null;
  created_at: string;
}

export interface CasesTable {
  id: Generated<number>;
  reference: string;
  title: string;
  force_id: string | null;
  unit_id: string;
  /** The unit that opened the case, never changed (unit figures count it, issue 24). */
  opened_unit: string | null;
  officer_in_charge: string;
  status: string;
  outcome: string | null;
  /** 1: only named members of the case may see it (child sexual abuse investigations). */
  restricted: number;
  custody_head: string | null;
  custody_count: number;
  /** Signature of the head (domain/tamper-evidence/custody-head.ts) and the id of the key that made it. */
  custody_signature: string | null;
  custody_key_id: string | null;
  created_by: string;
  created_at: string;
}

export interface CaseReportsTable {
  case_id: number;
  report_id: number;
}

export interface CaseMembersTable {
  case_id: number;
  email: string;
}

export interface ExhibitsTable {
  id: Generated<number>;
  case_id: number;
  /** Officer initials and a number, as on the evidence bag (e.g. "JS/1"). */
  exhibit_ref: string;
  kind: string;
  description: string;
  seized_by: string;
  seized_at: string;
  seized_where: string;
  /** Comma-separated seal numbers. */
  seal_numbers: string;
  created_at: string;
}

/** Append-only and hash-chained per case: see domain/custody/custody-chain.ts. */
export interface CustodyEntriesTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  exhibit_id: number;
  event: string;
  actor: string;
  at: string;
  location: string;
  note: string;
  file_sha256: string | null;
  file_name: string | null;
  prev_hash: string;
  hash: string;
}

/** The MD5 of an exhibit file (keyed by its SHA-256), for hash lists that give only MD5. */
export interface ExhibitFileMd5Table {
  sha256: string;
  md5: string;
}

export interface HashlistsTable {
  id: Generated<number>;
  name: string;
  entries: number;
  imported_at: string;
}

export interface HashlistEntriesTable {
  hashlist_id: number;
  /** Lower-case hex: MD5 (32) or SHA-256 (64). */
  hash: string;
}

export interface CaseTasksTable {
  id: Generated<number>;
  case_id: number;
  title: string;
  owner: string;
  due_on: string;
  /** open or done. */
  status: string;
  created_at: string;
  done_at: string | null;
}

/** Append-only: who decided what, why and when. */
export interface CaseDecisionsTable {
  id: Generated<number>;
  case_id: number;
  decided_by: string;
  /** In English, as the record. */
  decision: string;
  reason: string;
  at: string;
  /** Written by the service (closed, shared, transferred, campaign, member-added, member-removed), else null. */
  code: string | null;
  /** What the code is about: an outcome, unit id, campaign id or email. */
  subject: string | null;
  /** The unit holding the case when the decision was made (unit figures count closures by it). */
  unit_id: string | null;
}

/** Other units a case is shared with (offenders elsewhere). */
export interface CaseUnitsTable {
  case_id: number;
  unit_id: string;
  shared_by: string;
  reason: string;
  at: string;
}

export interface ForensicRequestsTable {
  id: Generated<number>;
  case_id: number;
  exhibit_id: number;
  /** The force's digital forensics queue: the case's unit. */
  unit_id: string;
  /** The unit holding the case when it was requested, never changed (open requests move on transfer). */
  requested_unit: string | null;
  what: string;
  why: string;
  priority: string;
  legal_authority: string;
  /** requested, in-progress, complete or rejected. */
  status: string;
  requested_by: string;
  requested_at: string;
  examiner: string | null;
  findings: string | null;
  completed_at: string | null;
}

export interface CdrEventsTable {
  id: Generated<number>;
  exhibit_id: number;
  at: string;
  /** call, sms, data or cell. */
  kind: string;
  from_number: string | null;
  to_number: string | null;
  duration_s: number | null;
  cell_id: string | null;
  lat: number | null;
  lon: number | null;
  marked: number;
  note: string | null;
}

export interface WorkingGroupsTable {
  id: Generated<number>;
  name: string;
  sector: string;
  /** The police member of staff who manages its membership. */
  admin_email: string;
  created_at: string;
}

/** One member: a partner organisation (partner_id) or a police unit (unit_id). */
export interface WorkingGroupMembersTable {
  id: Generated<number>;
  group_id: number;
  partner_id: number | null;
  unit_id: string | null;
  added_by: string;
  added_at: string;
}

export interface GroupMessagesTable {
  id: Generated<number>;
  group_id: number;
  /** 'alert' or 'request' (a request for information, answered by partners before its deadline). */
  kind: string;
  /** The unit that posted it; '' when a partner member posted it (partner_id). */
  unit_id: string;
  /** The partner organisation that posted it (an alert from the portal), or null for a unit's. */
  partner_id: Generated<number | null>;
  author: string;
  text: string;
  indicator_type: string | null;
  indicator_value: string | null;
  tlp: string;
  deadline: string | null;
  created_at: string;
}

export interface GroupAnswersTable {
  id: Generated<number>;
  message_id: number;
  partner_id: number;
  seen: number;
  comment: string;
  created_at: string;
}

/** A partner's answer linked by the asking unit to one of its cases or reports (exactly one of the two). */
export interface GroupAnswerLinksTable {
  id: Generated<number>;
  answer_id: number;
  case_id: number | null;
  report_id: number | null;
  linked_by: string;
  linked_at: string;
}

/** A unit's request to a named partner to take down, suspend, freeze, recall or close (docs/disruption.md). */
export interface DisruptionRequestsTable {
  id: Generated<number>;
  /** The unit that raised it (and alone sees it). */
  unit_id: string;
  partner_id: number;
  /** takedown, suspend-number, freeze-funds, recall-funds or close-account. */
  type: string;
  /** The suspect-side value: an indicator type, or 'social' for a handle the suspect answers name. */
  target_type: string;
  target_value: string;
  /** Money requests: the amount asked about, the payment's date (YYYY-MM-DD) and references (comma-separated). */
  amount_pence: number | null;
  transaction_date: string | null;
  transaction_refs: string | null;
  legal_basis: string;
  legal_basis_detail: string;
  /** immediate, high or routine: sets the partner's clock (SLA_HOURS). */
  urgency: string;
  /** Where it was raised from: 'report', 'case', 'indicator' or 'campaign'. */
  origin: string;
  /** The report (for every origin: the first of the origin's reports naming the value), case and indicator. */
  report_id: number | null;
  case_id: number | null;
  indicator_id: number | null;
  /** The campaign it was raised from (origin 'campaign'). */
  campaign_id: number | null;
  /** draft, awaiting-approval, sent, acknowledged, actioned or declined. */
  status: string;
  raised_by: string;
  raised_at: string;
  /** The authorising officer. */
  approved_by: string | null;
  approved_at: string | null;
  /** Why the approver sent it back to draft (the last time). */
  returned_reason: string | null;
  sent_at: string | null;
  /** sent_at plus the urgency's hours: the SLA. */
  due_at: string | null;
  /** When the unit and partner were reminded that the clock ran out (once). */
  reminded_at: string | null;
  acknowledged_at: string | null;
  /** The partner's own ticket number, if it gave one. */
  partner_reference: string | null;
  /** When it was actioned or declined. */
  finished_at: string | null;
  frozen_pence: number | null;
  recovered_pence: number | null;
  /** The partner's note on an action, or its reason for declining. */
  outcome_note: string | null;
}

/** A supplier's framework capability and its day rate (issue 22, MSP; see docs/suppliers.md). */
export interface SupplierCapabilitiesTable {
  id: Generated<number>;
  partner_id: number;
  capability: string;
  day_rate_pence: number;
}

export interface SupplierAccreditationsTable {
  id: Generated<number>;
  partner_id: number;
  /** E.g. "ISO/IEC 17025". */
  name: string;
  /** YYYY-MM-DD */
  expires_on: string;
}

/** A supplier's named staff and their vetting (NPPV1-3, SC, DV) with its expiry. */
export interface SupplierStaffTable {
  id: Generated<number>;
  partner_id: number;
  name: string;
  vetting_level: string;
  vetting_expires_on: string;
}

/** A unit's budget for specialist suppliers in one financial year ("2026-27"). */
export interface SupplierBudgetsTable {
  id: Generated<number>;
  unit_id: string;
  financial_year: string;
  budget_pence: number;
  set_by: string;
  set_at: string;
}

export interface SupplierTaskingsTable {
  id: Generated<number>;
  unit_id: string;
  partner_id: number;
  case_id: number;
  capability: string;
  scope: string;
  /** YYYY-MM-DD */
  deadline: string;
  budget_cap_pence: number;
  /** The framework rate when raised. */
  day_rate_pence: number;
  financial_year: string;
  /** awaiting-approval (⇄ returned) → approved → accepted → delivered → closed; or declined, cancelled */
  status: string;
  raised_by: string;
  raised_at: string;
  approved_by: string | null;
  approved_at: string | null;
  accepted_by: string | null;
  accepted_at: string | null;
  delivered_at: string | null;
  cost_pence: number | null;
  days_worked: number | null;
  closed_by: string | null;
  closed_at: string | null;
  /** 1 to 5, recorded by the unit at closure. */
  rating: number | null;
  outcome: string | null;
  /** Declined by the supplier or cancelled by the raiser: who (email), when and why. */
  ended_by: string | null;
  ended_at: string | null;
  ended_reason: string | null;
  /** Returned to its raiser before approval (the latest time): who (email), when and why. */
  returned_by: string | null;
  returned_at: string | null;
  returned_reason: string | null;
}

/** The supplier's time and cost on a tasking, logged as the work goes (one row an entry). */
export interface SupplierTimeEntriesTable {
  id: Generated<number>;
  tasking_id: number;
  /** YYYY-MM-DD: the day the work was done. */
  work_date: string;
  minutes: number;
  cost_pence: number;
  note: string;
  logged_by: string;
  logged_at: string;
}

/** The exhibits a tasking releases to its supplier (a `released` custody entry each, on approval). */
export interface SupplierTaskingExhibitsTable {
  tasking_id: number;
  exhibit_id: number;
}

/** A file a supplier returned: the exhibit it became (`MSP<tasking>/<n>`). */
export interface SupplierDeliverablesTable {
  id: Generated<number>;
  tasking_id: number;
  exhibit_id: number;
  file_name: string;
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface Database {
  outbox: OutboxTable;
  sessions: SessionsTable;
  saved_drafts: SavedDraftsTable;
  reports: ReportsTable;
  evidence_blobs: EvidenceBlobsTable;
  exhibit_file_md5: ExhibitFileMd5Table;
  report_evidence: ReportEvidenceTable;
  report_updates: ReportUpdatesTable;
  api_tokens: ApiTokensTable;
  idempotency_keys: IdempotencyKeysTable;
  staff_upload_keys: StaffUploadKeysTable;
  staff_idempotency_keys: StaffIdempotencyKeysTable;
  attempt_counters: AttemptCountersTable;
  legacy_records: LegacyRecordsTable;
  category_changes: CategoryChangesTable;
  classification_reviews: ClassificationReviewsTable;
  stats_daily: StatsDailyTable;
  stats_monthly: StatsMonthlyTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  protect_requests: ProtectRequestsTable;
  protect_request_events: ProtectRequestEventsTable;
  protect_engagements: ProtectEngagementsTable;
  protect_feedback: ProtectFeedbackTable;
  alerts: AlertsTable;
  alert_subscribers: AlertSubscribersTable;
  alert_subscriber_areas: AlertSubscriberAreasTable;
  alert_batches: AlertBatchesTable;
  prevent_referrals: PreventReferralsTable;
  incidents: IncidentsTable;
  incident_reports: IncidentReportsTable;
  incident_partners: IncidentPartnersTable;
  incident_updates: IncidentUpdatesTable;
  advice_versions: AdviceVersionsTable;
  campaigns: CampaignsTable;
  indicators: IndicatorsTable;
  report_indicators: ReportIndicatorsTable;
  partners: PartnersTable;
  taxii_objects: TaxiiObjectsTable;
  taxii_feedback: TaxiiFeedbackTable;
  taxii_status: TaxiiStatusTable;
  partner_submissions: PartnerSubmissionsTable;
  working_groups: WorkingGroupsTable;
  working_group_members: WorkingGroupMembersTable;
  group_messages: GroupMessagesTable;
  group_answers: GroupAnswersTable;
  group_answer_links: GroupAnswerLinksTable;
  disruption_requests: DisruptionRequestsTable;
  supplier_capabilities: SupplierCapabilitiesTable;
  supplier_accreditations: SupplierAccreditationsTable;
  supplier_staff: SupplierStaffTable;
  supplier_budgets: SupplierBudgetsTable;
  supplier_taskings: SupplierTaskingsTable;
  supplier_tasking_exhibits: SupplierTaskingExhibitsTable;
  supplier_deliverables: SupplierDeliverablesTable;
  supplier_time_entries: SupplierTimeEntriesTable;
  referrals: ReferralsTable;
  ask_events: AskEventsTable;
  ask_questions: AskQuestionsTable;
  cases: CasesTable;
  case_reports: CaseReportsTable;
  case_members: CaseMembersTable;
  exhibits: ExhibitsTable;
  custody_entries: CustodyEntriesTable;
  hashlists: HashlistsTable;
  hashlist_entries: HashlistEntriesTable;
  case_tasks: CaseTasksTable;
  case_decisions: CaseDecisionsTable;
  case_units: CaseUnitsTable;
  forensic_requests: ForensicRequestsTable;
  cdr_events: CdrEventsTable;
  unit_notifications: UnitNotificationsTable;
  feeds: FeedsTable;
  feed_cursors: FeedCursorsTable;
  feed_indicators: FeedIndicatorsTable;
}

/** An external feed Bluelight pulls from (TAXII 2.1 or a MISP feed), and the state of its pulls. */
export interface FeedsTable {
  id: Generated<number>;
  name: string;
  /** 'taxii' or 'misp'. */
  kind: string;
  url: string;
  /** Comma-separated TAXII collection ids; empty: every readable collection. */
  collections: string;
  /** 'none', 'basic' or 'bearer'. */
  auth: string;
  username: string | null;
  /** The environment variable holding the password or token (never the secret itself). */
  secret_env: string | null;
  tlp: string;
  valid_days: number;
  corroborates: number;
  interval_minutes: number;
  page_size: number;
  enabled: number;
  created_at: string;
  created_by: string;
  next_pull_at: string;
  lease_until: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  failures: Generated<number>;
  last_error: string | null;
  last_result: string | null;
}

export interface FeedCursorsTable {
  feed_id: number;
  /** The remote TAXII collection id; '' for a MISP feed. */
  collection: string;
  title: string;
  /** TAXII: the X-TAXII-Date-Added-Last of the last stored page; MISP: "<timestamp> <uuid>" of the last event. */
  cursor: string | null;
  stored: Generated<number>;
  updated_at: string;
}

export interface FeedIndicatorsTable {
  id: Generated<number>;
  feed_id: number;
  /** The TAXII collection or MISP event it came in. */
  origin: string;
  /** The STIX indicator id or MISP attribute uuid. */
  external_id: string;
  version: string;
  type: string;
  value: string;
  known_since: string;
  valid_until: string;
  revoked: number;
  tlp: string;
  confidence: number | null;
  updated_at: string;
}
