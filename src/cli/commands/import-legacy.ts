import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { ServiceError } from '../../services/service-error.ts';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { loadConfig } from '../../config/config.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const USAGE = 'usage: bluelight import legacy <file.csv> --force <force-id>';

/** bluelight import legacy <file.csv> --force <id>: streams a force's records in; rejects go to <file>.rejects.csv. */
export async function importLegacyCommand(args: string[], io: CliIo & { isTTY?: boolean }): Promise<number> {
  let parsed: { values: { force?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { force: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new CliError(`give one CSV file\n${USAGE}`);
  const forceId = parsed.values.force ?? '';
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    if (container.reference.force(forceId) === undefined)
      throw new CliError(`--force must be a police force id, like cumbria (got "${forceId}")\n${USAGE}`);
    let size: number;
    try {
      size = statSync(file).size;
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 1);
    }
    await container.migrate();

    const rejectsPath = `${file}.rejects.csv`;
    let rejects: ReturnType<typeof stringify> | null = null;
    let rejectsWritten: Promise<void> = Promise.resolve();
    const started = Date.now();
    let lastPrint = 0;
    const summary = await container.legacyImport
      .import(createReadStream(file), forceId, {
        onReject(reject) {
          if (rejects === null) {
            rejects = stringify({ header: true, columns: ['line', 'reason', 'record'] });
            rejectsWritten = pipeline(rejects, createWriteStream(rejectsPath));
          }
          rejects.write([reject.line, reject.reason, reject.record.join(',')]);
        },
        onProgress({ rows, bytes }) {
          const now = Date.now();
          if (io.isTTY !== true || now - lastPrint < 500) return;
          lastPrint = now;
          const seconds = (now - started) / 1000;
          const rate = rows / Math.max(seconds, 0.001);
          const eta = bytes > 0 ? ((size - bytes) / (bytes / seconds)).toFixed(0) : '?';
          io.stderr(
            `\r${rows.toLocaleString('en-GB')} rows, ${Math.round(rate).toLocaleString('en-GB')} rows/s, ${Math.round((bytes / Math.max(size, 1)) * 100)}%, about ${eta} s left   `,
          );
        },
      })
      .catch((error: unknown) => {
        if (error instanceof ServiceError) throw new CliError(`cannot import ${file}: ${error.message}`, 1);
        throw error;
      });
    (rejects as ReturnType<typeof stringify> | null)?.end();
    await rejectsWritten;
    const seconds = (Date.now() - started) / 1000;
    if (io.isTTY === true) io.stderr('\n');
    io.stdout(
      `${summary.rows} rows read in ${seconds.toFixed(1)} s: ${summary.imported} imported, ${summary.alreadyPresent} already imported, ` +
        `${summary.rejected} rejected${summary.rejected > 0 ? ` (listed with line numbers in ${rejectsPath})` : ''}\n`,
    );
    return 0;
  } finally {
    await container.close();
  }
}
