import { describe, expect, it } from 'vitest';
import { manifestHtml } from './bundle.ts';

describe('the evidence bundle’s readable manifest', () => {
  const entry = {
    seq: 1,
    exhibit: 'JS/1',
    event: 'seized',
    actor: 'oic@police.example',
    at: '2026-11-20T09:15:00.000Z',
    location: '<script>alert(1)</script> & "Flat 2"',
    note: '<img src=x onerror=alert(2)>',
    file_name: null,
    hash: 'a'.repeat(64),
  };

  it('shows what officers typed as text, never as markup', () => {
    const html = manifestHtml({
      case: 'CASE-ABC',
      title: 'Operation <b>Tern</b>',
      exported_at: '2026-12-04T10:00:00.000Z',
      files: [{ file: 'files/x-<evil>.pdf', sha256: 'b'.repeat(64), exhibit: 'JS/1' }],
      custody_log: [entry],
    });
    expect(html).not.toMatch(/<script>|<img|<b>|<evil>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Flat 2&quot;');
    expect(html).toContain('Operation &lt;b&gt;Tern&lt;/b&gt;');
    expect(html).toContain('<td>files/x-&lt;evil&gt;.pdf</td>');
  });

  it('lists every custody entry in the documented columns, and every file with its SHA-256', () => {
    const html = manifestHtml({
      case: 'CASE-ABC',
      title: 'Operation Tern',
      exported_at: '2026-12-04T10:00:00.000Z',
      files: [{ file: 'files/report.pdf', sha256: 'b'.repeat(64), exhibit: 'JS/1' }],
      custody_log: [
        { ...entry, location: 'Carlisle', note: '' },
        { ...entry, seq: 2, event: 'file-added', file_name: 'report.pdf', hash: 'c'.repeat(64) },
      ],
    });
    expect(html).toContain('<h1>Evidence bundle: CASE-ABC</h1>');
    expect(html).toContain('Chain of custody');
    expect(html).toContain(
      `<tr><td>JS/1</td><td>files/report.pdf</td><td><code>${'b'.repeat(64)}</code></td></tr>`,
    );
    expect(html).toContain(
      `<tr><td>1</td><td>JS/1</td><td>seized</td><td>oic@police.example</td><td>2026-11-20T09:15:00.000Z</td><td>Carlisle</td><td></td><td></td><td>${'a'.repeat(64)}</td></tr>`,
    );
    expect(html.match(/<tr><td>\d+<\/td>/g)).toHaveLength(2);
  });
});
