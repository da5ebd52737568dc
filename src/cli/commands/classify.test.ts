import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.ts';
import { runCli } from '../main.ts';

async function classifyLines(lines: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdin: Readable.from([lines.join('\n') + '\n']),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: process.cwd(),
  };
  const code = await runCli(['classify'], io);
  return {
    code,
    lines: out
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    err: err.join(''),
  };
}

describe('bluelight classify', () => {
  it('gives the online element (medium or null) and whether the result waits for review', async () => {
    const { code, lines } = await classifyLines([
      JSON.stringify({ id: 1, text: 'My ex sends me threatening messages on Instagram every night.' }),
      JSON.stringify({ id: 2, text: 'My neighbour shouted threats at me over the fence.' }),
    ]);
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({
      id: 1,
      online: 'social-media',
      category: 'online-harassment',
      cyber: 'enabled',
    });
    expect(lines[1]).toMatchObject({ id: 2, online: null, category: 'other', cyber: 'none' });
    for (const line of lines) expect(line.review).toBe((line.confidence as number) < 0.9);
  });

  it('reads the review threshold from CLASSIFY_REVIEW_BELOW, and refuses a bad one', async () => {
    const everything = await classifyLines([JSON.stringify({ id: 1, text: 'hello' })], {
      CLASSIFY_REVIEW_BELOW: '1',
    });
    expect(everything.lines[0]?.review).toBe(true);
    const bad = await classifyLines([JSON.stringify({ id: 1, text: 'hello' })], {
      CLASSIFY_REVIEW_BELOW: 'high',
    });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/CLASSIFY_REVIEW_BELOW/);
  });
});
