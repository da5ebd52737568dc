import { createInterface } from 'node:readline';
import { classify } from '../../domain/classification/classify.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const MAX_TEXT = 100_000;

function classifyLine(line: string): object {
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
  const c = classify({ text });
  return {
    id: safeId,
    category: c.category,
    cyber: c.cyber,
    code: c.code,
    confidence: c.confidence,
    reasons: c.reasons,
  };
}

/** bluelight classify: JSON lines {"id","text"} on stdin → one classification per line, in order. */
export async function classifyCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0)
    throw new CliError(`classify takes no arguments; give JSON lines on stdin (got "${args.join(' ')}")`);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      io.stdout(JSON.stringify(classifyLine(line)) + '\n');
    }
  } catch (error) {
    throw new CliError(`could not read standard input: ${(error as Error).message}`, 1);
  }
  return 0;
}
