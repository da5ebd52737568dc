import { loadConfig } from '../../config/config.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = 'usage: bluelight evidence seal';

/**
 * bluelight evidence seal: seals the evidence files stored before sealing at rest began (new files are sealed as
 * they are stored). Safe to stop and run again; exit 1 if a stored file no longer matches its SHA-256.
 */
export async function evidenceCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'seal' || args.length !== 1) throw new CliError(USAGE);
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    const result = await container.evidence.sealStored(cliActor(io));
    io.stdout(`${JSON.stringify({ sealed: result.sealed, mismatched: result.mismatched })}\n`);
    if (result.mismatched.length === 0) return 0;
    io.stderr(
      `bluelight: ${result.mismatched.length} stored file(s) no longer match their SHA-256 and were left unsealed\n`,
    );
    return 1;
  } finally {
    await container.close();
  }
}
