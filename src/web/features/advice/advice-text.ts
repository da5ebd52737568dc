import type { TFunction } from 'i18next';
import type { ReferenceData } from '../../../reference-data/reference-data.ts';
import { ADVICE_LIMITS, type AdviceSection } from '../../../services/advice.ts';

/*
 * The edit form's text format, one line each:
 *
 *   ## What to do now            a section heading (every section starts with one)
 *   Call your bank now.          a paragraph
 *   - Stop sending money.        a bullet ("* " works too)
 *
 * Blank lines are ignored. Text may use placeholders filled from reference data when the page is shown, so a
 * number is written once: {{fraudLine}} prints the number, {{victimSupportWebsite}} links the service by its
 * name, and [your own words]({{victimSupportWebsite}}) links your own words.
 */

type Placeholder =
  | { kind: 'text'; service: string; field: 'phone' | 'textphone' | 'deadlineHours' }
  | { kind: 'link'; service: string; field: 'website' | 'email' }
  | { kind: 'page'; path: string };

/** Every placeholder advice text may use. */
export const ADVICE_PLACEHOLDERS: Record<string, Placeholder> = {
  emergency: { kind: 'text', service: 'emergency', field: 'phone' },
  nonEmergency: { kind: 'text', service: 'non-emergency', field: 'phone' },
  fraudLine: { kind: 'text', service: 'fraud-cyber-line', field: 'phone' },
  fraudLineTextphone: { kind: 'text', service: 'fraud-cyber-line', field: 'textphone' },
  fraudLineWebsite: { kind: 'link', service: 'fraud-cyber-line', field: 'website' },
  sers: { kind: 'link', service: 'sers', field: 'email' },
  spamText: { kind: 'text', service: 'spam-text', field: 'phone' },
  ncscWebsite: { kind: 'link', service: 'ncsc-website', field: 'website' },
  ncscSmallBusiness: { kind: 'link', service: 'ncsc-small-business-guide', field: 'website' },
  ico: { kind: 'text', service: 'ico', field: 'phone' },
  icoHours: { kind: 'text', service: 'ico', field: 'deadlineHours' },
  icoWebsite: { kind: 'link', service: 'ico', field: 'website' },
  reportHarmfulContent: { kind: 'link', service: 'report-harmful-content', field: 'website' },
  iwf: { kind: 'link', service: 'iwf', field: 'website' },
  ceop: { kind: 'link', service: 'ceop', field: 'website' },
  childline: { kind: 'text', service: 'childline', field: 'phone' },
  childlineWebsite: { kind: 'link', service: 'childline', field: 'website' },
  victimSupport: { kind: 'text', service: 'victim-support', field: 'phone' },
  victimSupportWebsite: { kind: 'link', service: 'victim-support', field: 'website' },
  cyberProtect: { kind: 'page', path: '/cyber-protect' },
  firstHour: { kind: 'page', path: '/advice/first-hour' },
  icoBreach: { kind: 'page', path: '/advice/ico-breach' },
  report: { kind: 'page', path: '/report' },
  progress: { kind: 'page', path: '/report/progress' },
};

const TOKEN = /\[([^\]]*)\]\(\{\{\s*(\w+)\s*\}\}\)|\{\{\s*(\w+)\s*\}\}/g;

/** A run of text, linked when `href` is set (hrefs only ever come from reference data or our own paths). */
export interface Segment {
  text: string;
  href?: string;
}

/** The value of every placeholder in one language (the page's, which may differ from the reader's interface). */
export function placeholderValues(reference: ReferenceData, t: TFunction, lng: string): Map<string, Segment> {
  const values = new Map<string, Segment>();
  for (const [name, p] of Object.entries(ADVICE_PLACEHOLDERS)) {
    if (p.kind === 'page') {
      values.set(name, { text: t(`adviceHub.links.${name}`, { lng }), href: `${p.path}?lng=${lng}` });
      continue;
    }
    const service = reference.service(p.service);
    const raw = service[p.field];
    if (raw === undefined) throw new Error(`reference data: service ${p.service} has no ${p.field}`);
    if (p.kind === 'text') values.set(name, { text: String(raw) });
    else if (p.field === 'email') values.set(name, { text: String(raw), href: `mailto:${String(raw)}` });
    else values.set(name, { text: lng === 'cy' ? service.nameCy : service.name, href: String(raw) });
  }
  return values;
}

/** Splits advice text into plain and linked runs with the placeholders filled in. */
export function fillPlaceholders(text: string, values: Map<string, Segment>): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) out.push({ text: text.slice(last, match.index) });
    const [whole, words, linkName, name] = match;
    const value = values.get(linkName ?? name ?? '');
    if (value === undefined) out.push({ text: whole });
    else if (linkName !== undefined) out.push({ text: words ?? '', href: value.href });
    else out.push(value);
    last = match.index + whole.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** Problems with the placeholders in one line of text, as [error key, placeholder name]. */
function placeholderProblems(text: string): [string, string][] {
  const problems: [string, string][] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [, words, linkName, name] = match;
    const used = linkName ?? name ?? '';
    const placeholder = ADVICE_PLACEHOLDERS[used];
    if (placeholder === undefined) problems.push(['unknownPlaceholder', used]);
    else if (linkName !== undefined && placeholder.kind === 'text') problems.push(['notALink', used]);
    else if (linkName !== undefined && (words ?? '').trim() === '') problems.push(['emptyLinkText', used]);
  }
  // Braces left over are a placeholder typed wrongly, e.g. {fraudLine} or {{ fraud line }}.
  if (/\{|\}/.test(text.replace(TOKEN, ''))) problems.push(['brokenPlaceholder', '']);
  return problems;
}

export interface ParseProblem {
  key: string;
  line?: number;
  heading?: string;
  name?: string;
}

/** Reads the edit form's text into sections; any problems say which line or section and why. */
export function parseAdviceText(text: string): { sections: AdviceSection[]; problems: ParseProblem[] } {
  const sections: AdviceSection[] = [];
  const problems: ParseProblem[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const number = index + 1;
    if (line === '') return;
    const heading = /^##\s*(.*)$/.exec(line);
    if (heading) {
      const title = (heading[1] ?? '').trim();
      if (title === '') problems.push({ key: 'emptyHeading', line: number });
      else if (title.length > ADVICE_LIMITS.title) problems.push({ key: 'headingTooLong', line: number });
      sections.push({ heading: title, paragraphs: [], bullets: [] });
      return;
    }
    const section = sections.at(-1);
    if (section === undefined) {
      if (problems.every((p) => p.key !== 'startWithHeading'))
        problems.push({ key: 'startWithHeading', line: number });
      return;
    }
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    const content = bullet ? (bullet[1] ?? '').trim() : line;
    if (content.length > ADVICE_LIMITS.text) problems.push({ key: 'lineTooLong', line: number });
    for (const [key, name] of placeholderProblems(content)) problems.push({ key, line: number, name });
    (bullet ? section.bullets : section.paragraphs).push(content);
  });
  if (sections.length === 0 && problems.length === 0) problems.push({ key: 'noSections' });
  if (sections.length > ADVICE_LIMITS.sections) problems.push({ key: 'tooManySections' });
  for (const section of sections) {
    if (section.heading === '') continue;
    if (section.paragraphs.length + section.bullets.length === 0)
      problems.push({ key: 'emptySection', heading: section.heading });
    else if (section.paragraphs.length > ADVICE_LIMITS.items || section.bullets.length > ADVICE_LIMITS.items)
      problems.push({ key: 'tooManyLines', heading: section.heading });
  }
  return { sections, problems };
}

/** The edit form's text for saved sections (parseAdviceText reads it back unchanged). */
export function formatAdviceText(sections: readonly AdviceSection[]): string {
  return sections
    .map((s) => [`## ${s.heading}`, ...s.paragraphs, ...s.bullets.map((b) => `- ${b}`)].join('\n'))
    .join('\n\n');
}
