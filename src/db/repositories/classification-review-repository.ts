import type { DbOrTrx } from '../database.ts';
import type { ClassificationReviewsTable } from '../schema.ts';
import { sql, type Insertable } from 'kysely';

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

/** Pending reviews, least confident first, within one force or all (forceId null). */
export async function listPendingReviews(
  db: DbOrTrx,
  filter: { forceId: string | null; subject: ReviewSubject | null; page: number },
): Promise<{ items: ReviewItem[]; more: boolean }> {
  const offset = (filter.page - 1) * PAGE;
  const out: ReviewItem[] = [];
  if (filter.subject !== 'legacy') {
    let q = db
      .selectFrom('reports')
      .select([
        'id',
        'force_id',
        'reference',
        'narrative',
        'category',
        'cyber',
        'online',
        'online_evidence',
        'confidence',
        'classification',
        'review',
        'created_at',
      ])
      .where('review', '=', 'pending');
    if (filter.forceId !== null) q = q.where('force_id', '=', filter.forceId);
    const rows = await q
      .orderBy('confidence')
      .orderBy('id')
      .limit(offset + PAGE + 1)
      .execute();
    for (const r of rows)
      out.push({
        subject: 'report',
        id: r.id,
        forceId: r.force_id ?? '',
        label: r.reference,
        text: r.narrative,
        offence: null,
        category: r.category,
        cyber: r.cyber,
        online: r.online,
        onlineEvidence: r.online_evidence,
        confidence: r.confidence,
        reasons: JSON.stringify((JSON.parse(r.classification) as { reasons?: unknown }).reasons ?? []),
        review: r.review,
        day: r.created_at.slice(0, 10),
      });
  }
  if (filter.subject !== 'report') {
    let q = db
      .selectFrom('legacy_records')
      .select([
        'id',
        'force_id',
        'record_id',
        'summary',
        'original_type',
        'category',
        'cyber',
        'online',
        'online_evidence',
        'confidence',
        'reasons',
        'review',
        'recorded_on',
      ])
      .where('review', '=', 'pending');
    if (filter.forceId !== null) q = q.where('force_id', '=', filter.forceId);
    const rows = await q
      .orderBy('confidence')
      .orderBy('id')
      .limit(offset + PAGE + 1)
      .execute();
    for (const r of rows)
      out.push({
        subject: 'legacy',
        id: r.id,
        forceId: r.force_id,
        label: r.record_id,
        text: r.summary,
        offence: r.original_type === '' ? null : r.original_type,
        category: r.category,
        cyber: r.cyber,
        online: r.online,
        onlineEvidence: r.online_evidence,
        confidence: r.confidence,
        reasons: r.reasons,
        review: r.review,
        day: r.recorded_on,
      });
  }
  out.sort((a, b) => a.confidence - b.confidence || a.subject.localeCompare(b.subject) || a.id - b.id);
  return { items: out.slice(offset, offset + PAGE), more: out.length > offset + PAGE };
}

/** One record under review, whatever its review state. */
export async function findReviewItem(
  db: DbOrTrx,
  subject: ReviewSubject,
  id: number,
): Promise<(ReviewItem & { status: string | null; lossPence: number; extortion: boolean }) | undefined> {
  if (subject === 'report') {
    const r = await db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    if (r === undefined) return undefined;
    return {
      subject,
      id: r.id,
      forceId: r.force_id ?? '',
      label: r.reference,
      text: r.narrative,
      offence: null,
      category: r.category,
      cyber: r.cyber,
      online: r.online,
      onlineEvidence: r.online_evidence,
      confidence: r.confidence,
      reasons: JSON.stringify((JSON.parse(r.classification) as { reasons?: unknown }).reasons ?? []),
      review: r.review,
      day: r.created_at.slice(0, 10),
      status: r.status,
      lossPence: r.loss_pence,
      extortion: r.extortion === 1,
    };
  }
  const r = await db.selectFrom('legacy_records').selectAll().where('id', '=', id).executeTakeFirst();
  if (r === undefined) return undefined;
  return {
    subject,
    id: r.id,
    forceId: r.force_id,
    label: r.record_id,
    text: r.summary,
    offence: r.original_type === '' ? null : r.original_type,
    category: r.category,
    cyber: r.cyber,
    online: r.online,
    onlineEvidence: r.online_evidence,
    confidence: r.confidence,
    reasons: r.reasons,
    review: r.review,
    day: r.recorded_on,
    status: null,
    lossPence: r.loss_pence,
    extortion: r.extortion === 1,
  };
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

export async function reviewHistory(
  db: DbOrTrx,
  subject: ReviewSubject,
  id: number,
): Promise<
  {
    decision: string;
    previous_category: string;
    previous_online: string;
    category: string;
    online: string;
    reason: string;
    reviewed_by: string;
    reviewed_at: string;
  }[]
> {
  return db
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
