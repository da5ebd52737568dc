import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

const testDialect = process.env.DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite';

/** The references in the queue's table, in the order shown. */
const shown = (body: string) =>
  [
    ...body.matchAll(
      /<th scope="row" class="govuk-table__header app-nowrap"><a class="govuk-link" href="\/staff\/reports\/([^"]+)">/g,
    ),
  ].map((m) => m[1]);
/** A status tab's text ("Received (2)"), by its data attribute. */
const tab = (body: string, status: string) =>
  new RegExp(`data-status-tab="${status}">\\s*([^<]+?)\\s*<`).exec(body)?.[1];

describe(`the unit's queue: status tabs, filters remembered per person, sortable columns (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-11-02T09:00:00Z');
  const totps = new Map<string, TOTP>();
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const email of ['one@cumbria.example', 'two@cumbria.example'])
      totps.set(email, await addStaff(ctx.services, { email, role: 'force-supervisor', forceId: 'cumbria' }));
    const submit = async (name: string, overrides = {}) => {
      refs[name] = (
        await ctx.services.reportIntake.submit(
          makeSubmission({
            category: 'online-harassment',
            narrative: `abusive messages (${name})`,
            ...overrides,
          }),
        )
      ).reference;
      now = new Date(now.getTime() + 3_600_000);
    };
    await submit('plain');
    await submit('vulnerable', { vulnerability: ['over-70'] });
    await submit('hacked', { category: 'hacking-social-email', narrative: 'my email was hacked' });
    await submit('later');
    const one = await signIn('one@cumbria.example');
    await one.post(`/staff/reports/${refs.later ?? ''}/status`, { status: 'assessed' });
  });
  afterAll(() => ctx.close());

  async function signIn(email: string): Promise<FormClient> {
    const totp = totps.get(email);
    if (totp === undefined) throw new Error(`no account for ${email}`);
    now = new Date(now.getTime() + 60_000);
    return signInStaff(ctx.app, email, totp, now);
  }
  const savedView = async (email: string) =>
    (
      await ctx.services.database.db
        .selectFrom('users')
        .select('queue_view')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).queue_view;

  it('counts each status as a tab, under the other filters; the chosen tab is current and narrows the table', async () => {
    const one = await signIn('one@cumbria.example');
    const all = (await one.get('/staff?sort=priority')).body;
    expect(tab(all, 'all')).toBe('All (4)');
    expect(tab(all, 'received')).toBe('Received (3)');
    expect(tab(all, 'assessed')).toBe('Assessed (1)');
    expect(tab(all, 'closed')).toBe('Closed (0)');
    expect(all).toMatch(/aria-current="page" href="\/staff\?sort=priority" data-status-tab="all"/);
    const received = (await one.get('/staff?status=received&sort=priority')).body;
    expect(shown(received).sort()).toEqual([refs.plain, refs.vulnerable, refs.hacked].sort());
    expect(received).toMatch(
      /aria-current="page" href="[^"]*status=received[^"]*" data-status-tab="received"/,
    );
    // Another filter changes every tab's count: the counts are what each tab would show.
    const harassment = (await one.get('/staff?category=online-harassment&sort=priority')).body;
    expect(tab(harassment, 'all')).toBe('All (3)');
    expect(tab(harassment, 'received')).toBe('Received (2)');
    expect(tab(harassment, 'assessed')).toBe('Assessed (1)');
  });

  it('shows the filters chosen as tags that remove them, and remembers them for that person only, until cleared', async () => {
    const one = await signIn('one@cumbria.example');
    const filtered = (await one.get('/staff?category=online-harassment&vulnerable=yes&sort=oldest')).body;
    expect(shown(filtered)).toEqual([refs.vulnerable]);
    expect(filtered).toContain('Selected filters');
    // Each tag's link is the view without it; "Clear filters" keeps the tab and the order.
    expect(filtered).toContain('href="/staff?vulnerable=yes&amp;sort=oldest"');
    expect(filtered).toContain('href="/staff?category=online-harassment&amp;sort=oldest"');
    expect(filtered).toMatch(
      /class="govuk-link govuk-link--no-visited-state app-clear-filters" href="\/staff\?sort=oldest"/,
    );
    expect(await savedView('one@cumbria.example')).toBe(
      'category=online-harassment&vulnerable=yes&sort=oldest',
    );

    // Signed in again (a new session), the queue opens as they left it; a colleague's does not.
    const again = await signIn('one@cumbria.example');
    const back = (await again.get('/staff')).body;
    expect(shown(back)).toEqual([refs.vulnerable]);
    expect(back).toMatch(/<option value="online-harassment" selected>/);
    expect(back).toMatch(/name="vulnerable" type="checkbox" value="yes" checked/);
    const two = await signIn('two@cumbria.example');
    expect(shown((await two.get('/staff')).body)).toHaveLength(4);
    expect(await savedView('two@cumbria.example')).toBeNull();

    // Cleared: nothing selected, and that is remembered too.
    const cleared = (await again.get('/staff?sort=oldest')).body;
    expect(cleared).not.toContain('Selected filters');
    expect(shown(cleared)).toEqual([refs.plain, refs.vulnerable, refs.hacked, refs.later]);
    expect(shown((await (await signIn('one@cumbria.example')).get('/staff')).body)).toHaveLength(4);
    expect(await savedView('one@cumbria.example')).toBe('sort=oldest');
  });

  it('keeps only what it understands: a forged view is neither shown nor stored', async () => {
    const one = await signIn('one@cumbria.example');
    const page = await one.get(
      `/staff?status=${encodeURIComponent('<script>x</script>')}&category=nonsense&sort=${encodeURIComponent('1; drop table users')}&urgent=yes&page=2`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>x');
    // Only the language links repeat the address (escaped); what the page shows and links to is the view it kept.
    const main = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
    expect(main).not.toContain('nonsense');
    expect(main).not.toContain('drop table');
    expect(main).not.toContain('script');
    expect(await savedView('one@cumbria.example')).toBe('urgent=yes&sort=priority');
    // A stored value that is not a view (an older release's, or edited) opens the default queue.
    await ctx.services.database.db
      .updateTable('users')
      .set({ queue_view: 'status=%3Cb%3E&sort=evil' })
      .where('email', '=', 'one@cumbria.example')
      .execute();
    expect(shown((await one.get('/staff')).body)).toHaveLength(4);
  });

  it('sorts by a column heading: aria-sort says how, and pressing it again reverses the order', async () => {
    const one = await signIn('one@cumbria.example');
    const oldest = (await one.get('/staff?sort=oldest')).body;
    expect(oldest).toMatch(/aria-sort="ascending"><a [^>]*href="\/staff\?sort=newest">Received/);
    expect(oldest).toMatch(/aria-sort="none"><a [^>]*href="\/staff\?sort=reference">Reference/);
    const newest = (await one.get('/staff?sort=newest')).body;
    expect(shown(newest)).toEqual([refs.later, refs.hacked, refs.vulnerable, refs.plain]);
    expect(newest).toMatch(/aria-sort="descending"><a [^>]*href="\/staff\?sort=oldest">Received/);
    const byReference = shown((await one.get('/staff?sort=reference')).body);
    expect(byReference).toEqual([...byReference].sort());
    expect(shown((await one.get('/staff?sort=reference-desc')).body)).toEqual([...byReference].reverse());
    // Status in the order of the work: received before assessed, and the reverse.
    expect(shown((await one.get('/staff?sort=status')).body).at(-1)).toBe(refs.later);
    expect(shown((await one.get('/staff?sort=status-desc')).body)[0]).toBe(refs.later);
    // Priority: the vulnerable victim first.
    const priority = (await one.get('/staff?sort=priority')).body;
    expect(shown(priority)[0]).toBe(refs.vulnerable);
    expect(priority).toMatch(/aria-sort="descending"><a [^>]*href="\/staff\?sort=priority">Flags/);
  });

  it('is in Welsh in Welsh', async () => {
    const one = await signIn('one@cumbria.example');
    const page = (await one.get('/staff?sort=priority&urgent=yes&lng=cy')).body;
    expect(tab(page, 'all')).toMatch(/^Pob un \(\d+\)$/);
    expect(page).toContain('Hidlwyr a ddewiswyd');
    expect(page).toContain('Clirio’r hidlwyr');
    expect(page).toContain('Dileu’r hidlydd hwn');
  });
});
