/**
 * Whether a database error is a unique-constraint violation, on either dialect: what a check-then-insert race
 * ends in (two requests both find no row, both insert). Services turn it into a `conflict`.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  // PostgreSQL's unique_violation; better-sqlite3's extended result codes for UNIQUE and PRIMARY KEY.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
