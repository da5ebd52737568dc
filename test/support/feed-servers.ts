/** Servers on 127.0.0.1 that feed tests pull from: a free port for a second Bluelight, and a switchable proxy. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

/** A port nobody listens on now, for a second app whose BASE_URL must name its own address. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** A server whose answers the test changes as it goes; every request's URL is kept. */
export async function switchableServer(initial: Handler) {
  const requests: string[] = [];
  let handler = initial;
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    Promise.resolve(handler(request, response)).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  const port = await listen(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next: Handler) {
      handler = next;
    },
    close: () => closeServer(server),
  };
}

/** Forwards a request to `target` (method GET), passing back status, TAXII headers and body. */
export function forwardTo(target: string): Handler {
  return async (request, response) => {
    const upstream = await fetch(`${target}${request.url ?? ''}`, {
      headers: {
        accept: request.headers.accept ?? '*/*',
        ...(request.headers.authorization === undefined
          ? {}
          : { authorization: request.headers.authorization }),
      },
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'x-taxii-date-added-first', 'x-taxii-date-added-last']) {
      const value = upstream.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    response.writeHead(upstream.status, headers);
    response.end(Buffer.from(await upstream.arrayBuffer()));
  };
}

export function answerJson(
  status: number,
  body: unknown,
  contentType = 'application/taxii+json;version=2.1',
): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}
