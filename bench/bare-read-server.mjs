/* global URL */
// The scale bench's baseline, run as its own process with plain node: an http server that reads one indicator row
// by primary key and answers it as JSON, on a pool the size of the application's. Prints {"port":…} when ready.
import { pool, serveBare } from './bare-server.mjs';

serveBare(async (request) => {
  const id = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('id'));
  const result = await pool.query('select * from indicators where id = $1', [id]);
  return { status: result.rows.length === 1 ? 200 : 404, body: JSON.stringify(result.rows[0] ?? null) };
});
