import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CATEGORIES } from '../../../domain/classification/taxonomy.ts';
import type { Services } from '../../../services/index.ts';
import type { StatisticsQuery, StatisticsRow } from '../../../services/statistics.ts';
import { barChartSvg, type Bar } from './bar-chart.ts';
import { parseStatisticsParams } from './statistics-params.ts';

/** Published counts below this are shown as "fewer than 5", with no money figure, so no one can be identified. */
export const SUPPRESS_BELOW = 5;

function defaultPeriod(today: Date): { from: string; to: string } {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1))
    .toISOString()
    .slice(0, 10);
  return { from, to };
}

function suppressed(row: StatisticsRow): boolean {
  return row.reports < SUPPRESS_BELOW;
}

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
    const date = new Date(`${value}-01T00:00:00Z`);
    return date.toLocaleDateString(request.lng === 'cy' ? 'cy-GB' : 'en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
  };
  const count = (request: FastifyRequest, row: StatisticsRow) =>
    suppressed(row) ? request.t('statistics.fewerThan5') : row.reports.toLocaleString('en-GB');
  const money = (row: StatisticsRow) =>
    suppressed(row) ? '' : `£${Math.round(row.loss_pence / 100).toLocaleString('en-GB')}`;

  const params = (request: FastifyRequest) => {
    const query: Record<string, unknown> = {
      ...defaultPeriod(services.clock()),
      ...(request.query as Record<string, unknown>),
    };
    // Empty select boxes mean "all".
    if (query.force === '') delete query.force;
    if (query.category === '') delete query.category;
    return { query, parsed: parseStatisticsParams(query, services.reference, { groupBy: ['month'] }) };
  };

  app.get('/statistics', async (request, reply) => {
    const { query, parsed } = params(request);
    const base = {
      pageTitle: request.t('statistics.title'),
      values: query,
      forces: services.reference.forces,
      categories: Object.keys(CATEGORIES).filter((c) => c !== 'phishing-attempt'),
    };
    if (!parsed.ok) {
      const errors = parsed.errors.map((e) => ({
        text: request.t(`statistics.errors.${e.name}`),
        href: `#${e.name}`,
      }));
      return reply.code(400).page('statistics/views/statistics.njk', {
        ...base,
        errors,
        fieldErrors: Object.fromEntries(errors.map((e) => [e.href.slice(1), { text: e.text }])),
      });
    }
    const q: StatisticsQuery = parsed.value;
    const sections = await Promise.all(
      (['month', 'category', 'region', 'cyber'] as const).map(async (group) => {
        const result = await services.statistics.query({ ...q, groupBy: [group] });
        const rows = result.rows.map((row) => ({
          label: label(request, group, row[group]),
          count: count(request, row),
          loss: money(row),
          value: suppressed(row) ? null : row.reports,
        }));
        const bars: Bar[] = rows.map((r) => ({ label: r.label, value: r.value, display: r.count }));
        return {
          group,
          rows,
          chart: barChartSvg(bars, request.t(`statistics.sections.${group}`), `chart-${group}`),
        };
      }),
    );
    const total = await services.statistics.query({ ...q, groupBy: [] });
    const totalRow = { reports: total.total.reports, loss_pence: total.total.loss_pence };
    return reply.page('statistics/views/statistics.njk', {
      ...base,
      sections,
      total: { count: count(request, totalRow), loss: money(totalRow) },
      csvUrl: `/statistics.csv?${new URLSearchParams({ from: q.from, to: q.to, ...(q.forces ? { force: q.forces.join(',') } : {}), ...(q.categories ? { category: q.categories.join(',') } : {}) }).toString()}`,
    });
  });

  app.get('/statistics.csv', async (request, reply) => {
    const { parsed } = params(request);
    if (!parsed.ok)
      return reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send(parsed.errors.map((e) => `${e.name} ${e.message}`).join('\n'));
    const q = {
      ...parsed.value,
      groupBy:
        parsed.value.groupBy.length > 0
          ? parsed.value.groupBy
          : (['month', 'force', 'category'] as const).slice(),
    };
    const result = await services.statistics.query(q);
    const header = [...q.groupBy, 'reports', 'loss_pounds'];
    const rows = result.rows.map((row) => [
      ...q.groupBy.map((g) => row[g] ?? ''),
      suppressed(row) ? `fewer than ${SUPPRESS_BELOW}` : String(row.reports),
      suppressed(row) ? '' : (row.loss_pence / 100).toFixed(2),
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="bluelight-statistics-${q.from}-to-${q.to}.csv"`)
      .send(stringify([header, ...rows]));
  });
}
