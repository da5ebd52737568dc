/* global process, console, fetch, performance */
// The TAXII bench's client, run as its own process (plain node), so that what it measures is what a partner's client
// sees over a real socket. `taxii`: pages through a collection's objects (limit `page`, following `next`, parsing each
// page's JSON). `direct`: the baseline, reading the same rows straight from PostgreSQL with keyset paging and parsing
// each object's JSON. One pass warms up (JIT, connections); the next is timed. Prints {"count":…,"seconds":…}.
import pg from 'pg';

const [mode, target, token, page] = process.argv.slice(2);
const PAGE = Number(page);

async function overTaxii() {
  let count = 0;
  let next;
  for (;;) {
    const res = await fetch(`${target}?limit=${PAGE}${next ? `&next=${next}` : ''}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
    });
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
    const body = await res.json();
    count += body.objects?.length ?? 0;
    if (body.more !== true) return count;
    next = body.next;
  }
}

const client = mode === 'direct' ? new pg.Client({ connectionString: target }) : null;
async function direct() {
  let count = 0;
  let after = 0;
  for (;;) {
    const { rows } = await client.query(
      'select id, body from taxii_objects where id > $1 order by id limit $2',
      [after, PAGE],
    );
    if (rows.length === 0) return count;
    for (const row of rows) JSON.parse(row.body);
    count += rows.length;
    after = rows.at(-1).id;
  }
}

if (client !== null) await client.connect();
const pass = mode === 'direct' ? direct : overTaxii;
await pass();
const start = performance.now();
const count = await pass();
const seconds = (performance.now() - start) / 1000;
if (client !== null) await client.end();
console.log(JSON.stringify({ count, seconds }));
