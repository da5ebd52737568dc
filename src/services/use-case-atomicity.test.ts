/**
 * Every use case that writes is one transaction: killed between any two of its statements (a repository call that
 * throws, standing in for a crash), it leaves nothing behind — no exhibit without its custody entry, no case
 * without its audit row, no transfer without its decision and audit rows, no change of category without its
 * history, figures and audit row, no exhibit made from a report's evidence without its custody entry, no evidence
 * download without its audit row, no report taken for a caller without its evidence, referral, history entry and
 * audit row. Each use case is run with the kill at call 1, 2, 3… until it completes; after
 * every killed run the database must be exactly as before, and the completed run made no call outside its
 * transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { Killed, killedAt } from '../../test/support/killed-repositories.ts';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createCasework } from './casework.ts';
import { createClassificationReview } from './classification-review.ts';
import { createInvestigations } from './investigations/index.ts';
import { createPartnerRelease } from './partner-release.ts';
import { createFeeds } from './feeds/index.ts';
import { createRecategorise } from './recategorise.ts';
import { createReferrals } from './referrals.ts';
import { createReportIntake } from './report-intake.ts';
import { createReportEvidence } from './report-evidence.ts';
import { createVictimFollowUp } from './victim-follow-up.ts';

/** Every table a case or casework use case may write. */
const TABLES = [
  'cases',
  'case_reports',
  'case_members',
  'case_units',
  'case_decisions',
  'case_tasks',
  'exhibits',
  'custody_entries',
  'exhibit_file_md5',
  'evidence_blobs',
  'forensic_requests',
  'cdr_events',
  'hashlists',
  'hashlist_entries',
  'feeds',
  'audit_log',
  'outbox',
  'reports',
  'report_updates',
  'report_evidence',
  'category_changes',
  'classification_reviews',
  'indicators',
  'stats_daily',
  'referrals',
  'stats_monthly',
] as const;

describe(`use cases are atomic: killed between statements, nothing is committed (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  const staff: Record<'oic' | 'colleague' | 'supervisor' | 'kent', StaffMember> = {} as never;

  beforeAll(async () => {
    services = await createTestServices();
    for (const [who, role, forceId] of [
      ['oic', 'force-officer', 'cumbria'],
      ['colleague', 'force-officer', 'cumbria'],
      ['supervisor', 'force-supervisor', 'cumbria'],
      ['kent', 'force-officer', 'kent'],
    ] as const) {
      const email = `${who}@police.example`;
      await addStaff(services, { email, role, forceId });
      const id = (await services.staff.userIdByEmail(email))?.id ?? 0;
      const member = await services.staff.byId(id);
      if (member === null) throw new Error(`no ${who}`);
      staff[who] = member;
    }
  });
  afterAll(() => services.cleanup());

  /** Every row of every table the use cases write, in a stable order. */
  async function snapshot() {
    const db = services.database.db;
    const state: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const rows = await db.selectFrom(table).selectAll().execute();
      state[table] = rows
        .map((row) =>
          JSON.stringify(row, (_k, v: unknown) =>
            v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
          ),
        )
        .sort();
    }
    return state;
  }

  const investigationsWith = (repos: Repositories) =>
    createInvestigations(
      services.database.db,
      services.database.dialect,
      services.clock,
      services.reference,
      repos,
    );
  const caseworkWith = (repos: Repositories) =>
    createCasework(
      services.database.db,
      services.database.dialect,
      services.clock,
      services.reference,
      5,
      repos,
    );
  const recategoriseWith = (repos: Repositories) =>
    createRecategorise(
      services.database.db,
      services.database.dialect,
      services.clock,
      services.reference,
      repos,
    );
  const reviewWith = (repos: Repositories) =>
    createClassificationReview(
      services.database.db,
      services.database.dialect,
      services.clock,
      recategoriseWith(repos),
      repos,
    );
  const referralsWith = (repos: Repositories) =>
    createReferrals(
      services.database.db,
      services.database.dialect,
      services.clock,
      { victimSupportReferrals: 'log', victimSupportUrl: null, victimSupportSecret: '' },
      repos,
    );
  const victimFollowUpWith = (repos: Repositories) =>
    createVictimFollowUp(
      services.database.db,
      services.database.dialect,
      services.clock,
      // Linking the new indicators starts in the background after a commit: here it would race the snapshots.
      { ...services.intelligence, linkSoon: () => undefined },
      // Its referral is updated in the same transaction, through the same (killable) repositories.
      referralsWith(repos),
      repos,
    );
  const partnerReleaseWith = (repos: Repositories) =>
    createPartnerRelease(services.database.db, services.clock, services.sharing, repos);

  /**
   * Runs `run` with the kill at each repository call in turn until it completes, checking after each killed run
   * that nothing changed; then that the completed run did change the database and wrote the `audit` action.
   * Returns what the completed run returned.
   */
  async function killEverywhere<T>(name: string, audit: string, run: (repos: Repositories) => Promise<T>) {
    for (let at = 1; at < 200; at++) {
      const before = await snapshot();
      const killed = killedAt(at);
      let result: T;
      try {
        result = await run(killed.repos);
      } catch (error) {
        if (!(error instanceof Killed)) throw error;
        expect(await snapshot(), `${name}, killed at repository call ${at}`).toEqual(before);
        continue;
      }
      // It ran to the end: every earlier call was a point where it was killed, and it made at least one write.
      expect(killed.calls(), name).toBe(at - 1);
      expect(killed.outside(), `${name}: calls outside its transaction`).toEqual([]);
      expect(at, `${name} made no repository calls`).toBeGreaterThan(2);
      const after = await snapshot();
      expect(after, name).not.toEqual(before);
      expect(
        after.audit_log
          ?.filter((row) => !(before.audit_log ?? []).includes(row))
          .map((row) => (JSON.parse(row as string) as { action: string }).action),
        name,
      ).toEqual([audit]);
      return result;
    }
    throw new Error(`${name} never completed`);
  }

  /** A report the Cumbria cyber crime unit holds. */
  const hacked = () =>
    makeSubmission({ narrative: 'someone hacked my email account and is blackmailing me' });

  async function newCase(title: string) {
    return services.investigations.createCase(staff.oic, {
      title,
      reports: [],
      restricted: false,
      members: [],
    });
  }
  async function newExhibit(reference: string) {
    return services.investigations.addExhibit(staff.oic, reference, {
      initials: 'JS',
      kind: 'phone',
      description: 'Black smartphone',
      seizedAt: '2026-11-20T09:15:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: ['SEAL-1'],
    });
  }

  it('opens a case with its reports, team and audit row, or not at all', async () => {
    const report = await services.reportIntake.submit(hacked());
    const reference = await killEverywhere('createCase', 'case-opened', (repos) =>
      investigationsWith(repos).createCase(staff.oic, {
        title: 'Operation Tern',
        reports: [report.reference],
        restricted: true,
        members: ['colleague@police.example'],
      }),
    );
    const read = await services.investigations.readCase(staff.oic, reference);
    expect(read?.reports.map((r) => r.reference)).toEqual([report.reference]);
    expect(read?.members).toEqual(['colleague@police.example', 'oic@police.example']);
  });

  it('records an exhibit only with its seized custody entry, and files and custody events with theirs', async () => {
    const reference = await newCase('Exhibits');
    const exhibit = await killEverywhere('addExhibit', 'exhibit-added', (repos) =>
      investigationsWith(repos).addExhibit(staff.oic, reference, {
        initials: 'AB',
        kind: 'laptop',
        description: 'Grey laptop',
        seizedAt: '2026-11-20T09:15:00.000Z',
        seizedWhere: '1 High Street',
        sealNumbers: ['SEAL-9'],
      }),
    );
    expect(
      (await services.investigations.custody(staff.oic, exhibit.id))?.entries.map((e) => e.event),
    ).toEqual(['seized']);
    await killEverywhere('addCustody', 'custody-added', (repos) =>
      investigationsWith(repos).addCustody(staff.oic, exhibit.id, {
        event: 'booked-in',
        at: '2026-11-21T10:00:00.000Z',
        location: 'Property store',
        note: '',
      }),
    );
    await killEverywhere('addFile', 'exhibit-file-added', (repos) =>
      investigationsWith(repos).addFile(staff.oic, exhibit.id, 'report.pdf', Buffer.from('%PDF-1.4 report')),
    );
    expect(await services.investigations.verify(reference)).toMatchObject({ ok: true, entries: 3, files: 1 });
  });

  it('changes the team, shares, transfers and closes a case with its decision and audit rows, or not at all', async () => {
    const reference = await newCase('Team');
    await killEverywhere('addMember', 'case-member-added', (repos) =>
      investigationsWith(repos).addMember(staff.oic, reference, 'colleague@police.example'),
    );
    await killEverywhere('removeMember', 'case-member-removed', (repos) =>
      investigationsWith(repos).removeMember(staff.oic, reference, 'colleague@police.example'),
    );
    await killEverywhere('share', 'case-shared', (repos) =>
      investigationsWith(repos).share(staff.oic, reference, 'kent-cyber', 'Suspect in Kent'),
    );
    await killEverywhere('close', 'case-closed', (repos) =>
      investigationsWith(repos).close(staff.oic, reference, 'charge-summons', 'CPS authorised charge'),
    );
    const moving = await newCase('Transfer');
    const exhibit = await newExhibit(moving);
    await services.investigations.requestExamination(staff.oic, exhibit.id, {
      what: 'Extraction',
      why: 'Messages',
      priority: 'routine',
      legalAuthority: 'PACE s.19',
    });
    await killEverywhere('transfer', 'case-transferred', (repos) =>
      investigationsWith(repos).transfer(staff.oic, moving, {
        unit: 'kent-cyber',
        reason: 'Offender in Kent',
        officerInCharge: 'kent@police.example',
        members: [],
      }),
    );
    expect(await services.investigations.readCase(staff.kent, moving)).toMatchObject({
      unit: 'kent-cyber',
      officerInCharge: 'kent@police.example',
    });
  });

  it('requests and completes an examination (with its examined custody entry), or not at all', async () => {
    const reference = await newCase('Forensics');
    const exhibit = await newExhibit(reference);
    const id = await killEverywhere('requestExamination', 'examination-requested', (repos) =>
      investigationsWith(repos).requestExamination(staff.oic, exhibit.id, {
        what: 'Full extraction',
        why: 'Chats',
        priority: 'high',
        legalAuthority: 'PACE s.19',
      }),
    );
    await killEverywhere('updateExamination', 'examination-complete', (repos) =>
      investigationsWith(repos).updateExamination(staff.colleague, id, {
        status: 'complete',
        findings: 'Chats recovered',
      }),
    );
    expect(await services.investigations.verify(reference)).toMatchObject({ ok: true, entries: 2 });
  });

  it('adds tasks, decisions, call data records and hash lists whole, or not at all', async () => {
    const reference = await newCase('Tasks');
    const task = await killEverywhere('addTask', 'case-task-added', (repos) =>
      investigationsWith(repos).addTask(staff.oic, reference, {
        title: 'Subscriber checks',
        owner: 'colleague@police.example',
        dueOn: '2026-12-20',
      }),
    );
    await killEverywhere('completeTask', 'case-task-done', (repos) =>
      investigationsWith(repos).completeTask(staff.colleague, reference, task),
    );
    await killEverywhere('addDecision', 'case-decision', (repos) =>
      investigationsWith(repos).addDecision(staff.oic, reference, 'Seek a production order', 'Bank records'),
    );
    const exhibit = await newExhibit(reference);
    await killEverywhere('importCdr', 'cdr-imported', (repos) =>
      investigationsWith(repos).importCdr(
        staff.oic,
        exhibit.id,
        'timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude\n2026-11-20T08:59:00Z,call,+447700900111,,65,CELL-1,54.8925,-2.9329\n2026-11-20T09:10:00Z,cell,+447700900111,,,CELL-2,54.8951,-2.9360',
      ),
    );
    await killEverywhere('markNear', 'cdr-marked', (repos) =>
      investigationsWith(repos).markNear(staff.oic, exhibit.id, {
        lat: 54.8931,
        lon: -2.934,
        radiusM: 500,
        from: '2026-11-20T08:00:00.000Z',
        to: '2026-11-20T10:00:00.000Z',
        note: 'Near the address',
      }),
    );
  });

  it('imports a hash list (its entries and audit row) whole, or not at all', async () => {
    await services.investigations.importHashlist('national', `${'a'.repeat(32)}\n`, 'cli:operator');
    await killEverywhere('importHashlist', 'hashlist-imported', (repos) =>
      investigationsWith(repos).importHashlist(
        'national',
        `${'b'.repeat(64)}\n${'c'.repeat(32)}\n`,
        'cli:operator',
      ),
    );
    const lists = await services.database.db
      .selectFrom('hashlist_entries')
      .select('hash')
      .orderBy('hash')
      .execute();
    expect(lists.map((l) => l.hash)).toEqual(['b'.repeat(64), 'c'.repeat(32)]);
  });

  it('allocates a report (status, update, audit row and republication) whole, or not at all', async () => {
    const report = await services.reportIntake.submit(hacked());
    await killEverywhere('casework allocate', 'allocate', (repos) =>
      caseworkWith(repos).allocate(staff.supervisor, report.reference, 'oic@police.example'),
    );
    const row = await services.database.db
      .selectFrom('reports')
      .select(['status', 'allocated_to'])
      .where('reference', '=', report.reference)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'allocated', allocated_to: 'oic@police.example' });
  });

  /** The report's changes of category as staff read them: category and who. */
  const categoryHistory = async (reference: string) =>
    (await services.staff.readReport(staff.oic, reference, 'test'))?.history.flatMap((h) =>
      'by' in h ? [[h.category, h.by]] : [],
    );

  /** A report the Cumbria unit holds that names a suspect's email address, with a victim to email. */
  async function reportWithIndicator(address: string) {
    const report = await services.reportIntake.submit(
      makeSubmission({
        narrative: 'someone hacked my email account and is blackmailing me',
        reporter: {
          name: 'A',
          victimName: null,
          email: 'victim@example.org',
          phone: null,
          preferredContact: null,
        },
        suspect: suspect({ emails: [address] }),
      }),
    );
    // Linked now, so no background linking writes while the use cases are killed and compared.
    await services.intelligence.linkPending();
    const indicator = await services.database.db
      .selectFrom('indicators')
      .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .select(['indicators.type', 'indicators.value', 'reports.id as reportId'])
      .where('reports.reference', '=', report.reference)
      .where('indicators.value', '=', address)
      .executeTakeFirstOrThrow();
    return { reference: report.reference, reportId: indicator.reportId, indicator };
  }

  it('changes a report’s TLP, indicator sharing, status and updates whole (with audit row and outbox), or not at all', async () => {
    const { reference, indicator } = await reportWithIndicator('crook@example.net');
    await killEverywhere('casework setTlp', 'set-tlp', (repos) =>
      caseworkWith(repos).setTlp(staff.oic, reference, 'amber'),
    );
    await killEverywhere('casework setIndicatorSharing', 'indicator-hold-back', (repos) =>
      caseworkWith(repos).setIndicatorSharing(
        staff.oic,
        reference,
        { type: indicator.type, value: indicator.value },
        'hold-back',
      ),
    );
    await killEverywhere('casework setStatus', 'status', (repos) =>
      caseworkWith(repos).setStatus(staff.oic, reference, 'no-crime', null),
    );
    await killEverywhere('casework addUpdate', 'message-victim', (repos) =>
      caseworkWith(repos).addUpdate(staff.oic, reference, 'We are looking into it', true),
    );
    const row = await services.database.db
      .selectFrom('reports')
      .select(['tlp', 'status'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ tlp: 'amber', status: 'no-crime' });
  });

  it('transfers a report (unit, update, notification, audit row) whole, or not at all', async () => {
    const report = await services.reportIntake.submit(hacked());
    await killEverywhere('casework transfer', 'transfer', (repos) =>
      caseworkWith(repos).transfer(staff.oic, report.reference, 'kent-cyber', 'Offender in Kent'),
    );
    const row = await services.database.db
      .selectFrom('reports')
      .select(['unit_id', 'status'])
      .where('reference', '=', report.reference)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ unit_id: 'kent-cyber', status: 'transferred' });
  });

  it('recategorises a report (routing, figures, history, republication, audit row) whole, or not at all', async () => {
    const report = await services.reportIntake.submit(hacked());
    const result = await killEverywhere('recategorise', 'recategorise', (repos) =>
      recategoriseWith(repos).recategorise(staff.oic, report.reference, {
        category: 'hacking-personal',
        reason: 'A hacked laptop, not an email account',
      }),
    );
    expect(result).toEqual({ kind: 'changed', previous: 'hacking-social-email' });
    expect(await categoryHistory(report.reference)).toEqual([
      ['hacking-social-email', 'classifier'],
      ['hacking-personal', 'oic@police.example'],
    ]);
  });

  it('records a classification review’s correction (with the report’s history and republication) whole, or not at all', async () => {
    const report = await services.reportIntake.submit(hacked());
    const id = (
      await services.database.db
        .selectFrom('reports')
        .select('id')
        .where('reference', '=', report.reference)
        .executeTakeFirstOrThrow()
    ).id;
    await killEverywhere('classification review decide', 'classification-corrected', (repos) =>
      reviewWith(repos).decide(staff.supervisor, 'report', id, {
        category: 'malware',
        online: 'computer-misuse',
        reason: 'Ransomware on the laptop',
      }),
    );
    const read = await services.staff.readReport(staff.oic, report.reference, 'test');
    expect(read?.category).toBe('malware');
    expect(await categoryHistory(report.reference)).toEqual([
      ['hacking-social-email', 'classifier'],
      ['malware', 'supervisor@police.example'],
    ]);
  });

  it('releases a value to partners (flag, republication, audit row) whole, or not at all', async () => {
    const { indicator } = await reportWithIndicator('release-me@example.net');
    const analyst: StaffMember = {
      email: 'analyst@police.example',
      role: 'analyst',
      forceId: null,
      unitId: null,
    };
    const id = await killEverywhere('partner release', 'indicator-release-to-partners', (repos) =>
      partnerReleaseWith(repos).release(analyst, { type: indicator.type, value: indicator.value }),
    );
    const row = await services.database.db
      .selectFrom('indicators')
      .select('released_by')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.released_by).toBe('analyst@police.example');
  });

  it('makes a report’s evidence file an exhibit (exhibit, stored file, received entry, audit row) whole, or not at all', async () => {
    const item = await services.evidence.store('threats.txt', Buffer.from('pay or else'));
    const report = await services.reportIntake.submit({ ...hacked(), evidence: [item] });
    await services.intelligence.linkPending();
    const evidenceId = (
      await services.database.db
        .selectFrom('report_evidence')
        .innerJoin('reports', 'reports.id', 'report_evidence.report_id')
        .select('report_evidence.id')
        .where('reports.reference', '=', report.reference)
        .executeTakeFirstOrThrow()
    ).id;
    const reference = await newCase('From a report');
    const added = await killEverywhere('addReportEvidence', 'exhibit-from-report', (repos) =>
      investigationsWith(repos).addReportEvidence(staff.oic, {
        report: report.reference,
        evidenceId,
        case: reference,
        initials: 'JS',
      }),
    );
    expect((await services.investigations.custody(staff.oic, added.id))?.entries).toMatchObject([
      { event: 'received', fileSha256: item.sha256, fileName: 'threats.txt' },
    ]);
    expect(await services.investigations.verify(reference)).toMatchObject({ ok: true, entries: 1, files: 1 });
    // Downloading it: the bytes only with the audit row committed.
    const download = await killEverywhere('download evidence', 'download-evidence', (repos) =>
      createReportEvidence(services.database.db, services.database.dialect, services.clock, repos).download(
        staff.oic,
        report.reference,
        evidenceId,
        'Send to the DFU',
      ),
    );
    expect(download.sha256).toBe(item.sha256);
  });

  it('adds several files to an exhibit in one transaction: the second failing keeps none of the first', async () => {
    const reference = await newCase('Files');
    const exhibit = await newExhibit(reference);
    const files = [
      { name: 'one.pdf', content: Buffer.from('%PDF-1.4 first file') },
      { name: 'two.png', content: Buffer.from('\x89PNG second file') },
    ];
    // The second file's blob cannot be stored: the first file, its custody entry and all are rolled back.
    let stored = 0;
    const failing: Repositories = {
      ...repositories,
      evidence: {
        ...repositories.evidence,
        storeEvidenceBlob: (...args: Parameters<typeof repositories.evidence.storeEvidenceBlob>) => {
          stored += 1;
          return stored === 2
            ? Promise.reject(new Killed(stored))
            : repositories.evidence.storeEvidenceBlob(...args);
        },
      },
    };
    const before = await snapshot();
    await expect(investigationsWith(failing).addFiles(staff.oic, exhibit.id, files)).rejects.toBeInstanceOf(
      Killed,
    );
    expect(stored).toBe(2);
    expect(await snapshot()).toEqual(before);
    await killEverywhere('addFiles', 'exhibit-file-added', (repos) =>
      investigationsWith(repos).addFiles(staff.oic, exhibit.id, files),
    );
    expect(await services.investigations.verify(reference)).toMatchObject({ ok: true, entries: 3, files: 2 });
  });

  it('records what a victim adds (information, evidence, contact details) whole, or not at all', async () => {
    const report = await services.reportIntake.submit(
      makeSubmission({
        narrative: 'someone hacked my email account and is blackmailing me',
        reporter: {
          name: 'Vic',
          victimName: null,
          email: 'vic@example.org',
          phone: null,
          preferredContact: 'email',
        },
        // With a referral, so correcting the contact details changes it in the same transaction.
        consents: { victimSupport: true },
      }),
    );
    const victim = { reference: report.reference };
    await killEverywhere('victim addInformation', 'victim-information-added', (repos) =>
      victimFollowUpWith(repos).addInformation(
        victim,
        'They now say pay at https://fee-collect-desk.co.uk/now',
      ),
    );
    const file = await services.evidence.store(
      'more.txt',
      Buffer.from('see https://fee-collect-desk.co.uk/more'),
    );
    await killEverywhere('victim addEvidence', 'victim-evidence-added', (repos) =>
      victimFollowUpWith(repos).addEvidence(victim, [file]),
    );
    await killEverywhere('victim correctContactDetails', 'victim-contact-corrected', (repos) =>
      victimFollowUpWith(repos).correctContactDetails(victim, {
        email: 'vic.new@example.org',
        phone: null,
        preferredContact: 'email',
      }),
    );
    const kinds = await services.database.db
      .selectFrom('report_updates')
      .innerJoin('reports', 'reports.id', 'report_updates.report_id')
      .select('report_updates.kind')
      .where('reports.reference', '=', report.reference)
      .where('report_updates.kind', 'like', 'victim.%')
      .orderBy('report_updates.id')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['victim.information', 'victim.evidence', 'victim.contact']);
  });
  it('takes a report for a caller (report, evidence, referral, adviser’s history entry, audit row) whole, or not at all', async () => {
    await addStaff(services, { email: 'adviser@police.example', role: 'call-handler' });
    const userId = (await services.staff.userIdByEmail('adviser@police.example'))?.id ?? 0;
    const file = await services.evidence.store(
      'invoice.txt',
      Buffer.from('pay the new account at https://invoice-desk.co.uk/pay'),
    );
    const intakeWith = (repos: Repositories) =>
      createReportIntake(
        services.database.db,
        services.clock,
        services.reference,
        // Reading the evidence for indicators is the intelligence service's, before the transaction (its blobs
        // never change); linking starts in the background after the commit and would race the snapshots.
        { ...services.intelligence, linkSoon: () => undefined },
        // The referral is made in the intake's transaction, through the same (killable) repositories.
        referralsWith(repos),
        services.config.sessionSecret,
        services.config.classificationReviewThreshold,
        services.database.dialect,
        undefined,
        repos,
      );
    const report = await killEverywhere('adviser intake', 'report-taken-by-adviser', (repos) =>
      intakeWith(repos).submit(
        makeSubmission({
          narrative: 'someone hacked my email account and is blackmailing me',
          reporter: {
            name: 'Caller',
            victimName: null,
            email: 'caller@example.org',
            phone: null,
            preferredContact: 'email',
          },
          evidence: [file],
          consents: { victimSupport: true },
        }),
        { adviser: { userId, name: 'adviser@police.example' } },
      ),
    );
    const row = await services.database.db
      .selectFrom('reports')
      .select(['id', 'adviser_name'])
      .where('reference', '=', report.reference)
      .executeTakeFirstOrThrow();
    expect(row.adviser_name).toBe('adviser@police.example');
    const written = await Promise.all(
      (['report_evidence', 'referrals', 'report_updates'] as const).map(
        async (table) =>
          (
            await services.database.db
              .selectFrom(table)
              .select('report_id')
              .where('report_id', '=', row.id)
              .execute()
          ).length,
      ),
    );
    // The file, the referral, and the first update with the adviser's entry.
    expect(written).toEqual([1, 1, 2]);
  });

  it('adds an external feed and disables it (row, audit row) whole, or not at all', async () => {
    const feedsWith = (repos: Repositories) =>
      createFeeds(services.database.db, services.clock, { secrets: {}, httpsOnly: false }, repos);
    const { id } = await killEverywhere('feed add', 'feed-added', (repos) =>
      feedsWith(repos).add(
        { name: 'Atomic feed', kind: 'misp', url: 'https://feeds.example/misp/' },
        'cli:ops',
      ),
    );
    await killEverywhere('feed disable', 'feed-disabled', (repos) =>
      feedsWith(repos).setEnabled(id, false, 'cli:ops'),
    );
  });
});
