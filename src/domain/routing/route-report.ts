import type { Category, CyberFlag } from '../classification/taxonomy.ts';

export type Route = 'none' | 'force' | 'regional' | 'nccu' | 'fraud-assessment';

export interface RoutingConditions {
  category?: readonly string[];
  cyber?: readonly string[];
  reporterType?: readonly string[];
  organisation?: boolean;
  cniSector?: boolean;
  ongoing?: boolean;
  extortion?: boolean;
  forceKnown?: boolean;
  minLossPence?: number;
  leads?: boolean;
}

export interface RoutingRule {
  id: string;
  when: RoutingConditions;
  route: Route;
  urgent: boolean | 'if-ongoing';
}

export interface RoutingRules {
  thresholds: {
    leadsMinLossPence: number;
    leadsVulnerableVictim: boolean;
    leadsNamedSuspectWithUkPhone: boolean;
  };
  cniSectors: readonly string[];
  rules: readonly RoutingRule[];
}

export interface RoutingFacts {
  category: Category;
  cyber: CyberFlag;
  reporterType: 'individual' | 'on-behalf' | 'organisation';
  sector: string | null;
  ongoing: boolean;
  extortion: boolean;
  vulnerable: boolean;
  forceId: string | null;
  lossPence: number;
  suspectNames: readonly string[];
  suspectPhones: readonly string[];
}

/** Where units sit: the force's own unit, and its region's cyber crime unit if it has one. */
export interface UnitDirectory {
  forceUnit(forceId: string): string | undefined;
  regionalUnit(forceId: string): string | undefined;
  nationalUnit: string;
  fraudAssessmentUnit: string;
}

/** Why a fraud has leads for the force (the thresholds of the routing rules). */
export type RoutingLeads =
  | { kind: 'loss'; pence: number; thresholdPence: number }
  | { kind: 'vulnerable' }
  | { kind: 'named-suspect-uk-phone' };

/**
 * A fact a rule used, coded so staff read it in their own language (stored with the report as JSON);
 * routingFactText says it in English, for the API and the command line. `transferred` is a unit's transfer.
 */
export type RoutingFact =
  | { fact: 'category'; category: string }
  | { fact: 'cyber'; cyber: string }
  | { fact: 'organisation'; organisation: boolean }
  | { fact: 'cni-sector'; sector: string }
  | { fact: 'ongoing'; ongoing: boolean }
  | { fact: 'force'; forceId: string | null }
  | { fact: 'min-loss'; pence: number }
  | { fact: 'leads'; leads: RoutingLeads }
  | { fact: 'transferred'; by: string; reason: string };

export interface RoutingDecision {
  route: Route;
  unitId: string | null;
  forceId: string | null;
  rule: string;
  urgent: boolean;
  /** The facts that made the rule fire, for staff. */
  because: RoutingFact[];
}

const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB')}`;

/** A routing fact in English, as the API says it (and as reports stored before facts were coded say it). */
export function routingFactText(fact: RoutingFact): string {
  switch (fact.fact) {
    case 'category':
      return `category is ${fact.category}`;
    case 'cyber':
      return `cyber-${fact.cyber}`;
    case 'organisation':
      return fact.organisation ? 'the victim is an organisation' : 'the victim is not an organisation';
    case 'cni-sector':
      return `critical national infrastructure sector (${fact.sector})`;
    case 'ongoing':
      return fact.ongoing ? 'the attack is ongoing' : 'the attack has stopped';
    case 'force':
      return fact.forceId === null ? 'the police force is not known yet' : `force is ${fact.forceId}`;
    case 'min-loss':
      return `loss of at least ${pounds(fact.pence)}`;
    case 'leads': {
      const leads = fact.leads;
      return `leads: ${
        leads.kind === 'loss'
          ? `loss of ${pounds(leads.pence)} is at or above ${pounds(leads.thresholdPence)}`
          : leads.kind === 'vulnerable'
            ? 'the victim may be vulnerable'
            : 'a named suspect with a UK phone number'
      }`;
    }
    case 'transferred':
      return `transferred by ${fact.by}: ${fact.reason}`;
  }
}

const UK_PHONE = /^(\+44|0044|0)\s*[1-9]/;

/** Whether the national fraud assessment unit should pass a fraud straight to the force (configurable leads). */
export function hasLeads(facts: RoutingFacts, t: RoutingRules['thresholds']): RoutingLeads | null {
  if (facts.lossPence >= t.leadsMinLossPence)
    return { kind: 'loss', pence: facts.lossPence, thresholdPence: t.leadsMinLossPence };
  if (t.leadsVulnerableVictim && facts.vulnerable) return { kind: 'vulnerable' };
  if (
    t.leadsNamedSuspectWithUkPhone &&
    facts.suspectNames.length > 0 &&
    facts.suspectPhones.some((p) => UK_PHONE.test(p.trim()))
  ) {
    return { kind: 'named-suspect-uk-phone' };
  }
  return null;
}

function matches(when: RoutingConditions, facts: RoutingFacts, rules: RoutingRules): RoutingFact[] | null {
  const because: RoutingFact[] = [];
  const organisation = facts.reporterType === 'organisation';
  if (when.category && !when.category.includes(facts.category)) return null;
  if (when.category) because.push({ fact: 'category', category: facts.category });
  if (when.cyber && !when.cyber.includes(facts.cyber)) return null;
  if (when.cyber) because.push({ fact: 'cyber', cyber: facts.cyber });
  if (when.reporterType && !when.reporterType.includes(facts.reporterType)) return null;
  if (when.organisation !== undefined) {
    if (when.organisation !== organisation) return null;
    because.push({ fact: 'organisation', organisation });
  }
  if (when.cniSector !== undefined) {
    const cni = facts.sector !== null && rules.cniSectors.includes(facts.sector);
    if (when.cniSector !== cni) return null;
    if (cni) because.push({ fact: 'cni-sector', sector: facts.sector ?? '' });
  }
  if (when.ongoing !== undefined) {
    if (when.ongoing !== facts.ongoing) return null;
    because.push({ fact: 'ongoing', ongoing: facts.ongoing });
  }
  if (when.extortion !== undefined && when.extortion !== facts.extortion) return null;
  if (when.forceKnown !== undefined) {
    if (when.forceKnown !== (facts.forceId !== null)) return null;
    because.push({ fact: 'force', forceId: facts.forceId });
  }
  if (when.minLossPence !== undefined) {
    if (facts.lossPence < when.minLossPence) return null;
    because.push({ fact: 'min-loss', pence: when.minLossPence });
  }
  if (when.leads !== undefined) {
    const leads = hasLeads(facts, rules.thresholds);
    if (when.leads !== (leads !== null)) return null;
    if (leads !== null) because.push({ fact: 'leads', leads });
  }
  return because;
}

/** Picks the unit for a report: the first rule whose conditions hold. Pure and table-driven. */
export function routeReport(facts: RoutingFacts, rules: RoutingRules, units: UnitDirectory): RoutingDecision {
  for (const rule of rules.rules) {
    const because = matches(rule.when, facts, rules);
    if (because === null) continue;
    const urgent = rule.urgent === 'if-ongoing' ? facts.ongoing : rule.urgent;
    const force = facts.forceId;
    let unitId: string | null = null;
    if (rule.route === 'nccu') unitId = units.nationalUnit;
    else if (rule.route === 'fraud-assessment') unitId = units.fraudAssessmentUnit;
    else if (rule.route === 'regional' && force !== null)
      unitId = units.regionalUnit(force) ?? units.forceUnit(force) ?? null;
    else if (rule.route === 'force' && force !== null) unitId = units.forceUnit(force) ?? null;
    // A rule that needs a force cannot place a report without one: the fraud assessment unit resolves it.
    if (unitId === null && rule.route !== 'none') {
      return {
        route: 'fraud-assessment',
        unitId: units.fraudAssessmentUnit,
        forceId: null,
        rule: 'force-not-known',
        urgent,
        because: [{ fact: 'force', forceId: null }],
      };
    }
    return { route: rule.route, unitId, forceId: force, rule: rule.id, urgent, because };
  }
  throw new Error('routing rules have no default rule');
}
