// The three ways into a calendar app for a feed: a webcal:// link (the OS hands it to the
// calendar app), the https address to paste (Outlook on the web, Thunderbird), and Google
// Calendar's own subscribe link (which only takes https feeds; reachable once BASE_URL is https).

export interface SubscribeLinks {
  https: string
  webcal: string
  google: string
}

export function subscribeLinks(baseUrl: string, path: string): SubscribeLinks {
  const https = `${baseUrl}${path}`
  const webcal = https.replace(/^https?:/, 'webcal:')
  return { https, webcal, google: `https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}` }
}
