/* global process, console */
// The intake bench's load generator, run as its own process (plain node) so that it shares no event loop with the
// bench or the servers: autocannon with `connections` clients posts `amount` reports to `url`, numbered from
// `first`, each naming its own suspect (`own`) or all the same one (`same`). Prints autocannon's result as JSON.
import autocannon from 'autocannon';

const [url, authorization, suspects, amount, first, connections] = process.argv.slice(2);
let i = Number(first);
/** One report through the public API; `suspect` is the suspect's email address the victim gives. */
const body = (n, suspect) =>
  JSON.stringify({
    reporter: {
      type: 'individual',
      name: `Bench Person ${n}`,
      email: `bench${n}@example.org`,
      postcode: 'CA1 1AA',
    },
    incident: {
      narrative: 'Paid for a car advertised online that did not exist. The seller stopped answering.',
      losses: [{ amount_pence: 250000, method: 'bank-transfer' }],
    },
    suspect: { emails: [suspect] },
    consents: { victim_support: false },
  });
const suspect = (n) =>
  suspects === 'same' ? 'payments@fake-car-sales.co.uk' : `seller${n}@fake-car-sales-${n}.co.uk`;
const headers = { 'content-type': 'application/json', ...(authorization === '' ? {} : { authorization }) };
const result = await autocannon({
  url,
  connections: Number(connections),
  amount: Number(amount),
  // autocannon notices that `amount` is done only when it samples (every second by default), so its duration, and
  // any rate from it, would be rounded up to whole seconds: 500 requests in 0.3 s read as 500/s. Sampled every
  // 10 ms, the duration is right to 10 ms.
  sampleInt: 10,
  requests: [
    {
      method: 'POST',
      headers,
      setupRequest: (request) => {
        const n = i++;
        return { ...request, body: body(n, suspect(n)) };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    duration: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sample: suspect(i),
    next: i,
  }),
);
