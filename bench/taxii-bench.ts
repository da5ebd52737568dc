import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Services } from '../src/services/index.ts';
import { COLLECTIONS } from '../src/services/taxii.ts';
import { startAppServer, stop } from './intake-bench.ts';
import type { Result } from './measure.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

const OBJECTS = Number(process.env.BENCH_TAXII_OBJECTS ?? 1_000_000);
const PAGE = 1000;
const ROUNDS = Number(process.env.BENCH_TAXII_ROUNDS ?? 3);

/**
 * Seeds a million published indicator objects in PostgreSQL, then pages through a collection over HTTP as a
 * TAXII client does (limit 1000, following `next`, parsing each page) from a process of its own, against the real
 * server (node dist/server.js, its own process); the baseline is the same kind of process reading the same rows
 * straight from the database with keyset paging and parsing their JSON. BENCH_TAXII_ROUNDS rounds (3) of each,
 * alternated, each after a warm-up pass in the same process.
 */
export async function taxiiBench(services: Services): Promise<Result> {
  const db = services.database.db;
  const { database } = services.config;
  if (database.dialect !== 'postgres')
    throw new Error('the TAXII bench runs on PostgreSQL: set DATABASE_URL');
  const databaseUrl = database.connectionString;
  await sql`
    insert into taxii_objects (stix_id, stix_type, version, date_added, tlp, sectors, latest, first, body)
    select 'indicator--' || md5(g::text)::uuid, 'indicator', '2026-01-01T00:00:00.000Z',
      to_char(timestamp '2026-01-01' + g * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'amber', ',finance,hosting,', 1, 1,
      json_build_object('type', 'indicator', 'spec_version', '2.1', 'id', 'indicator--' || md5(g::text)::uuid,
        'created', '2026-01-01T00:00:00.000Z', 'modified', '2026-01-01T00:00:00.000Z',
        'name', 'Domain reported by victims of crime', 'indicator_types', json_build_array('malicious-activity'),
        'pattern', '[domain-name:value = ''bench-' || g || '.example-scam.com'']', 'pattern_type', 'stix',
        'valid_from', '2026-01-01T00:00:00.000Z', 'confidence', 60,
        'object_marking_refs', json_build_array('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'))::text
    from generate_series(1, ${OBJECTS}) as g`.execute(db);
  await sql`analyze taxii_objects`.execute(db);

  const partner = await services.partners.add({ name: 'Bench', sectors: ['finance'], tlp: 'amber' });
  const collection = COLLECTIONS.find((c) => c.sector === 'finance' && c.tlp === 'amber')?.id ?? '';
  const server = await startAppServer(databaseUrl);
  /** One timed pass of the client process (bench/taxii-client.mjs) after its own warm-up pass. */
  const client = (mode: 'taxii' | 'direct', target: string) => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'bench/taxii-client.mjs'), mode, target, partner.token, String(PAGE)],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`taxii client (${mode}) failed: ${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      count: number;
      seconds: number;
      perPage: { wait: number; read: number; parse: number };
    };
    if (result.count < OBJECTS)
      throw new Error(`${mode} read ${String(result.count)} of ${String(OBJECTS)} objects`);
    return result;
  };
  try {
    const url = `http://127.0.0.1:${String(server.port)}/taxii2/bluelight/collections/${collection}/objects/`;
    let served = 0;
    let read = 0;
    let oursSeconds = 0;
    let baselineSeconds = 0;
    const phases = { ours: { wait: 0, read: 0, parse: 0 }, baseline: { wait: 0, read: 0, parse: 0 } };
    const add = (into: typeof phases.ours, from: typeof phases.ours) => {
      for (const k of ['wait', 'read', 'parse'] as const) into[k] += from[k] / ROUNDS;
    };
    // Rounds alternate (the machine may be shared).
    for (let round = 0; round < ROUNDS; round++) {
      const direct = client('direct', databaseUrl);
      read += direct.count;
      baselineSeconds += direct.seconds;
      add(phases.baseline, direct.perPage);
      const ours = client('taxii', url);
      served += ours.count;
      oursSeconds += ours.seconds;
      add(phases.ours, ours.perPage);
    }
    const describe = (p: typeof phases.ours, wait: string) =>
      `${wait} ${p.wait.toFixed(2)}, body read ${p.read.toFixed(2)}, JSON parsed ${p.parse.toFixed(2)}`;
    return {
      name: `TAXII objects paging through ${OBJECTS.toLocaleString('en-GB')} objects over HTTP from another process, the server its own process (vs that process reading the rows straight from PostgreSQL)`,
      ours: { perSecond: served / oursSeconds, unit: 'objects/s' },
      baseline: { perSecond: read / baselineSeconds, unit: 'rows/s' },
      notes: [
        `client ms per page of ${String(PAGE)}, ours: ${describe(phases.ours, 'waiting for the headers')}`,
        `client ms per page of ${String(PAGE)}, baseline: ${describe(phases.baseline, 'the query')}`,
      ],
    };
  } finally {
    await stop(server);
  }
}
