import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import type { EvidenceItem } from '../domain/report/report-draft.ts';
import { Killed, killedAt } from '../../test/support/killed-repositories.ts';
import { runHousekeeping } from './background-jobs.ts';
import { createRetention } from './retention.ts';
import { SESSION_TTL_MS } from './sessions.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** A tiny PNG whose tail makes each file's bytes (and SHA-256) different. */
const png = (tag: string) =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(tag.padEnd(64, '.')),
  ]);

describe(`retention: orphaned evidence and closed reports (${testDialect})`, () => {
  let now = new Date('2026-01-05T09:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  let officer: StaffMember;

  beforeAll(async () => {
    ctx = await createTestServices({}, { clock: () => now });
    await ctx.staffAccounts.add({
      email: 'oic@police.example',
      role: 'force-officer',
      forceId: 'cumbria',
      password: 'correct horse battery staple',
    });
    const user = await ctx.staff.userIdByEmail('oic@police.example');
    const member = await ctx.staff.byId(user?.id ?? 0);
    if (member === null) throw new Error('no officer');
    officer = member;
  });
  afterAll(() => ctx.cleanup());

  const db = () => ctx.database.db;
  const blobExists = async (sha256: string) =>
    (await db()
      .selectFrom('evidence_blobs')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst()) !== undefined;
  async function upload(tag: string): Promise<EvidenceItem> {
    return ctx.evidence.store(`${tag}.png`, png(tag));
  }
  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  async function submit(narrative: string, evidence: EvidenceItem[], personal = false) {
    const report = await ctx.reportIntake.submit(
      makeSubmission({
        narrative,
        evidence,
        ...(personal
          ? {
              reporter: {
                name: 'Mary Jones',
                victimName: null,
                email: 'mary.jones@example.org',
                phone: '+447700900777',
                preferredContact: 'phone',
              },
              vulnerability: ['over-70'],
              suspect: suspect({ phones: ['+447700900123'] }),
              consents: { victimSupport: true, contactTime: 'morning' },
            }
          : {}),
      }),
    );
    // Intake links the report's indicators in the background without waiting: link now, so nothing changes the
    // report's rows behind the test's back (a link landing mid-test made the killed-run test flaky).
    await ctx.intelligence.linkPending();
    return report.reference;
  }
  const close = (reference: string) => ctx.casework.setStatus(officer, reference, 'closed', 'advice-given');
  const reportRow = (reference: string) =>
    db().selectFrom('reports').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();

  it('deletes an orphaned upload once its draft has expired, never a file a report, exhibit or live draft holds', async () => {
    const abandoned = await upload('abandoned');
    const inDraft = await upload('in-a-live-draft');
    const uploadedAgain = await upload('uploaded-again');
    const ofReport = await upload('of-a-report');
    const reference = await submit('someone hacked my email account and is blackmailing me', [ofReport]);
    const caseRef = await ctx.investigations.createCase(officer, {
      title: 'Operation Wren',
      reports: [reference],
      restricted: false,
      members: [],
    });
    const exhibit = await ctx.investigations.addExhibit(officer, caseRef, {
      initials: 'JS',
      kind: 'phone',
      description: 'Black smartphone',
      seizedAt: now.toISOString(),
      seizedWhere: 'Carlisle',
      sealNumbers: ['SEAL-1'],
    });
    const exhibitFile = png('exhibit-extraction');
    await ctx.investigations.addFile(officer, exhibit.id, 'extraction.png', exhibitFile);
    const exhibitSha = (
      await db()
        .selectFrom('custody_entries')
        .select('file_sha256')
        .where('exhibit_id', '=', exhibit.id)
        .where('file_sha256', 'is not', null)
        .executeTakeFirstOrThrow()
    ).file_sha256;
    const sessionId = ctx.sessions.newId();
    await ctx.sessions.create(sessionId, {
      reportDraft: { triage: {}, acknowledged: [], evidence: [inDraft] },
    });

    // Within a draft's lifetime nothing is collected: the person may still be filling in the form.
    later(HOUR);
    expect(await ctx.retention.collectOrphanedEvidence()).toBe(0);
    expect(await blobExists(abandoned.sha256)).toBe(true);

    // The person with the live draft carries on; someone else uploads the same bytes as an old orphan.
    later(2 * HOUR);
    expect(
      await ctx.sessions.update(sessionId, {
        reportDraft: { triage: {}, acknowledged: [], evidence: [inDraft] },
      }),
    ).toBe(true);
    later(SESSION_TTL_MS - 2 * HOUR);
    await upload('uploaded-again');
    later(HOUR);
    expect(await ctx.retention.collectOrphanedEvidence()).toBe(1);
    expect(await blobExists(abandoned.sha256)).toBe(false);
    for (const kept of [inDraft.sha256, uploadedAgain.sha256, ofReport.sha256, exhibitSha ?? ''])
      expect(await blobExists(kept)).toBe(true);

    // Once the live draft has expired too, the hourly housekeeping deletes its file; the report's and the
    // exhibit's never go.
    later(SESSION_TTL_MS + HOUR);
    const logged: [object, string][] = [];
    await runHousekeeping(ctx, {
      info: (obj, msg) => logged.push([obj, msg]),
      error: (obj, msg) => logged.push([obj, msg]),
      warn: (obj, msg) => logged.push([obj, msg]),
    });
    expect(logged).toContainEqual([{ removed: 2 }, 'housekeeping: orphaned evidence files']);
    expect(await blobExists(inDraft.sha256)).toBe(false);
    expect(await blobExists(uploadedAgain.sha256)).toBe(false);
    expect(await blobExists(ofReport.sha256)).toBe(true);
    expect(await blobExists(exhibitSha ?? '')).toBe(true);
  });

  it('removes a closed report’s personal data after the retention period, audited, with the figures unchanged', async () => {
    const days = ctx.config.retentionClosedReportDays;
    expect(days).toBe(2190);
    const own = await upload('victim-own-screenshot');
    const shared = await upload('shared-screenshot');
    const exhibitEvidence = await upload('became-an-exhibit');
    const expired = await submit(
      'someone hacked my email account and is blackmailing me. My PIN is 4321',
      [own, shared],
      true,
    );
    const otherWithShared = await submit('someone hacked my email account and is blackmailing me', [shared]);
    const inOpenCase = await submit('someone hacked my email account, open case', []);
    const asExhibit = await submit('someone hacked my email account, evidence is an exhibit', [
      exhibitEvidence,
    ]);
    const stillOpen = await submit('someone hacked my email account, still being investigated', []);
    await ctx.reportIntake.submit(makeSubmission({ narrative: 'never closed' }));
    await ctx.casework.addUpdate(officer, expired, 'Mary, we spoke on 07700 900777 about your account', true);
    for (const reference of [expired, otherWithShared, inOpenCase, asExhibit]) await close(reference);
    await ctx.investigations.createCase(officer, {
      title: 'Operation Kite',
      reports: [inOpenCase],
      restricted: false,
      members: [],
    });
    const exhibitCase = await ctx.investigations.createCase(officer, {
      title: 'Operation Rook',
      reports: [stillOpen],
      restricted: false,
      members: [],
    });
    const exhibit = await ctx.investigations.addExhibit(officer, exhibitCase, {
      initials: 'AB',
      kind: 'document',
      description: 'Printed screenshot',
      seizedAt: now.toISOString(),
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    await ctx.investigations.addFile(officer, exhibit.id, 'screenshot.png', png('became-an-exhibit'));

    const query = { from: '2025-01-01', to: '2033-12-31', groupBy: ['force', 'category', 'month'] as const };
    const figures = await ctx.statistics.query({ ...query, groupBy: [...query.groupBy] });
    expect(figures.total.reports).toBeGreaterThan(0);

    // One day short of the period: nothing is removed.
    later(days * DAY - DAY);
    expect(await ctx.retention.removeExpiredPersonalData()).toBe(0);
    // A report closed just now is not due for another six years.
    await close(otherWithShared);
    later(2 * DAY);
    expect(await ctx.retention.removeExpiredPersonalData()).toBe(1);

    const row = await reportRow(expired);
    expect(row.anonymised_at).toBe(now.toISOString());
    expect(row.narrative).toBe('');
    expect(row.contact_email).toBeNull();
    expect(row.postcode).toBeNull();
    const stored =
      JSON.stringify(row) +
      JSON.stringify(
        await db().selectFrom('report_updates').select('message').where('report_id', '=', row.id).execute(),
      ) +
      JSON.stringify(
        await db().selectFrom('referrals').select('payload').where('report_id', '=', row.id).execute(),
      );
    for (const personal of [
      'Mary',
      'mary.jones',
      '7700900777',
      '07700 900777',
      'over-70',
      '4321',
      '7700900123',
    ])
      expect(stored).not.toContain(personal);
    // What the figures are made of stays.
    expect(row).toMatchObject({ status: 'closed', force_id: 'cumbria' });
    expect(
      await db().selectFrom('report_evidence').select('id').where('report_id', '=', row.id).execute(),
    ).toHaveLength(0);
    expect(await blobExists(own.sha256)).toBe(false);
    expect(await blobExists(shared.sha256)).toBe(true);
    expect(await blobExists(exhibitEvidence.sha256)).toBe(true);

    // Kept: closed recently, linked to an open case, evidence that is an exhibit of an open case, never closed.
    for (const kept of [otherWithShared, inOpenCase, asExhibit, stillOpen]) {
      const keptRow = await reportRow(kept);
      expect(keptRow.anonymised_at).toBeNull();
      expect(keptRow.narrative).toContain('someone hacked');
    }

    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'retention-personal-data-removed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'retention', reference: expired, force_id: 'cumbria' });

    expect(await ctx.statistics.query({ ...query, groupBy: [...query.groupBy] })).toEqual(figures);
    await ctx.statistics.rebuild();
    expect(await ctx.statistics.query({ ...query, groupBy: [...query.groupBy] })).toEqual(figures);
    // Once is enough.
    expect(await ctx.retention.removeExpiredPersonalData()).toBe(0);
    // Staff reading it see why it is empty.
    const read = await ctx.staff.readReport(officer, expired, 'retention check');
    expect(read?.personalDataRemovedAt).toBe(row.anonymised_at);
    expect(JSON.stringify(read)).not.toContain('Mary');
  });

  it('removes a report’s personal data all at once or not at all: killed at any statement, nothing is half done', async () => {
    const evidence = await upload('killed-run-screenshot');
    const target = await submit(
      'someone hacked my email account, killed run. My PIN is 9876',
      [evidence],
      true,
    );
    await ctx.casework.addUpdate(officer, target, 'Mary, we called you about your account', true);
    await close(target);
    later((ctx.config.retentionClosedReportDays + 1) * DAY);
    const before = await reportRow(target);
    const detailsOf = async (id: number) => ({
      evidence: await db()
        .selectFrom('report_evidence')
        .select('sha256')
        .where('report_id', '=', id)
        .execute(),
      indicators: await db()
        .selectFrom('report_indicators')
        .select('indicator_id')
        .where('report_id', '=', id)
        .orderBy('indicator_id')
        .execute(),
      updates: await db()
        .selectFrom('report_updates')
        .select('message')
        .where('report_id', '=', id)
        .execute(),
    });
    const untouched = await detailsOf(before.id);
    expect(untouched.evidence).toHaveLength(1);
    expect(untouched.indicators.length).toBeGreaterThan(0);
    const audited = () =>
      db()
        .selectFrom('audit_log')
        .select('reference')
        .where('action', '=', 'retention-personal-data-removed')
        .execute();

    let completed = false;
    for (let at = 1; !completed && at < 100; at++) {
      const { repos } = killedAt(at);
      const retention = createRetention(db(), () => now, ctx.config, repos);
      const outcome = await retention.removeExpiredPersonalData().then(
        () => 'done',
        (error: unknown) => {
          if (!(error instanceof Killed)) throw error;
          return 'killed';
        },
      );
      completed = outcome === 'done';
      const row = await reportRow(target);
      const auditedRefs = (await audited()).map((a) => a.reference);
      if (row.anonymised_at === null) {
        // Killed before its transaction committed: every detail is still there, and no audit row claims otherwise.
        expect(row).toEqual(before);
        expect(await detailsOf(before.id)).toEqual(untouched);
        expect(await blobExists(evidence.sha256)).toBe(true);
        expect(auditedRefs).not.toContain(target);
      } else {
        expect(row.narrative).toBe('');
        expect(await detailsOf(before.id)).toMatchObject({ evidence: [], indicators: [] });
        expect(auditedRefs.filter((r) => r === target)).toHaveLength(1);
      }
      // Whatever else was due: a report is anonymised exactly when its audit row exists.
      const anonymised = await db()
        .selectFrom('reports')
        .select('reference')
        .where('anonymised_at', 'is not', null)
        .execute();
      expect(anonymised.map((r) => r.reference).sort()).toEqual([...auditedRefs].sort());
    }
    expect(completed).toBe(true);
    expect((await reportRow(target)).anonymised_at).not.toBeNull();
  });
});
