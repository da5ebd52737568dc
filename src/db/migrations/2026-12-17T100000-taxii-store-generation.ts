import { sql, type Kysely } from 'kysely';
import { isSqlite } from './column-types.ts';

/**
 * Issue 18: a TAXII server reads a partner's next page ahead while the partner parses this one, and may serve it
 * only if the object store has not changed since. `taxii_store_state.generation` is bumped by triggers on every
 * insert, update and delete of `taxii_objects`, in the writer's own transaction, so no writer can forget it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('taxii_store_state')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('generation', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into taxii_store_state (id, generation) values (1, 0)`.execute(db);
  const bump = 'update taxii_store_state set generation = generation + 1 where id = 1;';
  if (isSqlite(db)) {
    for (const op of ['insert', 'update', 'delete'])
      await sql
        .raw(`create trigger taxii_objects_generation_${op} after ${op} on taxii_objects begin ${bump} end`)
        .execute(db);
  } else {
    await sql
      .raw(
        `create function taxii_objects_generation() returns trigger language plpgsql as $$
         begin ${bump} return null; end $$`,
      )
      .execute(db);
    // Once per statement: a publication writing many versions bumps it once.
    await sql
      .raw(
        `create trigger taxii_objects_generation after insert or update or delete on taxii_objects
         for each statement execute function taxii_objects_generation()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) {
    for (const op of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger if exists taxii_objects_generation_${op}`).execute(db);
  } else {
    await sql`drop trigger if exists taxii_objects_generation on taxii_objects`.execute(db);
    await sql`drop function if exists taxii_objects_generation()`.execute(db);
  }
  await db.schema.dropTable('taxii_store_state').execute();
}
