import { describe, expect, it } from 'vitest';
import { mapHeader, parseLegacyRecord } from './legacy-record.ts';

describe('legacy export headers', () => {
  it('match whatever their case, spaces, underscores, hyphens and punctuation', () => {
    const { mapping, missing } = mapHeader([
      'Crime Ref',
      'Date / Time Recorded',
      'Offence Type',
      'MO Summary',
      'LOSS-AMOUNT',
    ]);
    expect(missing).toEqual([]);
    expect([...mapping.values()]).toEqual(['record_id', 'recorded_date', 'crime_type', 'summary', 'loss']);
  });

  it('still names the required columns it cannot find', () => {
    expect(mapHeader(['id', 'when']).missing).toEqual(['record_id', 'recorded_date', 'summary']);
  });
});

describe('a legacy record’s loss', () => {
  const mapping = mapHeader(['record_id', 'recorded_date', 'summary', 'loss']).mapping;
  const loss = (value: string) => {
    const parsed = parseLegacyRecord(['R1', '2026-01-02', 'paid online', value], mapping);
    return parsed.ok ? parsed.row.lossPence : parsed.reason;
  };

  it('reads pounds and pence, with a pound sign, GBP and commas between thousands', () => {
    expect(['£1,250.50', '1250.5', 'GBP 450', ' £ 9,999,999,999.99 ', '', 'N/A', 'nil'].map(loss)).toEqual([
      125050, 125050, 45000, 999999999999, 0, 0, 0,
    ]);
  });

  it('refuses a decimal comma, stray commas, signs, exponents and amounts past £9,999,999,999.99', () => {
    for (const value of [
      '12,50',
      '12 50',
      '1 250',
      '1,2,3,4',
      '-5',
      '1e3',
      '£10,000,000,000',
      '999999999999.99',
      '12.345',
    ])
      expect(loss(value)).toMatch(/^loss ".*" is not an amount of money/);
  });
});

describe('a legacy record’s long text', () => {
  const mapping = mapHeader(['record_id', 'recorded_date', 'crime_type', 'summary']).mapping;
  const row = (crimeType: string, summary: string) => {
    const parsed = parseLegacyRecord(['R1', '2026-01-02', crimeType, summary], mapping);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.row;
  };

  it('keeps the first 20,000 characters of a summary and 200 of an offence, never half an emoji', () => {
    const emoji = '\u{1F600}';
    const long = row('x'.repeat(199) + emoji, 'y'.repeat(19_999) + emoji + 'z');
    expect(long.summary).toBe('y'.repeat(19_999));
    expect(long.crimeType).toBe('x'.repeat(199));
    expect(row('a', 'y'.repeat(19_998) + emoji + 'z').summary).toBe('y'.repeat(19_998) + emoji);
  });
});
