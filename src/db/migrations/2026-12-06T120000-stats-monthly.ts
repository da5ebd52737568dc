import { sql, type Kysely } from 'kysely';
import { isSqlite } from './column-types.ts';

/**
 * Issue 18: figures over years read one row per month, not one per day. `stats_monthly` is kept by triggers on
 * `stats_daily`, in the same transaction as every write to it, so no writer can forget it and the two never
 * disagree. Same key as the daily counts, with the month (YYYY-MM) for the day, shards included.
 */
const KEY = ['month', 'force_id', 'category', 'cyber', 'source', 'shard'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stats_monthly')
    .addColumn('month', 'varchar(7)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(40)', (col) => col.notNull())
    .addColumn('category', 'varchar(40)', (col) => col.notNull())
    .addColumn('cyber', 'varchar(16)', (col) => col.notNull())
    .addColumn('source', 'varchar(16)', (col) => col.notNull())
    .addColumn('shard', 'integer', (col) => col.notNull())
    .addColumn('reports', 'bigint', (col) => col.notNull())
    .addColumn('loss_pence', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('stats_monthly_pk', [...KEY])
    .execute();

  // Adds a row's counts (sign +1) or takes them away (sign -1).
  const add = (row: 'new' | 'old', sign: '' | '-') => `
    insert into stats_monthly (month, force_id, category, cyber, source, shard, reports, loss_pence)
    values (substr(${row}.day, 1, 7), ${row}.force_id, ${row}.category, ${row}.cyber, ${row}.source, ${row}.shard,
            ${sign}${row}.reports, ${sign}${row}.loss_pence)
    on conflict (${KEY.join(', ')}) do update set
      reports = stats_monthly.reports + excluded.reports,
      loss_pence = stats_monthly.loss_pence + excluded.loss_pence;`;

  if (isSqlite(db)) {
    await sql
      .raw(
        `create trigger stats_daily_monthly_insert after insert on stats_daily begin ${add('new', '')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger stats_daily_monthly_update after update on stats_daily begin ${add('old', '-')} ${add('new', '')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger stats_daily_monthly_delete after delete on stats_daily begin ${add('old', '-')} end`,
      )
      .execute(db);
  } else {
    await sql
      .raw(
        `create function stats_daily_monthly() returns trigger language plpgsql as $$
         begin
           if tg_op in ('UPDATE', 'DELETE') then ${add('old', '-')} end if;
           if tg_op in ('INSERT', 'UPDATE') then ${add('new', '')} end if;
           return null;
         end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger stats_daily_monthly after insert or update or delete on stats_daily
         for each row execute function stats_daily_monthly()`,
      )
      .execute(db);
  }

  // What is counted already.
  await sql`
    insert into stats_monthly (month, force_id, category, cyber, source, shard, reports, loss_pence)
    select substr(day, 1, 7), force_id, category, cyber, source, shard, sum(reports), sum(loss_pence)
    from stats_daily group by substr(day, 1, 7), force_id, category, cyber, source, shard`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) {
    for (const t of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger if exists stats_daily_monthly_${t}`).execute(db);
  } else {
    await sql.raw('drop trigger if exists stats_daily_monthly on stats_daily').execute(db);
    await sql.raw('drop function if exists stats_daily_monthly()').execute(db);
  }
  await db.schema.dropTable('stats_monthly').execute();
}
