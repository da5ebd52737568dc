import { escapeXml as escape } from '../../svg-text.ts';

/** A horizontal bar chart as SVG markup, drawn on the server (no JavaScript), with a data table beside it. */
export interface Bar {
  label: string;
  /** null when the count is suppressed (fewer than 5): no bar is drawn. */
  value: number | null;
  display: string;
}

export function barChartSvg(bars: Bar[], title: string, id: string): string {
  const rowHeight = 34;
  const labelWidth = 250;
  const barArea = 300;
  const width = labelWidth + barArea + 90;
  const height = Math.max(1, bars.length) * rowHeight + 10;
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const rows = bars
    .map((bar, i) => {
      const y = i * rowHeight + 5;
      const w = bar.value === null ? 0 : Math.max(2, Math.round((bar.value / max) * barArea));
      return (
        `<text x="${labelWidth - 8}" y="${y + 22}" text-anchor="end" font-size="17" fill="#0b0c0c">${escape(bar.label.length > 26 ? bar.label.slice(0, 25) + '…' : bar.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 12}" fill="#1d70b8"></rect>` +
        `<text x="${labelWidth + w + 6}" y="${y + 22}" font-size="17" fill="#0b0c0c">${escape(bar.display)}</text>`
      );
    })
    .join('');
  // The table next to the chart carries the same figures for screen readers, so the picture is labelled, not read.
  return (
    `<svg class="app-chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escape(title)}</title>${rows}</svg>`
  );
}
