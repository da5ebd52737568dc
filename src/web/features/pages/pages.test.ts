import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp } from '../../../../test/support/test-app.ts';

const PAGES = ['/', '/cookies', '/accessibility', '/privacy', '/cyber-protect'];

describe('page template and content pages', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  it.each(PAGES)('%s renders in English with the GOV.UK template parts', async (path) => {
    const res = await ctx.app.inject(path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('href="#main-content"');
    expect(html).toContain('id="main-content"');
    expect(html).toContain('govuk-phase-banner');
    expect(html).toContain('govuk-footer');
    expect(html).toMatch(/<a [^>]*href="[^"]*lng=cy"[^>]*lang="cy"[^>]*>\s*Cymraeg\s*<\/a>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it.each(PAGES)('%s renders in Welsh with ?lng=cy and remembers the choice', async (path) => {
    const res = await ctx.app.inject(`${path}?lng=cy`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="cy"');
    expect(res.body).toContain('Neidio i’r prif gynnwys');
    const again = await ctx.app.inject({
      url: path,
      headers: { cookie: cookieHeader(res.headers['set-cookie']) },
    });
    expect(again.body).toContain('<html lang="cy"');
    const back = await ctx.app.inject(`${path}?lng=en`);
    expect(back.body).toContain('<html lang="en"');
  });

  it('ignores an unknown language and falls back to English', async () => {
    const res = await ctx.app.inject('/?lng=fr');
    expect(res.body).toContain('<html lang="en"');
  });

  it('shows the numbers people need, from the reference data, on the start page', async () => {
    const html = (await ctx.app.inject('/')).body;
    for (const fact of [
      '999',
      '0300 123 2040',
      '0300 123 2050',
      'report@phishing.gov.uk',
      '7726',
      '101',
      '0800 1111',
      '0808 1689111',
    ]) {
      expect(html).toContain(fact);
    }
    expect(html).toContain('href="https://report.iwf.org.uk"');
  });

  it('answers an unknown page with the GOV.UK 404 page in the chosen language', async () => {
    const res = await ctx.app.inject('/no-such-page?lng=cy');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<html lang="cy"');
    expect(res.body).toContain('Heb ddod o hyd i’r dudalen');
  });

  it('answers an unknown API path with problem+json', async () => {
    const res = await ctx.app.inject('/api/v1/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('serves GOV.UK Frontend assets itself', async () => {
    const css = await ctx.app.inject('/assets/govuk/govuk-frontend.min.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const font = await ctx.app.inject('/assets/images/favicon.svg');
    expect(font.statusCode).toBe(200);
    const js = await ctx.app.inject('/assets/app/app.js');
    expect(js.statusCode).toBe(200);
    expect((await ctx.app.inject('/assets/govuk/index.scss')).statusCode).toBe(404);
  });
});
