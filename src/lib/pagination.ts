// Pages of a long list (GOV.UK's pagination pattern): links to the previous and next page,
// the first and last, and the pages next to this one, each keeping the list's filters.

export interface PageLink {
  number: number
  href: string
  current: boolean
}

export interface Pagination {
  page: number
  pages: number
  previous: string | null
  next: string | null
  /** Page numbers to show, with null where some are left out ("…"). */
  items: (PageLink | null)[]
}

/** null when everything fits on one page (and for a page past the end, a link back to the last). */
export function pagination(path: string, query: Record<string, string | undefined>, page: number, pages: number): Pagination | null {
  if (pages <= 1 && page <= 1) return null
  const href = (number: number) => {
    const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])))
    if (number > 1) params.set('page', String(number))
    const search = params.toString()
    return search ? `${path}?${search}` : path
  }
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: (PageLink | null)[] = []
  for (const [i, number] of shown.entries()) {
    if (i > 0 && number - shown[i - 1]! > 1) items.push(null)
    items.push({ number, href: href(number), current: number === page })
  }
  return {
    page,
    pages,
    previous: page > 1 ? href(Math.min(page - 1, Math.max(pages, 1))) : null,
    next: page < pages ? href(page + 1) : null,
    items,
  }
}
