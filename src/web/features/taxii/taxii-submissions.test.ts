import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stixValidators } from '../../../../test/support/stix-schemas.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import {
  readEveryCollection,
  runPublication,
  submitAssessed,
} from '../../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { indicatorStixId } from '../../../services/intelligence.ts';
import { PARTNER_SECTORS } from '../../../services/partners.ts';
import { FEEDBACK_COLLECTION, SUBMISSIONS_COLLECTION } from '../../../services/taxii.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const OBJECTS = `/taxii2/bluelight/collections/${SUBMISSIONS_COLLECTION.id}/objects/`;

let serial = 0;
/** A STIX 2.1 indicator as a partner's platform writes one; each call gets its own id. */
function indicator(pattern: string, extra: Record<string, unknown> = {}) {
  serial++;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--6f0c8d1e-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    created: '2026-12-08T09:00:00.000Z',
    modified: '2026-12-08T09:00:00.000Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-12-08T09:00:00Z',
    indicator_types: ['malicious-activity'],
    ...extra,
  };
}
const account = (number: string) =>
  `[user-account:account_type = 'uk-bank-account' AND user-account:user_id = '${number}']`;

describe(`partner submissions over TAXII (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const auth: Record<string, string> = {};
  let reference = '';

  const post = (who: string, payload: string | object, url = OBJECTS, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: {
        ...(who === '' ? {} : { authorization: auth[who] ?? '' }),
        accept: TAXII_MEDIA_TYPE,
        'content-type': TAXII_MEDIA_TYPE,
        ...headers,
      },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const submit = async (who: string, objects: unknown[]) => {
    const res = await post(who, { objects });
    expect(res.statusCode).toBe(202);
    return res.json<{
      id: string;
      success_count: number;
      failure_count: number;
      successes: { id: string; message: string }[];
      failures: { id: string; message: string }[];
    }>();
  };
  const everything = async (who: string) =>
    (await readEveryCollection(ctx.app, auth[who] ?? '', 'match[version]=all')).join('\n');
  const stored = () =>
    ctx.services.database.db
      .selectFrom('partner_submissions')
      .innerJoin('indicators', 'indicators.id', 'partner_submissions.indicator_id')
      .select(['indicators.value', 'partner_submissions.partner_id', 'partner_submissions.withheld'])
      .execute();

  beforeAll(async () => {
    ctx = await createTestApp();
    const add = async (name: string, sectors: string[], tlp: string, canSubmit: boolean) => {
      const created = await ctx.services.partners.add({ name, sectors, tlp, canSubmit });
      auth[name] = `Bearer ${created.token}`;
      return created.id;
    };
    await add('Example Bank plc', ['finance'], 'green', true);
    await add('Second Bank', ['finance'], 'amber', true);
    await add('Telco', ['telecoms'], 'amber', false);
    await add('Reader', [...PARTNER_SECTORS], 'amber', false);
    await add('Busy', ['finance'], 'green', true);
    const report = await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'A Victim',
          victimName: null,
          email: 'victim.a.bluelight.test@gmail.com',
          phone: null,
          preferredContact: 'email',
        },
        category: 'online-shopping-fraud',
        suspect: suspect({ bankAccounts: ['40-11-22 10000001'] }),
      }),
    );
    reference = report.reference;
    await runPublication(ctx.services);
  });
  afterAll(() => ctx.close());

  it('refuses a request without credentials with 401 before reading its body', async () => {
    const res = await post('', '{not json');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    const big = await post('', `{"objects":[${'"x",'.repeat(3_000_000)}"x"]}`);
    expect(big.statusCode).toBe(401);
  });

  it('refuses a partner without the write permission with 403 before reading its body, and lists the collection only to those with it', async () => {
    const res = await post('Telco', '{not json');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ http_status: '403' });
    expect((await post('Telco', { objects: [indicator(account('401122-10000001'))] })).statusCode).toBe(403);
    expect(await stored()).toEqual([]);
    const list = async (who: string) =>
      (
        await ctx.app.inject({
          url: '/taxii2/bluelight/collections/',
          headers: { authorization: auth[who] ?? '', accept: TAXII_MEDIA_TYPE },
        })
      ).json<{ collections: { id: string; can_read: boolean; can_write: boolean }[] }>().collections;
    expect((await list('Telco')).some((c) => c.id === SUBMISSIONS_COLLECTION.id)).toBe(false);
    expect((await list('Example Bank plc')).find((c) => c.id === SUBMISSIONS_COLLECTION.id)).toMatchObject({
      can_read: false,
      can_write: true,
    });
  });

  it('stores a matching value, tells the report’s history and its unit, audits the POST, and shares it once corroborated', async () => {
    const mule = indicator(account('40-11-22 10000001'), {
      labels: ['mule'],
      object_marking_refs: [GREEN],
      x_bluelight_reshare: true,
    });
    const status = await submit('Example Bank plc', [mule]);
    expect(status).toMatchObject({
      success_count: 1,
      failure_count: 0,
      status: 'complete',
      pending_count: 0,
    });
    expect(status.successes[0]?.message).toContain('stored as partner intelligence');
    // The status resource, read back by its partner.
    const read = await ctx.app.inject({
      url: `/taxii2/bluelight/status/${status.id}/`,
      headers: { authorization: auth['Example Bank plc'] ?? '', accept: TAXII_MEDIA_TYPE },
    });
    expect(read.json()).toEqual(status);

    const staffView = await ctx.services.database.db
      .selectFrom('report_updates')
      .innerJoin('reports', 'reports.id', 'report_updates.report_id')
      .select(['report_updates.message', 'report_updates.visible_to_victim'])
      .where('reports.reference', '=', reference)
      .where('report_updates.kind', '=', 'partner-intelligence')
      .execute();
    expect(staffView).toEqual([
      { message: 'Example Bank plc reported this account 401122-10000001 as: mule', visible_to_victim: 0 },
    ]);
    const told = await ctx.services.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('kind', '=', 'unit-notification')
      .execute();
    const unit = await ctx.services.database.db
      .selectFrom('reports')
      .select('unit_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(told.map((t) => JSON.parse(t.payload) as { reason: string; reference: string })).toContainEqual(
      expect.objectContaining({ reason: 'partner-intelligence', reference, unit: unit.unit_id }),
    );
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'partner-submission')
      .execute();
    expect(audit.at(-1)?.detail).toContain('1 stored, 0 refused, 1 report match(es)');
    expect(audit.at(-1)?.detail).not.toContain('10000001');

    // Submitting it again refreshes it: the unit is not told twice.
    await submit('Example Bank plc', [mule]);
    const again = await ctx.services.database.db
      .selectFrom('report_updates')
      .select('id')
      .where('kind', '=', 'partner-intelligence')
      .execute();
    expect(again).toHaveLength(1);
  });

  it('re-shares a partner-only value only when the partner allows it, at CLEAR or GREEN, once a second partner corroborates it', async () => {
    const shop = "[domain-name:value = 'fake-shop-partner.co.uk']";
    await submit('Example Bank plc', [
      indicator(shop, { object_marking_refs: [GREEN], x_bluelight_reshare: true }),
    ]);
    await runPublication(ctx.services);
    expect(await everything('Reader')).not.toContain('fake-shop-partner.co.uk');
    // The second bank corroborates without allowing re-sharing itself.
    await submit('Second Bank', [indicator(shop, { object_marking_refs: [AMBER] })]);
    await runPublication(ctx.services);
    const pages = await everything('Reader');
    expect(pages).toContain("[domain-name:value = 'fake-shop-partner.co.uk']");
    expect(pages).toContain('Submitted by 2 industry partner(s).');
    expect(pages).not.toContain('Example Bank');
  });

  it('never re-shares a TLP:RED submission, whoever corroborates it', async () => {
    const red = "[domain-name:value = 'red-only-bank.co.uk']";
    const status = await submit('Example Bank plc', [
      indicator(red, { object_marking_refs: [RED], x_bluelight_reshare: true }),
    ]);
    expect(status.successes[0]?.message).toContain('TLP:RED: never shared');
    await submit('Second Bank', [indicator(red, { object_marking_refs: [RED], x_bluelight_reshare: true })]);
    await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'B',
          victimName: null,
          email: 'b@victims.example',
          phone: null,
          preferredContact: 'email',
        },
        suspect: suspect({ websites: ['https://red-only-bank.co.uk/'] }),
      }),
    );
    await ctx.services.database.db
      .updateTable('reports')
      .set({ tlp: 'red' })
      .where('contact_email', '=', 'b@victims.example')
      .execute();
    await runPublication(ctx.services);
    expect(await everything('Reader')).not.toContain('red-only-bank.co.uk');
  });

  it('refuses victim-side, benign and warning-listed values object by object, storing none of them', async () => {
    const before = (await stored()).length;
    const status = await submit('Example Bank plc', [
      indicator("[user-account:account_type = 'phone-number' AND user-account:user_id = '07700 900555']", {
        indicator_types: ['compromised'],
      }),
      {
        type: 'email-addr',
        spec_version: '2.1',
        id: 'email-addr--2d5b6c1e-0000-4000-8000-000000000001',
        value: 'someone@example.org',
      },
      indicator("[domain-name:value = 'gmail.com']"),
      indicator("[domain-name:value = 'harmless-shop.co.uk']", { indicator_types: ['benign'] }),
      indicator("[url:value = 'https://phish-verify.co.uk/verify/jo.bloggs@example.org']"),
      indicator("[user-account:account_type = 'phone-number' AND user-account:user_id = '07700 900556']", {
        indicator_types: ['anomalous-activity'],
      }),
    ]);
    expect(status.success_count).toBe(0);
    expect(status.failures.map((f) => f.message)).toEqual([
      expect.stringContaining('compromised'),
      expect.stringContaining('never as a bare observable'),
      expect.stringContaining('warning list (free-mail)'),
      expect.stringContaining('benign'),
      expect.stringContaining('names a person'),
      expect.stringContaining('malicious-activity'),
    ]);
    expect(await stored()).toHaveLength(before);
  });

  it('answers a reporter’s own email exactly like any other, but keeps it from reports and partners', async () => {
    const email = (value: string) =>
      indicator(`[email-addr:value = '${value}']`, {
        object_marking_refs: [GREEN],
        x_bluelight_reshare: true,
      });
    const victim = await submit('Example Bank plc', [email('victim.a.bluelight.test@gmail.com')]);
    const other = await submit('Example Bank plc', [email('scammer@criminal-mail.co.uk')]);
    expect(victim.successes[0]?.message).toBe(other.successes[0]?.message);
    expect((await stored()).find((s) => s.value === 'victim.a.bluelight.test@gmail.com')?.withheld).toBe(
      'reporter-contact',
    );
    await submit('Second Bank', [email('victim.a.bluelight.test@gmail.com')]);
    await runPublication(ctx.services);
    expect(await everything('Reader')).not.toContain('victim.a.bluelight.test@gmail.com');
  });

  it('schema-validates each object, as the OASIS STIX 2.1 schemas would', async () => {
    const validate = stixValidators();
    const good = indicator("[ipv4-addr:value = '45.33.12.7']");
    const missingType = { ...indicator("[ipv4-addr:value = '45.33.12.8']") } as Record<string, unknown>;
    delete missingType.pattern_type;
    const badTime = indicator("[ipv4-addr:value = '45.33.12.9']", { valid_from: 'yesterday' });
    const wrongId = {
      ...indicator("[ipv4-addr:value = '45.33.12.10']"),
      id: 'malware--6f0c8d1e-0000-4000-8000-000000000999',
    };
    expect(validate(good)).toEqual([]);
    for (const bad of [missingType, badTime]) expect(validate(bad as { type: string })).not.toEqual([]);
    const status = await submit('Example Bank plc', [
      good,
      missingType,
      badTime,
      wrongId,
      'not an object',
      null,
    ]);
    expect(status.success_count).toBe(1);
    expect(status.failures.map((f) => f.message)).toEqual([
      expect.stringContaining('pattern_type'),
      expect.stringContaining('valid_from'),
      expect.stringContaining('id must start "indicator--"'),
      expect.stringContaining('only indicator objects'),
      expect.stringContaining('only indicator objects'),
    ]);
    expect((await post('Example Bank plc', '{"objects": [')).statusCode).toBe(400);
    expect((await post('Example Bank plc', { no: 'objects' })).statusCode).toBe(400);
  });

  it('refuses an oversized bundle: more than 1,000 objects, or more than 10 MB', async () => {
    const many = Array.from({ length: 1001 }, () => indicator("[ipv4-addr:value = '45.33.12.20']"));
    expect((await post('Example Bank plc', { objects: many })).statusCode).toBe(413);
    const huge = await post('Example Bank plc', {
      objects: [
        indicator("[ipv4-addr:value = '45.33.12.21']", { description: 'x'.repeat(11 * 1024 * 1024) }),
      ],
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
  });

  it('never lets another partner read a submission that was not shared: status, collection, feed or feedback', async () => {
    const secret = "[domain-name:value = 'only-example-bank-knows.co.uk']";
    const status = await submit('Example Bank plc', [indicator(secret, { object_marking_refs: [AMBER] })]);
    await runPublication(ctx.services);
    for (const who of ['Second Bank', 'Reader', 'Telco']) {
      const statusRead = await ctx.app.inject({
        url: `/taxii2/bluelight/status/${status.id}/`,
        headers: { authorization: auth[who] ?? '', accept: TAXII_MEDIA_TYPE },
      });
      expect(statusRead.statusCode).toBe(404);
      const objects = await ctx.app.inject({
        url: OBJECTS,
        headers: { authorization: auth[who] ?? '', accept: TAXII_MEDIA_TYPE },
      });
      expect(objects.statusCode).toBe(403);
    }
    // Reader reads every collection there is.
    expect(await everything('Reader')).not.toContain('only-example-bank-knows');
    // Not even its own submitter reads the collection back: it is write-only.
    const own = await ctx.app.inject({
      url: OBJECTS,
      headers: { authorization: auth['Example Bank plc'] ?? '', accept: TAXII_MEDIA_TYPE },
    });
    expect(own.statusCode).toBe(403);
    // Feedback on its id is answered as for an unknown id.
    const feedback = await post(
      'Reader',
      {
        objects: [
          {
            type: 'sighting',
            spec_version: '2.1',
            id: 'sighting--1b0e3b5e-3b7c-4c5e-9d55-7d1a3f5f2b99',
            created: '2026-12-08T10:00:00.000Z',
            modified: '2026-12-08T10:00:00.000Z',
            sighting_of_ref: indicatorStixId('domain', 'only-example-bank-knows.co.uk'),
          },
        ],
      },
      `/taxii2/bluelight/collections/${FEEDBACK_COLLECTION.id}/objects/`,
    );
    expect(feedback.json()).toMatchObject({ success_count: 0, failure_count: 1 });
  });

  it('limits how often one partner may POST, before reading the body', async () => {
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await post('Busy', { objects: [] })).statusCode;
    expect(last).toBe(429);
    const res = await post('Busy', '{not json');
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another partner is not held back by it.
    expect((await post('Second Bank', { objects: [] })).statusCode).toBe(202);
  });
});
