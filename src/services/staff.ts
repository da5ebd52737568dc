import { ServiceError } from './service-error.ts';
import { DEMO_DOMAIN, isDemoAccount } from '../domain/access/demo-accounts.ts';
import { hash, verify } from '@node-rs/argon2';
import { Secret } from 'otpauth';
import type { Db, Dialect } from '../db/database.ts';

import { isUniqueViolation } from '../db/unique-violation.ts';
import { canReadAudit, type Role, type StaffMember } from '../domain/access/access-policy.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { DataCipher } from './data-cipher.ts';
import { createStaffSignIn, totpContext, totpFor, type PasswordHasher } from './staff-sign-in.ts';
import { placementOf } from './staff-accounts.ts';
import { checkNewPassword } from './staff-passwords.ts';
import { createReportAccess } from './report-access.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

export { LOCKOUT, SIGN_IN_LIMITS } from './staff-sign-in.ts';

/** argon2id at OWASP's recommended minimum: 19 MiB, two passes, one lane. Tests hold production to these. */
export const ARGON2_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The production hasher (argon2id is the library's default algorithm). Tests inject a cheaper one. */
export const argon2: PasswordHasher = {
  hash: (password) => hash(password, ARGON2_PARAMETERS),
  verify: (h, password) => verify(h, password),
};

/** Staff accounts (argon2id passwords, TOTP second factor, lock-out) and audited, unit-scoped reads of reports. */
export function createStaff(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  options: { dialect: Dialect; cipher: DataCipher; passwords?: PasswordHasher },
  repos: Repositories = repositories,
) {
  const { cipher, passwords = argon2 } = options;
  const { findVisibleReport } = createReportAccess(options.dialect, repos);
  const signIn = createStaffSignIn(db, clock, cipher, passwords, repos);
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

  return {
    /** Creates an account; returns the otpauth:// URI to enrol the second factor in an authenticator app. */
    async add(input: {
      email: string;
      role: Role;
      forceId?: string;
      unitId?: string;
      password: string;
      /** Who the audit log names (the CLI passes the operating-system account). */
      actor?: string;
      /** Only `bluelight demo` makes accounts under the demo domain, whose codes `bluelight totp` prints. */
      demo?: boolean;
      /**
       * The person the account is for chose this password (demo accounts, whose passwords are printed for whoever
       * runs the demo). Otherwise whoever made the account knows it, so its holder must set their own at sign-in.
       */
      passwordChosenByHolder?: boolean;
    }): Promise<{ id: number; otpauthUri: string }> {
      const email = input.email.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw new ServiceError('invalid', 'email', 'email must be an email address', { field: 'email' });
      if (isDemoAccount(email) && input.demo !== true)
        throw new ServiceError('invalid', 'email-demo', `${DEMO_DOMAIN} is kept for demo accounts`, {
          field: 'email',
        });
      checkNewPassword(input.password);
      const { forceId, unitId } = placementOf(reference, input.role, input.forceId, input.unitId);
      const exists = () =>
        new ServiceError('conflict', 'account-exists', `${email} already has an account`, { field: 'email' });
      if ((await repos.users.findUserByEmail(db, email)) !== undefined) throw exists();
      const secret = new Secret({ size: 20 }).base32;
      const passwordHash = await passwords.hash(input.password);
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const userId = await repos.users.insertUser(trx, {
            email,
            role: input.role,
            force_id: forceId,
            unit_id: unitId,
            password_hash: passwordHash,
            // Sealed with DATA_KEY: a copy of the database alone does not give anyone's second factor.
            totp_secret: cipher.seal(secret, totpContext(email)),
            locked_until: null,
            created_at: clock().toISOString(),
            password_change_due: input.passwordChosenByHolder === true ? 0 : 1,
          });
          await repos.audit.writeAudit(trx, {
            at: clock(),
            actor: input.actor ?? 'system',
            action: 'user-added',
            forceId,
            detail: `${email} as ${input.role}`,
          });
          return userId;
        })
        .catch((error: unknown) => {
          // A double-submitted form: both requests passed the check above; the unique email decides.
          throw isUniqueViolation(error) ? exists() : error;
        });
      return { id, otpauthUri: totpFor(email, secret).toString() };
    },

    /**
     * Password and TOTP code from one client (its address): the member, null for any failure whatever the cause
     * (unknown, wrong, locked, disabled, code replayed), or 'throttled' when this client failed too often.
     */
    async signIn(
      email: string,
      password: string,
      code: string,
      clientKey: string,
    ): Promise<StaffMember | 'throttled' | null> {
      const result = await signIn.signIn(email, password, code, clientKey);
      return result === null || result === 'throttled' ? result : toMember(result);
    },

    sealPlainTotpSecrets: () => signIn.sealPlainSecrets(),

    /**
     * Disables an account at once: no more sign-in, every session ended and every API token revoked, audited
     * in the same transaction. 'already' when it was disabled before.
     */
    async disable(emailInput: string, actor: string) {
      const email = emailInput.trim().toLowerCase();
      return db.transaction().execute(async (trx) => {
        const user = await repos.users.findUserByEmail(trx, email);
        if (user === undefined)
          throw new ServiceError('not-found', 'account-not-found', `no staff account for ${email}`);
        // The service always keeps one administrator: two admins removing each other at once would leave none.
        if (
          user.role === 'admin' &&
          user.disabled_at === null &&
          (await repos.users.otherActiveAdmins(trx, user.id)) === 0
        )
          throw new ServiceError(
            'conflict',
            'last-admin',
            'The service needs at least one active administrator',
          );
        const now = clock();
        if (!(await repos.users.disableUser(trx, user.id, now)))
          return { state: 'already' as const, sessions: 0, tokens: 0 };
        const sessions = await repos.sessions.deleteSessionsOfUser(trx, user.id);
        const tokens = await repos.tokens.revokeTokensOfUser(trx, user.id, now);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor,
          action: 'user-disabled',
          forceId: user.force_id,
          detail: `${email}: ${sessions} session(s) ended, ${tokens} token(s) revoked`,
        });
        return { state: 'disabled' as const, sessions, tokens };
      });
    },

    async byId(id: number): Promise<StaffMember | null> {
      // A disabled member's sessions stop working on their next request, even ones the disable missed.
      const user = await repos.users.findActiveUser(db, id);
      return user === undefined ? null : toMember(user);
    },

    /**
     * The member a signed-in session belongs to (null once disabled), and whether they must still set their own
     * password before any other staff page: read on every request, so an admin's reset applies at once.
     */
    async sessionMember(id: number): Promise<{ member: StaffMember; passwordChangeDue: boolean } | null> {
      const user = await repos.users.findActiveUser(db, id);
      return user === undefined
        ? null
        : { member: toMember(user), passwordChangeDue: user.password_change_due === 1 };
    },

    /** People in the same unit, for allocation. */
    async colleagues(staff: StaffMember): Promise<string[]> {
      if (staff.unitId === null) return [];
      return repos.users.activeEmailsOfUnit(db, staff.unitId);
    },

    async userIdByEmail(email: string): Promise<{ id: number; role: Role; disabled: boolean } | null> {
      const user = await repos.users.findUserByEmail(db, email.trim().toLowerCase());
      return user === undefined
        ? null
        : { id: user.id, role: user.role as Role, disabled: user.disabled_at !== null };
    },

    /** A report as staff see it, or null when it is outside their scope (indistinguishable from not existing). */
    async readReport(staff: StaffMember, referenceInput: string, reason: string) {
      const read = await db.transaction().execute(async (trx) => {
        const report = await findVisibleReport(trx, staff, referenceInput);
        if (report === null) return null;
        const history = await repos.reports.categoryChangesOf(trx, report.id);
        const updates = await repos.reports.reportUpdatesOf(trx, report.id);
        const evidence = await repos.evidence.evidenceOfReport(trx, report.id);
        // Every read is written to the audit log with what it returns (last: it holds the chain's head).
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-report',
          reference: report.reference,
          forceId: report.force_id,
          detail: reason,
        });
        return { report, history, updates, evidence };
      });
      if (read === null) return null;
      const { report, history, updates, evidence } = read;
      const classification = JSON.parse(report.classification) as { confidence?: number; reasons?: string[] };
      return {
        reference: report.reference,
        status: report.status,
        receivedAt: report.created_at,
        category: report.category,
        cyber: report.cyber,
        recordingCode: report.recording_code,
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
        /** The call handler who took it for a caller (null: the person reported online or a partner sent it). */
        takenByAdviser: report.adviser_name,
        /** The files the report holds (each opened from its own page: `services.reportEvidence`). */
        evidence: evidence.map((e) => ({
          id: e.id,
          fileName: e.file_name,
          contentType: e.content_type,
          size: e.size,
          sha256: e.sha256,
          receivedAt: e.created_at,
        })),
        /** Set once the retention rule removed the personal data of this closed report. */
        personalDataRemovedAt: report.anonymised_at,
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
            visibleToVictim: u.visible_to_victim === 1,
          })),
        ].sort((a, b) => a.at.localeCompare(b.at)),
      };
    },

    async auditTrail(staff: StaffMember, referenceInput: string) {
      const report = await findVisibleReport(db, staff, referenceInput, canReadAudit);
      if (report === null) return null;
      const rows = await repos.audit.auditTrailOf(db, report.reference);
      return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, detail: r.detail }));
    },
  };
}
