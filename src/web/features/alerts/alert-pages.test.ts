import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';

const HOSTILE = {
  titleEn: 'Fake <script>alert(1)</script> & "parcel" texts',
  bodyEn: 'Don’t click ]]> links <b>now</b> & report them to 7726.\u0007',
  titleCy: 'Negeseuon testun <i>parsel</i> ffug',
  bodyCy: 'Peidiwch â chlicio & rhowch wybod i 7726.',
};

describe('public alert pages, Atom feeds and the subscription form', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({ BASE_URL: 'https://bluelight.example' });
    const people: StaffMember[] = [];
    for (const email of ['a@gwent.example', 'b@gwent.example']) {
      await addStaff(ctx.services, { email, role: 'force-officer', forceId: 'gwent' });
      const id = await ctx.services.staff.userIdByEmail(email);
      const member = await ctx.services.staff.byId(id?.id ?? 0);
      if (member !== null) people.push(member);
    }
    const [author, approver] = people;
    if (author === undefined || approver === undefined) throw new Error('no staff');
    const id = await ctx.services.alerts.create(author, HOSTILE);
    await ctx.services.alerts.approve(approver, id);
  });
  afterAll(() => ctx.close());

  it('shows the alert escaped on the force’s and the region’s pages, in each language, and 404 for unknown areas', async () => {
    const force = await ctx.app.inject('/alerts/force/gwent');
    expect(force.statusCode).toBe(200);
    expect(force.body).toContain('Fake &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;parcel&quot; texts');
    expect(force.body).not.toContain('<script>alert(1)');
    expect((await ctx.app.inject('/alerts/region/southern-wales?lng=cy')).body).toContain(
      'Negeseuon testun &lt;i&gt;parsel&lt;/i&gt; ffug',
    );
    expect((await ctx.app.inject('/alerts/force/cumbria')).body).toContain('There are no alerts for Cumbria');
    for (const url of ['/alerts/force/atlantis', '/alerts/planet/gwent', '/alerts/force/atlantis/feed.atom'])
      expect((await ctx.app.inject(url)).statusCode, url).toBe(404);
  });

  it('serves an Atom feed with every text escaped and no character XML cannot carry', async () => {
    const res = await ctx.app.inject('/alerts/force/gwent/feed.atom?lng=en');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.body).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="en">/,
    );
    expect(res.body).toContain(
      '<title type="text">Fake &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;parcel&quot; texts</title>',
    );
    expect(res.body).toContain(
      'Don’t click ]]&gt; links &lt;b&gt;now&lt;/b&gt; &amp; report them to 7726.</content>',
    );
    expect(res.body).not.toContain('\u0007');
    expect(res.body).toContain(
      '<link rel="self" type="application/atom+xml" href="https://bluelight.example/alerts/force/gwent/feed.atom?lng=en"/>',
    );
    expect((await ctx.app.inject('/alerts/region/southern-wales/feed.atom?lng=cy')).body).toContain(
      'xml:lang="cy"',
    );
  });

  it('explains what is wrong with a subscription in Welsh, keeping what was typed, and says the same for any address', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/alerts/subscribe?lng=cy&area=force:gwent');
    expect(client.last?.body).toMatch(/value="force:gwent" checked/);
    const refused = await client.post('/alerts/subscribe', { email: 'nope', areas: ['force:gwent'] });
    expect(errorSummaryOf(refused.body)).toEqual([
      'email: Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com',
    ]);
    expect(refused.body).toContain('value="nope"');
    const none = await client.post('/alerts/subscribe', { email: 'reader@example.net' });
    expect(errorSummaryOf(none.body)).toEqual(['areas: Dewiswch o leiaf un rhanbarth neu heddlu']);
    const first = await client.post('/alerts/subscribe', {
      email: 'reader@example.net',
      areas: ['force:gwent'],
    });
    const again = await client.post('/alerts/subscribe', {
      email: 'reader@example.net',
      areas: ['force:gwent'],
    });
    expect(client.path).toBe('/alerts/subscribe/sent');
    // An address already subscribed gets the same answer: the form tells no one who subscribes.
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.body.replace(/content="[^"]*"|nonce="[^"]*"/g, '')).toBe(
      first.body.replace(/content="[^"]*"|nonce="[^"]*"/g, ''),
    );
    expect(again.body).toContain('Gwiriwch eich e-bost');
    // A link that is not ours, for confirming or stopping, changes nothing and says so.
    expect((await client.get('/alerts/confirm/1.AAAA')).statusCode).toBe(404);
    const forged = await client.post(`/alerts/unsubscribe/1.${'A'.repeat(43)}`, {});
    expect(forged.statusCode).toBe(404);
    expect(await ctx.services.database.db.selectFrom('alert_subscribers').select('email').execute()).toEqual([
      { email: 'reader@example.net' },
    ]);
  });
});
