import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { services } from '../services/index.ts';
import { unitContactsFile } from '../../test/support/unit-contacts-file.ts';
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

  describe('in production (NODE_ENV=production)', () => {
    const contactsFile = (name: string, withPrevent: boolean) => unitContactsFile({ dir, name, withPrevent });
    const regional = reference.units.filter((u) => u.kind === 'regional');

    it('marks the shipped addresses as placeholders, and refuses every one of them without UNIT_CONTACTS_FILE', () => {
      expect(loadReferenceData(undefined, { production: false }).units).toHaveLength(reference.units.length);
      const problems = problemsOf(() => loadReferenceData(undefined, { production: true }));
      expect(problems).toContain(
        'units.json: nwrocu-rccu preventMailbox prevent@nwrocu.police.uk is a placeholder; NODE_ENV=production ' +
          'needs the confirmed address in UNIT_CONTACTS_FILE',
      );
      expect(problems).toHaveLength(reference.units.length * 2 + regional.length);
    });

    it('refuses the regional units’ placeholder Prevent mailboxes when the contacts file confirms only the others', () => {
      const problems = problemsOf(() =>
        loadReferenceData(undefined, {
          production: true,
          unitContactsFile: contactsFile('no-prevent.json', false),
        }),
      );
      expect(problems.map((p) => p.split(' ').slice(1, 3).join(' ')).sort()).toEqual(
        regional.map((u) => `${u.id} preventMailbox`).sort(),
      );
    });

    it('starts with every address confirmed', () => {
      const confirmed = loadReferenceData(undefined, {
        production: true,
        unitContactsFile: contactsFile('all.json', true),
      });
      expect(confirmed.unit('nwrocu-rccu')?.preventMailbox).toBe('prevent.nwrocu-rccu@police.example');
    });

    it('stops the service at start-up before it opens its database', () => {
      const cwd = mkdtempSync(join(dir, 'start-'));
      const config = loadConfig(
        {
          NODE_ENV: 'production',
          BASE_URL: 'https://bluelight.example',
          SESSION_SECRET: 's'.repeat(40),
          SMTP_URL: 'smtps://user:pass@mail.example:465',
          VICTIM_SUPPORT_URL: 'off',
          DATA_KEY: 'a'.repeat(64),
          AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
            .privateKey.export({ format: 'der', type: 'pkcs8' })
            .toString('base64'),
          UNIT_CONTACTS_FILE: contactsFile('start.json', false),
        },
        cwd,
      );
      expect(problemsOf(() => services(config)).join('\n')).toContain(
        'nwrocu-rccu preventMailbox prevent@nwrocu.police.uk is a placeholder',
      );
      expect(config.database.dialect === 'sqlite' && existsSync(config.database.filename)).toBe(false);
    });
  });
});
