/* global process, console, URL */
// The scale bench's baseline, run as its own process with plain node: an http server that reads one indicator row
// by primary key and answers it as JSON, on a pool the size of the application's. Prints {"port":…} when ready.
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const server = createServer((request, response) => {
  const id = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('id'));
  pool
    .query('select * from indicators where id = $1', [id])
    .then((result) => {
      response.writeHead(result.rows.length === 1 ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result.rows[0] ?? null));
    })
    .catch((error) => {
      process.stderr.write(`${String(error)}\n`);
      response.writeHead(500);
      response.end(String(error));
    });
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.once('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
});
