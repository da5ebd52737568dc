/**
 * Significant incidents: the matching rules a unit declares, and whether a report matches them. Pure: the service
 * hands in what a report says (its category, the victim organisation's sector, when it came, its indicators).
 */
import { extractIndicators } from '../indicators/extract.ts';

export interface RuleIndicator {
  type: string;
  value: string;
}

export interface IncidentRules {
  /** Normalised as reports' indicators are: a report naming any of them matches. Empty: any report. */
  indicators: readonly RuleIndicator[];
  category: string | null;
  sector: string | null;
  /** ISO instants: reports received from `from` (inclusive) to `to` (exclusive; null: still open-ended). */
  from: string;
  to: string | null;
}

export interface ReportFacts {
  category: string;
  /** The victim organisation's sector, or null for a person. */
  sector: string | null;
  receivedAt: string;
  indicators: readonly RuleIndicator[];
}

export const MAX_RULE_INDICATORS = 50;

/**
 * The indicators typed one per line, as the extractor reads them from a report (so "Example.COM" and
 * "example.com" are one value); lines naming none are returned apart so the form can say which.
 */
export function parseRuleIndicators(text: string): { indicators: RuleIndicator[]; unread: string[] } {
  const indicators: RuleIndicator[] = [];
  const unread: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '') continue;
    const found = extractIndicators(line);
    if (found.length === 0) unread.push(line);
    for (const { type, value } of found) {
      if (seen.has(`${type}:${value}`)) continue;
      seen.add(`${type}:${value}`);
      indicators.push({ type, value });
    }
  }
  return { indicators, unread };
}

/** A rule must narrow something: an incident matching every report in a window would link all of them. */
export function narrowsReports(rules: Pick<IncidentRules, 'indicators' | 'category' | 'sector'>): boolean {
  return rules.indicators.length > 0 || rules.category !== null || rules.sector !== null;
}

export function inWindow(rules: Pick<IncidentRules, 'from' | 'to'>, at: string): boolean {
  return at >= rules.from && (rules.to === null || at < rules.to);
}

/** Every rule given must hold: in the window, the category, the sector, and any one of the indicators. */
export function matchesIncident(rules: IncidentRules, report: ReportFacts): boolean {
  if (!inWindow(rules, report.receivedAt)) return false;
  if (rules.category !== null && report.category !== rules.category) return false;
  if (rules.sector !== null && report.sector !== rules.sector) return false;
  if (rules.indicators.length === 0) return true;
  const named = new Set(report.indicators.map((i) => `${i.type}:${i.value}`));
  return rules.indicators.some((i) => named.has(`${i.type}:${i.value}`));
}
