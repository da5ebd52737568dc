/**
 * The prosecutor's evidence bundle: the exhibits' files, manifest.json (everything a recipient needs to check the
 * chain offline) and manifest.html, a readable copy rendered from bundle-manifest.njk with autoescaping, so text
 * an officer typed (locations, notes, file names) is always shown as text.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { ServiceError } from '../service-error.ts';
import { writeCustodyProof } from '../tamper-evidence/tamper-evidence.ts';
import type { InvestigationsContext } from './context.ts';
import { entryJson, type CustodyChain } from './custody.ts';

const templates = new nunjucks.Environment(
  new nunjucks.FileSystemLoader(fileURLToPath(new URL('.', import.meta.url))),
  { autoescape: true, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true },
);

/** The columns of the readable custody log, in order. */
const LOG_COLUMNS = [
  'seq',
  'exhibit',
  'event',
  'actor',
  'at',
  'location',
  'note',
  'file_name',
  'hash',
] as const;

/** The longest file name kept whole in a bundle path: with the SHA-256 in front, far below any file system's 255. */
export const BUNDLE_NAME_MAX = 120;

/**
 * Where a custody entry's file goes in the bundle. verify.mjs derives the same path from the signed chain, so a
 * file cannot be dropped from the bundle (with its line in manifest.json) without the check failing. Characters
 * other than A-Z a-z 0-9 . _ - become _ (no path separators, so nothing lands outside files/); a longer name keeps
 * its first 100 and last 19 characters joined by _ (the extension survives).
 */
export function bundleFilePath(sha256: string, fileName: string | null): string {
  const name = (fileName ?? 'file').replace(/[^A-Za-z0-9._-]/g, '_');
  const kept = name.length <= BUNDLE_NAME_MAX ? name : `${name.slice(0, 100)}_${name.slice(-19)}`;
  return `files/${sha256}-${kept}`;
}

export function createBundle({ db, clock, repos }: InvestigationsContext, custody: CustodyChain) {
  return {
    /**
     * The prosecutor's bundle: exhibits' files, manifest.json and a readable manifest.html with the whole log.
     * Read in one snapshot (repeatable read; SQLite's read transaction), so an entry appended meanwhile cannot
     * split the chain from its signed head. Refuses, writing nothing, when a file the chain names is not stored,
     * or when `dir` already holds something (the export signs every file of the bundle: nothing else may be there).
     * The export is audited once the bundle is written (actor: the operator running the command).
     */
    async exportCase(
      reference: string,
      dir: string,
      actor: string,
    ): Promise<{ files: number; entries: number } | null> {
      const snapshot = await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const row = await repos.cases.findCaseByReference(trx, reference);
          if (row === undefined) return null;
          const entries = await custody.chainOf(trx, row.id);
          const exhibits = await repos.exhibits.exhibitsOfCase(trx, row.id);
          const files = new Map<string, { sha256: string; exhibit: string; content: Uint8Array }>();
          for (const entry of entries) {
            if (entry.fileSha256 === null) continue;
            const path = bundleFilePath(entry.fileSha256, entry.fileName);
            if (files.has(path)) continue;
            const content = await repos.evidence.findEvidenceBlob(trx, entry.fileSha256);
            if (content === undefined)
              throw new ServiceError(
                'conflict',
                'bundle-file-missing',
                `custody entry ${String(entry.seq)} (${entry.exhibitRef}) names a file that is not stored: ${entry.fileSha256}`,
                { params: { seq: entry.seq, exhibit: entry.exhibitRef } },
              );
            // Never exported as the exhibit: bytes that are not the file the chain names (altered at rest).
            if (createHash('sha256').update(content).digest('hex') !== entry.fileSha256)
              throw new ServiceError(
                'conflict',
                'bundle-file-changed',
                `custody entry ${String(entry.seq)} (${entry.exhibitRef}) names a file whose stored bytes have been changed: ${entry.fileSha256}`,
                { params: { seq: entry.seq, exhibit: entry.exhibitRef } },
              );
            files.set(path, { sha256: entry.fileSha256, exhibit: entry.exhibitRef, content });
          }
          return { row, entries, exhibits, files };
        });
      if (snapshot === null) return null;
      const { row, entries, exhibits } = snapshot;
      const already = await readdir(dir).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      });
      if (already.length > 0)
        throw new ServiceError(
          'conflict',
          'bundle-dir-not-empty',
          `${dir} is not empty: export into a new directory`,
        );
      const exportedAt = clock().toISOString();
      await mkdir(join(dir, 'files'), { recursive: true });
      const files: { file: string; sha256: string; exhibit: string }[] = [];
      for (const [path, file] of snapshot.files) {
        await writeFile(join(dir, path), file.content);
        files.push({ file: path, sha256: file.sha256, exhibit: file.exhibit });
      }
      const manifest = {
        case: row.reference,
        title: row.title,
        exported_at: exportedAt,
        hash_algorithm: 'SHA-256',
        chain: {
          rule: 'hash = SHA-256 of the JSON array [case, seq, exhibit, event, actor, at, location, note, file_sha256, file_name, prev_hash]; the first prev_hash is 64 zeros',
          head: row.custody_head,
          entries: entries.length,
        },
        exhibits: exhibits.map((e) => ({
          exhibit_ref: e.exhibit_ref,
          kind: e.kind,
          description: e.description,
          seized_by: e.seized_by,
          seized_at: e.seized_at,
          seized_where: e.seized_where,
          seal_numbers: e.seal_numbers === '' ? [] : e.seal_numbers.split(','),
        })),
        files,
        custody_log: entries.map(entryJson),
      };
      await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await writeFile(join(dir, 'manifest.html'), manifestHtml(manifest));
      await writeCustodyProof(db, dir, row, entries, exportedAt);
      // Its own transaction, not the snapshot's: a repeatable-read transaction must not take the chain's head.
      await db.transaction().execute((trx) =>
        repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor,
          forceId: null,
          action: 'case-export',
          reference: row.reference,
          detail: `${String(entries.length)} custody entries, head ${row.custody_head ?? 'none'}, ${String(files.length)} files`,
        }),
      );
      return { files: files.length, entries: entries.length };
    },
  };
}

/** The readable manifest: the files with their SHA-256 and the whole custody log, every value escaped. */
export function manifestHtml(manifest: {
  case: string;
  title: string;
  exported_at: string;
  files: { file: string; sha256: string; exhibit: string }[];
  custody_log: Record<(typeof LOG_COLUMNS)[number], string | number | null>[];
}): string {
  return templates.render('bundle-manifest.njk', {
    manifest,
    log: manifest.custody_log.map((e) => LOG_COLUMNS.map((k) => e[k] ?? '')),
  });
}
