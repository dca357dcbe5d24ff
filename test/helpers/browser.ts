// A tiny browser over app.inject: keeps cookies, reads the CSRF token from the page it
// just fetched (as a real form would), and follows nothing on its own, so tests can
// assert on every status and Location.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

export interface Page {
  status: number
  html: string
  location: string | undefined
  response: LightMyRequestResponse
}

export class Browser {
  private readonly cookies = new Map<string, string>()
  private lastCsrf: string | null = null

  constructor(
    readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
  ) {}

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now())
      if (expired || cookie.value === '') this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; ")
  }

  /** Sets a cookie as if an earlier response had (a cookie carried over from another browser). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value)
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name)
  }

  private toPage(response: LightMyRequestResponse): Page {
    this.remember(response)
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (token) this.lastCsrf = token[1]!
    return { status: response.statusCode, html: response.body, location: response.headers.location as string | undefined, response }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    const response = await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { cookie: this.cookieHeader(), ...headers } })
    return this.toPage(response)
  }

  /** Posts a form the way a browser does, with the CSRF token of the last page seen unless given. */
  /** A field given as an array is posted once per value, as ticked checkboxes are. */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}): Promise<Page> {
    const csrf = options.csrf === undefined ? this.lastCsrf : options.csrf
    const body = new URLSearchParams()
    if (csrf !== null) body.append('_csrf', csrf ?? '')
    for (const [name, value] of Object.entries(fields)) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
    const response = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
    return this.toPage(response)
  }

  /** GET the form page, then submit it: the CSRF token comes from that very page. */
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>): Promise<Page> {
    await this.get(pageUrl)
    return this.post(action, fields)
  }

  /**
   * Posts a multipart/form-data form (a file upload) as a browser does, with the CSRF token of
   * the last page seen unless given. `files`: field name → the file's name, type and bytes.
   */
  async postMultipart(
    url: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; type: string; data: Uint8Array }>,
    options: { csrf?: string | null } = {},
  ): Promise<Page> {
    const csrf = options.csrf === undefined ? this.lastCsrf : options.csrf
    const form = new FormData()
    if (csrf !== null) form.append('_csrf', csrf ?? '')
    for (const [name, value] of Object.entries(fields)) form.append(name, value)
    for (const [name, file] of Object.entries(files)) form.append(name, new Blob([new Uint8Array(file.data)], { type: file.type }), file.name)
    // The encoding a browser would send, boundary and all.
    const encoded = new Request('http://localhost/', { method: 'POST', body: form })
    const response = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: { cookie: this.cookieHeader(), 'content-type': encoded.headers.get('content-type')! },
      payload: Buffer.from(await encoded.arrayBuffer()),
    })
    return this.toPage(response)
  }
}

/** Accepts every invitation waiting on this person's /me page, as they would, one by one. */
export async function acceptInvitations(browser: Browser): Promise<number> {
  const ids = [...(await browser.get('/me')).html.matchAll(/action="\/me\/invitations\/(\d+)"/g)].map((m) => m[1]!)
  for (const id of ids) {
    await browser.get('/me')
    const answered = await browser.post(`/me/invitations/${id}`, { answer: 'accept' })
    if (answered.status !== 303) throw new Error(`accepting invitation ${id}: ${answered.status}`)
  }
  return ids.length
}

/**
 * Creates an account through the form. Unless `confirmed` is false, the person then confirms
 * their address the way they would, through the link the sign-up email carries, and that
 * email is taken out of the outbox: tests about other emails count only theirs.
 */
export async function signUp(browser: Browser, fields: { displayName: string; email: string; password: string }, options: { confirmed?: boolean } = {}): Promise<Page> {
  const page = await browser.submit('/sign-up', '/sign-up', fields)
  if (page.status === 303 && options.confirmed !== false) await confirmAddress(browser, fields.email)
  return page
}

/** The confirmation link last emailed to this address's account, as the email carries it. */
export function confirmationPath(app: FastifyInstance, email: string): Promise<string> {
  return emailedLinkPath(app, email, 'verifyEmail')
}

/**
 * The link the last email of this kind to the account carries: its facts come from the outbox
 * row, signed as the email's composer signs them (the same key, the same code).
 */
export async function emailedLinkPath(app: FastifyInstance, email: string, kind: 'verifyEmail' | 'passwordReset'): Promise<string> {
  const row = await app.db
    .selectFrom('outbox')
    .innerJoin('users', 'users.id', 'outbox.user_id')
    .select('outbox.payload')
    .where('outbox.kind', '=', kind)
    .where('users.email', '=', email.trim().toLowerCase())
    .orderBy('outbox.id', 'desc')
    .executeTakeFirstOrThrow()
  const notice = JSON.parse(row.payload) as { link: Parameters<FastifyInstance['outbox']['links']['sign']>[0] }
  return `/${kind === 'verifyEmail' ? 'verify-email' : 'password-reset'}/${app.outbox.links.sign(notice.link)}`
}

async function confirmAddress(browser: Browser, email: string): Promise<void> {
  const path = await confirmationPath(browser.app, email)
  // Opened from the email, as on a phone: a browser of its own, so this one's next page is untouched.
  const confirmed = await new Browser(browser.app).submit(path, path, {})
  if (confirmed.status !== 303) throw new Error(`confirming ${email}: ${confirmed.status}`)
  const user = await browser.app.db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirstOrThrow()
  await browser.app.db.deleteFrom('outbox').where('kind', '=', 'verifyEmail').where('user_id', '=', user.id).where('status', '=', 'pending').execute()
}

export async function signIn(browser: Browser, email: string, password: string): Promise<Page> {
  return browser.submit('/sign-in', '/sign-in', { email, password })
}

/** Decodes the HTML entities Eta escapes, to compare text a person sees. */
export function text(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}
