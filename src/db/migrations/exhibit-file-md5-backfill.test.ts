import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { up } from './2026-12-04T100000-exhibit-file-md5-backfill.ts';

describe(`migration: MD5 of exhibit files added before MD5s were kept (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('keeps the MD5 of every file in a chain of custody, so hash lists giving only MD5 match it', async () => {
    const inv = services.investigations;
    const db = services.database.db;
    await services.staffAccounts.add({
      email: 'oic@police.example',
      role: 'force-officer',
      forceId: 'cumbria',
      password: 'correct horse battery staple',
    });
    const staff = await services.staff.byId(
      (await services.staff.userIdByEmail('oic@police.example'))?.id ?? 0,
    );
    if (staff === null) throw new Error('no officer');
    const reference = await inv.createCase(staff, {
      title: 'Old files',
      reports: [],
      restricted: false,
      members: [],
    });
    const exhibit = await inv.addExhibit(staff, reference, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seizedAt: '2026-11-20T09:15:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    const files = ['first extraction', 'second extraction'].map((text) => Buffer.from(text));
    for (const [i, content] of files.entries()) await inv.addFile(staff, exhibit.id, `f${i}.txt`, content);
    // As stored before MD5s were kept (which was before evidence was sealed at rest).
    await db.deleteFrom('exhibit_file_md5').execute();
    for (const content of files)
      await db
        .updateTable('evidence_blobs')
        .set({ content, sealed: 0 })
        .where('sha256', '=', createHash('sha256').update(content).digest('hex'))
        .execute();
    await inv.importHashlist(
      'md5-only',
      createHash('md5')
        .update(files[1] ?? '')
        .digest('hex'),
      'cli:operator',
    );
    const unmatched = await inv.readCase(staff, reference);
    expect(unmatched?.hashMatches).toEqual([]);

    await up(db as never);
    await up(db as never); // twice is the same as once

    const kept = await db.selectFrom('exhibit_file_md5').select(['sha256', 'md5']).orderBy('md5').execute();
    expect(kept).toEqual(
      files
        .map((content) => ({
          sha256: createHash('sha256').update(content).digest('hex'),
          md5: createHash('md5').update(content).digest('hex'),
        }))
        .sort((a, b) => a.md5.localeCompare(b.md5)),
    );
    const matched = await inv.readCase(staff, reference);
    expect(matched?.hashMatches.map((m) => [m.fileName, m.list])).toEqual([['f1.txt', 'md5-only']]);
  });
});
