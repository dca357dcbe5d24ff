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

/** How many pages `total` things make: at least one, so an empty list is page 1 of 1. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage))
}

/** The list's address for page `number`, keeping its filters (empty ones left out; page 1 has no ?page=). */
export function pageHref(path: string, query: Record<string, string | undefined>, number: number): string {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])))
  if (number > 1) params.set('page', String(number))
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

/** The links for page `page` of `pages`, or null when everything fits on one page. */
export function pagination(path: string, query: Record<string, string | undefined>, page: number, pages: number): Pagination | null {
  if (pages <= 1) return null
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: (PageLink | null)[] = []
  for (const [i, number] of shown.entries()) {
    if (i > 0 && number - shown[i - 1]! > 1) items.push(null)
    items.push({ number, href: pageHref(path, query, number), current: number === page })
  }
  return {
    page,
    pages,
    previous: page > 1 ? pageHref(path, query, page - 1) : null,
    next: page < pages ? pageHref(path, query, page + 1) : null,
    items,
  }
}
