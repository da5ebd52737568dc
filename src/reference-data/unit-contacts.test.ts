import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_DIR, loadReferenceData, ReferenceDataError } from './load-reference-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'bluelight-unit-contacts-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    if (error instanceof ReferenceDataError) return error.problems;
    throw error;
  }
  return [];
};

describe('units’ mailboxes and out-of-hours contacts', () => {
  const reference = loadReferenceData();

  it('gives every unit a mailbox and an out-of-hours contact; a force unit’s are on its force’s domain', () => {
    for (const unit of reference.units) {
      expect(unit.mailbox, unit.id).toMatch(/^[a-z.]+@[a-z.-]+\.(police|gov)\.uk$/);
      expect(unit.outOfHours, unit.id).toMatch(/^[a-z.]+@[a-z.-]+\.(police|gov)\.uk$/);
      expect(unit.outOfHours, unit.id).not.toBe(unit.mailbox);
      if (unit.kind === 'force') {
        const domain = new URL(reference.force(unit.force ?? '')?.website ?? '').hostname.replace(
          /^www\./,
          '',
        );
        expect(unit.mailbox.endsWith(`@${domain}`), unit.id).toBe(true);
      }
    }
    expect(reference.unit('cumbria-cyber')?.mailbox).toBe('cyber.unit@cumbria.police.uk');
  });

  it('refuses units.json when a unit has no mailbox', () => {
    const copy = join(dir, 'reference');
    cpSync(DEFAULT_REFERENCE_DIR, copy, { recursive: true });
    const units = JSON.parse(readFileSync(join(copy, 'units.json'), 'utf8')) as {
      units: Record<string, unknown>[];
    };
    delete units.units[0]?.mailbox;
    writeFileSync(join(copy, 'units.json'), JSON.stringify(units));
    expect(problemsOf(() => loadReferenceData(copy)).join('\n')).toMatch(/units\.json: \/units\/0\/mailbox/);
  });

  it('takes a deployment’s confirmed addresses from UNIT_CONTACTS_FILE for the units it names', () => {
    const file = join(dir, 'contacts.json');
    writeFileSync(
      file,
      JSON.stringify({
        units: {
          'cumbria-cyber': {
            mailbox: 'cdcu.referrals@cumbria.police.uk',
            outOfHours: 'force.control.room@cumbria.police.uk',
          },
        },
      }),
    );
    const confirmed = loadReferenceData(undefined, { unitContactsFile: file });
    expect(confirmed.unit('cumbria-cyber')).toMatchObject({
      mailbox: 'cdcu.referrals@cumbria.police.uk',
      outOfHours: 'force.control.room@cumbria.police.uk',
    });
    expect(confirmed.unit('kent-cyber')?.mailbox).toBe(reference.unit('kent-cyber')?.mailbox);
  });

  it('refuses a contacts file naming a unit that does not exist, or an address that is not one', () => {
    const file = join(dir, 'wrong.json');
    writeFileSync(
      file,
      JSON.stringify({
        units: { 'cumbria-cyber-unit': { mailbox: 'a@b.police.uk', outOfHours: 'c@d.police.uk' } },
      }),
    );
    expect(problemsOf(() => loadReferenceData(undefined, { unitContactsFile: file }))).toContain(
      'wrong.json: names unknown unit cumbria-cyber-unit',
    );
    writeFileSync(
      file,
      JSON.stringify({
        units: { 'cumbria-cyber': { mailbox: 'not an address', outOfHours: 'c@d.police.uk' } },
      }),
    );
    expect(problemsOf(() => loadReferenceData(undefined, { unitContactsFile: file })).join('\n')).toMatch(
      /wrong\.json: \/units\/cumbria-cyber\/mailbox/,
    );
    expect(
      problemsOf(() => loadReferenceData(undefined, { unitContactsFile: join(dir, 'missing.json') })),
    ).toHaveLength(1);
  });
});
