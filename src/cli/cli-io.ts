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

export { rowId } from '../domain/row-id.ts';

/** Who the audit log names for an administrative command: the operating-system account that ran it. */
export function cliActor(io: CliIo): string {
  const user = io.env.SUDO_USER ?? io.env.USER ?? io.env.USERNAME ?? '';
  return /^[\w.@-]{1,64}$/.test(user) ? `cli:${user}` : 'cli';
}
