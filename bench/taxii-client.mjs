/* global process, console, fetch, performance */
// The TAXII bench's client, run as its own process (plain node), so that what it measures is what a partner's client
// sees over a real socket. `taxii`: pages through a collection's objects (limit `page`, following `next`, parsing each
// page's JSON). `direct`: the baseline, reading the same rows straight from PostgreSQL with keyset paging and parsing
// each object's JSON. One pass warms up (JIT, connections); the next is timed. Prints {"count":…,"seconds":…}.
import pg from 'pg';

const [mode, target, token, page] = process.argv.slice(2);
const PAGE = Number(page);

// Milliseconds spent, summed over a pass's pages: waiting for the answer (TAXII: until its headers; direct: the
// query), reading its body, parsing the JSON.
const phases = { wait: 0, read: 0, parse: 0, pages: 0 };
const reset = () => Object.assign(phases, { wait: 0, read: 0, parse: 0, pages: 0 });

async function overTaxii() {
  let count = 0;
  let next;
  for (;;) {
    const t0 = performance.now();
    const res = await fetch(`${target}?limit=${PAGE}${next ? `&next=${next}` : ''}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' },
    });
    const t1 = performance.now();
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
    const text = await res.text();
    const t2 = performance.now();
    const body = JSON.parse(text);
    const t3 = performance.now();
    Object.assign(phases, {
      wait: phases.wait + t1 - t0,
      read: phases.read + t2 - t1,
      parse: phases.parse + t3 - t2,
      pages: phases.pages + 1,
    });
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
    const t0 = performance.now();
    const { rows } = await client.query(
      'select id, body from taxii_objects where id > $1 order by id limit $2',
      [after, PAGE],
    );
    const t1 = performance.now();
    if (rows.length === 0) return count;
    for (const row of rows) JSON.parse(row.body);
    const t2 = performance.now();
    Object.assign(phases, {
      wait: phases.wait + t1 - t0,
      parse: phases.parse + t2 - t1,
      pages: phases.pages + 1,
    });
    count += rows.length;
    after = rows.at(-1).id;
  }
}

if (client !== null) await client.connect();
const pass = mode === 'direct' ? direct : overTaxii;
await pass();
reset();
const start = performance.now();
const count = await pass();
const seconds = (performance.now() - start) / 1000;
if (client !== null) await client.end();
const perPage = (ms) => Number((ms / Math.max(1, phases.pages)).toFixed(3));
console.log(
  JSON.stringify({
    count,
    seconds,
    perPage: { wait: perPage(phases.wait), read: perPage(phases.read), parse: perPage(phases.parse) },
  }),
);
