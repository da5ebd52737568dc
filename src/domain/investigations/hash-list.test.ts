import { describe, expect, it } from 'vitest';
import { parseHashList } from './hash-list.ts';

describe('hash lists', () => {
  it('reads MD5 and SHA-256 lines once each, lower-cased, and counts the lines it skips', () => {
    const md5 = 'A'.repeat(32);
    const text = `# export\r\n${md5}\n\n${md5.toLowerCase()}\nnot-a-hash\n${'b'.repeat(64)}\n${'c'.repeat(40)}`;
    expect(parseHashList(text)).toEqual({ hashes: ['a'.repeat(32), 'b'.repeat(64)], skipped: [5, 7] });
  });
});
