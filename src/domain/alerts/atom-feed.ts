/** Stay-safe alerts as an Atom 1.0 feed (RFC 4287). Pure; every text is escaped, so no alert can add markup. */
export interface AtomEntry {
  id: string;
  title: string;
  updated: string;
  link: string;
  content: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  selfLink: string;
  pageLink: string;
  lng: 'en' | 'cy';
  /** Used when there is no entry yet. */
  updated: string;
  entries: AtomEntry[];
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text and attribute values, and drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

export function atomFeed(feed: AtomFeed): string {
  const updated = feed.entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), feed.updated);
  const entries = feed.entries.map(
    (e) => `  <entry>
    <id>${escapeXml(e.id)}</id>
    <title type="text">${escapeXml(e.title)}</title>
    <updated>${escapeXml(e.updated)}</updated>
    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>
    <content type="text">${escapeXml(e.content)}</content>
  </entry>
`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.lng}">
  <id>${escapeXml(feed.id)}</id>
  <title type="text">${escapeXml(feed.title)}</title>
  <updated>${escapeXml(updated)}</updated>
  <author><name>Bluelight</name></author>
  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfLink)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(feed.pageLink)}"/>
${entries.join('')}</feed>
`;
}
