/**
 * One exhibit of a case: its details and files (uploaded here, stored by SHA-256 and logged in the chain of
 * custody; never shown, only named and hashed), and its call data records: CSV import, a paged timeline, and
 * marking the events that place the number near a place and time.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_FILE_BYTES, MAX_REPORT_BYTES } from '../../../domain/evidence/evidence-file.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import type { Services } from '../../../services/index.ts';
import { CDR_COLUMNS } from '../../../services/investigations/index.ts';
import { readMark, type Body, type FormProblem } from './case-forms.ts';
import { failForm } from './case-messages.ts';
import { caseFrame, exhibitPath, idOf, notFound, refused, unitWork } from './case-pages.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { paginationLinks } from '../../pagination.ts';

/** Events on one page of the timeline. */
const PAGE_SIZE = 25;
/** A CSV of call data records: 100,000 rows of about 50 bytes. */
const MAX_CSV_BYTES = 5 * 1024 * 1024;
const MAX_FILE_NAME = 200;

/** The name a browser sent for a file, without any folders, cut to what the chain stores. */
const fileName = (raw: string) => {
  const base = raw.split(/[\\/]/).pop()?.trim() ?? '';
  return (base === '' ? 'file' : base).slice(0, MAX_FILE_NAME);
};

export function exhibitRoutes(app: FastifyInstance, services: Services): void {
  const inv = services.investigations;

  /**
   * The officer, case and exhibit for `/staff/cases/:reference/exhibits/:id…`, or null once a reply is sent. Pages
   * read the case (audited as a view); forms only check it is there for this person (`findCase` writes nothing).
   */
  async function exhibitOf<C extends { reference: string; exhibits: { id: number }[] }>(
    request: FastifyRequest<{ Params: { reference: string; id: string } }>,
    reply: FastifyReply,
    load: (staff: StaffMember, reference: string) => Promise<C | null>,
  ) {
    const staff = staffOf(request);
    const id = idOf(request.params.id);
    const found = id === null ? null : await load(staff, request.params.reference);
    const exhibit = found?.exhibits.find((e) => e.id === id);
    if (found === null || exhibit === undefined) {
      notFound(reply);
      return null;
    }
    return {
      staff,
      found,
      exhibit: exhibit as C['exhibits'][number],
      path: exhibitPath(found.reference, exhibit.id),
    };
  }
  const view = (staff: StaffMember, reference: string) => inv.readCase(staff, reference);
  const guard = (staff: StaffMember, reference: string) => inv.findCase(staff, reference);

  type Params = { Params: { reference: string; id: string } };

  app.get<Params>('/staff/cases/:reference/exhibits/:id', { config: unitWork }, async (request, reply) => {
    const at = await exhibitOf(request, reply, view);
    if (at === null) return reply;
    const { staff, found, exhibit, path } = at;
    const calls = await inv.cdrSummary(staff, exhibit.id);
    return reply.header('cache-control', 'no-store').page('cases/views/case-exhibit.njk', {
      pageTitle: `${request.t('cases.exhibit.title', { ref: exhibit.exhibitRef })}: ${found.reference}`,
      staff,
      exhibit,
      matches: found.hashMatches.filter((m) => m.exhibit === exhibit.exhibitRef),
      calls: calls ?? { total: 0, marked: 0 },
      maxMb: MAX_FILE_BYTES / 1024 / 1024,
      ...(await caseFrame(request, found, 'exhibits', path, services.clock().toISOString().slice(0, 10))),
    });
  });

  app.post<Params>(
    '/staff/cases/:reference/exhibits/:id/files',
    { config: unitWork },
    async (request, reply) => {
      const at = await exhibitOf(request, reply, guard);
      if (at === null) return reply;
      const fail = (key: string) =>
        failForm(
          request,
          reply,
          at.path,
          [{ field: 'files', key, params: { mb: String(MAX_FILE_BYTES / 1024 / 1024) } }],
          {},
        );
      if (!request.isMultipart()) return fail('fileNone');
      const files: { name: string; content: Buffer }[] = [];
      let total = 0;
      for await (const part of request.files()) {
        const content = await part.toBuffer().catch(() => null);
        if (part.filename === '' && (content?.byteLength ?? 0) === 0) continue; // the empty file input
        if (content === null || part.file.truncated) return fail('fileLarge');
        if (content.byteLength === 0) return fail('fileEmpty');
        total += content.byteLength;
        // All parts are held until stored: cap them together, as the public evidence upload does.
        if (total > MAX_REPORT_BYTES)
          return failForm(
            request,
            reply,
            at.path,
            [{ field: 'files', key: 'filesTotal', params: { mb: String(MAX_REPORT_BYTES / 1024 / 1024) } }],
            {},
          );
        files.push({ name: fileName(part.filename), content });
      }
      if (files.length === 0) return fail('fileNone');
      // Read every part before storing any, so a refused upload adds nothing to the chain; then all the files,
      // their custody entries and the audit row in one transaction.
      await inv.addFiles(at.staff, at.exhibit.id, files);
      return reply.code(303).redirect(`${at.path}?done=files&count=${files.length}`);
    },
  );

  app.get<Params & { Querystring: Record<string, unknown> }>(
    '/staff/cases/:reference/exhibits/:id/calls',
    { config: unitWork },
    async (request, reply) => {
      const at = await exhibitOf(request, reply, view);
      if (at === null) return reply;
      const { staff, found, exhibit } = at;
      const markedOnly = request.query.marked === '1';
      const rawPage = request.query.page;
      const page = typeof rawPage === 'string' && /^[1-9]\d{0,5}$/.test(rawPage) ? Number(rawPage) : 1;
      const timeline = await inv.timeline(staff, exhibit.id, {
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
        markedOnly,
      });
      if (timeline === null) return notFound(reply);
      const shown = markedOnly ? timeline.marked : timeline.total;
      const pages = Math.max(1, Math.ceil(shown / PAGE_SIZE));
      if (page > pages) return notFound(reply);
      const path = `${at.path}/calls`;
      const href = (n: number) =>
        `${path}?${new URLSearchParams({ ...(markedOnly ? { marked: '1' } : {}), page: String(n) })}`;
      return reply.header('cache-control', 'no-store').page('cases/views/case-calls.njk', {
        pageTitle: `${request.t('cases.calls.title', { ref: exhibit.exhibitRef })}: ${found.reference}`,
        staff,
        exhibit,
        timeline,
        markedOnly,
        first: shown === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
        last: Math.min(page * PAGE_SIZE, shown),
        shown,
        pagination: paginationLinks(page, pages, href),
        maxCsvMb: MAX_CSV_BYTES / 1024 / 1024,
        csvHeader: CDR_COLUMNS.join(','),
        ...(await caseFrame(request, found, 'exhibits', path, services.clock().toISOString().slice(0, 10))),
      });
    },
  );

  app.post<Params>(
    '/staff/cases/:reference/exhibits/:id/calls/import',
    { config: unitWork },
    async (request, reply) => {
      const at = await exhibitOf(request, reply, guard);
      if (at === null) return reply;
      const back = `${at.path}/calls`;
      const fail = (problem: FormProblem) => failForm(request, reply, back, [problem], {});
      const part = request.isMultipart()
        ? await request.file({ limits: { fileSize: MAX_CSV_BYTES, files: 1 } })
        : undefined;
      const content = part === undefined ? null : await part.toBuffer().catch(() => 'large' as const);
      if (content === 'large' || part?.file.truncated === true)
        return fail({ field: 'csv', key: 'csvLarge', params: { mb: String(MAX_CSV_BYTES / 1024 / 1024) } });
      if (content === null || content.byteLength === 0) return fail({ field: 'csv', key: 'csvNone' });
      let csv: string;
      try {
        csv = new TextDecoder('utf-8', { fatal: true }).decode(content);
      } catch {
        return fail({ field: 'csv', key: 'csvEncoding' });
      }
      if (csv.includes('\0')) return fail({ field: 'csv', key: 'csvEncoding' });
      try {
        const imported = await inv.importCdr(at.staff, at.exhibit.id, csv);
        return await reply.code(303).redirect(`${back}?done=imported&count=${imported}`);
      } catch (error) {
        const problem = refused(error, 'csv');
        if (problem === 'not-found') return notFound(reply);
        return fail(problem);
      }
    },
  );

  app.post<Params & { Body: Body }>(
    '/staff/cases/:reference/exhibits/:id/calls/mark',
    { config: unitWork },
    async (request, reply) => {
      const at = await exhibitOf(request, reply, guard);
      if (at === null) return reply;
      const back = `${at.path}/calls`;
      const form = readMark(request.body, services.clock());
      if (!form.ok) return failForm(request, reply, back, form.problems, form.values);
      const marked = await inv.markNear(at.staff, at.exhibit.id, form.input);
      return reply.code(303).redirect(`${back}?done=marked&count=${marked}`);
    },
  );
}
