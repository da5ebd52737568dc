import { isCategory } from '../domain/classification/taxonomy.ts';
import {
  checkBankHolidays,
  divisionOfNation,
  type BankHolidayDivision,
  type BankHolidayLists,
} from '../domain/notifications/bank-holidays.ts';
import { extractIndicators } from '../domain/indicators/extract.ts';
import { checkWarningList, WarningLists, type WarningListFile } from '../domain/indicators/warning-lists.ts';
import type { RoutingRules, UnitDirectory } from '../domain/routing/route-report.ts';
import type {
  Force,
  NationalUnit,
  PostcodeArea,
  Region,
  CyberProtectContact,
  Service,
  Unit,
} from './schema.ts';

export interface ReferenceFiles {
  forces: Force[];
  regions: Region[];
  directorySource: { note: string; phone: string };
  nationalUnits: NationalUnit[];
  services: Service[];
  postcodeAreas: Record<string, PostcodeArea>;
  units: Unit[];
  routing: RoutingRules;
  warningLists: WarningListFile[];
  bankHolidays: BankHolidayLists;
}

export interface ReferenceData extends Omit<ReferenceFiles, 'warningLists'> {
  /** Common values that never link reports (reference/warning-lists plus the service's own contacts). */
  warningLists: WarningLists;
  unit(id: string): Unit | undefined;
  unitDirectory: UnitDirectory;
  force(id: string): Force | undefined;
  regionOfForce(forceId: string): Region | undefined;
  /** The Cyber Protect contact that serves a force (London has one for each of its two forces). */
  cyberProtectFor(forceId: string): CyberProtectContact | undefined;
  service(id: string): Service;
  /** The forces a unit serves: a force unit its force, a regional unit its region's; none for a national unit. */
  forcesOfUnit(unitId: string): Force[];
  /** The bank holidays (UK days, YYYY-MM-DD) of the list a unit works: its force's nation's (England's if none). */
  bankHolidaysOfUnit(unitId: string): ReadonlySet<string>;
}

/** Services that pages and rules read by id; a missing one is a reference data error. */
export const REQUIRED_SERVICES = [
  'emergency',
  'non-emergency',
  'fraud-cyber-line',
  'sers',
  'spam-text',
  'ncsc-website',
  'ico',
  'report-harmful-content',
  'iwf',
  'ceop',
  'childline',
  'victim-support',
  'cyber-resilience-centre',
] as const;

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** Cross-file checks the schemas cannot express; returns every problem found. */
export function checkReferenceFiles(files: ReferenceFiles): string[] {
  const problems: string[] = [
    ...files.warningLists.flatMap(checkWarningList),
    ...checkBankHolidays(files.bankHolidays),
  ];
  const forceIds = new Set(files.forces.map((f) => f.id));
  const regionIds = new Set(files.regions.map((r) => r.id));
  for (const id of duplicates(files.forces.map((f) => f.id))) problems.push(`forces: duplicate id ${id}`);
  for (const id of duplicates(files.regions.map((r) => r.id))) problems.push(`regions: duplicate id ${id}`);
  for (const id of duplicates(files.services.map((s) => s.id))) problems.push(`services: duplicate id ${id}`);

  const territorial = files.forces.filter((f) => f.territorial);
  if (territorial.filter((f) => f.nation === 'england' || f.nation === 'wales').length !== 43) {
    problems.push('forces: England and Wales must have exactly 43 territorial forces');
  }
  for (const force of files.forces) {
    if (force.nation === 'wales' && force.nameCy === undefined)
      problems.push(`forces: ${force.id} needs a Welsh name`);
    if (force.territorial && force.region === null) problems.push(`forces: ${force.id} has no region`);
    if (force.region !== null && !regionIds.has(force.region)) {
      problems.push(`forces: ${force.id} names unknown region ${force.region}`);
    }
  }
  const membership = new Map<string, string[]>();
  for (const region of files.regions) {
    for (const forceId of region.forces) {
      if (!forceIds.has(forceId)) problems.push(`regions: ${region.id} lists unknown force ${forceId}`);
      membership.set(forceId, [...(membership.get(forceId) ?? []), region.id]);
    }
    const served = region.cyberProtect.flatMap((c) => c.forces ?? region.forces);
    for (const forceId of region.forces) {
      if (!served.includes(forceId))
        problems.push(`regions: ${region.id} has no Cyber Protect contact for ${forceId}`);
    }
  }
  for (const force of territorial) {
    const regions = membership.get(force.id) ?? [];
    if (regions.length !== 1)
      problems.push(`regions: ${force.id} must be in exactly one region (is in ${regions.length})`);
    else if (regions[0] !== force.region)
      problems.push(`forces: ${force.id} region disagrees with regions file`);
  }
  const serviceIds = new Set(files.services.map((s) => s.id));
  for (const id of REQUIRED_SERVICES) if (!serviceIds.has(id)) problems.push(`services: missing ${id}`);

  for (const [code, area] of Object.entries(files.postcodeAreas)) {
    const lists = [area.forces, ...Object.values(area.districts ?? {})];
    for (const forceId of lists.flat()) {
      if (!forceIds.has(forceId) || forceId === 'btp')
        problems.push(`postcodes: ${code} names unknown force ${forceId}`);
    }
    for (const list of lists) {
      for (const id of duplicates(list)) problems.push(`postcodes: ${code} lists ${id} twice in one entry`);
    }
    for (const district of Object.keys(area.districts ?? {})) {
      if (!new RegExp(`^${code}[0-9]`).test(district))
        problems.push(`postcodes: district ${district} is not in area ${code}`);
    }
  }
  const unitIds = files.units.map((u) => u.id);
  for (const id of duplicates(unitIds)) problems.push(`units: duplicate id ${id}`);
  for (const force of files.forces.filter((f) => f.territorial)) {
    const own = files.units.filter((u) => u.kind === 'force' && u.force === force.id);
    if (own.length !== 1)
      problems.push(`units: ${force.id} must have exactly one force unit (has ${own.length})`);
  }
  for (const unit of files.units) {
    if (unit.kind === 'force' && (unit.force === undefined || !forceIds.has(unit.force)))
      problems.push(`units: ${unit.id} names no known force`);
    if (unit.kind === 'regional' && (unit.region === undefined || !regionIds.has(unit.region)))
      problems.push(`units: ${unit.id} names no known region`);
    // Prevent referrals are routed to regional units, whose Prevent team is told of each.
    if (unit.kind === 'regional' && unit.preventMailbox === undefined)
      problems.push(`units: ${unit.id} has no preventMailbox`);
  }
  for (const kind of ['national', 'fraud-assessment'] as const) {
    if (files.units.filter((u) => u.kind === kind).length !== 1)
      problems.push(`units: there must be exactly one ${kind} unit`);
  }
  const rules = files.routing.rules;
  for (const id of duplicates(rules.map((r) => r.id))) problems.push(`routing: duplicate rule id ${id}`);
  for (const rule of rules) {
    for (const category of rule.when.category ?? [])
      if (!isCategory(category)) problems.push(`routing: rule ${rule.id} names unknown category ${category}`);
  }
  const last = rules[rules.length - 1];
  if (last === undefined || Object.keys(last.when).length !== 0)
    problems.push('routing: the last rule must have no conditions (the default)');
  const covered = new Set(
    Object.values(files.postcodeAreas).flatMap((a) => [
      ...a.forces,
      ...Object.values(a.districts ?? {}).flat(),
    ]),
  );
  for (const force of territorial) {
    if (!covered.has(force.id)) problems.push(`postcodes: no postcode leads to ${force.id}`);
  }
  return problems;
}

export function buildReferenceData(files: ReferenceFiles): ReferenceData {
  const forces = new Map(files.forces.map((f) => [f.id, f]));
  const regionByForce = new Map(files.regions.flatMap((r) => r.forces.map((f) => [f, r] as const)));
  const services = new Map(files.services.map((s) => [s.id, s]));
  const units = new Map(files.units.map((u) => [u.id, u]));
  const forceUnits = new Map(files.units.filter((u) => u.kind === 'force').map((u) => [u.force ?? '', u.id]));
  const regionalUnits = new Map(
    files.units.filter((u) => u.kind === 'regional').map((u) => [u.region ?? '', u.id]),
  );
  const onlyUnit = (kind: Unit['kind']) => files.units.find((u) => u.kind === kind)?.id ?? '';
  const daysOf = (d: BankHolidayDivision) => new Set(files.bankHolidays.divisions[d].map((h) => h.date));
  const holidays: Record<BankHolidayDivision, ReadonlySet<string>> = {
    'england-and-wales': daysOf('england-and-wales'),
    scotland: daysOf('scotland'),
    'northern-ireland': daysOf('northern-ireland'),
  };
  const forcesOfUnit = (unitId: string): Force[] => {
    const unit = units.get(unitId);
    const ids =
      unit?.force !== undefined
        ? [unit.force]
        : (files.regions.find((r) => r.id === unit?.region)?.forces ?? []);
    return ids.flatMap((id) => forces.get(id) ?? []);
  };
  // Every phone number, address and website the service itself publishes, so victims quoting them never link.
  const contacts = extractIndicators(
    JSON.stringify([files.forces, files.regions, files.nationalUnits, files.services, files.units]),
  );
  return {
    ...files,
    warningLists: new WarningLists(files.warningLists, contacts),
    unit: (id) => units.get(id),
    unitDirectory: {
      forceUnit: (forceId) => forceUnits.get(forceId),
      regionalUnit: (forceId) => regionalUnits.get(regionByForce.get(forceId)?.id ?? ''),
      nationalUnit: onlyUnit('national'),
      fraudAssessmentUnit: onlyUnit('fraud-assessment'),
    },
    force: (id) => forces.get(id),
    regionOfForce: (forceId) => regionByForce.get(forceId),
    cyberProtectFor(forceId) {
      const region = regionByForce.get(forceId);
      return region?.cyberProtect.find((c) => c.forces === undefined || c.forces.includes(forceId));
    },
    forcesOfUnit,
    // A regional unit's forces are all in one division (Wales's are with England's).
    bankHolidaysOfUnit: (unitId) => holidays[divisionOfNation(forcesOfUnit(unitId)[0]?.nation ?? 'england')],
    service(id) {
      const service = services.get(id);
      if (service === undefined) throw new Error(`reference data has no service ${id}`);
      return service;
    },
  };
}
