import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, createClassifier } from '../src/domain/classification/classify.ts';
import { NGRAM_MODEL } from '../src/domain/classification/ngram.ts';
import { createTestApp } from './support/test-app.ts';

// Adversarial review: the built command line and the server's intake read narratives with the narrative model,
// answering as classify() from the source does.

const repo = fileURLToPath(new URL('..', import.meta.url));

const NARRATIVES = [
  'bank bank bank bank bank bank bank',
  'https://www.example.com/login?id=12345&token=abcdef',
  'got a text about a parcel and paid the redelivery fee on the link, then the bank rang about odd payments',
  'someone keeps sending me messages on instagram threatening to share pictures unless i pay',
  'my nan got a call from someone saying they were from her bank and she moved 4000 to a safe account',
  'seems fine.',
  '😡😡😡 💸💸 someone 🤬 took my money 💰 on instagram 📸',
  "Mae rhywun wedi hacio fy nghyfrif e-bost ac wedi anfon negeseuon i'm ffrindiau yn gofyn am arian",
  'لقد تم اختراق حسابي على الفيسبوك وطلبوا مني المال',
];

it('the narratives here are answered differently by the force records’ model (so the checks below can tell)', () => {
  const forceModel = createClassifier({ model: NGRAM_MODEL, narrative: NGRAM_MODEL });
  const differ = NARRATIVES.filter(
    (text) => JSON.stringify(forceModel.classify({ text })) !== JSON.stringify(classify({ text })),
  );
  expect(differ.length).toBeGreaterThanOrEqual(3);
});

describe('the built command line', () => {
  it('`bluelight classify` from the bundle answers narratives as classify() from the source', () => {
    const built = spawnSync(process.execPath, [join(repo, 'scripts/build.mjs'), '--if-stale'], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    expect(existsSync(join(repo, 'dist/cli-bundle/main.js'))).toBe(true);
    const input = NARRATIVES.map((text, id) => JSON.stringify({ id, text })).join('\n') + '\n';
    const run = spawnSync(process.execPath, [join(repo, 'scripts/bluelight.mjs'), 'classify'], {
      input,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(NARRATIVES.length);
    NARRATIVES.forEach((text, id) => {
      const c = classify({ text });
      expect(lines[id]).toEqual({
        id,
        online: c.online.medium,
        category: c.category,
        cyber: c.cyber,
        code: c.code,
        confidence: c.confidence,
        reasons: c.reasons,
        review: expect.any(Boolean) as unknown,
      });
    });
  }, 120_000);
});

describe('the server’s intake', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let token = '';
  beforeAll(async () => {
    ctx = await createTestApp();
    token = (await ctx.services.tokens.create('Bank', ['reports:write'])).token;
  });
  afterAll(() => ctx.close());

  it('stores for each narrative the category, flag, confidence, reasons and cues classify() gives', async () => {
    for (const narrative of NARRATIVES) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          reporter: { type: 'individual', name: 'A', postcode: 'CA1 1AA' },
          incident: { narrative, losses: [] },
          consents: { victim_support: false },
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      const row = await ctx.services.database.db
        .selectFrom('reports')
        .select(['category', 'cyber', 'confidence', 'classification'])
        .where('narrative', '=', narrative)
        .executeTakeFirstOrThrow();
      const c = classify({ text: narrative, vulnerability: [] });
      expect({ ...row, classification: JSON.parse(row.classification) as unknown }).toEqual({
        category: c.category,
        cyber: c.cyber,
        confidence: c.confidence,
        classification: { confidence: c.confidence, reasons: c.reasons, cues: c.cues },
      });
    }
  });
});
