/* global process, console */
// What the benches' bare baselines share: a pg pool the size of the application's, an http server that answers
// whatever `handle` resolves to (500 with the error otherwise), {"port":…} printed when ready, and a clean SIGTERM.
import { createServer } from 'node:http';
import pg from 'pg';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

/** `handle(request)` resolves to { status, body } (body a string). */
export function serveBare(handle) {
  const server = createServer((request, response) => {
    handle(request)
      .then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(body);
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
}
