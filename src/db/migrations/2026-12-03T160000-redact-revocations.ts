import { sql, type Kysely } from 'kysely';
import { v5 as uuidv5 } from 'uuid';

// Revocations published before this change still carry the value (and every earlier version is still served).
// Republish the reports naming those indicators: publishing now writes a revocation without the value and deletes
// every earlier version. The namespace is frozen here as it was when those ids were made (src/domain/sharing/stix.ts).
const NAMESPACE = '4b1d9c57-3d1e-4f57-9a4e-6f1c2b7a8e21';
const PAGE = 1000;

export async function up(db: Kysely<unknown>): Promise<void> {
  const revoked = new Set(
    (
      await sql<{ stix_id: string }>`select stix_id from taxii_objects
        where stix_type = 'indicator' and latest = 1 and body like ${'%"revoked":true%'}`.execute(db)
    ).rows.map((r) => r.stix_id),
  );
  if (revoked.size === 0) return;
  const indicatorIds: number[] = [];
  for (let after = 0; ;) {
    const { rows } = await sql<{ id: number; type: string; value: string }>`select id, type, value
      from indicators where id > ${after} order by id limit ${PAGE}`.execute(db);
    for (const row of rows) {
      if (revoked.has(`indicator--${uuidv5(`${row.type}:${row.value}`, NAMESPACE)}`))
        indicatorIds.push(row.id);
    }
    if (rows.length < PAGE) break;
    after = Number(rows.at(-1)?.id);
  }
  const now = new Date().toISOString();
  for (let i = 0; i < indicatorIds.length; i += PAGE) {
    const chunk = indicatorIds.slice(i, i + PAGE);
    await sql`insert into outbox (kind, dedupe_key, payload, status, attempts, run_after, created_at, updated_at)
      select distinct 'publish-stix', 'publish-stix:redact-revocations:' || ri.report_id,
        '{"reportId":' || ri.report_id || '}', 'pending', 0, ${now}, ${now}, ${now}
      from report_indicators ri
      where ri.indicator_id in (${sql.join(chunk)})
        and not exists (select 1 from outbox o
          where o.dedupe_key = 'publish-stix:redact-revocations:' || ri.report_id)`.execute(db);
  }
}

export async function down(): Promise<void> {
  // Only queued republications: nothing to undo.
}
