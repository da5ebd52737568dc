import { sql, type Kysely } from 'kysely';

// Staff choose their own password: an account whose password someone else chose (an admin making it, or resetting
// it) must be given a new one by its holder at sign-in before any other staff page opens. Accounts that have never
// signed in were made with a password their admin or operator knows, so they start with the change due.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('password_change_due', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  // Never signed in: no sign-in recorded on the row (issue 19) nor in the audit log (sign-ins before it).
  await sql`
    update users set password_change_due = 1
    where last_sign_in_at is null
      and not exists (
        select 1 from audit_log where audit_log.actor = users.email and audit_log.action = 'signed-in'
      )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('password_change_due').execute();
}
