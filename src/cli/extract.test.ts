import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';

function bluelight(args: string[], input = '') {
  return spawnSync('npm', ['run', '--silent', 'bluelight', '--', ...args], { encoding: 'utf8', input });
}

// Each case starts real `npm run` processes: slow on a busy machine, so these get a longer timeout.
describe('npm run bluelight -- extract (real process)', { timeout: 180_000 }, () => {
  it('answers each JSON line in order, distinct by type and value, and reports bad lines without stopping', () => {
    const input = [
      JSON.stringify({
        id: 'sms-1',
        text: 'Royal Mail: pay at hxxps://rm-fee[.]com/p?id=9 or call 07700 900123, 07700900123.',
      }),
      'this is not json',
      JSON.stringify({
        id: 7,
        text: 'Nothing here: £25.00 on 12/03/2024 at 10:30, ref CYB-7K3M-Q9TX-4, SW1A 1AA.',
      }),
      JSON.stringify({ id: 'x' }),
    ].join('\n');
    const run = bluelight(['extract'], input);
    expect(run.status).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        id: 'sms-1',
        indicators: [
          { type: 'url', value: 'https://rm-fee.com/p?id=9' },
          { type: 'domain', value: 'rm-fee.com' },
          { type: 'phone', value: '+447700900123' },
        ],
      },
      { id: null, error: 'line is not valid JSON' },
      { id: 7, indicators: [] },
      { id: 'x', error: 'text must be a string' },
    ]);
  });

  it('prints the indicators of one email with where each was found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bluelight-eml-'));
    const file = join(dir, 'phish.eml');
    writeFileSync(
      file,
      await new MailComposer({
        from: 'alerts@secure-bank-check.com',
        to: 'me@example.org',
        subject: 'Verify now',
        html: '<a href="https://secure-bank-check.com/v?t=1">Verify</a>',
      })
        .compile()
        .build(),
    );
    const run = bluelight(['extract', '--eml', file]);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      indicators: { type: string; value: string; found_in: string[] }[];
    };
    expect(out.indicators).toContainEqual({
      type: 'email',
      value: 'alerts@secure-bank-check.com',
      found_in: ['header:from'],
    });
    expect(out.indicators).toContainEqual({
      type: 'url',
      value: 'https://secure-bank-check.com/v?t=1',
      // mailparser also gives the HTML part as text.
      found_in: expect.arrayContaining(['body:html']) as unknown,
    });
  });

  it('exits non-zero with a message for a missing file or wrong arguments', () => {
    const missing = bluelight(['extract', '--eml', '/no/such/file.eml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const usage = bluelight(['extract', '--eml']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: bluelight extract --eml <file>');
    const extra = bluelight(['extract', 'surplus']);
    expect(extra.status).toBe(2);
  });
});
