import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = 'usage: bluelight import reclassify --force <force-id>';

/**
 * bluelight import reclassify --force <id>: classifies a force's imported records again with today's classifier
 * (online element first), moving the figures; records a person confirmed or corrected are left alone.
 */
export async function importReclassifyCommand(args: string[], io: CliIo): Promise<number> {
  let forceId: string;
  try {
    const parsed = parseArgs({
      args,
      options: { force: { type: 'string' } },
      allowPositionals: false,
      strict: true,
    });
    forceId = parsed.values.force ?? '';
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    if (container.reference.force(forceId) === undefined)
      throw new CliError(`--force must be a police force id, like cumbria (got "${forceId}")\n${USAGE}`);
    await container.migrate();
    const result = await container.legacyReclassify(forceId, cliActor(io));
    io.stdout(
      `${forceId}: ${String(result.records)} records classified again, ${String(result.changed)} changed category or cyber flag, ${String(result.pending)} waiting for review\n`,
    );
    return 0;
  } finally {
    await container.close();
  }
}
