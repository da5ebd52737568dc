import { sql, type Kysely } from 'kysely';

// URLs with a query string or fragment were shared whole, whatever their source, and may carry a victim's details.
// Republish every report naming one: the share rules now withdraw them unless the suspect answers gave them.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  await sql`insert into outbox (kind, dedupe_key, payload, status, attempts, run_after, created_at, updated_at)
    select distinct 'publish-stix', 'publish-stix:republish-query-urls:' || ri.report_id,
      '{"reportId":' || ri.report_id || '}', 'pending', 0, ${now}, ${now}, ${now}
    from report_indicators ri
    join indicators i on i.id = ri.indicator_id
    where i.type = 'url' and (i.value like ${'%?%'} or i.value like ${'%#%'})
      and not exists (select 1 from outbox o
        where o.dedupe_key = 'publish-stix:republish-query-urls:' || ri.report_id)`.execute(db);
}

export async function down(): Promise<void> {
  // Only queued republications: nothing to undo.
}
