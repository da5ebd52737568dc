/**
 * The unit figures as the pages show them: sections, each a chart (SVG drawn on the server) above a table holding
 * the same figures for screen readers. The public page passes protected figures, the workspace exact ones.
 */
import type { FastifyRequest } from 'fastify';
import type { UnitFigures, UnitMeasure, UnitMonth } from '../../../domain/statistics/unit-figures.ts';
import { barChartSvg } from '../statistics/bar-chart.ts';

type Value = number | 'fewer-than-5';

/** Each section: the measures it shows in columns, the first of them charted by month. */
const SECTIONS = [
  { id: 'reports', measures: ['reports', 'casesOpened', 'casesClosed'] },
  {
    id: 'forensics',
    measures: ['forensicRequested', 'forensicCompleted', 'forensicMedianDays', 'forensicBacklog'],
  },
  { id: 'protect', measures: ['engagements', 'peopleReached', 'preventReferrals', 'alertsPublished'] },
] as const satisfies readonly { id: string; measures: readonly (UnitMeasure | 'forensicMedianDays')[] }[];

export function monthLabel(lng: string, month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString(lng === 'cy' ? 'cy-GB' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export function unitFigureSections(request: FastifyRequest, figures: UnitFigures<Value>) {
  const t = request.t;
  const shown = (value: Value | null) =>
    value === null
      ? t('statistics.notShown')
      : value === 'fewer-than-5'
        ? t('statistics.fewerThan5')
        : value.toLocaleString('en-GB');
  const cells = (row: Omit<UnitMonth<Value>, 'month'>, measures: readonly (keyof typeof row)[]) =>
    measures.map((m) => shown(row[m] as Value | null));
  const sections = SECTIONS.map((section) => {
    const charted = section.measures[0];
    const title = t(`unitFigures.sections.${section.id}`);
    return {
      id: section.id,
      title,
      columns: section.measures.map((m) => t(`unitFigures.measures.${m}`)),
      rows: figures.months.map((m) => ({
        label: monthLabel(request.lng, m.month),
        cells: cells(m, section.measures),
      })),
      total: cells(figures.total, section.measures),
      chart: barChartSvg(
        figures.months.map((m) => {
          const value = m[charted];
          return {
            label: monthLabel(request.lng, m.month),
            value: value === 'fewer-than-5' ? null : value,
            display: shown(value),
          };
        }),
        t('unitFigures.chartTitle', { measure: t(`unitFigures.measures.${charted}`) }),
        `chart-${section.id}`,
      ),
    };
  });
  const outcomes = Object.entries(figures.total.outcomes).map(([outcome, value]) => ({
    label: t(`workspace.outcomes.${outcome}`, { defaultValue: outcome }),
    value: shown(value),
  }));
  return {
    sections,
    outcomes,
    period: { from: monthLabel(request.lng, figures.from), to: monthLabel(request.lng, figures.to) },
  };
}
