import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Services } from '../src/services/index.ts';
import { COLLECTIONS } from '../src/services/taxii.ts';
import { createApp } from '../src/web/app.ts';
import type { Result } from './measure.ts';

const OBJECTS = Number(process.env.BENCH_TAXII_OBJECTS ?? 1_000_000);
const PAGE = 1000;
const ROUNDS = Number(process.env.BENCH_TAXII_ROUNDS ?? 3);

/**
 * Seeds a million published indicator objects in PostgreSQL, then pages through a collection over HTTP as a
 * TAXII client does (limit 1000, following `next`, parsing each page), against reading the same rows straight
 * from the database with keyset paging and parsing their JSON. BENCH_TAXII_ROUNDS rounds (3) of each, alternated.
 */
export async function taxiiBench(services: Services): Promise<Result> {
  const db = services.database.db;
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

  const app = await createApp(services, { logger: false });
  const partner = await services.partners.add({ name: 'Bench', sectors: ['finance'], tlp: 'amber' });
  const collection = COLLECTIONS.find((c) => c.sector === 'finance' && c.tlp === 'amber')?.id ?? '';
  try {
    /** Pages through the whole collection over HTTP as a TAXII client does (limit 1000, following `next`). */
    const overHttp = async () => {
      let served = 0;
      let next: string | undefined;
      for (;;) {
        const res = await app.inject({
          url: `/taxii2/bluelight/collections/${collection}/objects/?limit=${PAGE}${next ? `&next=${next}` : ''}`,
          headers: { authorization: `Bearer ${partner.token}`, accept: 'application/taxii+json;version=2.1' },
        });
        const body = res.json<{ more?: boolean; next?: string; objects?: unknown[] }>();
        served += body.objects?.length ?? 0;
        if (body.more !== true) break;
        next = body.next;
      }
      if (served < OBJECTS) throw new Error(`paging served ${served} of ${OBJECTS} objects`);
      return served;
    };
    /** Reads the same rows straight from the database with keyset paging, parsing each one's JSON. */
    const direct = async () => {
      let read = 0;
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('taxii_objects')
          .select(['id', 'body'])
          .where('id', '>', after)
          .orderBy('id')
          .limit(PAGE)
          .execute();
        if (rows.length === 0) break;
        for (const row of rows) JSON.parse(row.body);
        read += rows.length;
        after = rows.at(-1)?.id ?? after;
      }
      return read;
    };
    // Rounds alternate (the machine is shared), after one warm-up pass of each.
    await direct();
    await overHttp();
    let served = 0;
    let read = 0;
    let oursSeconds = 0;
    let baselineSeconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = performance.now();
      read += await direct();
      baselineSeconds += (performance.now() - t0) / 1000;
      t0 = performance.now();
      served += await overHttp();
      oursSeconds += (performance.now() - t0) / 1000;
    }
    return {
      name: `TAXII objects paging through ${OBJECTS.toLocaleString('en-GB')} objects over HTTP (vs reading the rows straight from PostgreSQL)`,
      ours: { perSecond: served / oursSeconds, unit: 'objects/s' },
      baseline: { perSecond: read / baselineSeconds, unit: 'rows/s' },
    };
  } finally {
    await app.close();
  }
}
