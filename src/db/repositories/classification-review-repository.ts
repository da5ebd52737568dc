import type { DbOrTrx } from '../database.ts';
import type { ClassificationReviewsTable, Database } from '../schema.ts';
import { sql, type Insertable, type SelectQueryBuilder } from 'kysely';

export type ReviewSubject = 'report' | 'legacy';

/** One doubtful classification, as the review queue lists it (a report or an imported force record). */
export interface ReviewItem {
  subject: ReviewSubject;
  id: number;
  forceId: string;
  /** The crime reference of a report, or the force's own record id. */
  label: string;
  text: string;
  offence: string | null;
  category: string;
  cyber: string;
  online: string;
  onlineEvidence: string;
  confidence: number;
  reasons: string;
  review: string;
  day: string;
}

const PAGE = 50;

interface ReviewRow {
  subject: ReviewSubject;
  id: number;
  force_id: string;
  label: string;
  text: string;
  offence: string;
  category: string;
  cyber: string;
  online: string;
  online_evidence: string;
  confidence: number;
  reasons: string;
  review: string;
  day: string;
  status: string | null;
  loss_pence: number;
  extortion: number;
}

/** Reports and imported records in one shape, so the queue is one query over both tables. */
function reviewRows(
  db: DbOrTrx,
  subject: ReviewSubject,
  where: { id?: number; forceId?: string | null; pending?: boolean },
): SelectQueryBuilder<Database, 'reports' | 'legacy_records', ReviewRow> {
  const id = where.id ?? null;
  const forceId = where.forceId ?? null;
  return subject === 'report'
    ? db
        .selectFrom('reports')
        .select([
          sql<ReviewSubject>`'report'`.as('subject'),
          'id',
          sql<string>`coalesce(force_id, '')`.as('force_id'),
          'reference as label',
          'narrative as text',
          sql<string>`''`.as('offence'),
          'category',
          'cyber',
          'online',
          'online_evidence',
          'confidence',
          // The reasons are inside the stored classification; read out in toItem.
          'classification as reasons',
          'review',
          sql<string>`substr(created_at, 1, 10)`.as('day'),
          'status',
          'loss_pence',
          'extortion',
        ])
        .$if(id !== null, (q) => q.where('id', '=', id ?? 0))
        .$if(forceId !== null, (q) => q.where('force_id', '=', forceId ?? ''))
        .$if(where.pending === true, (q) => q.where('review', '=', 'pending'))
        .$castTo<ReviewRow>()
    : db
        .selectFrom('legacy_records')
        .select([
          sql<ReviewSubject>`'legacy'`.as('subject'),
          'id',
          'force_id',
          'record_id as label',
          'summary as text',
          'original_type as offence',
          'category',
          'cyber',
          'online',
          'online_evidence',
          'confidence',
          'reasons',
          'review',
          'recorded_on as day',
          sql<string | null>`null`.as('status'),
          'loss_pence',
          'extortion',
        ])
        .$if(id !== null, (q) => q.where('id', '=', id ?? 0))
        .$if(forceId !== null, (q) => q.where('force_id', '=', forceId ?? ''))
        .$if(where.pending === true, (q) => q.where('review', '=', 'pending'))
        .$castTo<ReviewRow>();
}

function toItem(r: ReviewRow): ReviewItem & { status: string | null; lossPence: number; extortion: boolean } {
  return {
    subject: r.subject,
    id: r.id,
    forceId: r.force_id,
    label: r.label,
    text: r.text,
    offence: r.offence === '' ? null : r.offence,
    category: r.category,
    cyber: r.cyber,
    online: r.online,
    onlineEvidence: r.online_evidence,
    confidence: r.confidence,
    reasons:
      r.subject === 'report'
        ? JSON.stringify((JSON.parse(r.reasons) as { reasons?: unknown }).reasons ?? [])
        : r.reasons,
    review: r.review,
    day: r.day,
    status: r.status,
    lossPence: r.loss_pence,
    extortion: r.extortion === 1,
  };
}

/** Pending reviews, least confident first, within one force or all (forceId null). */
export async function listPendingReviews(
  db: DbOrTrx,
  filter: { forceId: string | null; subject: ReviewSubject | null; page: number },
): Promise<{ items: ReviewItem[]; more: boolean }> {
  const subjects: ReviewSubject[] = filter.subject === null ? ['report', 'legacy'] : [filter.subject];
  const [first, ...rest] = subjects.map((subject) =>
    reviewRows(db, subject, { forceId: filter.forceId, pending: true }),
  );
  if (first === undefined) return { items: [], more: false };
  const union = rest.reduce((all, q) => all.unionAll(q), first);
  const rows = await db
    .selectFrom(union.as('pending'))
    .selectAll()
    .orderBy('confidence')
    .orderBy('subject')
    .orderBy('id')
    .limit(PAGE + 1)
    .offset((filter.page - 1) * PAGE)
    .execute();
  const items = rows.slice(0, PAGE).map(toItem);
  return { items, more: rows.length > PAGE };
}

/** One record under review, whatever its review state. */
export async function findReviewItem(
  db: DbOrTrx,
  subject: ReviewSubject,
  id: number,
): Promise<(ReviewItem & { status: string | null; lossPence: number; extortion: boolean }) | undefined> {
  const row = await reviewRows(db, subject, { id }).executeTakeFirst();
  return row === undefined ? undefined : toItem(row);
}

export async function setLegacyClassification(
  db: DbOrTrx,
  id: number,
  values: {
    category: string;
    cyber: string;
    recording_code: string;
    online: string;
    review: 'confirmed' | 'corrected';
  },
): Promise<void> {
  await db.updateTable('legacy_records').set(values).where('id', '=', id).execute();
}

export async function insertClassificationReview(
  db: DbOrTrx,
  row: Insertable<ClassificationReviewsTable>,
): Promise<void> {
  await db.insertInto('classification_reviews').values(row).execute();
}

/** One earlier decision on a record, as the review page lists it. */
export interface ReviewHistoryEntry {
  decision: string;
  previousCategory: string;
  previousOnline: string;
  category: string;
  online: string;
  reason: string;
  reviewedBy: string;
  reviewedAt: string;
}

/** The decisions already made on a record, oldest first. */
export async function reviewHistory(
  db: DbOrTrx,
  subject: ReviewSubject,
  id: number,
): Promise<ReviewHistoryEntry[]> {
  const rows = await db
    .selectFrom('classification_reviews')
    .select([
      'decision',
      'previous_category',
      'previous_online',
      'category',
      'online',
      'reason',
      'reviewed_by',
      'reviewed_at',
    ])
    .where('subject', '=', subject)
    .where('subject_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    decision: r.decision,
    previousCategory: r.previous_category,
    previousOnline: r.previous_online,
    category: r.category,
    online: r.online,
    reason: r.reason,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
  }));
}

/** Imported records judged to have no online element, and imported records waiting for review. */
export async function countImportedNotCounted(db: DbOrTrx): Promise<{ offline: number; pending: number }> {
  const row = await db
    .selectFrom('legacy_records')
    .select([
      sql<number | string>`sum(case when online = 'none' then 1 else 0 end)`.as('offline'),
      sql<number | string>`sum(case when review = 'pending' then 1 else 0 end)`.as('pending'),
    ])
    .executeTakeFirst();
  return { offline: Number(row?.offline ?? 0), pending: Number(row?.pending ?? 0) };
}
