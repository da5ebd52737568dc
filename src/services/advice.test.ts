import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices } from '../../test/support/test-services.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { CATEGORIES } from '../domain/classification/taxonomy.ts';
import { ADVICE_DIR, readAdviceFile, type AdviceContent } from './advice.ts';
import { ServiceError } from './service-error.ts';

const editor: StaffMember = {
  email: 'sup@force.example',
  role: 'force-supervisor',
  forceId: 'cumbria',
  unitId: null,
};
/** A second editor: the two-person rule keeps authors from publishing their own drafts. */
const checker: StaffMember = { ...editor, email: 'sup2@force.example' };
const content = (title: string): AdviceContent => ({
  title,
  sections: [{ heading: 'What to do now', paragraphs: [], bullets: ['Call your bank.'] }],
});

describe('advice service', () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('ships one valid file for every category and nothing else', () => {
    const files = readdirSync(ADVICE_DIR).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(CATEGORIES).sort());
    for (const category of files) expect(() => readAdviceFile(category)).not.toThrow();
  });

  it('shows the shipped text as version 0 until a version is published', async () => {
    const page = await services.advice.published('malware', 'cy');
    expect(page).toMatchObject({
      category: 'malware',
      lng: 'cy',
      version: 0,
      reviewedAt: '2026-11-29T00:00:00.000Z',
    });
    expect(page?.title).toBe(readAdviceFile('malware').cy.title);
    expect(await services.advice.published('no-such-category', 'en')).toBeNull();
  });

  it('numbers versions, keeps one draft, publishes it and supersedes what it replaces', async () => {
    const advice = services.advice;
    expect(await advice.saveDraft(editor, 'malware', 'en', content('First'))).toBe(1);
    expect(await advice.saveDraft(editor, 'malware', 'en', content('Second'))).toBe(2);
    expect((await advice.published('malware', 'en'))?.version).toBe(0);
    await expect(advice.publish(editor, 'malware', 'en')).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'advice-own-draft',
    });
    expect(await advice.publish(checker, 'malware', 'en')).toBe(2);
    await expect(advice.publish(checker, 'malware', 'en')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'no-draft',
    });
    // Whoever saved the draft last is its author: the checker who changes it cannot publish it either.
    expect(await advice.saveDraft(checker, 'malware', 'en', content('Third'))).toBe(3);
    await expect(advice.publish(checker, 'malware', 'en')).rejects.toMatchObject({
      code: 'advice-own-draft',
    });
    expect(await advice.publish(editor, 'malware', 'en')).toBe(3);

    const rows = await services.database.db
      .selectFrom('advice_versions')
      .select(['version', 'status', 'published_by'])
      .where('category', '=', 'malware')
      .orderBy('version')
      .execute();
    expect(rows).toEqual([
      { version: 1, status: 'superseded', published_by: null },
      { version: 2, status: 'superseded', published_by: checker.email },
      { version: 3, status: 'published', published_by: editor.email },
    ]);
    // The Welsh page is a page of its own.
    expect((await advice.published('malware', 'cy'))?.version).toBe(0);
    const audit = await services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('action', 'like', 'advice-%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'advice-save',
      'advice-save',
      'advice-publish',
      'advice-save',
      'advice-publish',
    ]);
    expect(audit[4]).toEqual({
      actor: editor.email,
      action: 'advice-publish',
      detail: 'malware en version 3 published',
    });
  });

  it('never gives two concurrent saves the same version', async () => {
    const versions = await Promise.all(
      [1, 2, 3, 4].map((n) => services.advice.saveDraft(editor, 'sextortion', 'en', content(`Draft ${n}`))),
    );
    expect(versions.sort()).toEqual([1, 2, 3, 4]);
    const drafts = await services.database.db
      .selectFrom('advice_versions')
      .select('version')
      .where('category', '=', 'sextortion')
      .where('status', '=', 'draft')
      .execute();
    expect(drafts).toEqual([{ version: 4 }]);
  });

  it('refuses people who may not edit, unknown pages and content outside the limits', async () => {
    const officer = { ...editor, role: 'force-officer' as const };
    await expect(services.advice.saveDraft(officer, 'malware', 'en', content('x'))).rejects.toThrow(
      ServiceError,
    );
    await expect(
      services.advice.publish({ ...editor, role: 'analyst' }, 'malware', 'en'),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(services.advice.saveDraft(editor, 'malware', 'fr', content('x'))).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(services.advice.saveDraft(editor, 'nope', 'en', content('x'))).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(
      services.advice.saveDraft(editor, 'malware', 'en', { title: '', sections: [] }),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });
});
