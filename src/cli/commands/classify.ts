import { ConfigError, parseReviewThreshold } from '../../config/config.ts';
import { classify } from '../../domain/classification/classify.ts';
import { needsReview } from '../../domain/classification/stored.ts';
import { CliError, type CliIo } from '../cli-io.ts';
import { mapJsonLines } from '../json-lines.ts';

/**
 * bluelight classify: JSON lines {"id","text"} on stdin → one classification per line, in order: the online
 * element (`online`: the medium, or null) first, then the category, and whether it would wait for review.
 */
export function classifyCommand(args: string[], io: CliIo): Promise<number> {
  let threshold: number;
  try {
    threshold = parseReviewThreshold(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  return mapJsonLines('classify', args, io, (text) => {
    const c = classify({ text });
    return {
      online: c.online.medium,
      category: c.category,
      cyber: c.cyber,
      code: c.code,
      confidence: c.confidence,
      review: needsReview(c, threshold),
      reasons: c.reasons,
    };
  });
}
