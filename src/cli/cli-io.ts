import type { Readable } from 'node:stream';

/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  stdin: Readable;
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Progress lines only when a person is watching. */
  isTTY?: boolean;
}

export function nodeIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTTY: process.stderr.isTTY,
    cwd: process.cwd(),
  };
}

/** A problem the user can fix; printed as one message with the given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The largest row id the databases hold (PostgreSQL `integer`). */
const MAX_ROW_ID = 2_147_483_647;

/** A row id given on the command line, or null: digits only and within the id column's range (a larger one would be
 * a database error on PostgreSQL, not a clear refusal). */
export function rowId(raw: unknown): number | null {
  return typeof raw === 'string' && /^\d{1,10}$/.test(raw) && Number(raw) <= MAX_ROW_ID ? Number(raw) : null;
}

/** Who the audit log names for an administrative command: the operating-system account that ran it. */
export function cliActor(io: CliIo): string {
  const user = io.env.SUDO_USER ?? io.env.USER ?? io.env.USERNAME ?? '';
  return /^[\w.@-]{1,64}$/.test(user) ? `cli:${user}` : 'cli';
}
