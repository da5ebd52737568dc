/**
 * Significant incidents (issue 24, Prepare). The NCCU or a regional unit declares one with matching rules
 * (indicators, category, victim sector, time window). Reports that match are linked across forces: those already
 * held by a scan job queued with the declaration (INCIDENT_SCAN_JOB), new ones by a job intake queues while any
 * incident is open (INCIDENT_MATCH_JOB), and those whose victim said "I was affected" by the intake itself. The
 * declaring unit records partners told, sends one update to every linked victim (each in their report's language,
 * through the outbox as any update) and closes it; a closed incident keeps its record.
 */
import type { Db, Dialect } from '../db/database.ts';
import type { NewOutboxJob } from '../db/repositories/outbox-repository.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { IncidentRow } from '../db/repositories/incident-repository.ts';
import {
  canDeclareIncident,
  canReadIntelligence,
  canRunIncident,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import { isCategory } from '../domain/classification/taxonomy.ts';
import {
  matchesIncident,
  MAX_RULE_INDICATORS,
  narrowsReports,
  parseRuleIndicators,
  type IncidentRules,
  type RuleIndicator,
} from '../domain/incidents/incident-rules.ts';
import { SECTORS } from '../domain/report/report-draft.ts';
import { ServiceError } from './service-error.ts';

export const INCIDENT_SCAN_JOB = 'incident-scan';
export const INCIDENT_MATCH_JOB = 'incident-match';
export const INCIDENT_LIMITS = {
  name: 200,
  description: 5000,
  message: 2000,
  partner: 200,
  note: 500,
} as const;
const SCAN_BATCH = 500;
const MESSAGE_TO_VICTIM = 'message';

export interface IncidentInput {
  name: string;
  nameCy: string;
  description: string;
  descriptionCy: string;
  /** One indicator a line. */
  indicators: string;
  category: string | null;
  sector: string | null;
  /** ISO instants; `to` null: open-ended. */
  from: string;
  to: string | null;
}

/** What the public see of an open incident: "Were you affected by …?". */
export interface PublicIncident {
  id: number;
  name: string;
  nameCy: string;
  description: string;
  descriptionCy: string;
  category: string | null;
}

export interface IncidentSummary extends PublicIncident {
  unitId: string;
  status: string;
  indicators: RuleIndicator[];
  category: string | null;
  sector: string | null;
  from: string;
  to: string | null;
  declaredBy: string;
  declaredAt: string;
  closedBy: string | null;
  closedAt: string | null;
  closingNote: string | null;
}

export interface IncidentPage {
  incident: IncidentSummary;
  /** Whether this person runs it (its unit's regional or national officers). */
  canRun: boolean;
  total: number;
  reported: number;
  /** Reports by day received, force and victim sector ('individual' for a person). */
  overTime: { day: string; forceId: string; sector: string; reports: number }[];
  byForce: { forceId: string; reports: number }[];
  bySector: { sector: string; reports: number }[];
  indicators: { type: string; value: string; reports: number }[];
  partners: { partner: string; note: string; recordedBy: string; toldAt: string }[];
  updates: { message: string; messageCy: string; recipients: number; sentBy: string; sentAt: string }[];
}

/** The job intake queues for a new report while an incident is open: its indicators, as the link job has them. */
export interface IncidentMatchJob {
  reference: string;
  indicators: RuleIndicator[];
}

export function incidentMatchJob(reference: string, indicators: readonly RuleIndicator[]): NewOutboxJob {
  const payload: IncidentMatchJob = {
    reference,
    indicators: indicators.map(({ type, value }) => ({ type, value })),
  };
  return { kind: INCIDENT_MATCH_JOB, dedupeKey: `${INCIDENT_MATCH_JOB}:${reference}`, payload };
}

const sectorOf = (answers: string): string | null => {
  try {
    const parsed = JSON.parse(answers) as { organisation?: { sector?: string | null } | null };
    return parsed.organisation?.sector ?? null;
  } catch {
    return null;
  }
};

const rulesOf = (row: IncidentRow): IncidentRules => ({
  indicators: JSON.parse(row.indicators) as RuleIndicator[],
  category: row.category,
  sector: row.sector,
  from: row.window_from,
  to: row.window_to,
});

const summaryOf = (row: IncidentRow): IncidentSummary => ({
  id: row.id,
  unitId: row.unit_id,
  name: row.name,
  nameCy: row.name_cy,
  description: row.description,
  descriptionCy: row.description_cy,
  status: row.status,
  ...(({ indicators, category, sector, from, to }) => ({
    indicators: [...indicators],
    category,
    sector,
    from,
    to,
  }))(rulesOf(row)),
  declaredBy: row.declared_by,
  declaredAt: row.declared_at,
  closedBy: row.closed_by,
  closedAt: row.closed_at,
  closingNote: row.closing_note,
});

const invalid = (code: string, field: string, message: string, params?: Record<string, string | number>) =>
  new ServiceError('invalid', code, message, { field, ...(params ? { params } : {}) });

function countBy<T>(items: readonly T[], key: (item: T) => string): { key: string; reports: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, reports]) => ({ key: k, reports })).sort((a, b) => b.reports - a.reports);
}

export function createIncidents(
  db: Db,
  _dialect: Dialect,
  clock: () => Date,
  repos: Repositories = repositories,
) {
  function checkInput(input: IncidentInput): IncidentRules {
    for (const [field, value, max] of [
      ['name', input.name, INCIDENT_LIMITS.name],
      ['nameCy', input.nameCy, INCIDENT_LIMITS.name],
      ['description', input.description, INCIDENT_LIMITS.description],
      ['descriptionCy', input.descriptionCy, INCIDENT_LIMITS.description],
    ] as const)
      if (value.trim() === '' || value.length > max)
        throw invalid('incident-text', field, `Give the ${field} (up to ${max} characters)`, { max });
    const { indicators, unread } = parseRuleIndicators(input.indicators);
    if (unread.length > 0)
      throw invalid('incident-indicator', 'indicators', `Not an indicator: ${unread[0] ?? ''}`, {
        line: unread[0] ?? '',
      });
    if (indicators.length > MAX_RULE_INDICATORS)
      throw invalid('incident-indicators-many', 'indicators', `At most ${MAX_RULE_INDICATORS} indicators`, {
        max: MAX_RULE_INDICATORS,
      });
    if (input.category !== null && !isCategory(input.category))
      throw invalid('incident-category', 'category', 'Choose a category of the taxonomy');
    if (input.sector !== null && !(SECTORS as readonly string[]).includes(input.sector))
      throw invalid('incident-sector', 'sector', 'Choose a sector from the list');
    const rules: IncidentRules = {
      indicators,
      category: input.category,
      sector: input.sector,
      from: input.from,
      to: input.to,
    };
    if (!narrowsReports(rules))
      throw invalid('incident-rules', 'indicators', 'Give at least one indicator, a category or a sector');
    if (input.to !== null && input.to <= input.from)
      throw invalid('incident-window', 'to', 'The end must be after the start');
    return rules;
  }

  /** The incident for someone who reads intelligence; for everyone else it does not exist. */
  async function visible(staff: StaffMember, id: number): Promise<IncidentRow> {
    const row = canReadIntelligence(staff) ? await repos.incidents.findIncident(db, id) : undefined;
    if (row === undefined) throw new ServiceError('not-found', 'incident', 'No such incident');
    return row;
  }

  function requireRunner(staff: StaffMember, row: IncidentRow): void {
    if (!canRunIncident(staff, { unitId: row.unit_id }))
      throw new ServiceError(
        'forbidden',
        'incident-unit',
        'Only the declaring unit’s officers run an incident',
      );
  }

  /** Links the candidates of one batch that every rule matches (the sector read from their answers). */
  async function scanBatch(
    incident: IncidentRow,
    afterId: number,
  ): Promise<{ last: number | null; linked: number }> {
    const rules = rulesOf(incident);
    return db.transaction().execute(async (trx) => {
      const rows = await repos.incidents.candidateReports(
        trx,
        { ...rules, values: rules.indicators.map((i) => i.value) },
        afterId,
        SCAN_BATCH,
      );
      const matched = rows.filter((r) => rules.sector === null || sectorOf(r.answers) === rules.sector);
      const linked = await repos.incidents.linkReports(
        trx,
        incident.id,
        matched.map((r) => r.id),
        'matched',
        clock().toISOString(),
      );
      return { last: rows.length === SCAN_BATCH ? (rows.at(-1)?.id ?? null) : null, linked };
    });
  }

  return {
    async declare(staff: StaffMember, input: IncidentInput): Promise<number> {
      if (!canDeclareIncident(staff))
        throw new ServiceError(
          'forbidden',
          'incident-declare',
          'Only the NCCU and regional units declare incidents',
        );
      const rules = checkInput(input);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const id = await repos.incidents.insertIncident(trx, {
          unit_id: staff.unitId ?? '',
          name: input.name.trim(),
          name_cy: input.nameCy.trim(),
          description: input.description.trim(),
          description_cy: input.descriptionCy.trim(),
          indicators: JSON.stringify(rules.indicators),
          category: rules.category,
          sector: rules.sector,
          window_from: rules.from,
          window_to: rules.to,
          status: 'open',
          declared_by: staff.email,
          declared_at: now.toISOString(),
        });
        // Reports already held are linked in the background, in batches.
        await repos.outbox.enqueueJob(
          trx,
          { kind: INCIDENT_SCAN_JOB, dedupeKey: `${INCIDENT_SCAN_JOB}:${id}`, payload: { incidentId: id } },
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'incident-declared',
          forceId: staff.forceId,
          detail: `incident ${id}: ${input.name.trim().slice(0, 200)}`,
        });
        return id;
      });
    },

    async list(staff: StaffMember): Promise<IncidentSummary[]> {
      if (!canReadIntelligence(staff)) return [];
      return (await repos.incidents.listIncidents(db, 100)).map(summaryOf);
    },

    /** The incident's page: its reports by force and sector over time, indicators, partners told, updates sent. */
    async view(staff: StaffMember, id: number): Promise<IncidentPage> {
      const row = await visible(staff, id);
      const [reports, indicators, partners, updates] = await Promise.all([
        repos.incidents.linkedReportRows(db, id),
        repos.incidents.indicatorsOfIncident(db, id, 50),
        repos.incidents.partnersOfIncident(db, id),
        repos.incidents.updatesOfIncident(db, id),
      ]);
      const facts = reports.map((r) => ({
        day: r.created_at.slice(0, 10),
        forceId: r.force_id ?? '',
        sector: sectorOf(r.answers) ?? 'individual',
      }));
      const grouped = new Map<string, { day: string; forceId: string; sector: string; reports: number }>();
      for (const f of facts) {
        const key = `${f.day}|${f.forceId}|${f.sector}`;
        const entry = grouped.get(key) ?? { ...f, reports: 0 };
        entry.reports++;
        grouped.set(key, entry);
      }
      return {
        incident: summaryOf(row),
        canRun: canRunIncident(staff, { unitId: row.unit_id }),
        total: reports.length,
        reported: reports.filter((r) => r.how === 'reported').length,
        overTime: [...grouped.values()],
        byForce: countBy(facts, (f) => f.forceId).map(({ key, reports }) => ({ forceId: key, reports })),
        bySector: countBy(facts, (f) => f.sector).map(({ key, reports }) => ({ sector: key, reports })),
        indicators: indicators.map((i) => ({ type: i.type, value: i.value, reports: Number(i.reports) })),
        partners: partners.map((p) => ({
          partner: p.partner,
          note: p.note,
          recordedBy: p.recorded_by,
          toldAt: p.told_at,
        })),
        updates: updates.map((u) => ({
          message: u.message,
          messageCy: u.message_cy,
          recipients: u.recipients,
          sentBy: u.sent_by,
          sentAt: u.sent_at,
        })),
      };
    },

    async recordPartner(staff: StaffMember, id: number, partner: string, note: string): Promise<void> {
      if (partner.trim() === '' || partner.length > INCIDENT_LIMITS.partner)
        throw invalid('incident-partner', 'partner', 'Name the partner told');
      if (note.length > INCIDENT_LIMITS.note) throw invalid('incident-note', 'note', 'Keep the note short');
      const row = await visible(staff, id);
      requireRunner(staff, row);
      const now = clock().toISOString();
      await db.transaction().execute(async (trx) => {
        await repos.incidents.insertIncidentPartner(trx, {
          incident_id: id,
          partner: partner.trim(),
          note: note.trim(),
          recorded_by: staff.email,
          told_at: now,
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'incident-partner-told',
          forceId: staff.forceId,
          detail: `incident ${id}: ${partner.trim()}`,
        });
      });
    },

    /**
     * One update to every linked victim: on each report's progress page in the report's own language, and an email
     * (through the outbox, as any update) to those who gave an address. Returns how many reports were told.
     */
    async sendUpdate(staff: StaffMember, id: number, message: string, messageCy: string): Promise<number> {
      for (const [field, text] of [
        ['message', message],
        ['messageCy', messageCy],
      ] as const)
        if (text.trim() === '' || text.length > INCIDENT_LIMITS.message)
          throw invalid('incident-message', field, 'Write the update, in up to 2,000 characters');
      const row = await visible(staff, id);
      requireRunner(staff, row);
      const now = clock();
      const at = now.toISOString();
      return db.transaction().execute(async (trx) => {
        const victims = await repos.incidents.victimsOfIncident(trx, id);
        const updateId = await repos.incidents.insertIncidentUpdate(trx, {
          incident_id: id,
          message: message.trim(),
          message_cy: messageCy.trim(),
          recipients: victims.length,
          sent_by: staff.email,
          sent_at: at,
        });
        for (const victim of victims) {
          await repos.reports.insertReportUpdate(trx, {
            report_id: victim.id,
            kind: MESSAGE_TO_VICTIM,
            message: victim.lng === 'cy' ? messageCy.trim() : message.trim(),
            visible_to_victim: 1,
            created_at: at,
          });
          if (victim.contact_email !== null)
            await repos.outbox.enqueueJob(
              trx,
              {
                kind: 'update-email',
                // Under the report's own update-email keys, so retention discards it with the report's others.
                dedupeKey: `update-email:${victim.reference}:incident-${updateId}`,
                payload: { to: victim.contact_email, reference: victim.reference, lng: victim.lng },
              },
              now,
            );
        }
        await repos.audit.writeAudit(trx, {
          at,
          actor: staff.email,
          action: 'incident-update-sent',
          forceId: staff.forceId,
          detail: `incident ${id}: update ${updateId} to ${victims.length} linked report(s)`,
        });
        return victims.length;
      });
    },

    async close(staff: StaffMember, id: number, note: string): Promise<void> {
      if (note.length > INCIDENT_LIMITS.description)
        throw invalid('incident-note', 'note', 'Keep the note short');
      const row = await visible(staff, id);
      requireRunner(staff, row);
      const now = clock().toISOString();
      await db.transaction().execute(async (trx) => {
        if (!(await repos.incidents.closeIncident(trx, id, staff.email, note.trim(), now)))
          throw new ServiceError('conflict', 'incident-closed', 'The incident is already closed');
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'incident-closed',
          forceId: staff.forceId,
          detail: `incident ${id} closed`,
        });
      });
    },

    /** Open incidents, for the public home page and the start of triage. */
    async openForPublic(): Promise<PublicIncident[]> {
      return (await repos.incidents.openIncidents(db)).map((row) => ({
        id: row.id,
        name: row.name,
        nameCy: row.name_cy,
        description: row.description,
        descriptionCy: row.description_cy,
        category: row.category,
      }));
    },

    /** An open incident for its "Were you affected?" journey (null once closed, or no such incident). */
    async publicIncident(id: number): Promise<PublicIncident | null> {
      const row = await repos.incidents.findIncident(db, id);
      if (row?.status !== 'open') return null;
      return {
        id: row.id,
        name: row.name,
        nameCy: row.name_cy,
        description: row.description,
        descriptionCy: row.description_cy,
        category: row.category,
      };
    },

    /** Outbox handler: links the reports already held that match a newly declared incident, batch by batch. */
    scanHandler() {
      return async (payload: unknown): Promise<void> => {
        const { incidentId } = payload as { incidentId: number };
        const incident = await repos.incidents.findIncident(db, incidentId);
        if (incident === undefined) return;
        let after: number | null = 0;
        while (after !== null) after = (await scanBatch(incident, after)).last;
      };
    },

    /** Outbox handler: links a new report to every open incident whose rules it matches. */
    matchHandler() {
      return async (payload: unknown): Promise<void> => {
        const job = payload as IncidentMatchJob;
        await db.transaction().execute(async (trx) => {
          const report = await repos.reports.findReportByReference(trx, job.reference);
          if (report === undefined || report.anonymised_at !== null) return;
          const facts = {
            category: report.category,
            sector: sectorOf(report.answers),
            receivedAt: report.created_at,
            indicators: job.indicators,
          };
          const at = clock().toISOString();
          for (const incident of await repos.incidents.openIncidents(trx))
            if (matchesIncident(rulesOf(incident), facts))
              await repos.incidents.linkReports(trx, incident.id, [report.id], 'matched', at);
        });
      };
    },
  };
}

export type Incidents = ReturnType<typeof createIncidents>;
