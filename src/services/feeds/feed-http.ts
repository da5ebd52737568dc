/**
 * Reading a feed over HTTP: one GET, its answer checked before anything is believed. A slow, huge, redirected,
 * mistyped or unparseable answer is a `FeedError` whose message says which, for the admin jobs page and the log;
 * it never carries the credentials (they go only in the Authorization header, never in a URL or a message).
 */

/** What went wrong reading a feed, in words an admin can act on. Never holds a secret. */
export class FeedError extends Error {
  override name = 'FeedError';
}

export type FeedFetch = typeof fetch;

export interface GetOptions {
  /** The Authorization header value, or null. */
  authorization: string | null;
  accept: string;
  /** Content types (lower case, without parameters) this answer may have. */
  contentTypes: readonly string[];
  /** When set, the media type's parameters must include this (TAXII's `version=2.1`). */
  requiredParameter?: string;
  maxBytes: number;
  timeoutMs: number;
  fetch: FeedFetch;
}

/** The URL as an admin may see it: scheme, host and path, never a query (which may carry a key). */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FeedError(`${shownUrl(url)} answered ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FeedError(`${shownUrl(url)} answered more than the ${maxBytes} bytes allowed`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}

/** GETs a JSON answer; its parsed body and headers, or a FeedError saying what was wrong. */
export async function getJson(
  url: string,
  options: GetOptions,
): Promise<{ body: unknown; headers: Headers }> {
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'GET',
      headers: {
        accept: options.accept,
        ...(options.authorization === null ? {} : { authorization: options.authorization }),
      },
      // A redirect could take the credentials somewhere else: configure the final address instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError')
      throw new FeedError(`${shownUrl(url)} did not answer within ${options.timeoutMs / 1000} s`);
    throw new FeedError(`could not reach ${shownUrl(url)}: ${causeOf(error)}`);
  }
  const where = shownUrl(url);
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new FeedError(`${where} redirected (HTTP ${response.status}); configure the address it sends to`);
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new FeedError(`${where} refused Bluelight's credentials (HTTP ${response.status})`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new FeedError(`${where} answered HTTP ${response.status}`);
  }
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  const [mediaType = '', ...parameters] = contentType.split(';').map((p) => p.trim());
  if (!options.contentTypes.includes(mediaType)) {
    await response.body?.cancel();
    throw new FeedError(
      `${where} answered ${mediaType === '' ? 'with no content type' : `"${mediaType.slice(0, 80)}"`}, not ${options.contentTypes.join(' or ')}`,
    );
  }
  const required = options.requiredParameter;
  if (
    required !== undefined &&
    parameters.some((p) => p.startsWith('version=')) &&
    !parameters.includes(required)
  ) {
    await response.body?.cancel();
    throw new FeedError(`${where} answered "${contentType.slice(0, 80)}", not ${required}`);
  }
  const text = await readCapped(response, options.maxBytes, url);
  try {
    return { body: JSON.parse(text) as unknown, headers: response.headers };
  } catch {
    throw new FeedError(`${where} answered something that is not valid JSON`);
  }
}
