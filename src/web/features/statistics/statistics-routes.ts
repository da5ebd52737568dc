import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CATEGORIES } from '../../../domain/classification/taxonomy.ts';
import type { PublishedFigure } from '../../../domain/statistics/disclosure-control.ts';
import type { Services } from '../../../services/index.ts';
import { lastPublishedMonth, NOT_CRIMES, type GroupBy } from '../../../services/statistics.ts';
import { barChartSvg, type Bar } from './bar-chart.ts';
import { parsePublicStatisticsParams, type PublicParamError } from './public-statistics-params.ts';

const SECTIONS = ['month', 'category', 'region', 'cyber'] as const satisfies GroupBy[];
/** Where each field's error links to: the first input of a month picker (group_by is CSV-only, never on the page). */
const FIELD_IDS: Record<PublicParamError['field'], string> = {
  from: 'from-month',
  to: 'to-month',
  force: 'force',
  category: 'category',
  group_by: 'from-month',
};

/**
 * The public figures: every number here comes from services.statistics.published, which protects each finest
 * cell before adding anything up (see domain/statistics/disclosure-control.ts). Staff get exact figures from
 * GET /api/v1/statistics.
 */
export function statisticsRoutes(app: FastifyInstance, services: Services): void {
  const label = (request: FastifyRequest, group: string, value: string | null | undefined): string => {
    const t = request.t;
    if (value === null || value === undefined || value === '') return t('statistics.unknown');
    if (group === 'category') return t(`statistics.categories.${value}`);
    if (group === 'cyber') return t(`statistics.cyber.${value}`);
    if (group === 'force') {
      const force = services.reference.force(value);
      return force === undefined ? value : request.lng === 'cy' && force.nameCy ? force.nameCy : force.name;
    }
    if (group === 'region') {
      const region = services.reference.regions.find((r) => r.id === value);
      return region === undefined ? value : request.lng === 'cy' ? region.nameCy : region.name;
    }
    return monthName(request, value);
  };
  const monthName = (request: FastifyRequest, month: string) =>
    new Date(`${month}-01T00:00:00Z`).toLocaleDateString(request.lng === 'cy' ? 'cy-GB' : 'en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
  const count = (request: FastifyRequest, figure: PublishedFigure) =>
    figure.reports === 'fewer-than-5'
      ? request.t('statistics.fewerThan5')
      : figure.reports.toLocaleString('en-GB');
  const money = (figure: PublishedFigure) =>
    figure.lossPounds === null ? '' : `£${figure.lossPounds.toLocaleString('en-GB')}`;
  const parse = (request: FastifyRequest, csv: boolean) =>
    parsePublicStatisticsParams(
      request.query as Record<string, unknown>,
      services.reference,
      lastPublishedMonth(services.clock()),
      csv,
    );

  app.get('/statistics', async (request, reply) => {
    const parsed = parse(request, false);
    const lastMonth = lastPublishedMonth(services.clock());
    const base = {
      pageTitle: request.t('statistics.title'),
      values: parsed.values,
      lastMonth: monthName(request, lastMonth),
      forces: services.reference.forces,
      categories: Object.keys(CATEGORIES).filter((c) => !NOT_CRIMES.includes(c)),
    };
    if (!parsed.ok) {
      const errors = parsed.errors.map((e) => ({
        text: request.t(`statistics.errors.${e.field}.${e.code}`, { month: base.lastMonth }),
        href: `#${FIELD_IDS[e.field]}`,
      }));
      return reply.code(400).page('statistics/views/statistics.njk', {
        ...base,
        errors,
        fieldErrors: Object.fromEntries(parsed.errors.map((e, i) => [e.field, errors[i]])),
      });
    }
    const q = parsed.value;
    const published = await services.statistics.published(
      q,
      SECTIONS.map((g) => [g]),
    );
    const sections = SECTIONS.map((group, i) => {
      const rows = (published.tables[i] ?? []).map((row) => ({
        label: label(request, group, row[group]),
        count: count(request, row),
        loss: money(row),
        value: row.reports === 'fewer-than-5' ? null : row.reports,
      }));
      const bars: Bar[] = rows.map((r) => ({ label: r.label, value: r.value, display: r.count }));
      return {
        group,
        rows,
        chart: barChartSvg(bars, request.t(`statistics.sections.${group}`), `chart-${group}`),
      };
    });
    const csvQuery = new URLSearchParams({
      from: q.fromMonth,
      to: q.toMonth,
      ...(q.force === undefined ? {} : { force: q.force }),
      ...(q.category === undefined ? {} : { category: q.category }),
    });
    return reply.page('statistics/views/statistics.njk', {
      ...base,
      period: { from: monthName(request, q.fromMonth), to: monthName(request, q.toMonth) },
      sections,
      total: { count: count(request, published.total), loss: money(published.total) },
      imported: await services.statistics.importedNotCounted(),
      csvUrl: `/statistics.csv?${csvQuery.toString()}`,
    });
  });

  app.get('/statistics.csv', async (request, reply) => {
    const parsed = parse(request, true);
    if (!parsed.ok) {
      const month = monthName(request, lastPublishedMonth(services.clock()));
      return reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send(
          parsed.errors
            .map((e) => `${e.field}: ${request.t(`statistics.errors.${e.field}.${e.code}`, { month })}`)
            .join('\n'),
        );
    }
    const q = parsed.value;
    const published = await services.statistics.published(q, [parsed.groupBy]);
    const header = [...parsed.groupBy, 'reports', 'loss_pounds'];
    const rows = (published.tables[0] ?? []).map((row) => [
      ...parsed.groupBy.map((g) => row[g] ?? ''),
      row.reports === 'fewer-than-5' ? 'fewer than 5' : String(row.reports),
      row.lossPounds === null ? '' : String(row.lossPounds),
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="bluelight-statistics-${q.fromMonth}-to-${q.toMonth}.csv"`,
      )
      .send(stringify([header, ...rows]));
  });
}
