/**
 * The workspace home's counts (new, first contact overdue, awaiting the victim, urgent and not allocated) are one
 * query per unit: checked against a plain count of every report of each unit with the domain's own rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countedRepositories } from '../../test/support/killed-repositories.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { Role, StaffMember } from '../domain/access/access-policy.ts';
import {
  FINISHED_STATUSES,
  MESSAGE_TO_VICTIM,
  NEW_STATUSES,
  STATUSES,
  VICTIM_UPDATE_KINDS,
  isOverdue,
  type Status,
} from '../domain/casework/status.ts';
import { needsUnitAtOnce } from '../domain/notifications/unit-notification.ts';
import { createCasework } from './casework.ts';

const UNITS = ['cumbria-cyber', 'dyfed-powys-cyber', 'nwrocu-rccu'] as const;
const DAYS = 5;
/** The order of a report's messages and additions: none, or a sequence of m (unit to victim) and v (victim). */
const CONVERSATIONS = ['', 'm', 'mv', 'vm', 'v', 'mmv', 'mvm'];

describe(`the unit's counts on the workspace home (${testDialect})`, () => {
  const now = new Date('2026-12-08T10:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;

  beforeAll(async () => {
    services = await createTestServices({ FIRST_CONTACT_DAYS: String(DAYS) }, { clock: () => now });
    const { db } = services.database;
    for (let i = 0; i < 63; i++) {
      const { id } = await services.reportIntake.submit(
        makeSubmission({ category: 'online-harassment', narrative: `abusive messages, report ${i}` }),
      );
      const status: Status = STATUSES[Math.floor(i / UNITS.length) % STATUSES.length] ?? 'received';
      // Received from 0 to 10 days ago, some exactly at the deadline.
      const age = (i % 11) * 86_400_000 + (i % 2 === 0 ? 0 : 3_600_000);
      await db
        .updateTable('reports')
        .set({
          unit_id: UNITS[i % UNITS.length] ?? null,
          status,
          created_at: new Date(now.getTime() - age).toISOString(),
          urgent: i % 4 === 0 ? 1 : 0,
          vulnerable: i % 5 === 0 ? 1 : 0,
          allocated_to: Math.floor(i / UNITS.length) % 2 === 1 ? 'oic@police.example' : null,
        })
        .where('id', '=', id)
        .execute();
      for (const turn of CONVERSATIONS[i % CONVERSATIONS.length] ?? '')
        await db
          .insertInto('report_updates')
          .values({
            report_id: id,
            // Every kind of addition the victim makes counts as their answer.
            kind:
              turn === 'm' ? MESSAGE_TO_VICTIM : (VICTIM_UPDATE_KINDS[i % VICTIM_UPDATE_KINDS.length] ?? ''),
            message: '',
            visible_to_victim: 1,
            created_at: now.toISOString(),
          })
          .execute();
    }
  });
  afterAll(() => services.cleanup());

  /** Counted plainly: every report of the unit and its updates, read in full, with the domain's rules. */
  async function plainCount(unitId: string) {
    const { db } = services.database;
    const reports = await db.selectFrom('reports').selectAll().where('unit_id', '=', unitId).execute();
    const updates = await db.selectFrom('report_updates').selectAll().orderBy('id').execute();
    const open = (status: string) => !FINISHED_STATUSES.includes(status as Status);
    const awaiting = (reportId: number) => {
      const turns = updates.filter(
        (u) =>
          u.report_id === reportId && (u.kind === MESSAGE_TO_VICTIM || VICTIM_UPDATE_KINDS.includes(u.kind)),
      );
      return turns.at(-1)?.kind === MESSAGE_TO_VICTIM;
    };
    return {
      new: reports.filter((r) => NEW_STATUSES.includes(r.status as Status)).length,
      overdue: reports.filter((r) => isOverdue(r.status, r.created_at, now, DAYS)).length,
      awaitingVictim: reports.filter((r) => open(r.status) && awaiting(r.id)).length,
      urgentUnassigned: reports.filter((r) => open(r.status) && r.allocated_to === null && needsUnitAtOnce(r))
        .length,
    };
  }

  const staffOf = (unitId: string, role: Role = 'force-officer'): StaffMember => ({
    email: `someone@${unitId}.example`,
    role,
    forceId: null,
    unitId,
  });

  it('agrees with a plain count for every unit, in one query', async () => {
    for (const unitId of UNITS) {
      const counted = countedRepositories();
      const casework = createCasework(
        services.database.db,
        services.database.dialect,
        () => now,
        services.reference,
        DAYS,
        counted.repos,
      );
      const counts = await casework.unitCounts(staffOf(unitId, 'regional-officer'));
      expect(counted.calls()).toBe(1);
      const plain = await plainCount(unitId);
      expect(counts, unitId).toEqual(plain);
      // Every measure is exercised (none is trivially 0 or everything).
      for (const [measure, value] of Object.entries(plain))
        expect(value, `${unitId} ${measure}`).toBeGreaterThan(0);
    }
  });

  it('counts nothing for a unit with no reports, and is not offered to someone who works no unit', async () => {
    expect(await services.casework.unitCounts(staffOf('psni-cyber'))).toEqual({
      new: 0,
      overdue: 0,
      awaitingVictim: 0,
      urgentUnassigned: 0,
    });
    expect(await services.casework.unitCounts({ ...staffOf('cumbria-cyber'), role: 'analyst' })).toBeNull();
  });
});
