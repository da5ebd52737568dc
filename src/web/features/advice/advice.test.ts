import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import type { Role } from '../../../domain/access/access-policy.ts';
import { CATEGORIES } from '../../../domain/classification/taxonomy.ts';
import { ADVICE_DIR, readAdviceFile } from '../../../services/advice.ts';
import { ADVICE_GROUPS } from './advice-routes.ts';
import { ADVICE_PLACEHOLDERS, fillPlaceholders, formatAdviceText, parseAdviceText } from './advice-text.ts';

/** Text as Nunjucks escapes it into a page. */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('Protect advice pages', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, Awaited<ReturnType<typeof addStaff>>>();
  const signIn = (email: string) => {
    const totp = totps.get(email);
    if (totp === undefined) throw new Error(`no staff fixture ${email}`);
    return signInStaff(ctx.app, email, totp);
  };
  beforeAll(async () => {
    ctx = await createTestApp();
    const people: { email: string; role: Role; forceId?: string; unitId?: string }[] = [
      { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria' },
      { email: 'officer@cumbria.example', role: 'force-officer', forceId: 'cumbria' },
      { email: 'analyst@nfib.example', role: 'analyst' },
      { email: 'rocu@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu' },
    ];
    for (const person of people) totps.set(person.email, await addStaff(ctx.services, person));
  });
  afterAll(() => ctx.close());

  it('lists every category on the hub, grouped for individuals and organisations, with the urgent pages', async () => {
    const res = await ctx.app.inject('/advice');
    expect(res.statusCode).toBe(200);
    expect([...ADVICE_GROUPS.individuals, ...ADVICE_GROUPS.organisations].sort()).toEqual(
      Object.keys(CATEGORIES).sort(),
    );
    for (const category of Object.keys(CATEGORIES)) expect(res.body).toContain(`href="/advice/${category}"`);
    expect(res.body).toContain('href="/advice/first-hour"');
    expect(res.body).toContain('href="/advice/ico-breach"');
    expect(res.body).toContain('For businesses, charities and other organisations');
    expect(res.body).toContain(ctx.services.reference.service('fraud-cyber-line').phone);
  });

  it('shows the shipped advice with numbers and links filled in from the reference data', async () => {
    const res = await ctx.app.inject('/advice/romance-fraud');
    expect(res.statusCode).toBe(200);
    const shipped = readAdviceFile('romance-fraud').en;
    expect(res.body).toContain(`<h1 class="govuk-heading-l">${escaped(shipped.title)}</h1>`);
    for (const heading of ['What to do now', 'How to protect yourself', 'Who else to tell'])
      expect(res.body).toContain(heading);
    const victimSupport = ctx.services.reference.service('victim-support');
    expect(res.body).toContain(`call ${victimSupport.phone ?? ''}`);
    expect(res.body).toContain(
      `<a class="govuk-link" href="${victimSupport.website ?? ''}">their website</a>`,
    );
    expect(res.body).toContain('<a class="govuk-link" href="/report?lng=en">report it online</a>');
    expect(res.body).toContain('Last reviewed: 29 November 2026');
    expect(res.body).not.toContain('{{');
  });

  it('fills every placeholder on every shipped page in both languages', async () => {
    for (const category of Object.keys(CATEGORIES)) {
      for (const lng of ['en', 'cy']) {
        const res = await ctx.app.inject(`/advice/${category}?lng=${lng}`);
        expect(res.statusCode, `${category} ${lng}`).toBe(200);
        expect(res.body, `${category} ${lng}`).not.toMatch(/\{\{|\}\}|\]\(/);
      }
    }
  });

  it('shows the Welsh page in Welsh', async () => {
    const res = await ctx.app.inject('/advice/romance-fraud?lng=cy');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="cy"');
    expect(res.body).toContain(escaped(readAdviceFile('romance-fraud').cy.title));
    expect(res.body).toContain('Beth i’w wneud nawr');
    expect(res.body).toContain('Adolygwyd ddiwethaf:');
    expect(res.body).toContain('wefan Cymorth i Ddioddefwyr</a>');
  });

  it('is linked from triage exit pages and the progress page', async () => {
    expect((await ctx.app.inject('/report/help/phishing-text')).body).toContain('href="/advice"');
    const { reference } = await ctx.services.reportIntake.submit(makeSubmission());
    const visitor = new FormClient(ctx.app);
    await visitor.get('/report/progress');
    const progress = await visitor.post('/report/progress', { reference, secret: 'CA1 1AA' });
    expect(progress.body).toContain(reference);
    expect(progress.body).toContain('<a class="govuk-link" href="/advice">Advice on what to do next');
  });

  it('answers 404 with the GOV.UK page for an unknown category', async () => {
    const res = await ctx.app.inject('/advice/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
  });

  it('lets a supervisor save a draft that readers do not see until it is published', async () => {
    const client = await signIn('sup@cumbria.example');
    const list = await client.get('/staff/advice');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/staff/advice/romance-fraud/cy"');
    expect(list.body).toContain('Original text');

    const form = await client.get('/staff/advice/romance-fraud/en');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('## What to do now');
    expect(form.body).toContain('{{victimSupport}}');

    const saved = await client.post('/staff/advice/romance-fraud/en', {
      title: 'Romance fraud: what to do',
      body: '## Act now\nStop and think.\n- Stop sending money and call {{fraudLine}}.\n\n## Who else to tell\n- [Victim Support]({{victimSupportWebsite}}) can help.',
    });
    expect(client.path).toBe('/staff/advice/romance-fraud/en?saved=1');
    expect(saved.body).toContain('Version 1 is saved as a draft');
    expect(saved.body).not.toContain('Publish version 1');

    const publicPage = await ctx.app.inject('/advice/romance-fraud');
    expect(publicPage.body).not.toContain('Romance fraud: what to do');
    expect(publicPage.body).toContain(escaped(readAdviceFile('romance-fraud').en.title));

    // The two-person rule: the author sees no publish button, and publishing anyway is refused.
    expect(saved.body).toContain('You saved this draft, so another editor must check and publish it.');
    const own = await client.post('/staff/advice/romance-fraud/en/publish');
    expect(client.path).toBe('/staff/advice/romance-fraud/en');
    expect(errorSummaryOf(own.body)).toEqual([
      'publish: You saved this draft, so another editor must publish it',
    ]);
    expect((await ctx.app.inject('/advice/romance-fraud')).body).not.toContain('Romance fraud: what to do');

    const second = await signIn('rocu@nw.example');
    expect((await second.get('/staff/advice/romance-fraud/en')).body).toContain('Publish version 1');
    const published = await second.post('/staff/advice/romance-fraud/en/publish');
    expect(second.path).toBe('/staff/advice/romance-fraud/en?published=1');
    expect(published.body).toContain('Version 1 is published');

    const now = await ctx.app.inject('/advice/romance-fraud');
    expect(now.body).toContain('Romance fraud: what to do');
    expect(now.body).toContain(
      `Stop sending money and call ${ctx.services.reference.service('fraud-cyber-line').phone ?? ''}.`,
    );
    expect(now.body).toContain('<p class="govuk-body">Stop and think.</p>');
    expect(now.body).not.toContain('What to do now');
    // The Welsh page keeps its own text.
    const welsh = await ctx.app.inject('/advice/romance-fraud?lng=cy');
    expect(welsh.body).toContain(escaped(readAdviceFile('romance-fraud').cy.title));

    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('action', 'like', 'advice-%')
      .execute();
    expect(audit).toEqual([
      {
        actor: 'sup@cumbria.example',
        action: 'advice-save',
        detail: 'romance-fraud en version 1 saved as draft',
      },
      {
        actor: 'rocu@nw.example',
        action: 'advice-publish',
        detail: 'romance-fraud en version 1 published',
      },
    ]);
  });

  it('shows a GOV.UK error summary for each problem after a redirect and keeps what was typed', async () => {
    const client = await signIn('rocu@nw.example');
    // Editing the Welsh page with the workspace in Welsh.
    await client.get('/staff/advice/malware/cy?lng=cy');
    const typed = {
      title: '',
      body: 'Text before a heading\n## \n## Empty\n## Fine\n- Call {{fraudline}} or [visit]({{fraudLine}}).',
    };
    const refused = await client.post('/staff/advice/malware/cy', typed, { follow: false });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/staff/advice/malware/cy');
    const res = await client.get('/staff/advice/malware/cy');
    expect(res.body).toMatch(/<title>Gwall: /);
    const summary = errorSummaryOf(res.body);
    expect(summary[0]).toBe('title: Rhowch deitl i’r dudalen');
    for (const text of [
      'mae llinell 1 yn dod cyn y llinell gyntaf',
      'Ysgrifennwch bennawd ar ôl ## ar linell 2',
      'o dan y pennawd ‘Empty’',
      'Mae llinell 5 yn defnyddio {{fraudline}}',
      'rhif yw {{fraudLine}}, nid dolen',
    ]) {
      expect(
        summary.some((item) => item.startsWith('body: ') && item.includes(text)),
        text,
      ).toBe(true);
      // Every problem of the text is also said beside it.
      expect(res.body.split('govuk-error-message')[2] ?? '').toContain(escaped(text));
    }
    expect(res.body).toContain('Text before a heading');
    // Shown once: a refresh is the page as it was.
    expect(errorSummaryOf((await client.get('/staff/advice/malware/cy')).body)).toEqual([]);
    expect(
      await ctx.services.database.db
        .selectFrom('advice_versions')
        .selectAll()
        .where('category', '=', 'malware')
        .execute(),
    ).toEqual([]);

    await client.get('/staff/advice/malware/en?lng=en');
    const empty = await client.post('/staff/advice/malware/en', { title: 'A {{title}}', body: '  ' });
    expect(client.path).toBe('/staff/advice/malware/en');
    expect(errorSummaryOf(empty.body)).toEqual([
      'title: Page title cannot contain curly brackets or placeholders',
      'body: Enter the advice',
    ]);
  });

  it('previews a Welsh draft in Welsh while the workspace is in English', async () => {
    const client = await signIn('sup@cumbria.example');
    const res = await client.post('/staff/advice/sextortion/cy?lng=en', {
      title: 'Os oes rhywun yn eich bygwth',
      body: '## Beth i’w wneud nawr\n- Ffoniwch {{victimSupport}} neu ewch i {{victimSupportWebsite}}.',
    });
    expect(client.path).toBe('/staff/advice/sextortion/cy?saved=1');
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain(
      '<div lang="cy"><h3 class="govuk-heading-s">Os oes rhywun yn eich bygwth</h3>',
    );
    expect(res.body).toContain('>Cymorth i Ddioddefwyr</a>');
    const publicPage = await ctx.app.inject('/advice/sextortion?lng=cy');
    expect(publicPage.body).not.toContain('Os oes rhywun yn eich bygwth</h1>');
  });

  it('says so when there is no draft to publish', async () => {
    const client = await signIn('sup@cumbria.example');
    const res = await client.post('/staff/advice/hacking-pbx/en/publish');
    expect(client.path).toBe('/staff/advice/hacking-pbx/en');
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('There is no draft to publish');
  });

  it('answers 404 to roles that may not edit advice, and sends people who are not signed in to sign in', async () => {
    for (const email of ['officer@cumbria.example', 'analyst@nfib.example']) {
      const client = await signIn(email);
      expect((await client.get('/staff/advice')).statusCode).toBe(404);
      expect((await client.get('/staff/advice/malware/en')).statusCode).toBe(404);
      const post = await client.post('/staff/advice/malware/en', { title: 'T', body: '## H\n- b' });
      expect(post.statusCode).toBe(404);
      expect((await client.post('/staff/advice/malware/en/publish')).statusCode).toBe(404);
    }
    const anonymous = await ctx.app.inject('/staff/advice');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/staff/sign-in');
    const editor = await signIn('sup@cumbria.example');
    expect((await editor.get('/staff/advice/malware/fr')).statusCode).toBe(404);
    expect((await editor.get('/staff/advice/nope/en')).statusCode).toBe(404);
  });
});

describe('advice text format', () => {
  it('reads back what it writes', () => {
    const sections = readAdviceFile('phishing-attempt').en.sections;
    const parsed = parseAdviceText(formatAdviceText(sections));
    expect(parsed.problems).toEqual([]);
    expect(parsed.sections).toEqual(sections);
  });

  it('links only to reference data and our own pages, and leaves unknown placeholders as typed', () => {
    const values = new Map([
      ['fraudLine', { text: '0300 123 2040' }],
      ['ceop', { text: 'CEOP', href: 'https://www.ceop.police.uk/Safety-Centre/' }],
    ]);
    expect(
      fillPlaceholders('Call {{fraudLine}}, [tell CEOP]({{ceop}}) or {{ceop}}; {{nope}}.', values),
    ).toEqual([
      { text: 'Call ' },
      { text: '0300 123 2040' },
      { text: ', ' },
      { text: 'tell CEOP', href: 'https://www.ceop.police.uk/Safety-Centre/' },
      { text: ' or ' },
      { text: 'CEOP', href: 'https://www.ceop.police.uk/Safety-Centre/' },
      { text: '; ' },
      { text: '{{nope}}' },
      { text: '.' },
    ]);
  });
});

/** Sentences of a piece of text, without placeholders, long enough to be worth comparing. */
function sentences(text: string): string[] {
  return text
    .replace(/\[([^\]]*)\]\(\{\{\w+\}\}\)/g, '$1')
    .replace(/\{\{\w+\}\}/g, '')
    .split(/(?<=[.!?:;])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 3);
}

describe('shipped advice files', () => {
  const categories = readdirSync(ADVICE_DIR).map((f) => f.replace(/\.json$/, ''));

  it.each(categories)('%s has both languages with the same shape and placeholders', (category) => {
    const file = readAdviceFile(category);
    const { en, cy } = file;
    expect(en.sections).toHaveLength(3);
    expect(cy.sections).toHaveLength(en.sections.length);
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    en.sections.forEach((section, i) => {
      const welsh = cy.sections[i];
      expect(section.bullets.length, `${category} section ${i + 1}`).toBeGreaterThanOrEqual(2);
      expect(section.bullets.length, `${category} section ${i + 1}`).toBeLessThanOrEqual(5);
      expect(welsh?.bullets).toHaveLength(section.bullets.length);
      expect(welsh?.paragraphs).toHaveLength(section.paragraphs.length);
      const all = (s: typeof section) => [...s.paragraphs, ...s.bullets];
      all(section).forEach((text, j) => {
        const other = welsh ? all(welsh)[j] : undefined;
        expect(placeholders(other ?? ''), `${category} ${i + 1}.${j + 1}`).toEqual(placeholders(text));
        for (const name of placeholders(text)) expect(ADVICE_PLACEHOLDERS).toHaveProperty(name ?? '');
      });
    });
    expect(parseAdviceText(formatAdviceText(en.sections)).problems).toEqual([]);
    expect(parseAdviceText(formatAdviceText(cy.sections)).problems).toEqual([]);
  });

  it.each(categories)('%s has no English sentence copied into the Welsh', (category) => {
    const { en, cy } = readAdviceFile(category);
    const text = (c: typeof en) =>
      [c.title, ...c.sections.flatMap((s) => [s.heading, ...s.paragraphs, ...s.bullets])].join('\n');
    const welsh = text(cy);
    const copied = sentences(text(en).replace(/\n/g, ' ')).filter((sentence) => welsh.includes(sentence));
    expect(copied).toEqual([]);
  });
});
