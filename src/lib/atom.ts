// Atom 1.0 (RFC 4287) feeds, written by hand: a handful of elements, every text escaped.
// Characters XML 1.0 forbids (most C0 controls) are dropped, since one of them in a title
// would make the whole feed unreadable to every reader.

export interface AtomEntry {
  /** A permanent id, never reused (a tag: URI built from a database id). */
  id: string
  title: string
  updated: string
  link: string
  /** Plain text; escaped here. */
  summary: string
}

export interface AtomFeed {
  id: string
  title: string
  /** The feed's own URL (rel="self") and the page it mirrors (rel="alternate"). */
  selfUrl: string
  pageUrl: string
  /** Newest entry's time, or the thing's own when there are no entries. */
  updated: string
  lang: string
  entries: AtomEntry[]
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

export function xmlText(value: string): string {
  return value.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/** A tag: URI (RFC 4151) for feed and entry ids: stable across domains moving behind proxies. */
export function tagUri(baseUrl: string, specific: string): string {
  const host = new URL(baseUrl).hostname
  return `tag:${host},2026:${specific}`
}

export function atomXml(feed: AtomFeed): string {
  const entries = feed.entries.map(
    (entry) => `  <entry>
    <id>${xmlText(entry.id)}</id>
    <title>${xmlText(entry.title)}</title>
    <updated>${xmlText(entry.updated)}</updated>
    <link rel="alternate" type="text/html" href="${xmlText(entry.link)}"/>
    <summary type="text">${xmlText(entry.summary)}</summary>
  </entry>
`,
  )
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(feed.lang)}">
  <id>${xmlText(feed.id)}</id>
  <title>${xmlText(feed.title)}</title>
  <updated>${xmlText(feed.updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${xmlText(feed.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(feed.pageUrl)}"/>
  <author><name>Hashcamp</name></author>
${entries.join('')}</feed>
`
}
