import type { Kysely } from 'kysely';

// The partner portal (issue 21): partner organisations' own people sign in as staff do (password, second factor,
// lock-out), so they are rows of `users` tied to their partner; staff rows keep partner_id null, and each side's
// sign-in and sessions admit only its own rows. Partner members may post alerts to their groups: such a message
// names its partner instead of a unit (unit_id '').
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('partner_id', 'integer', (col) => col.references('partners.id'))
    .execute();
  await db.schema.createIndex('users_partner').on('users').column('partner_id').execute();
  await db.schema
    .alterTable('group_messages')
    .addColumn('partner_id', 'integer', (col) => col.references('partners.id'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('group_messages').dropColumn('partner_id').execute();
  await db.schema.dropIndex('users_partner').execute();
  await db.schema.alterTable('users').dropColumn('partner_id').execute();
}
