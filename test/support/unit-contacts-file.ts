import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReferenceData } from '../../src/reference-data/load-reference-data.ts';

/**
 * A UNIT_CONTACTS_FILE confirming every unit's addresses (Prevent mailboxes too unless `withPrevent` is false), as a
 * production deployment must give one: NODE_ENV=production refuses the shipped placeholders.
 */
export function unitContactsFile({
  dir = mkdtempSync(join(tmpdir(), 'bluelight-contacts-')),
  name = 'unit-contacts.json',
  withPrevent = true,
} = {}): string {
  const file = join(dir, name);
  const units = Object.fromEntries(
    loadReferenceData().units.map((u) => [
      u.id,
      {
        mailbox: `confirmed.${u.id}@police.example`,
        outOfHours: `oncall.${u.id}@police.example`,
        ...(withPrevent && u.preventMailbox !== undefined
          ? { preventMailbox: `prevent.${u.id}@police.example` }
          : {}),
      },
    ]),
  );
  writeFileSync(file, JSON.stringify({ units }));
  return file;
}
