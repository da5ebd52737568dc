/** The largest row id the databases hold (PostgreSQL `integer`). */
export const MAX_ROW_ID = 2_147_483_647;

/**
 * A row id from a path, a form or the command line, or null: digits only and within the id column's range. A larger
 * number is no id (a 404 or a clear refusal), never a query PostgreSQL refuses with a 500.
 */
export function rowId(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,10}$/.test(raw) && Number(raw) <= MAX_ROW_ID ? Number(raw) : null;
}
