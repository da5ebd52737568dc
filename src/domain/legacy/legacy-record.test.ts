import { describe, expect, it } from 'vitest';
import { mapHeader } from './legacy-record.ts';

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
