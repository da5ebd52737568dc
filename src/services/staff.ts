import { cleanAccessReason } from '../domain/access/access-reason.ts';
import { hash, verify } from '@node-rs/argon2';
import type { Db, Dialect } from '../db/database.ts';
import { canReadAudit, type Role, type StaffMember } from '../domain/access/access-policy.ts';
import { routingFactText, type RoutingFact } from '../domain/routing/route-report.ts';
import type { DataCipher } from './data-cipher.ts';
import { createStaffSignIn, type PasswordHasher } from './staff-sign-in.ts';
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

/**
 * Staff as they use the service: signing in (argon2id passwords, TOTP second factor, lock-out), who a session or
 * token belongs to, their unit's colleagues, and audited, unit-scoped reads of reports. Accounts themselves are
 * managed in one place, staff-accounts.ts.
 */
export function createStaff(
  db: Db,
  clock: () => Date,
  options: { dialect: Dialect; cipher: DataCipher; passwords?: PasswordHasher },
  repos: Repositories = repositories,
) {
  const { cipher, passwords = argon2 } = options;
  const { findVisibleReport } = createReportAccess(options.dialect, repos);
  const signIn = createStaffSignIn(db, clock, cipher, passwords, 'staff', repos);
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

    async byId(id: number): Promise<StaffMember | null> {
      // A disabled member's sessions stop working on their next request, even ones the disable missed; a partner
      // portal user is never a member of staff.
      const user = await repos.users.findActiveUser(db, id);
      return user === undefined || user.partner_id !== null ? null : toMember(user);
    },

    /**
     * The member a signed-in session belongs to (null once disabled), and whether they must still set their own
     * password before any other staff page: read on every request, so an admin's reset applies at once.
     */
    async sessionMember(id: number): Promise<{ member: StaffMember; passwordChangeDue: boolean } | null> {
      const user = await repos.users.findActiveUser(db, id);
      return user === undefined || user.partner_id !== null
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
      return user === undefined || user.partner_id !== null
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
        // Opened by its unit: the queue's "new information from the victim" flag goes, unless more came since.
        if (report.victim_news_at !== null)
          await repos.reports.clearVictimNews(trx, report.id, report.victim_news_at);
        // Every read is written to the audit log with what it returns (last: it holds the chain's head).
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-report',
          reference: report.reference,
          forceId: report.force_id,
          // Cleaned here too: a control character would forge a line of the audit detail, whoever calls.
          detail: cleanAccessReason(reason),
        });
        return { report, history, updates, evidence };
      });
      if (read === null) return null;
      const { report, history, updates, evidence } = read;
      const classification = JSON.parse(report.classification) as { confidence?: number; reasons?: string[] };
      const routingFacts = JSON.parse(report.routing_reasons) as (string | RoutingFact)[];
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
        /** When the victim added to the report since the unit last opened it (null: nothing new). */
        victimNewsAt: report.victim_news_at,
        tlp: report.tlp,
        classification,
        routing: {
          force: report.force_id,
          unit: report.unit_id,
          rule: report.routing_rule,
          // Coded facts; a report routed before they were coded holds them as English sentences.
          reason: routingFacts.map((f) => (typeof f === 'string' ? f : routingFactText(f))).join('; '),
          facts: routingFacts,
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
