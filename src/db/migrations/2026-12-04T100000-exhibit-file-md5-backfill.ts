import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// Hash matching is now one query joining each exhibit file's kept MD5, so files added before MD5s were kept
// (worked out on first view until now) get theirs here. A file whose bytes are gone has nothing to match.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ sha256: string; content: Uint8Array }>`
      select distinct b.sha256, b.content from custody_entries c
      join evidence_blobs b on b.sha256 = c.file_sha256
      where not exists (select 1 from exhibit_file_md5 m where m.sha256 = c.file_sha256)
      limit 50`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows) {
      const md5 = createHash('md5').update(row.content).digest('hex');
      await sql`insert into exhibit_file_md5 (sha256, md5) values (${row.sha256}, ${md5})`.execute(db);
    }
  }
}

export async function down(): Promise<void> {
  // Kept MD5s are what new files get anyway: nothing to undo.
}
