import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** Where requests come from: the socket address the app sees, and headers a proxy (or an attacker) adds. */
export interface ClientOrigin {
  remoteAddress?: string;
  headers?: Record<string, string>;
}

/** Drives the app like a browser without JavaScript: keeps cookies, reads the CSRF token, follows redirects. */
export class FormClient {
  private readonly cookies = new Map<string, string>();
  private csrf = '';
  last: LightMyRequestResponse | undefined;
  /** The path of the last page fetched (after redirects). */
  path = '';

  constructor(
    private readonly app: FastifyInstance,
    private readonly origin: ClientOrigin = {},
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.origin.headers, cookie: this.cookieHeader, ...extra };
  }

  private get remoteAddress(): { remoteAddress?: string } {
    return this.origin.remoteAddress === undefined ? {} : { remoteAddress: this.origin.remoteAddress };
  }

  private remember(res: LightMyRequestResponse): void {
    const raw = res.headers['set-cookie'];
    for (const cookie of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
      const [pair = ''] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      if (/Expires=Thu, 01 Jan 1970/i.test(cookie) || /Max-Age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    const token = /name="csrf-token" content="([^"]+)"/.exec(res.body)?.[1];
    if (token !== undefined) this.csrf = token;
    this.last = res;
  }

  /** A cookie as the browser holds it now (e.g. to replay it from another browser). */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    this.path = url;
    let res = await this.app.inject({ method: 'GET', url, headers: this.headers(), ...this.remoteAddress });
    this.remember(res);
    for (let hops = 0; hops < 10 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      this.path = String(res.headers.location);
      res = await this.app.inject({
        method: 'GET',
        url: this.path,
        headers: this.headers(),
        ...this.remoteAddress,
      });
      this.remember(res);
    }
    return res;
  }

  /**
   * Posts a form (fields may repeat: pass arrays) and follows the redirect, as a browser would (`follow: false`
   * answers the redirect itself).
   */
  async post(
    url: string,
    fields: Record<string, string | string[]> = {},
    { follow = true } = {},
  ): Promise<LightMyRequestResponse> {
    if (this.csrf === '') await this.get('/');
    const body = new URLSearchParams();
    body.append('_csrf', this.csrf);
    for (const [key, value] of Object.entries(fields))
      for (const v of ([] as string[]).concat(value)) body.append(key, v);
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      payload: body.toString(),
      ...this.remoteAddress,
    });
    this.remember(res);
    if (follow && (res.statusCode === 303 || res.statusCode === 302))
      return this.get(String(res.headers.location));
    return res;
  }

  /**
   * Uploads files as multipart/form-data (input `field`), with the CSRF token in the URL as the page's form does;
   * `fields` are the form's other inputs (hidden ones), sent before the files as a browser sends them.
   */
  async upload(
    url: string,
    files: { name: string; content: Buffer | string }[],
    field = 'files',
    { follow = true, fields = {} }: { follow?: boolean; fields?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    if (this.csrf === '') await this.get('/');
    const boundary = '----bluelight-test-boundary';
    const inputs = Object.entries(fields).map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
    const parts = files.map((file) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.from(file.content),
        Buffer.from('\r\n'),
      ]),
    );
    const payload = Buffer.concat([...inputs, ...parts, Buffer.from(`--${boundary}--\r\n`)]);
    const res = await this.app.inject({
      method: 'POST',
      url: `${url}?_csrf=${encodeURIComponent(this.csrf)}`,
      headers: this.headers({ 'content-type': `multipart/form-data; boundary=${boundary}` }),
      payload,
      ...this.remoteAddress,
    });
    this.remember(res);
    if (follow && res.statusCode === 303) return this.get(String(res.headers.location));
    return res;
  }
}
