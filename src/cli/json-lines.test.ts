import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { mapJsonLines } from './json-lines.ts';

/** Runs mapJsonLines over stdin given as these chunks; returns each write to stdout. */
async function run(chunks: (string | Buffer)[]) {
  const writes: string[] = [];
  const io: CliIo = {
    stdin: Readable.from(chunks),
    stdout: (t) => writes.push(t),
    stderr: () => undefined,
    env: {},
    cwd: '.',
  };
  const code = await mapJsonLines('echo', [], io, (text) => ({ text }));
  return {
    code,
    writes,
    lines: writes
      .join('')
      .split('\n')
      .filter((l) => l !== ''),
  };
}

const line = (id: number, text: string) => JSON.stringify({ id, text });

describe('mapJsonLines', () => {
  it('reads lines ended by \\n, \\r\\n or \\r, and a last line without an end, skipping blank ones', async () => {
    const input = `${line(1, 'a')}\r\n\r\n${line(2, 'b')}\r${line(3, 'c')}\n  \n${line(4, 'd')}`;
    const { code, lines } = await run([input]);
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: 1, text: 'a' },
      { id: 2, text: 'b' },
      { id: 3, text: 'c' },
      { id: 4, text: 'd' },
    ]);
  });

  it('joins a line split across chunks, also inside a character of several bytes and between \\r and \\n', async () => {
    const bytes = Buffer.from(`${line(1, 'ŵ£€ 07911 123456')}\r\n${line(2, 'x')}\n`);
    const euro = bytes.indexOf(Buffer.from('€')) + 1;
    const crlf = bytes.indexOf('\r\n') + 1;
    const { lines } = await run([bytes.subarray(0, euro), bytes.subarray(euro, crlf), bytes.subarray(crlf)]);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: 1, text: 'ŵ£€ 07911 123456' },
      { id: 2, text: 'x' },
    ]);
  });

  it('answers the lines that arrive together in one write, and each line once, in order', async () => {
    const third = line(3, 'c');
    const { writes, lines } = await run([
      `${line(1, 'a')}\n${line(2, 'b')}\n${third.slice(0, 5)}`,
      `${third.slice(5)}\nnot json\n`,
    ]);
    expect(writes).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: 1, text: 'a' },
      { id: 2, text: 'b' },
      { id: 3, text: 'c' },
      { id: null, error: 'line is not valid JSON' },
    ]);
  });
});
