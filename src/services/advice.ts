import { repositories, type Repositories } from '../db/repositories/index.ts';
import { ServiceError } from './service-error.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Db } from '../db/database.ts';
import type { AdviceVersionsTable } from '../db/schema.ts';
import { canEditAdvice, canPublishAdvice, type StaffMember } from '../domain/access/access-policy.ts';
import { CATEGORIES, isCategory, type Category } from '../domain/classification/taxonomy.ts';

/** The reviewed advice that ships with the product: reference/advice/<category>.json, both languages. */
export const ADVICE_DIR = fileURLToPath(new URL('../../reference/advice/', import.meta.url));
export const ADVICE_LANGUAGES = ['en', 'cy'] as const;
export type AdviceLanguage = (typeof ADVICE_LANGUAGES)[number];

/** Limits on what an editor may save; the edit form checks the same numbers to explain what is wrong. */
export const ADVICE_LIMITS = { title: 120, sections: 10, items: 20, text: 600 } as const;

const Text = Type.String({ minLength: 1, maxLength: ADVICE_LIMITS.text });
const SectionSchema = Type.Object(
  {
    heading: Type.String({ minLength: 1, maxLength: ADVICE_LIMITS.title }),
    paragraphs: Type.Array(Text, { maxItems: ADVICE_LIMITS.items }),
    bullets: Type.Array(Text, { maxItems: ADVICE_LIMITS.items }),
  },
  { additionalProperties: false },
);
export const AdviceContentSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: ADVICE_LIMITS.title }),
    sections: Type.Array(SectionSchema, { minItems: 1, maxItems: ADVICE_LIMITS.sections }),
  },
  { additionalProperties: false },
);
export const AdviceFileSchema = Type.Object(
  {
    /** The date the shipped text was last reviewed (YYYY-MM-DD). */
    reviewed: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    en: AdviceContentSchema,
    cy: AdviceContentSchema,
  },
  { additionalProperties: false },
);
export type AdviceSection = Static<typeof SectionSchema>;
export type AdviceContent = Static<typeof AdviceContentSchema>;
export type AdviceFile = Static<typeof AdviceFileSchema>;

/** A page as readers see it. Version 0 is the shipped file, shown until a unit publishes its own version. */
export interface AdvicePage extends AdviceContent {
  category: Category;
  lng: AdviceLanguage;
  version: number;
  /** When this text was last reviewed: the publication time, or the shipped file's review date. */
  reviewedAt: string;
}

export interface AdviceDraft extends AdviceContent {
  version: number;
  author: string;
  createdAt: string;
}

export interface AdviceStatus {
  category: Category;
  lng: AdviceLanguage;
  published: { version: number; at: string; by: string | null };
  draft: { version: number; author: string; at: string } | null;
}

export function isAdviceLanguage(value: unknown): value is AdviceLanguage {
  return typeof value === 'string' && (ADVICE_LANGUAGES as readonly string[]).includes(value);
}

/** Reads and checks one shipped advice file; a bad file names itself and every problem. */
export function readAdviceFile(category: string, dir = ADVICE_DIR): AdviceFile {
  const path = join(dir, `${category}.json`);
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Value.Check(AdviceFileSchema, data)) {
    const problems = [...Value.Errors(AdviceFileSchema, data)].map((e) => `${e.path || '/'} ${e.message}`);
    throw new Error(`${path} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return data;
}

const body = (row: Pick<AdviceVersionsTable, 'title' | 'body_json'>): AdviceContent => ({
  title: row.title,
  sections: (JSON.parse(row.body_json) as { sections: AdviceSection[] }).sections,
});

/**
 * Protect advice per report category, in English and Welsh. Units save drafts and publish them; readers only ever
 * see the latest published version, or the reviewed text shipped in reference/advice/ while there is none.
 */
export function createAdvice(
  db: Db,
  clock: () => Date,
  dir = ADVICE_DIR,
  repos: Repositories = repositories,
) {
  // The shipped files never change while the process runs.
  const shipped = new Map<Category, AdviceFile>();
  const fileFor = (category: Category): AdviceFile => {
    let file = shipped.get(category);
    if (file === undefined) {
      file = readAdviceFile(category, dir);
      shipped.set(category, file);
    }
    return file;
  };
  const shippedPage = (category: Category, lng: AdviceLanguage): AdvicePage => {
    const file = fileFor(category);
    return { category, lng, version: 0, reviewedAt: `${file.reviewed}T00:00:00.000Z`, ...file[lng] };
  };

  const editor = (staff: StaffMember, category: string, lng: string): [Category, AdviceLanguage] => {
    if (!canEditAdvice(staff))
      throw new ServiceError('forbidden', 'advice-editor', 'Only units’ editors change the advice pages');
    if (!isCategory(category) || !isAdviceLanguage(lng))
      throw new ServiceError(
        'not-found',
        'advice-not-found',
        'There is no advice page for that category and language',
      );
    return [category, lng];
  };

  const current = repos.advice.latestAdviceVersion;

  /** The page readers see; null for a category the taxonomy does not have. */
  async function published(category: string, lng: AdviceLanguage): Promise<AdvicePage | null> {
    if (!isCategory(category)) return null;
    const row = await current(db, category, lng, 'published');
    if (row === undefined) return shippedPage(category, lng);
    return {
      category,
      lng,
      version: row.version,
      reviewedAt: row.published_at ?? row.created_at,
      ...body(row),
    };
  }

  return {
    published,

    /** Every category in both languages: what is published and whether a draft waits for publication. */
    async overview(staff: StaffMember): Promise<AdviceStatus[]> {
      if (!canEditAdvice(staff))
        throw new ServiceError('forbidden', 'advice-editor', 'Only units’ editors change the advice pages');
      const rows = await repos.advice.currentAdviceVersions(db);
      const find = (category: string, lng: string, status: string) =>
        rows.find((r) => r.category === category && r.lng === lng && r.status === status);
      return Object.keys(CATEGORIES).flatMap((key) => {
        const category = key as Category;
        return ADVICE_LANGUAGES.map((lng) => {
          const published = find(category, lng, 'published');
          const draft = find(category, lng, 'draft');
          return {
            category,
            lng,
            published: published
              ? {
                  version: published.version,
                  at: published.published_at ?? published.created_at,
                  by: published.published_by,
                }
              : { version: 0, at: shippedPage(category, lng).reviewedAt, by: null },
            draft: draft ? { version: draft.version, author: draft.author, at: draft.created_at } : null,
          };
        });
      });
    },

    /** What an editor starts from: the published page and the draft waiting for publication, if any. */
    async forEditing(
      staff: StaffMember,
      categoryInput: string,
      lngInput: string,
    ): Promise<{ published: AdvicePage; draft: AdviceDraft | null; mayPublish: boolean }> {
      const [category, lng] = editor(staff, categoryInput, lngInput);
      const page = await published(category, lng);
      const draft = await current(db, category, lng, 'draft');
      return {
        published: page ?? shippedPage(category, lng),
        draft: draft
          ? { version: draft.version, author: draft.author, createdAt: draft.created_at, ...body(draft) }
          : null,
        mayPublish: draft !== undefined && canPublishAdvice(staff, draft.author),
      };
    },

    /** Saves a new draft version (audit-logged); any older draft is superseded. Returns the version number. */
    async saveDraft(
      staff: StaffMember,
      categoryInput: string,
      lngInput: string,
      content: AdviceContent,
    ): Promise<number> {
      const [category, lng] = editor(staff, categoryInput, lngInput);
      if (!Value.Check(AdviceContentSchema, content))
        throw new ServiceError(
          'invalid',
          'advice-content',
          'The advice content is not in the expected shape',
          {
            field: 'body',
          },
        );
      const now = clock().toISOString();
      return db.transaction().execute(async (trx) => {
        // A concurrent save may take the next number first; the unique index turns that into a retry.
        for (let attempt = 0; attempt < 5; attempt++) {
          const version = (await repos.advice.highestAdviceVersion(trx, category, lng)) + 1;
          const inserted = await repos.advice.insertAdviceVersion(trx, {
            category,
            lng,
            version,
            title: content.title,
            body_json: JSON.stringify({ sections: content.sections }),
            status: 'draft',
            author: staff.email,
            created_at: now,
            published_by: null,
            published_at: null,
          });
          if (!inserted) continue;
          await repos.advice.supersedeAdvice(trx, { category, lng }, 'draft', version);
          await repos.audit.writeAudit(trx, {
            at: clock(),
            actor: staff.email,
            action: 'advice-save',
            detail: `${category} ${lng} version ${version} saved as draft`,
          });
          return version;
        }
        throw new Error(`advice ${category} ${lng}: could not take a version number after 5 attempts`);
      });
    },

    /**
     * Publishes the waiting draft (audit-logged); the page it replaces is superseded. Refused (conflict, no-draft)
     * when there is no draft, or another editor published or replaced it at the same moment.
     */
    async publish(staff: StaffMember, categoryInput: string, lngInput: string): Promise<number> {
      const [category, lng] = editor(staff, categoryInput, lngInput);
      const now = clock().toISOString();
      return db.transaction().execute(async (trx) => {
        const draft = await current(trx, category, lng, 'draft');
        if (draft === undefined)
          throw new ServiceError('conflict', 'no-draft', 'There is no draft to publish', {
            field: 'publish',
          });
        // The two-person rule (issue 24): whoever saved the draft last cannot publish it.
        if (!canPublishAdvice(staff, draft.author))
          throw new ServiceError('forbidden', 'advice-own-draft', 'Another editor must publish your draft', {
            field: 'publish',
          });
        await repos.advice.supersedeAdvice(trx, { category, lng }, 'published');
        const published = await repos.advice.publishAdviceDraft(trx, draft.id, {
          email: staff.email,
          at: now,
        });
        // Someone else published or replaced this draft meanwhile: change nothing.
        if (!published)
          throw new ServiceError('conflict', 'no-draft', 'There is no draft to publish', {
            field: 'publish',
          });
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'advice-publish',
          detail: `${category} ${lng} version ${draft.version} published`,
        });
        return draft.version;
      });
    },
  };
}
