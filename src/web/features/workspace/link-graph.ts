/**
 * A campaign's link graph as SVG drawn on the server: reports on an outer ring, the indicators they share on an
 * inner ring, a line for each report–indicator link. The tables beside it carry the same facts for screen readers
 * and keyboard users, so the picture is labelled as an image and not read out node by node.
 */
import { escapeXml } from '../../svg-text.ts';

export interface GraphReport {
  label: string;
}

export interface GraphIndicator {
  label: string;
  /** Positions in the reports list. */
  reports: number[];
}

const MAX_REPORTS = 60;
const MAX_INDICATORS = 30;
const SIZE = 640;
const CENTRE = SIZE / 2;

function point(i: number, n: number, radius: number): [number, number] {
  const angle = (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2;
  return [Math.round(CENTRE + radius * Math.cos(angle)), Math.round(CENTRE + radius * Math.sin(angle))];
}

export function linkGraphSvg(
  reports: GraphReport[],
  indicators: GraphIndicator[],
  title: string,
  description: string,
  id: string,
): string {
  const shownReports = reports.slice(0, MAX_REPORTS);
  const shownIndicators = indicators.slice(0, MAX_INDICATORS);
  const reportAt = shownReports.map((_, i) => point(i, shownReports.length, 260));
  const indicatorAt = shownIndicators.map((_, i) => point(i, shownIndicators.length, 120));
  const lines = shownIndicators
    .flatMap((indicator, j) =>
      indicator.reports
        .filter((r) => r >= 0 && r < shownReports.length)
        .map((r) => {
          const [x1, y1] = reportAt[r] ?? [0, 0];
          const [x2, y2] = indicatorAt[j] ?? [0, 0];
          return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#505a5f" stroke-width="1.5"></line>`;
        }),
    )
    .join('');
  const reportNodes = shownReports
    .map((report, i) => {
      const [x, y] = reportAt[i] ?? [0, 0];
      return (
        `<circle cx="${x}" cy="${y}" r="14" fill="#1d70b8"></circle>` +
        `<text x="${x}" y="${y + 5}" text-anchor="middle" font-size="13" fill="#ffffff">${escapeXml(report.label)}</text>`
      );
    })
    .join('');
  const indicatorNodes = shownIndicators
    .map((indicator, j) => {
      const [x, y] = indicatorAt[j] ?? [0, 0];
      return (
        `<rect x="${x - 11}" y="${y - 11}" width="22" height="22" fill="#d4351c"></rect>` +
        `<text x="${x}" y="${y + 5}" text-anchor="middle" font-size="13" fill="#ffffff">${escapeXml(indicator.label)}</text>`
      );
    })
    .join('');
  return (
    `<svg class="app-chart app-link-graph" viewBox="0 0 ${SIZE} ${SIZE}" width="100%" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `${lines}${reportNodes}${indicatorNodes}</svg>`
  );
}
