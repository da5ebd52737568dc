import { createInterface } from 'node:readline';
import { CliError, type CliIo } from './cli-io.ts';

const MAX_TEXT = 100_000;

/** The answer for one input line: an error object naming the problem, or what `handle` makes of a valid one. */
function answerLine(line: string, handle: (text: string) => object): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: null, error: 'line is not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { id: null, error: 'line must be a JSON object' };
  const { id, text } = parsed as { id?: unknown; text?: unknown };
  const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
  if (safeId === null) return { id: null, error: 'id must be a string or number' };
  if (typeof text !== 'string') return { id: safeId, error: 'text must be a string' };
  if (text.length > MAX_TEXT) return { id: safeId, error: `text must be ${MAX_TEXT} characters or fewer` };
  return { id: safeId, ...handle(text) };
}

/**
 * JSON lines {"id","text"} on stdin → one JSON line each on stdout, in order. A bad line gets an error line (the
 * rest still run), so output lines always match input lines.
 */
export async function mapJsonLines(
  command: string,
  args: string[],
  io: CliIo,
  handle: (text: string) => object,
): Promise<number> {
  if (args.length > 0)
    throw new CliError(`${command} takes no arguments; give JSON lines on stdin (got "${args.join(' ')}")`);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      io.stdout(JSON.stringify(answerLine(line, handle)) + '\n');
    }
  } catch (error) {
    throw new CliError(`could not read standard input: ${(error as Error).message}`, 1);
  }
  return 0;
}
