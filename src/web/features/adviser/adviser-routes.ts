import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { CSV_COLUMNS, MAX_BULK_BYTES, MAX_BULK_ROWS, readReportCsv } from '../api/report-csv.ts';
import { evidenceRoutes } from '../report/evidence-routes.ts';
import { ADVISER_JOURNEY } from '../report/journey.ts';
import { ADVISER_LAST_REPORT_KEY, reportRoutes } from '../report/report-routes.ts';
import { triageRoutes } from '../report/triage-routes.ts';
import { otherTools } from '../workspace/workspace-nav.ts';
import { uploadBulk, type BulkResult } from './bulk-upload.ts';

const ADVISER_HOME = ADVISER_JOURNEY.start;
const BULK_PATH = '/staff/adviser/bulk';
const BULK_RESULT_PATH = '/staff/adviser/bulk/result';
/**
 * The hash of the last upload's one-time key (services/upload-keys.ts): the result page shows what that upload
 * made until the adviser opens the form again. The references themselves stay in the database, with the key.
 */
const BULK_RESULT_KEY = 'adviserBulkResult';
/** The form's hidden field holding its one-time key. */
const FORM_KEY_FIELD = 'formKey';
const adviserOnly = ADVISER_JOURNEY.config;

/** The adviser's account: the intake names it on every report they take. */
async function adviserOf(request: FastifyRequest, services: Services) {
  const staff = staffOf(request);
  const user = await services.staff.userIdByEmail(staff.email);
  if (user === null) throw new Error('a signed-in adviser has no account');
  return { userId: user.id, name: staff.email };
}

/**
 * Call handlers (advisers) taking reports by phone or web chat: their home, the public journey mounted again under
 * /staff/adviser/report behind the staff gate (same pages, checks, triage and routing), their own confirmation and
 * a business's CSV of several reports. Registered in its own context, with the journey's multipart parser.
 */
export async function adviserRoutes(app: FastifyInstance, services: Services): Promise<void> {
  triageRoutes(app, services, ADVISER_JOURNEY);
  reportRoutes(app, services, ADVISER_JOURNEY);
  await evidenceRoutes(app, services, ADVISER_JOURNEY);

  app.get(ADVISER_HOME, { config: adviserOnly }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('adviser/views/home.njk', {
      pageTitle: request.t('adviser.home.title'),
      staff: staffOf(request),
      nav: otherTools(staffOf(request)),
    }),
  );

  app.get(`${ADVISER_JOURNEY.base}/confirmation`, { config: adviserOnly }, async (request, reply) => {
    const last = request.session.get(ADVISER_LAST_REPORT_KEY) as
      | { reference: string; category: string; email: string | null; copy?: { key: string; value: string }[] }
      | undefined;
    if (last === undefined) return reply.code(303).redirect(ADVISER_HOME);
    return reply.header('cache-control', 'no-store').page('adviser/views/confirmation.njk', {
      pageTitle: request.t('adviser.confirmation.title'),
      reference: last.reference,
      email: last.email,
      copy: (last.copy ?? []).map((r) => ({ key: { text: r.key }, value: { text: r.value } })),
    });
  });

  /** The form (always with a new one-time key) and whatever the page adds to it. */
  const bulkPage = (request: FastifyRequest, extra: Record<string, unknown>) => ({
    pageTitle: request.t('adviser.bulk.title'),
    columns: CSV_COLUMNS,
    maxRows: MAX_BULK_ROWS,
    maxKb: MAX_BULK_BYTES / 1024,
    formKey: services.uploadKeys.issue(),
    ...extra,
  });

  app.get(BULK_PATH, { config: adviserOnly }, async (request, reply) => {
    // A new upload begins: the last one's result leaves the session.
    if (request.session.get(BULK_RESULT_KEY) !== undefined) {
      request.session.set(BULK_RESULT_KEY, undefined);
      await request.session.save();
    }
    return reply
      .header('cache-control', 'no-store')
      .page(
        'adviser/views/bulk.njk',
        bulkPage(request, await formMessages(request, BULK_PATH, 'adviser.bulk.errors')),
      );
  });

  /** What the last upload made, by GET: a refresh shows it again and submits nothing. */
  app.get(BULK_RESULT_PATH, { config: adviserOnly }, async (request, reply) => {
    const keyHash = request.session.get(BULK_RESULT_KEY) as string | undefined;
    if (keyHash === undefined) return reply.code(303).redirect(BULK_PATH);
    const upload = await services.uploadKeys.find((await adviserOf(request, services)).userId, keyHash);
    if (upload.kind === 'new') return reply.code(303).redirect(BULK_PATH);
    if (upload.kind === 'running')
      return reply
        .header('cache-control', 'no-store')
        .page('adviser/views/bulk.njk', bulkPage(request, { running: true }));
    const { created, rejects } = upload.result as BulkResult;
    return reply.header('cache-control', 'no-store').page(
      'adviser/views/bulk.njk',
      bulkPage(request, {
        created,
        rejects,
        errors:
          rejects.length === 0
            ? undefined
            : [
                {
                  text: request.t('adviser.bulk.someRejected', {
                    count: new Set(rejects.map((r) => r.line)).size,
                  }),
                  href: '#rejects',
                },
              ],
      }),
    );
  });

  app.post(
    BULK_PATH,
    { config: { ...adviserOnly, clientLimit: 'evidence-upload' } },
    async (request, reply) => {
      const fail = (key: string, params: Record<string, string> = {}) =>
        failForm(request, reply, BULK_PATH, [{ field: 'file', key, params }]);
      if (!request.isMultipart()) return fail('none');
      let content: Buffer | null = null;
      let tooLarge = false;
      let formKey: unknown;
      for await (const part of request.parts({ limits: { fileSize: MAX_BULK_BYTES, files: 1, fields: 5 } })) {
        if (part.type === 'field') {
          if (part.fieldname === FORM_KEY_FIELD) formKey = part.value;
          continue;
        }
        const bytes = await part.toBuffer().catch(() => null);
        if (bytes === null || part.file.truncated) tooLarge = true;
        else if (bytes.byteLength > 0) content = bytes;
      }
      const keys = services.uploadKeys;
      const adviser = await adviserOf(request, services);
      /** The upload this form's key made (or is making): shown, nothing recorded again. */
      const showUpload = async (key: string) => {
        request.session.set(BULK_RESULT_KEY, keys.hashOf(key));
        await request.session.save();
        return reply.code(303).redirect(BULK_RESULT_PATH);
      };
      // A second POST of the same form (a double click, back and submit again): the first one's result, when it
      // finished with this file (or the file was not chosen again), or the "not finished" page for a key that
      // cannot resume. The same form with the same file after a stop runs on below and records the rows missing.
      if (keys.wellFormed(formKey)) {
        const state = await keys.find(adviser.userId, keys.hashOf(formKey));
        const sameFile =
          content === null ||
          state.kind === 'new' ||
          state.fileHash === null ||
          state.fileHash === keys.fileHashOf(content);
        if (state.kind === 'done' && sameFile) return showUpload(formKey);
        if (state.kind === 'running' && (content === null || state.fileHash === null))
          return showUpload(formKey);
      }
      if (tooLarge) return fail('tooLarge', { maxKb: String(MAX_BULK_BYTES / 1024) });
      if (content === null) return fail('none');
      const read = readReportCsv(content.toString('utf8'), services);
      if (!read.ok) {
        const p = read.problem;
        if (p.kind === 'malformed')
          return fail('malformed', { line: p.line === null ? '?' : String(p.line) });
        if (p.kind === 'unknown-column' || p.kind === 'duplicate-column')
          return fail(p.kind === 'unknown-column' ? 'unknownColumn' : 'duplicateColumn', {
            column: p.column,
          });
        if (p.kind === 'too-many-rows') return fail('tooManyRows', { maxRows: String(MAX_BULK_ROWS) });
        if (p.kind === 'too-large') return fail('tooLarge', { maxKb: String(MAX_BULK_BYTES / 1024) });
        return fail('empty');
      }
      // A form without its key (an old page) or with someone else's: the form again, with a new key.
      if (!keys.wellFormed(formKey)) return fail('formKey');
      const outcome = await uploadBulk(services, adviser, formKey, content, read);
      if (outcome.kind === 'taken') return fail('formKey');
      if (outcome.kind === 'other-file') return fail('otherFile');
      if (outcome.kind === 'done')
        for (let i = 0; i < outcome.recorded; i++) app.metrics.reportReceived('journey');
      // Post/redirect/get: a page answering this POST would be posted again by a refresh.
      return showUpload(formKey);
    },
  );
}
