/**
 * Each step of a disruption request is one transaction (as use-case-atomicity.test.ts holds the other use cases
 * to): killed at every repository call in turn, it leaves nothing behind — no request without its history and
 * audit row, no approval without its webhook job, no action without the victims' news, the takedown and the
 * republication job — and the completed run made no call outside its transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../db/repositories/index.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { killEverywhere as killEverywhereIn, tableSnapshot } from '../../test/support/kill-everywhere.ts';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createDisruption } from './disruption.ts';
import type { Partner } from './partners.ts';

const TABLES = [
  'disruption_requests',
  'report_updates',
  'case_decisions',
  'indicators',
  'outbox',
  'audit_log',
] as const;
const SITE = 'https://parcel-redelivery-fee-atomic.co.uk/pay';

describe(`disruption requests are atomic: killed between statements, nothing is committed (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  const staff: Record<'officer' | 'supervisor', StaffMember> = {} as never;
  let partner: Partner;
  let reference = '';

  beforeAll(async () => {
    services = await createTestServices();
    for (const [who, role] of [
      ['officer', 'force-officer'],
      ['supervisor', 'force-supervisor'],
    ] as const) {
      const email = `${who}@police.example`;
      await addStaff(services, { email, role, forceId: 'cumbria' });
      const member = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
      if (member === null) throw new Error(`no ${who}`);
      staff[who] = member;
    }
    const added = await services.partners.add({ name: 'Registrar', sectors: ['hosting'], tlp: 'amber' });
    partner = (await services.partners.byId(added.id)) ?? (undefined as never);
    const report = await services.reportIntake.submit(
      makeSubmission({
        category: 'online-harassment',
        suspect: suspect({ websites: [SITE] }),
      }),
    );
    reference = report.reference;
    await services.intelligence.linkPending();
    await services.database.db
      .updateTable('reports')
      .set({ unit_id: 'cumbria-cyber' })
      .where('reference', '=', reference)
      .execute();
  });
  afterAll(() => services.cleanup());

  const withRepos = (repos: Repositories) =>
    createDisruption(
      services.database.db,
      services.database.dialect,
      services.clock,
      services.reference,
      services.partners,
      repos,
    );

  /** The shared kill loop (test/support/kill-everywhere.ts) over this file's tables. */
  const killEverywhere = <T>(name: string, audit: string, run: (repos: Repositories) => Promise<T>) =>
    killEverywhereIn(tableSnapshot(services.database.db, TABLES), name, audit, run);

  it('raises, approves, actions (a takedown) and declines whole or not at all', async () => {
    const raise = () => ({
      report: reference,
      partnerId: partner.id,
      type: 'takedown',
      targetType: 'url',
      targetValue: SITE,
      urgency: 'high',
      legalBasis: 'partner-terms',
      submit: true,
    });
    const { result: id } = await killEverywhere('raise', 'disruption-raised', (repos) =>
      withRepos(repos).raise(staff.officer, raise()),
    );
    const { after: approved } = await killEverywhere('approve', 'disruption-approved', (repos) =>
      withRepos(repos).approve(staff.supervisor, id),
    );
    expect(approved.outbox?.some((j) => j.includes('disruption-webhook'))).toBe(true);
    const { after: actioned } = await killEverywhere('action', 'disruption-actioned', (repos) =>
      withRepos(repos).action(partner, id, { note: 'Suspended' }),
    );
    expect(actioned.outbox?.some((j) => j.includes('publish-indicators:disruption'))).toBe(true);
    expect(actioned.report_updates?.some((u) => u.includes('disruption.takenDown'))).toBe(true);
    expect(actioned.indicators?.some((i) => i.includes(SITE) && !i.includes('"taken_down_at":null'))).toBe(
      true,
    );

    const second = await services.disruption.raise(staff.officer, raise());
    await services.disruption.approve(staff.supervisor, second);
    await killEverywhere('decline', 'disruption-declined', (repos) =>
      withRepos(repos).decline(partner, second, { reason: 'Already suspended' }),
    );
  });

  it('raises from a campaign and acknowledges (a portal user) whole or not at all', async () => {
    const site = 'https://parcel-redelivery-fee-campaign.co.uk/pay';
    for (let i = 0; i < 2; i++) {
      const report = await services.reportIntake.submit(
        makeSubmission({ category: 'online-harassment', suspect: suspect({ websites: [site] }) }),
      );
      await services.intelligence.linkPending();
      await services.database.db
        .updateTable('reports')
        .set({ unit_id: 'cumbria-cyber' })
        .where('reference', '=', report.reference)
        .execute();
    }
    const { campaign_id: campaignId } = await services.database.db
      .selectFrom('reports')
      .select('campaign_id')
      .where('campaign_id', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const { result: id } = await killEverywhere('raise from a campaign', 'disruption-raised', (repos) =>
      withRepos(repos).raise(staff.officer, {
        campaignId: campaignId ?? 0,
        partnerId: partner.id,
        type: 'takedown',
        targetType: 'url',
        targetValue: site,
        urgency: 'routine',
        legalBasis: 'partner-terms',
        submit: true,
      }),
    );
    await services.disruption.approve(staff.supervisor, id);
    const { after } = await killEverywhere('acknowledge', 'disruption-acknowledged', (repos) =>
      withRepos(repos).acknowledge(partner, id, { partnerReference: 'R-1' }, 'ops@registrar.example'),
    );
    expect(after.audit_log?.some((a) => a.includes('"actor":"ops@registrar.example"'))).toBe(true);
  });
});
