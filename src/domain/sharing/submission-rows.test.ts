import { describe, expect, it } from 'vitest';
import { readSubmittedObject } from './stix-submission.ts';
import { checkRow, readSubmissionCsv, submissionObject } from './submission-rows.ts';

describe('indicators typed into the partner portal', () => {
  it('names the line and column of every bad row, and takes none of the file', () => {
    const read = readSubmissionCsv(
      'value,type,tlp\nmule-payments-now.co.uk,domain,green\nx,widget,green\n,phone,amber\nhttps://a-site.co.uk/x,url,purple\n',
    );
    expect(read).toEqual({
      problems: [
        { line: 3, field: 'type', kind: 'unknown' },
        { line: 4, field: 'value', kind: 'missing' },
        { line: 5, field: 'tlp', kind: 'unknown' },
      ],
    });
  });

  it('reads the columns in order without a header, TLP:AMBER and no sharing by default', () => {
    expect(
      readSubmissionCsv('domain,Mule-Payments-Now.co.uk\nphone,07700 900123,tlp:green,yes,mule;money'),
    ).toEqual({
      rows: [
        {
          line: 1,
          type: 'domain',
          value: 'mule-payments-now.co.uk',
          tlp: 'amber',
          reshare: false,
          labels: [],
        },
        {
          line: 2,
          type: 'phone',
          value: '+447700900123',
          tlp: 'green',
          reshare: true,
          labels: ['mule', 'money'],
        },
      ],
    });
  });

  it('refuses an empty file, one that is not CSV and one with too many rows', () => {
    expect(readSubmissionCsv('type,value\n')).toEqual({ file: 'empty' });
    expect(readSubmissionCsv('"domain,x')).toEqual({ file: 'not-csv' });
    expect(readSubmissionCsv('domain,a-site.co.uk\n'.repeat(1001))).toEqual({ file: 'too-many-rows' });
  });

  it('makes an indicator the TAXII collection reads back as the same value, TLP and consent', () => {
    const checked = checkRow(null, {
      type: 'phone',
      value: '07700 900123',
      tlp: 'amber+strict',
      reshare: 'no',
    });
    if (!('row' in checked)) throw new Error('refused');
    const reading = readSubmittedObject(
      submissionObject(checked.row, new Date('2026-12-10T10:00:00Z'), '6f9619ff-8b86-4011-b42d-00c04fc964ff'),
    );
    expect(reading).toMatchObject({
      ok: true,
      submitted: { type: 'phone', value: '+447700900123', tlp: 'amber+strict', reshare: false },
    });
  });
});
