/**
 * Protect, stay-safe alert and Prevent use cases are each one transaction (as use-case-atomicity.test.ts holds the
 * casework ones to): killed at every repository call in turn, each leaves nothing behind — no Protect request without
 * its unit's notification, no status, allocation or reply without its history and audit row (a reply without its
 * email), no engagement without its questionnaire email, no published alert without its fan-out job, no
 * subscription without its confirmation email, no referral without its email to the Prevent team and audit row —
 * and the completed run made no call outside its transaction.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killEverywhere, tableSnapshot } from '../../test/support/kill-everywhere.ts';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { Role, StaffMember } from '../domain/access/access-policy.ts';
import { createAlertSubscriptions } from './alerts/alert-subscriptions.ts';
import { createAlerts } from './alerts/alerts.ts';
import { createPrevent, type PreventReferralInput } from './prevent.ts';
import { createProtectEngagements } from './protect-engagements.ts';
import { createProtectRequests } from './protect-requests.ts';

const TABLES = [
  'protect_requests',
  'protect_request_events',
  'protect_engagements',
  'protect_feedback',
  'alerts',
  'alert_subscribers',
  'alert_subscriber_areas',
  'prevent_referrals',
  'outbox',
  'audit_log',
] as const;

const ALERT = {
  titleEn: 'Courier fraud calls this week',
  bodyEn: 'Hang up and call 101 from another phone.',
  titleCy: 'Galwadau twyll negesydd yr wythnos hon',
  bodyCy: 'Rhowch y ffôn i lawr a ffoniwch 101 o ffôn arall.',
};
const CHILD: PreventReferralInput = {
  youngPerson: 'Sam',
  age: 14,
  forceId: 'cumbria',
  concern: 'Has been running a booter service',
  aware: true,
  lng: 'en',
};

describe(`Protect, alerts and Prevent are atomic: killed between statements, nothing is committed (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  const staff: Record<string, StaffMember> = {};
  let snapshot: () => Promise<Record<string, string[]>>;

  beforeAll(async () => {
    services = await createTestServices();
    snapshot = tableSnapshot(services.database.db, TABLES);
    for (const [who, role, place] of [
      ['rocu', 'regional-officer', { unitId: 'nwrocu-rccu' }],
      ['colleague', 'regional-officer', { unitId: 'nwrocu-rccu' }],
      ['officer', 'force-officer', { forceId: 'cumbria' }],
      ['supervisor', 'force-supervisor', { forceId: 'cumbria' }],
      ['prevent', 'prevent-officer', { unitId: 'nwrocu-rccu' }],
    ] as const satisfies readonly (readonly [string, Role, object])[]) {
      const email = `${who}@police.example`;
      await addStaff(services, { email, role, ...place });
      const member = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
      if (member === null) throw new Error(`no ${who}`);
      staff[who] = member;
    }
  });
  afterAll(() => services.cleanup());

  const who = (name: string): StaffMember => {
    const member = staff[name];
    if (member === undefined) throw new Error(`no ${name}`);
    return member;
  };
  const db = () => services.database.db;
  const dialect = () => services.database.dialect;
  const protectWith = (repos: Repositories) =>
    createProtectRequests(db(), services.clock, services.reference, dialect(), repos);
  const engagementsWith = (repos: Repositories) =>
    createProtectEngagements(db(), services.clock, services.reference, repos);
  const alertsWith = (repos: Repositories) =>
    createAlerts(db(), dialect(), services.clock, services.reference, repos);
  const subscriptionsWith = (repos: Repositories) =>
    createAlertSubscriptions(
      db(),
      services.clock,
      services.reference,
      services.config.sessionSecret,
      undefined,
      repos,
    );
  const preventWith = (repos: Repositories) =>
    createPrevent(db(), dialect(), services.clock, services.reference, repos);

  it('takes a Protect request from the public form to a delivered engagement and its answered questionnaire', async () => {
    await killEverywhere(snapshot, 'submit', null, (repos) =>
      protectWith(repos).submit({
        organisation: 'Lakeland Outdoor Ltd',
        email: 'jo@lakeland.example',
        contactName: 'Jo Manager',
        phone: null,
        postcode: 'LA23 1AA',
        forceId: 'cumbria',
        help: ['staff-presentation'],
        message: 'We have 40 staff.',
      }),
    );
    const id = (await services.protectRequests.forUnit(who('rocu')))[0]?.id ?? 0;
    await killEverywhere(snapshot, 'allocate', 'protect-allocate', (repos) =>
      protectWith(repos).allocate(who('rocu'), id, who('colleague').email),
    );
    const { after } = await killEverywhere(snapshot, 'reply', 'protect-reply', (repos) =>
      protectWith(repos).reply(who('rocu'), id, 'We can come on 28 January.', 'en'),
    );
    expect(after.outbox?.some((job) => job.includes('protect-reply-email'))).toBe(true);
    for (const step of [
      { status: 'contacted' },
      { status: 'scheduled', scheduledFor: '2027-01-28' },
      { status: 'delivered', outcome: 'Talk to 40 staff on phishing' },
    ])
      await killEverywhere(snapshot, `status ${step.status}`, 'protect-status', (repos) =>
        protectWith(repos).setStatus(who('rocu'), id, step),
      );
    const { result: engagement, after: logged } = await killEverywhere(
      snapshot,
      'engagement',
      'protect-engagement',
      (repos) =>
        engagementsWith(repos).record(who('rocu'), {
          requestId: id,
          type: 'presentation',
          audience: 'business',
          sector: 'hospitality',
          peopleReached: 40,
          materials: 'Slides',
          deliveredOn: '2026-01-05',
          lng: 'en',
        }),
    );
    expect(logged.outbox?.some((job) => job.includes('protect-feedback-email'))).toBe(true);
    // The questionnaire's link, as the worker would have made it when it sent the email.
    const token = 'A'.repeat(43);
    await db()
      .updateTable('protect_engagements')
      .set({ feedback_token_hash: createHash('sha256').update(token, 'utf8').digest('hex') })
      .where('id', '=', engagement)
      .execute();
    await killEverywhere(snapshot, 'answer', 'protect-feedback', (repos) =>
      engagementsWith(repos).answer(token, { usefulness: 5, willChange: 'yes', comments: 'Useful' }),
    );
  });

  it('drafts, edits and publishes an alert, and subscribes, confirms and unsubscribes', async () => {
    const { result: id } = await killEverywhere(snapshot, 'create', 'alert-draft', (repos) =>
      alertsWith(repos).create(who('officer'), ALERT),
    );
    await killEverywhere(snapshot, 'update', 'alert-edit', (repos) =>
      alertsWith(repos).update(who('supervisor'), id, { ...ALERT, titleEn: 'Courier fraud calls' }),
    );
    const { after } = await killEverywhere(snapshot, 'approve', 'alert-publish', (repos) =>
      alertsWith(repos).approve(who('officer'), id),
    );
    expect(after.outbox?.some((job) => job.includes('alert-fanout'))).toBe(true);

    await killEverywhere(snapshot, 'subscribe', 'alert-subscribe', (repos) =>
      subscriptionsWith(repos).subscribe('reader@example.net', ['force:cumbria'], 'en'),
    );
    const subscriber = await db()
      .selectFrom('alert_subscribers')
      .select('id')
      .where('email', '=', 'reader@example.net')
      .executeTakeFirstOrThrow();
    const tokens = services.alertSubscriptions;
    await killEverywhere(snapshot, 'confirm', 'alert-confirm', (repos) =>
      subscriptionsWith(repos).confirm(tokens.tokenFor('confirm', subscriber.id)),
    );
    await killEverywhere(snapshot, 'unsubscribe', 'alert-unsubscribe', (repos) =>
      subscriptionsWith(repos).unsubscribe(tokens.tokenFor('unsubscribe', subscriber.id)),
    );
  });

  it('receives a Prevent referral from the public and from an officer, and takes it through its workflow', async () => {
    const { result, after } = await killEverywhere(
      snapshot,
      'referFromPublic',
      'prevent-referral-received',
      (repos) =>
        preventWith(repos).referFromPublic(
          { kind: 'parent', name: 'A Parent', email: 'parent@example.net', phone: null, organisation: null },
          CHILD,
        ),
    );
    expect(after.outbox?.some((job) => job.includes('prevent-referral-email'))).toBe(true);
    await killEverywhere(snapshot, 'referFromWorkspace', 'prevent-referral-received', (repos) =>
      preventWith(repos).referFromWorkspace(who('officer'), CHILD),
    );
    for (const step of [
      { action: 'contacted' },
      { action: 'intervention', type: 'mentoring' },
      { action: 'outcome', outcome: 'engaged' },
      { action: 'close' },
    ] as const)
      await killEverywhere(snapshot, `advance ${step.action}`, 'prevent-referral-step', (repos) =>
        preventWith(repos).advance(who('prevent'), result.id, step),
      );
  });
});
