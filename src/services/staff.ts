import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/database.ts';
import { findReportByReference } from '../db/repositories/report-repository.ts';
import { canReadAudit, canReadReport, type Role, type StaffMember } from '../domain/access/access-policy.ts';
import { parseCrimeReference } from '../domain/reference/crime-reference.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';

export const LOCKOUT = { attempts: 5, minutes: 15 } as const;

export class StaffInputError extends Error {
  override name = 'StaffInputError';
}

function totpFor(email: string, secret: string): TOTP {
  return new TOTP({
    issuer: 'Bluelight',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** Staff accounts (argon2id passwords, TOTP second factor, lock-out) and audited, unit-scoped reads of reports. */
export function createStaff(db: Db, clock: () => Date, reference: ReferenceData) {
  const toMember = (row: {
    email: string;
    role: string;
    force_id: string | null;
    unit_id: string | null;
  }): StaffMember => ({
    email: row.email,
    role: row.role as Role,
    forceId: row.force_id,
    unitId: row.unit_id,
  });

  async function audit(
    actor: string,
    action: string,
    referenceId: string | null,
    forceId: string | null,
    detail: string,
  ): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({ at: clock().toISOString(), actor, action, reference: referenceId, force_id: forceId, detail })
      .execute();
  }

  return {
    /** Creates an account; returns the otpauth:// URI to enrol the second factor in an authenticator app. */
    async add(input: {
      email: string;
      role: Role;
      forceId?: string;
      unitId?: string;
      password: string;
    }): Promise<{ id: number; otpauthUri: string }> {
      const email = input.email.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new StaffInputError('email must be an email address');
      if (input.password.length < 12) throw new StaffInputError('password must be at least 12 characters');
      let forceId: string | null = null;
      let unitId: string | null = null;
      if (input.role === 'force-officer' || input.role === 'force-supervisor') {
        if (input.forceId === undefined || reference.force(input.forceId) === undefined)
          throw new StaffInputError(`${input.role} needs --force <force id>`);
        forceId = input.forceId;
        unitId = reference.unitDirectory.forceUnit(forceId) ?? null;
      } else if (input.role === 'regional-officer' || input.role === 'national-officer') {
        const unit = input.unitId === undefined ? undefined : reference.unit(input.unitId);
        const kinds = input.role === 'regional-officer' ? ['regional'] : ['national', 'fraud-assessment'];
        if (unit === undefined || !kinds.includes(unit.kind))
          throw new StaffInputError(`${input.role} needs --unit <${kinds.join(' or ')} unit id>`);
        unitId = unit.id;
      } else if (input.forceId !== undefined || input.unitId !== undefined) {
        throw new StaffInputError(`${input.role} is not tied to a force or unit`);
      }
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst();
      if (existing !== undefined) throw new StaffInputError(`${email} already has an account`);
      const secret = new Secret({ size: 20 }).base32;
      const row = await db
        .insertInto('users')
        .values({
          email,
          role: input.role,
          force_id: forceId,
          unit_id: unitId,
          password_hash: await hash(input.password),
          totp_secret: secret,
          locked_until: null,
          created_at: clock().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit('system', 'user-added', null, forceId, `${email} as ${input.role}`);
      return { id: row.id, otpauthUri: totpFor(email, secret).toString() };
    },

    /** Password and TOTP code; five wrong tries lock the account for 15 minutes. The same answer for any failure. */
    async signIn(emailInput: string, password: string, code: string): Promise<StaffMember | 'locked' | null> {
      const email = emailInput.trim().toLowerCase();
      const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      if (user === undefined) return null;
      const now = clock();
      if (user.locked_until !== null && user.locked_until > now.toISOString()) return 'locked';
      const ok =
        (await verify(user.password_hash, password)) &&
        totpFor(user.email, user.totp_secret).validate({
          token: code.replace(/\s/g, ''),
          timestamp: now.getTime(),
          window: 1,
        }) !== null;
      if (!ok) {
        const attempts = user.failed_attempts + 1;
        const lock =
          attempts >= LOCKOUT.attempts
            ? new Date(now.getTime() + LOCKOUT.minutes * 60_000).toISOString()
            : null;
        await db
          .updateTable('users')
          .set({ failed_attempts: lock === null ? attempts : 0, locked_until: lock })
          .where('id', '=', user.id)
          .execute();
        await audit(
          email,
          lock === null ? 'sign-in-failed' : 'account-locked',
          null,
          user.force_id,
          `attempt ${attempts}`,
        );
        return null;
      }
      await db
        .updateTable('users')
        .set({ failed_attempts: 0, locked_until: null })
        .where('id', '=', user.id)
        .execute();
      await audit(email, 'signed-in', null, user.force_id, '');
      return toMember(user);
    },

    async byId(id: number): Promise<StaffMember | null> {
      const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return user === undefined ? null : toMember(user);
    },

    /** People in the same unit, for allocation. */
    async colleagues(staff: StaffMember): Promise<string[]> {
      if (staff.unitId === null) return [];
      const rows = await db
        .selectFrom('users')
        .select('email')
        .where('unit_id', '=', staff.unitId)
        .orderBy('email')
        .execute();
      return rows.map((r) => r.email);
    },

    async userIdByEmail(email: string): Promise<{ id: number; role: Role } | null> {
      const user = await db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('email', '=', email.trim().toLowerCase())
        .executeTakeFirst();
      return user === undefined ? null : { id: user.id, role: user.role as Role };
    },

    /** A report as staff see it, or null when it is outside their scope (indistinguishable from not existing). */
    async readReport(staff: StaffMember, referenceInput: string, reason: string) {
      const ref = parseCrimeReference(referenceInput);
      const report = ref === null ? undefined : await findReportByReference(db, ref);
      if (report === undefined || !canReadReport(staff, { unitId: report.unit_id, forceId: report.force_id }))
        return null;
      // Every read is written to the audit log before anything is returned.
      await audit(staff.email, 'read-report', report.reference, report.force_id, reason);
      const history = await db
        .selectFrom('category_changes')
        .selectAll()
        .where('report_id', '=', report.id)
        .orderBy('id')
        .execute();
      const updates = await db
        .selectFrom('report_updates')
        .selectAll()
        .where('report_id', '=', report.id)
        .orderBy('id')
        .execute();
      const classification = JSON.parse(report.classification) as { confidence?: number; reasons?: string[] };
      return {
        reference: report.reference,
        status: report.status,
        received_at: report.created_at,
        category: report.category,
        cyber: report.cyber,
        recording_code: report.recording_code,
        extortion: report.extortion === 1,
        vulnerable: report.vulnerable === 1,
        urgent: report.urgent === 1,
        tlp: report.tlp,
        classification,
        routing: {
          force: report.force_id,
          unit: report.unit_id,
          rule: report.routing_rule,
          reason: (JSON.parse(report.routing_reasons) as string[]).join('; '),
        },
        answers: JSON.parse(report.answers) as unknown,
        /** Set once the retention rule removed the personal data of this closed report. */
        personal_data_removed_at: report.anonymised_at,
        history: [
          ...history.map((h) => ({
            at: h.changed_at,
            kind: 'category',
            by: h.changed_by,
            category: h.category,
            previous: h.previous_category,
            reason: h.reason,
          })),
          ...updates.map((u) => ({
            at: u.created_at,
            kind: u.kind,
            message: u.message,
            visible_to_victim: u.visible_to_victim === 1,
          })),
        ].sort((a, b) => a.at.localeCompare(b.at)),
      };
    },

    async auditTrail(staff: StaffMember, referenceInput: string) {
      const ref = parseCrimeReference(referenceInput);
      const report = ref === null ? undefined : await findReportByReference(db, ref);
      if (report === undefined || !canReadAudit(staff, { unitId: report.unit_id, forceId: report.force_id }))
        return null;
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('reference', '=', report.reference)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, detail: r.detail }));
    },
  };
}
