import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedFile } from '../../test/support/shared-test-data.ts';
import { loadReferenceData } from './load-reference-data.ts';
import { checkReferenceFiles, type ReferenceFiles } from './reference-data.ts';

const reference = loadReferenceData();
const seed000 = readFileSync(sharedFile('seeds/000_921fd3f6056127d6.txt'), 'utf8');
const seed003 = readFileSync(sharedFile('seeds/003_26e9c5f99e8ca412.txt'), 'utf8');

const MEMBERSHIP: Record<string, string[]> = {
  'north-east': ['cleveland', 'durham', 'northumbria'],
  'yorkshire-and-humber': ['humberside', 'north-yorkshire', 'south-yorkshire', 'west-yorkshire'],
  'north-west': ['cheshire', 'cumbria', 'greater-manchester', 'lancashire', 'merseyside', 'north-wales'],
  'east-midlands': ['derbyshire', 'leicestershire', 'lincolnshire', 'northamptonshire', 'nottinghamshire'],
  'west-midlands': ['staffordshire', 'warwickshire', 'west-mercia', 'west-midlands'],
  eastern: ['bedfordshire', 'cambridgeshire', 'essex', 'hertfordshire', 'kent', 'norfolk', 'suffolk'],
  'south-east': ['hampshire', 'surrey', 'sussex', 'thames-valley'],
  'south-west': ['avon-and-somerset', 'devon-and-cornwall', 'dorset', 'gloucestershire', 'wiltshire'],
  'southern-wales': ['dyfed-powys', 'gwent', 'south-wales'],
  london: ['city-of-london', 'metropolitan'],
  scotland: ['police-scotland'],
  'northern-ireland': ['psni'],
};

describe('reference data', () => {
  it('has the 43 territorial forces of England and Wales, BTP, Police Scotland and PSNI', () => {
    const ew = reference.forces.filter(
      (f) => f.territorial && (f.nation === 'england' || f.nation === 'wales'),
    );
    expect(ew).toHaveLength(43);
    for (const id of [
      'btp',
      'police-scotland',
      'psni',
      'avon-and-somerset',
      'metropolitan',
      'city-of-london',
    ]) {
      expect(reference.force(id), id).toBeDefined();
    }
    expect(reference.forces).toHaveLength(46);
  });

  it('gives the four Welsh forces their Welsh names', () => {
    const welsh = reference.forces.filter((f) => f.nation === 'wales');
    expect(welsh.map((f) => f.id).sort()).toEqual(['dyfed-powys', 'gwent', 'north-wales', 'south-wales']);
    expect(reference.force('south-wales')?.nameCy).toBe('Heddlu De Cymru');
    expect(reference.force('north-wales')?.nameCy).toBe('Heddlu Gogledd Cymru');
  });

  it('puts every force in its region exactly as the policing regions are drawn', () => {
    for (const [region, forces] of Object.entries(MEMBERSHIP)) {
      expect(
        reference.regions
          .find((r) => r.id === region)
          ?.forces.slice()
          .sort(),
        region,
      ).toEqual(forces);
      for (const force of forces) expect(reference.regionOfForce(force)?.id, force).toBe(region);
    }
    expect(reference.regions).toHaveLength(Object.keys(MEMBERSHIP).length);
    expect(reference.regionOfForce('btp')).toBeUndefined();
  });

  it('carries every Cyber Protect website and email from the published directory, exactly', () => {
    const rows = seed000.split('\n').filter((line) => /\shttps?:\/\/\S+\s+\S+@/.test(line));
    expect(rows).toHaveLength(13);
    const contacts = reference.regions.flatMap((r) => r.cyberProtect);
    for (const row of rows) {
      const [, website, email] = /(https?:\/\/\S+)\s+(\S+@\S+?\.police\.uk)/.exec(row) ?? [];
      expect(
        contacts.some((c) => c.website === website && c.email === email),
        row,
      ).toBe(true);
    }
    expect(reference.directorySource.phone).toBe('0161 240 1414');
  });

  it('finds the Cyber Protect contact for a force, telling City of London and the Met apart', () => {
    expect(reference.cyberProtectFor('cumbria')?.email).toBe('titan.cyber.protect@titan.police.uk');
    expect(reference.cyberProtectFor('north-wales')?.email).toBe('titan.cyber.protect@titan.police.uk');
    expect(reference.cyberProtectFor('kent')?.email).toBe('cyberprotect@ersou.pnn.police.uk');
    expect(reference.cyberProtectFor('city-of-london')?.email).toBe(
      'cybercrimeunit@cityoflondon.pnn.police.uk',
    );
    expect(reference.cyberProtectFor('metropolitan')?.email).toBe('cyberprotect@met.pnn.police.uk');
    expect(reference.cyberProtectFor('psni')?.email).toBe('cyberinvestigation@psni.pnn.police.uk');
  });

  it('has every national number and address from the reporting guidance', () => {
    const line = reference.service('fraud-cyber-line');
    expect([line.phone, line.textphone]).toEqual(['0300 123 2040', '0300 123 2050']);
    expect(reference.service('emergency').phone).toBe('999');
    expect(reference.service('non-emergency').phone).toBe('101');
    expect(reference.service('sers').email).toBe('report@phishing.gov.uk');
    expect(reference.service('spam-text').phone).toBe('7726');
    expect(reference.service('childline').phone).toBe('0800 1111');
    expect(reference.service('victim-support').phone).toBe('0808 1689111');
    expect(reference.service('ico').deadlineHours).toBe(72);
    expect(reference.service('cyber-resilience-centre').email).toBe('info@emcrc.co.uk');
    for (const fact of [
      '0300 123 2040',
      '0300 123 2050',
      'report@phishing.gov.uk',
      '7726',
      '0800 1111',
      '0808 1689111',
      'info@emcrc.co.uk',
    ]) {
      expect(seed003).toContain(fact);
    }
    expect(reference.nationalUnits.map((u) => u.id)).toEqual(['nccu', 'nfib']);
  });

  it('maps postcodes for all four nations to known forces', () => {
    expect(Object.keys(reference.postcodeAreas).length).toBeGreaterThanOrEqual(121);
    for (const area of ['AB', 'BT', 'CF', 'LL', 'SA', 'NP', 'LD', 'CA', 'ZE', 'KW', 'TR']) {
      expect(reference.postcodeAreas[area], area).toBeDefined();
    }
  });
});

describe('bank holidays (reference/bank-holidays.json)', () => {
  it('cover 2025 to 2028 for each division, and each unit works its force’s nation’s', () => {
    expect(reference.bankHolidays.years).toEqual({ from: 2025, to: 2028 });
    const days = (unit: string) => reference.bankHolidaysOfUnit(unit);
    // St Andrew's Day (Scotland), St Patrick's Day and the Boyne (Northern Ireland), England and Wales's summer.
    expect(
      ['2026-11-30', '2026-03-17', '2026-07-13', '2026-08-31'].map((d) => days('cumbria-cyber').has(d)),
    ).toEqual([false, false, false, true]);
    expect(days('police-scotland-cyber').has('2026-11-30')).toBe(true);
    expect(days('police-scotland-cyber').has('2026-08-31')).toBe(false);
    expect(days('psni-cyber').has('2026-03-17')).toBe(true);
    expect(days('psni-cyber').has('2026-07-13')).toBe(true);
    // Welsh forces, their regional unit and the national units work England and Wales's list.
    for (const unit of ['dyfed-powys-cyber', 'tarian-rccu', 'nccu', 'fraud-assessment'])
      expect(days(unit), unit).toBe(days('cumbria-cyber'));
  });
});

describe('checkReferenceFiles', () => {
  const clone = (): ReferenceFiles =>
    structuredClone({
      forces: reference.forces,
      regions: reference.regions,
      directorySource: reference.directorySource,
      nationalUnits: reference.nationalUnits,
      units: reference.units,
      routing: reference.routing,
      services: reference.services,
      postcodeAreas: reference.postcodeAreas,
      warningLists: [],
      bankHolidays: reference.bankHolidays,
    });

  it('accepts the shipped data', () => {
    expect(checkReferenceFiles(clone())).toEqual([]);
  });

  it('reports a bank holiday at a weekend, and a year a division has no days in', () => {
    const files = clone();
    files.bankHolidays.divisions.scotland = [{ date: '2026-12-26', name: 'Boxing Day' }];
    expect(checkReferenceFiles(files)).toEqual([
      'bank holidays: scotland 2026-12-26 is at a weekend (list its substitute day)',
      'bank holidays: scotland has no days in 2025',
      'bank holidays: scotland has no days in 2027',
      'bank holidays: scotland has no days in 2028',
    ]);
  });

  it('reports a force missing from its region, an unknown force in the postcode map and a missing service', () => {
    const files = clone();
    const region = files.regions.find((r) => r.id === 'north-west');
    if (!region) throw new Error('north-west missing');
    region.forces = region.forces.filter((f) => f !== 'cumbria');
    const ca = files.postcodeAreas.CA;
    if (!ca) throw new Error('CA missing');
    ca.forces = ['cumbria-police'];
    files.services = files.services.filter((s) => s.id !== 'childline');
    const problems = checkReferenceFiles(files);
    expect(problems).toContain('regions: cumbria must be in exactly one region (is in 0)');
    expect(problems).toContain('postcodes: CA names unknown force cumbria-police');
    expect(problems).toContain('services: missing childline');
  });

  it('reports a district filed under the wrong area and a Welsh force without a Welsh name', () => {
    const files = clone();
    const sy = files.postcodeAreas.SY;
    if (!sy) throw new Error('SY missing');
    sy.districts = { ...sy.districts, LL11: ['north-wales'] };
    const gwent = files.forces.find((f) => f.id === 'gwent');
    if (!gwent) throw new Error('gwent missing');
    delete gwent.nameCy;
    const problems = checkReferenceFiles(files);
    expect(problems).toContain('postcodes: district LL11 is not in area SY');
    expect(problems).toContain('forces: gwent needs a Welsh name');
  });
});
