import { classify } from '../../domain/classification/classify.ts';
import type { CliIo } from '../cli-io.ts';
import { mapJsonLines } from '../json-lines.ts';

/** bluelight classify: JSON lines {"id","text"} on stdin → one classification per line, in order. */
export function classifyCommand(args: string[], io: CliIo): Promise<number> {
  return mapJsonLines('classify', args, io, (text) => {
    const c = classify({ text });
    return {
      category: c.category,
      cyber: c.cyber,
      code: c.code,
      confidence: c.confidence,
      reasons: c.reasons,
    };
  });
}
