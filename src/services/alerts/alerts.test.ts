import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../../test/support/staff-fixtures.ts';
import { startSmtpCapture } from '../../../test/support/smtp-capture.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import { createTranslator } from '../../web/plugins/i18n.ts';
import { jobHandlers } from '../background-jobs.ts';
import { smtpEmailSender, type EmailSender } from '../email/email-sender.ts';
import { createOutboxWorker } from '../outbox-worker.ts';

const quiet = { info: () => undefined, error: () => undefined };
const BASE_URL = 'https://bluelight.example';
const TEXT = {
  titleEn: 'Courier fraud calls in Cumbria this week',
  bodyEn:
    'Callers claim to be police & ask for your bank card.\n\nHang up <and> call 101 from another phone.',
  titleCy: 'Galwadau twyll negesydd yn Cumbria yr wythnos hon',
  bodyCy: 'Mae galwyr yn honni eu bod yn heddlu ac yn gofyn am eich cerdyn banc.',
};

/** Small batches: the same batching, retried and shared, without sending hundreds of emails. */
const ALERT_BATCH_SIZE = 20;

describe(`stay-safe alerts: two-person approval, double opt-in and batched sending over real SMTP (${testDialect})`, () => {
  let now = new Date('2026-12-09T10:00:00Z');
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let sender: ReturnType<typeof smtpEmailSender>;
  let translate: (lng: 'en' | 'cy', key: string, vars?: Record<string, string>) => string;
  const workerWith = (email: EmailSender) =>
    createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => now,
      jobHandlers(services, { log: quiet, email, translate }),
      quiet,
    );
  const drain = async (worker = workerWith(sender)) => {
    while ((await worker.runOnce(50)) > 0);
  };
  const member = async (email: string): Promise<StaffMember> => {
    const id = await services.staff.userIdByEmail(email);
    const found = await services.staff.byId(id?.id ?? 0);
    if (found === null) throw new Error(email);
    return found;
  };
  let author: StaffMember;
  let approver: StaffMember;
  let dyfedPowys: StaffMember;
  let rocu: StaffMember;
  let national: StaffMember;
  let analyst: StaffMember;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    services = await createTestServices(
      { SMTP_URL: smtp.url, BASE_URL },
      { clock: () => now, alertBatchSize: ALERT_BATCH_SIZE },
    );
    sender = smtpEmailSender(smtp.url, services.config.emailFrom);
    const translator = await createTranslator();
    translate = (lng, key, vars) => translator[lng](key, vars);
    await addStaff(services, { email: 'officer@cumbria.example', role: 'force-officer', forceId: 'cumbria' });
    await addStaff(services, { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria' });
    await addStaff(services, {
      email: 'sup@dyfed.example',
      role: 'force-supervisor',
      forceId: 'dyfed-powys',
    });
    await addStaff(services, { email: 'rocu@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu' });
    await addStaff(services, { email: 'nccu@nca.example', role: 'national-officer', unitId: 'nccu' });
    await addStaff(services, { email: 'analyst@nfib.example', role: 'analyst' });
    author = await member('officer@cumbria.example');
    approver = await member('sup@cumbria.example');
    dyfedPowys = await member('sup@dyfed.example');
    rocu = await member('rocu@nw.example');
    national = await member('nccu@nca.example');
    analyst = await member('analyst@nfib.example');
  });
  afterAll(async () => {
    sender.close();
    await services.cleanup();
    await smtp.close();
  });

  /** The link of this kind in the latest email to `to`. */
  const linkIn = async (to: string, kind: 'confirm' | 'unsubscribe') => {
    const emails = await smtp.to(to);
    const text = emails.at(-1)?.text ?? '';
    const match = new RegExp(`${BASE_URL}/alerts/${kind}/([0-9]+\\.[A-Za-z0-9_-]{43})\\?lng=(en|cy)`).exec(
      text,
    );
    if (match === null) throw new Error(`no ${kind} link to ${to}: ${text}`);
    return match[1] ?? '';
  };

  it('publishes only when a second person of the unit approves; the author, other units and other roles cannot', async () => {
    const alerts = services.alerts;
    await expect(alerts.create(national, TEXT)).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'alert-writer',
    });
    await expect(alerts.create(analyst, TEXT)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(alerts.create(author, { ...TEXT, titleCy: ' ' })).rejects.toMatchObject({
      code: 'alert-text-missing',
      field: 'titleCy',
    });
    await expect(alerts.create(author, { ...TEXT, campaignId: 99 })).rejects.toMatchObject({
      code: 'alert-campaign',
      field: 'campaignId',
    });
    const id = await alerts.create(author, TEXT);
    expect(await alerts.published('force:cumbria', 'en')).toEqual([]);
    await expect(alerts.approve(author, id)).rejects.toMatchObject({ kind: 'forbidden', code: 'alert-own' });
    expect((await alerts.detail(author, id)).mayApprove).toBe(false);
    for (const outsider of [dyfedPowys, rocu]) {
      await expect(alerts.approve(outsider, id)).rejects.toMatchObject({ kind: 'not-found' });
      await expect(alerts.update(outsider, id, TEXT)).rejects.toMatchObject({ kind: 'not-found' });
      await expect(alerts.detail(outsider, id)).rejects.toMatchObject({ kind: 'not-found' });
    }
    // Whoever changes the draft becomes its author: the supervisor who edits cannot approve either.
    await alerts.update(approver, id, { ...TEXT, titleEn: `${TEXT.titleEn}: what to look out for` });
    await expect(alerts.approve(approver, id)).rejects.toMatchObject({ code: 'alert-own' });
    await alerts.approve(author, id);
    await expect(alerts.approve(approver, id)).rejects.toMatchObject({ code: 'alert-published' });
    await expect(alerts.update(author, id, TEXT)).rejects.toMatchObject({ code: 'alert-published' });
    const [shown] = (await alerts.published('force:cumbria', 'en')) ?? [];
    expect(shown).toMatchObject({ title: `${TEXT.titleEn}: what to look out for`, body: TEXT.bodyEn });
    expect((await alerts.published('region:north-west', 'cy'))?.[0]?.title).toBe(TEXT.titleCy);
    expect(await alerts.published('force:dyfed-powys', 'en')).toEqual([]);
    expect(await alerts.published('force:atlantis', 'en')).toBeNull();
    const audit = await services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', 'like', 'alert-%')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { actor: author.email, action: 'alert-draft' },
      { actor: approver.email, action: 'alert-edit' },
      { actor: author.email, action: 'alert-publish' },
    ]);
    // Approved before anyone subscribed: nobody to email.
    await drain();
  });

  it('subscribes with double opt-in, sends each alert to the areas it reaches with an unsubscribe link, and stops on unsubscribe', async () => {
    const subs = services.alertSubscriptions;
    await expect(subs.subscribe('not-an-address', ['force:cumbria'], 'en')).rejects.toMatchObject({
      field: 'email',
    });
    await expect(subs.subscribe('a@example.net', ['force:atlantis'], 'en')).rejects.toMatchObject({
      field: 'areas',
    });
    await subs.subscribe('Cumbria.Reader@example.net', ['force:cumbria'], 'en');
    await subs.subscribe('region.reader@example.net', ['region:north-west'], 'cy');
    await subs.subscribe('wales.reader@example.net', ['force:dyfed-powys'], 'en');
    await subs.subscribe('never.confirms@example.net', ['force:cumbria'], 'en');
    await drain();
    const confirmEmail = (await smtp.to('cumbria.reader@example.net'))[0];
    expect(confirmEmail?.subject).toBe('Confirm your stay-safe alerts');
    expect(confirmEmail?.text).toContain('Cumbria Constabulary');
    expect(confirmEmail?.raw).toMatch(
      /^List-Unsubscribe:\s+<https:\/\/bluelight\.example\/alerts\/unsubscribe\//m,
    );
    expect((await smtp.to('region.reader@example.net'))[0]?.subject).toBe(
      'Cadarnhewch eich rhybuddion cadw’n ddiogel',
    );

    // A forged or altered link confirms nothing.
    const token = await linkIn('cumbria.reader@example.net', 'confirm');
    expect(await subs.confirm(`${token.split('.')[0] ?? ''}.${'A'.repeat(43)}`)).toBeNull();
    expect(await subs.confirm(token.replace(/^\d+/, (n) => String(Number(n) + 1)))).toBeNull();
    expect(await subs.confirm(await linkIn('cumbria.reader@example.net', 'unsubscribe'))).toBeNull();
    expect(await subs.confirm(token)).toEqual(['force:cumbria']);
    expect(await subs.confirm(await linkIn('region.reader@example.net', 'confirm'))).toEqual([
      'region:north-west',
    ]);
    expect(await subs.confirm(await linkIn('wales.reader@example.net', 'confirm'))).toEqual([
      'force:dyfed-powys',
    ]);

    // Only the address, its language and its areas are stored.
    const columns = Object.keys(
      await services.database.db.selectFrom('alert_subscribers').selectAll().executeTakeFirstOrThrow(),
    ).sort();
    expect(columns).toEqual(['created_at', 'email', 'id', 'lng']);

    const before = (await smtp.emails()).length;
    const id = await services.alerts.create(author, TEXT);
    await services.alerts.approve(approver, id);
    // The SMTP server refuses the batch's second email (451, as under maintenance): the first is not sent again
    // when the outbox retries the batch.
    let attempts = 0;
    const refusingSecond: EmailSender = {
      async send(message) {
        attempts++;
        smtp.refuse(attempts === 2);
        try {
          await sender.send(message);
        } finally {
          smtp.refuse(false);
        }
      },
    };
    await drain(workerWith(refusingSecond));
    expect((await smtp.emails()).slice(before).map((e) => e.recipients[0])).toEqual([
      'cumbria.reader@example.net',
    ]);
    now = new Date(now.getTime() + 24 * 3600_000);
    await drain();
    expect(attempts).toBe(2);
    const sent = (await smtp.emails()).slice(before);
    expect(sent.map((e) => e.recipients[0]).sort()).toEqual([
      'cumbria.reader@example.net',
      'region.reader@example.net',
    ]);
    const english = sent.find((e) => e.recipients[0] === 'cumbria.reader@example.net');
    expect(english?.subject).toBe(TEXT.titleEn);
    expect(english?.text).toContain('Hang up <and> call 101 from another phone.');
    expect(english?.text).toContain(`${BASE_URL}/alerts/force/cumbria?lng=en`);
    expect(english?.raw).toMatch(
      /^List-Unsubscribe:\s+<https:\/\/bluelight\.example\/alerts\/unsubscribe\/\d+\.[\w-]{43}\/one-click\?lng=en>/m,
    );
    // RFC 8058: a mail client may unsubscribe in one click, by a POST to that address.
    expect(english?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(sent.find((e) => e.recipients[0] === 'region.reader@example.net')?.subject).toBe(TEXT.titleCy);

    expect(await subs.unsubscribe(await linkIn('cumbria.reader@example.net', 'unsubscribe'))).toBe(true);
    expect(
      await services.database.db
        .selectFrom('alert_subscribers')
        .select('id')
        .where('email', '=', 'cumbria.reader@example.net')
        .execute(),
    ).toEqual([]);
    const again = (await smtp.emails()).length;
    const next = await services.alerts.create(rocu, { ...TEXT, titleEn: 'Regional: fake invoices' });
    await expect(services.alerts.approve(rocu, next)).rejects.toMatchObject({ code: 'alert-own' });
    await addStaff(services, { email: 'rocu2@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu' });
    await services.alerts.approve(await member('rocu2@nw.example'), next);
    await drain();
    expect((await smtp.emails()).slice(again).map((e) => e.recipients[0])).toEqual([
      'region.reader@example.net',
    ]);

    // Never confirmed: removed after 7 days, and never emailed an alert.
    now = new Date('2026-12-17T10:00:00Z');
    expect(await subs.purgeUnconfirmed()).toBe(1);
    expect(
      await services.database.db
        .selectFrom('alert_subscribers')
        .select('email')
        .where('email', '=', 'never.confirms@example.net')
        .execute(),
    ).toEqual([]);
  });

  // 408 emails over SMTP are about 5 s of CPU; on a shared machine under load the wall time is several times that.
  it(
    'sends in outbox batches over SMTP and, after a failure mid-batch, carries on without emailing anyone twice',
    { timeout: 120_000 },
    async () => {
      const subs = services.alertSubscriptions;
      const count = ALERT_BATCH_SIZE * 2 + 7;
      for (let i = 0; i < count; i++)
        await subs.subscribe(`bulk${String(i)}@example.org`, ['force:dyfed-powys'], 'en');
      const ids = await services.database.db
        .selectFrom('alert_subscribers')
        .select(['id', 'email'])
        .where('email', 'like', 'bulk%')
        .execute();
      for (const { id } of ids) await subs.confirm(subs.tokenFor('confirm', id));
      await services.database.db.deleteFrom('outbox').where('kind', '=', 'alert-confirm-email').execute();
      const idOf = new Map<string, number>([
        ...ids.map((s) => [s.email, s.id] as const),
        [
          'wales.reader@example.net',
          (
            await services.database.db
              .selectFrom('alert_subscribers')
              .select('id')
              .where('email', '=', 'wales.reader@example.net')
              .executeTakeFirstOrThrow()
          ).id,
        ],
      ]);

      // One email of the second batch fails to send (its connection drops): the outbox retries that batch from there.
      // Three workers share the batches, as three app instances would, each over a pooled connection (production opens
      // one per email: what crosses the wire is the same, in far less time on a busy machine).
      const pooled = smtpEmailSender(`${smtp.url}?pool=true&maxConnections=3`, services.config.emailFrom);
      const failing = `bulk${String(ALERT_BATCH_SIZE + 10)}@example.org`;
      let failed = 0;
      const failingOnce: EmailSender = {
        send(message) {
          if (message.to === failing && failed++ === 0)
            return Promise.reject(new Error('email not sent: ECONNECTION'));
          return pooled.send(message);
        },
      };
      const before = (await smtp.emails()).length;
      const id = await services.alerts.create(dyfedPowys, {
        ...TEXT,
        titleEn: 'Dyfed-Powys: fake parcel texts',
      });
      await addStaff(services, {
        email: 'officer@dyfed.example',
        role: 'force-officer',
        forceId: 'dyfed-powys',
      });
      await services.alerts.approve(await member('officer@dyfed.example'), id);
      const workers = [1, 2, 3].map(() => workerWith(failingOnce));
      const share = () =>
        Promise.all(
          workers.map(async (worker) => {
            while ((await worker.runOnce(1)) > 0);
          }),
        );
      await share();
      const batches = await services.database.db
        .selectFrom('outbox')
        .select(['status', 'attempts'])
        .where('dedupe_key', 'like', `alert-batch:${String(id)}:%`)
        .execute();
      expect(batches).toHaveLength(3);
      // The failed batch waits for its retry; bring the clock past it.
      expect(batches.filter((b) => b.status === 'pending')).toHaveLength(1);
      now = new Date(now.getTime() + 24 * 3600_000);
      await share();
      pooled.close();
      expect(failed).toBe(2);

      // What arrived: one email per subscriber, none twice, each with that subscriber's own unsubscribe link.
      const sent = (await smtp.emails()).slice(before);
      const to = sent.map((e) => e.recipients.join(','));
      expect(to).toHaveLength(count + 1);
      expect(new Set(to)).toEqual(new Set(idOf.keys()));
      for (const email of sent) {
        const address = email.recipients[0] ?? '';
        const token = subs.tokenFor('unsubscribe', idOf.get(address) ?? 0);
        expect(email.subject, address).toBe('Dyfed-Powys: fake parcel texts');
        expect(email.to, address).toEqual([address]);
        expect(email.cc, address).toEqual([]);
        expect(email.text, address).toContain(`${BASE_URL}/alerts/unsubscribe/${token}?lng=en`);
        expect(email.raw, address).toContain(`/alerts/unsubscribe/${token}/one-click?lng=en>`);
        // Nothing personal beyond the address: no other address anywhere in the message (the sender's and the
        // Message-ID apart).
        const headerless = email.raw.replace(/^(From|Message-ID):.*$/gim, '');
        const others = (headerless.match(/[\w.+-]+@[\w.-]+\.[a-z]+/gi) ?? []).filter((a) => a !== address);
        expect(others, address).toEqual([]);
      }
    },
  );
});
