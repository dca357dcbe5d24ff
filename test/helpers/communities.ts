// Making communities the way people do: through the form.
import type { FastifyInstance } from 'fastify'
import { Browser, signUp, type Page } from './browser.js'

export const lgovsmForm = {
  name: 'Local gov social media',
  hashtag: '#lgovsm',
  slug: '',
  description: 'Weekly chat for **local government** comms people.',
  chatPlace: 'On X and Bluesky',
  chatUrl: 'https://x.com/search?q=%23lgovsm',
  timeZone: 'Europe/London',
  scheduleKind: 'weekly',
  weekday: '3',
  startTime: '20:00',
  durationMinutes: '60',
  intervalWeeks: '1',
  nth: '1',
  startsOn: '2026-01-07',
}

let counter = 0

/** A signed-in person with a fresh email, from their own address. */
export async function person(app: FastifyInstance, displayName: string): Promise<Browser> {
  counter += 1
  const browser = new Browser(app, `10.50.${Math.floor(counter / 250)}.${counter % 250}`)
  const page = await signUp(browser, { displayName, email: `person${counter}-${Date.now()}@example.org`, password: 'a long enough passphrase' })
  if (page.status !== 303) throw new Error(`sign-up failed: ${page.status}`)
  return browser
}

export async function createCommunity(host: Browser, fields: Partial<typeof lgovsmForm> = {}): Promise<Page> {
  return host.submit('/communities/new', '/communities', { ...lgovsmForm, ...fields })
}
