/** Report evidence for tests of how staff open it (the workspace's file pages and the staff API). */
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Services } from '../../src/services/index.ts';
import { makeSubmission } from './submissions.ts';

/** A 1×1 PNG's first bytes: enough for the content check. */
export const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
]);

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The headers every served evidence file must carry, as a response has them. */
export const fileHeadersOf = (res: LightMyRequestResponse) => ({
  'content-type': res.headers['content-type'],
  'content-disposition': res.headers['content-disposition'],
  'x-content-type-options': res.headers['x-content-type-options'],
  'content-security-policy': res.headers['content-security-policy'],
  'cache-control': res.headers['cache-control'],
});

/** A report the Cumbria cyber crime unit holds, with these files: its reference and the files' ids by name. */
export async function reportWithFiles(
  services: Services,
  category: 'sextortion' | null,
  files: { name: string; content: Buffer | string }[],
) {
  const evidence = [];
  for (const f of files) evidence.push(await services.evidence.store(f.name, Buffer.from(f.content)));
  const narrative = 'someone hacked my email account and is blackmailing me';
  const submitted = await services.reportIntake.submit(makeSubmission({ category, narrative, evidence }));
  await services.intelligence.linkPending();
  const rows = await services.database.db
    .selectFrom('report_evidence')
    .innerJoin('reports', 'reports.id', 'report_evidence.report_id')
    .select(['report_evidence.id', 'report_evidence.file_name'])
    .where('reports.reference', '=', submitted.reference)
    .execute();
  return { reference: submitted.reference, ids: new Map(rows.map((r) => [r.file_name, r.id])) };
}

/**
 * A file put straight into a report's evidence, past the upload's checks (an older version, a migration, another
 * way in): how a planted HTML page gets there. Answers its id.
 */
export async function plantEvidence(
  services: Services,
  reference: string,
  file: { name: string; contentType: string; content: string },
): Promise<number> {
  const db = services.database.db;
  const at = new Date().toISOString();
  const report = await db
    .selectFrom('reports')
    .select('id')
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('evidence_blobs')
    .values({
      sha256: sha256(file.content),
      size: file.content.length,
      content: Buffer.from(file.content),
      created_at: at,
    })
    .execute();
  await db
    .insertInto('report_evidence')
    .values({
      report_id: report.id,
      sha256: sha256(file.content),
      file_name: file.name,
      content_type: file.contentType,
      size: file.content.length,
      created_at: at,
    })
    .execute();
  const planted = await db
    .selectFrom('report_evidence')
    .select('id')
    .where('report_id', '=', report.id)
    .where('file_name', '=', file.name)
    .executeTakeFirstOrThrow();
  return planted.id;
}

/** The audit rows of one action, oldest first: who, which report, and what they say. */
export const auditRows = (services: Services, action: string) =>
  services.database.db
    .selectFrom('audit_log')
    .select(['actor', 'reference', 'detail'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
