// What someone typed into a search box, as the words the database looks for. Nothing typed
// ever reaches the database as search syntax: the words are letters, digits and marks only
// (quotes, *, -, parentheses, NEAR, OR are separators or plain words), each quoted on its way
// in, and the last one is a prefix, so "sched" finds "schedule" as the person types.

/** Longer than any title; the rest of a longer search is left out, and the page says so. */
export const MAX_SEARCH_CHARS = 200
/** Each word is a condition: past this many, a search finds nothing new. */
export const MAX_SEARCH_WORDS = 10

export interface SearchTerms {
  /** Lower-case words, in the order typed; empty when nothing searchable was typed. */
  words: string[]
  /** True when some of what was typed was left out (too long, too many words). */
  shortened: boolean
}

/** The text of ?q=, whatever shape the query string gave it (sent twice, it is an array). */
export function typedSearch(q: unknown): string {
  const first = Array.isArray(q) ? q[0] : q
  return typeof first === 'string' ? first : ''
}

export function searchTerms(typed: unknown): SearchTerms {
  const text = typeof typed === 'string' ? typed.normalize('NFC') : ''
  const kept = [...text].slice(0, MAX_SEARCH_CHARS).join('')
  const words = kept.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []
  return { words: words.slice(0, MAX_SEARCH_WORDS), shortened: kept.length < text.length || words.length > MAX_SEARCH_WORDS }
}

/** An FTS5 MATCH expression: every word as a quoted string (a phrase of its tokens), the last a prefix. */
export function ftsMatch(words: readonly string[]): string {
  return words.map((word, i) => `"${word.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ')
}

/** A PostgreSQL to_tsquery text: every word a quoted lexeme, all required, the last a prefix. */
export function tsQuery(words: readonly string[]): string {
  return words.map((word, i) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${i === words.length - 1 ? ':*' : ''}`).join(' & ')
}
