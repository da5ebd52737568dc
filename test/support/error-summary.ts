const unescape = (text: string) =>
  text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The GOV.UK error summary of a page as `field: message` items, in order (none without a summary). With `linked`,
 * each item must link to an element of the page (the input it names), or this throws.
 */
export function errorSummaryOf(html: string, { linked = true } = {}): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map(([, field = '', text = '']) => {
    if (linked && !html.includes(`id="${field}"`))
      throw new Error(`the error summary links to #${field}: not on the page`);
    return `${field}: ${unescape(text)}`;
  });
}
