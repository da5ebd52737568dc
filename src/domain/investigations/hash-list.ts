/** Hash lists (for example an export from a national image database): one SHA-256 or MD5 per line (pure). */

/** The distinct hashes, lower-cased; `#` comments and blank lines are skipped, other lines counted by number. */
export function parseHashList(text: string): { hashes: string[]; skipped: number[] } {
  const hashes = new Set<string>();
  const skipped: number[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim().toLowerCase();
    if (line === '' || line.startsWith('#')) continue;
    if (/^(?:[0-9a-f]{32}|[0-9a-f]{64})$/.test(line)) hashes.add(line);
    else skipped.push(index + 1);
  }
  return { hashes: [...hashes], skipped };
}
