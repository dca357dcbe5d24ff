// What the bench scripts need of HTTP: a request that reads the whole answer, and signing a
// bench person in the way a browser does. One copy, so a fix (the session cookie taken by
// name, say) reaches every script.
import http from 'node:http'
import { BENCH_PASSWORD } from './generate.js'

export interface Response {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  bytes: Buffer
}

export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const bytes = Buffer.concat(chunks)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes })
      })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/**
 * The session cookie a response sets, or the one the client had. By name: signing in also sets
 * the known-device cookie (path /sign-in) first, and taking the first Set-Cookie sent the later
 * requests with no session at all (the "RSVP POST" then measured a redirect to sign in).
 */
export function sessionCookie(response: Response, current: string): string {
  const set = (response.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]!).find((pair) => pair.startsWith('hashcamp_session='))
  return set ?? current
}

export function csrfIn(response: Response): string {
  return /name="_csrf" value="([^"]+)"/.exec(response.body)![1]!
}

/** Signs a bench person in, as a browser would: the form's CSRF token, then the POST. */
export async function signIn(base: string, email: string): Promise<{ cookie: string }> {
  const form = await request(`${base}/sign-in`)
  let cookie = sessionCookie(form, '')
  const body = new URLSearchParams({ _csrf: csrfIn(form), email, password: BENCH_PASSWORD }).toString()
  const done = await request(`${base}/sign-in`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body })
  if (done.status !== 303) throw new Error(`sign-in failed: ${done.status}`)
  cookie = sessionCookie(done, cookie)
  return { cookie }
}
