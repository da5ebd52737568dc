import { sql, type Kysely } from 'kysely';

// What sharing needs to keep personal data in and false reports out: where in an evidence email an indicator was
// found (its sender or relay headers, source 'sender'), who a web report came from (a keyed hash of the client
// network) so repeats by one reporter count once, and which staff member released an indicator to partners.
const SENDER_HEADER_NAMES = [
  'from',
  'reply-to',
  'return-path',
  'sender',
  'received',
  'x-originating-ip',
  'x-sender-ip',
  'message-id',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('reporter_client', 'varchar(64)').execute();
  await db.schema.alterTable('indicators').addColumn('released_at', 'varchar(40)').execute();
  await db.schema.alterTable('indicators').addColumn('released_by', 'varchar(320)').execute();
  // Indicators already read from an evidence email's sender headers keep being shareable.
  const header = SENDER_HEADER_NAMES.flatMap((name) => [`%:header:${name}`, `%:header:${name},%`]);
  await sql`update report_indicators set source = 'sender' where source = 'evidence' and (${sql.join(
    header.map((pattern) => sql`found_in like ${pattern}`),
    sql` or `,
  )})`.execute(db);
  // Republish (and so revoke) what the new rules no longer share: personal values from evidence text or
  // narratives, and values named only by intelligence-only or anonymous reports.
  const now = new Date().toISOString();
  await sql`insert into outbox (kind, dedupe_key, payload, status, attempts, run_after, created_at, updated_at)
    select distinct 'publish-stix', 'publish-stix:sharing-provenance:' || r.id, '{"reportId":' || r.id || '}',
      'pending', 0, ${now}, ${now}, ${now}
    from reports r join report_indicators ri on ri.report_id = r.id join indicators i on i.id = ri.indicator_id
    where (ri.source in ('evidence', 'narrative')
        and i.type in ('phone', 'email', 'uk-bank-account', 'iban', 'btc-address', 'eth-address'))
      or r.category = 'phishing-attempt' or r.status = 'intelligence'
      or (r.partner_token_id is null and r.contact_email is null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update report_indicators set source = 'evidence' where source = 'sender'`.execute(db);
  await db.schema.alterTable('indicators').dropColumn('released_by').execute();
  await db.schema.alterTable('indicators').dropColumn('released_at').execute();
  await db.schema.alterTable('reports').dropColumn('reporter_client').execute();
}
