import { describe, expect, it } from 'vitest';
import { loadReferenceData } from '../../reference-data/load-reference-data.ts';
import { routeReport, routingFactText, type RoutingFacts } from './route-report.ts';

const reference = loadReferenceData();
const route = (facts: Partial<RoutingFacts>) =>
  routeReport(
    {
      category: 'other',
      cyber: 'none',
      reporterType: 'individual',
      sector: null,
      ongoing: false,
      extortion: false,
      vulnerable: false,
      forceId: 'cumbria',
      lossPence: 0,
      suspectNames: [],
      suspectPhones: [],
      ...facts,
    },
    reference.routing,
    reference.unitDirectory,
  );

describe('default routing rules (reference/routing-rules.json)', () => {
  it('keeps phishing attempts out of every queue: intelligence only', () => {
    expect(route({ category: 'phishing-attempt', cyber: 'none', forceId: null })).toMatchObject({
      route: 'none',
      unitId: null,
      rule: 'intelligence-only',
    });
  });

  it('sends a report with no known force to the national fraud assessment unit to resolve', () => {
    expect(route({ category: 'hacking-personal', cyber: 'dependent', forceId: null })).toMatchObject({
      route: 'fraud-assessment',
      unitId: 'fraud-assessment',
      rule: 'force-not-known',
    });
  });

  it('sends child sexual abuse to the force unit, urgent', () => {
    expect(route({ category: 'child-sexual-abuse', cyber: 'enabled' })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'child-sexual-abuse',
      urgent: true,
    });
  });

  it('sends ransomware to the regional unit, urgent only while ongoing', () => {
    expect(route({ category: 'hacking-extortion', cyber: 'dependent', extortion: true })).toMatchObject({
      unitId: 'nwrocu-rccu',
      rule: 'extortion-attack',
      urgent: false,
    });
    expect(route({ category: 'hacking-extortion', cyber: 'dependent', ongoing: true })).toMatchObject({
      unitId: 'nwrocu-rccu',
      urgent: true,
    });
  });

  it('sends server hacking and denial of service against an organisation to the regional unit', () => {
    for (const category of ['hacking-server', 'denial-of-service'] as const) {
      expect(
        route({
          category,
          cyber: 'dependent',
          reporterType: 'organisation',
          sector: 'retail',
          forceId: 'kent',
        }),
      ).toMatchObject({
        unitId: 'ersou-rccu',
        rule: 'organisation-attack',
      });
    }
  });

  it('sends any live attack on an organisation to the regional unit, urgent', () => {
    expect(
      route({
        category: 'malware',
        cyber: 'dependent',
        reporterType: 'organisation',
        sector: 'retail',
        ongoing: true,
        forceId: 'north-wales',
      }),
    ).toMatchObject({
      unitId: 'nwrocu-rccu',
      rule: 'live-attack',
      urgent: true,
    });
  });

  it('sends attacks on critical national infrastructure, or losses of £1m or more, to the NCCU', () => {
    expect(
      route({
        category: 'hacking-extortion',
        cyber: 'dependent',
        reporterType: 'organisation',
        sector: 'water',
      }),
    ).toMatchObject({ unitId: 'nccu', rule: 'critical-infrastructure-attack' });
    expect(
      route({
        category: 'hacking-server',
        cyber: 'dependent',
        reporterType: 'organisation',
        sector: 'retail',
        lossPence: 100_000_000,
      }),
    ).toMatchObject({
      unitId: 'nccu',
      rule: 'major-loss-attack',
    });
  });

  it('sends other cyber-dependent crime against individuals, sextortion and harassment to the force unit', () => {
    expect(route({ category: 'hacking-social-email', cyber: 'dependent' })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'cyber-dependent',
    });
    expect(route({ category: 'sextortion', cyber: 'enabled', extortion: true })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'sextortion-or-harassment',
    });
    expect(route({ category: 'online-harassment', cyber: 'enabled' })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'sextortion-or-harassment',
    });
  });

  it('sends frauds to the national fraud assessment unit, and straight to the force when there are leads', () => {
    expect(route({ category: 'romance-fraud', cyber: 'enabled', lossPence: 500_00 })).toMatchObject({
      unitId: 'fraud-assessment',
      rule: 'fraud',
    });
    expect(route({ category: 'romance-fraud', cyber: 'enabled', lossPence: 10_000_00 })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'fraud-with-leads',
    });
    expect(route({ category: 'impersonation-fraud', cyber: 'enabled', vulnerable: true })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'fraud-with-leads',
    });
    expect(
      route({
        category: 'investment-fraud',
        cyber: 'enabled',
        suspectNames: ['J Smith'],
        suspectPhones: ['07911 123456'],
      }),
    ).toMatchObject({ rule: 'fraud-with-leads' });
    expect(
      route({
        category: 'investment-fraud',
        cyber: 'enabled',
        suspectNames: ['J Smith'],
        suspectPhones: ['+1 212 555 0100'],
      }),
    ).toMatchObject({ rule: 'fraud' });
  });

  it('says why, in terms staff can check', () => {
    const decision = route({ category: 'romance-fraud', cyber: 'enabled', lossPence: 2_500_000 });
    expect(decision.because).toEqual([
      { fact: 'category', category: 'romance-fraud' },
      { fact: 'leads', leads: { kind: 'loss', pence: 2_500_000, thresholdPence: 1_000_000 } },
    ]);
    // In English for the API, as reports stored before the facts were coded say it.
    expect(decision.because.map(routingFactText)).toEqual([
      'category is romance-fraud',
      'leads: loss of £25,000 is at or above £10,000',
    ]);
  });

  it('uses the force unit where the region has no regional unit (Scotland, Northern Ireland)', () => {
    expect(
      route({ category: 'hacking-extortion', cyber: 'dependent', forceId: 'police-scotland' }),
    ).toMatchObject({ unitId: 'police-scotland-cyber' });
    expect(route({ category: 'hacking-extortion', cyber: 'dependent', forceId: 'psni' })).toMatchObject({
      unitId: 'psni-cyber',
    });
  });

  it('has a rule for every outcome the defaults promise, and ends with a default', () => {
    expect(reference.routing.rules.at(-1)).toMatchObject({ id: 'default', when: {} });
    expect(route({ category: 'other', cyber: 'none' })).toMatchObject({
      unitId: 'cumbria-cyber',
      rule: 'default',
    });
  });
});
