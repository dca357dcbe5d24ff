// Search (issue 22): an event's proposals by title, description and hosts' names, and
// communities, events and meetups site-wide, on both dialects, through the pages people use.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, acceptInvitations, text } from '../helpers/browser.js'
import { createCommunity, person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'
import { searchTerms } from '../../src/features/search/search-terms.js'

/** The page's text without its tags, spaces folded. */
const plain = (html: string) => text(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

/** What people type when they are not being kind to a search box. */
const HOSTILE = [
  '"',
  '""',
  '"unclosed',
  'NEAR(a b)',
  'a NEAR b',
  '*',
  'sched*',
  '-',
  '-data',
  'a - b',
  '(',
  ')',
  '((a) OR b)',
  'a AND NOT b',
  'title:data',
  '{title}: x',
  '^start',
  "'; drop table proposals; --",
  "o'brien",
  '\\',
  '%_%',
  ':*',
  '& | ! <->',
  '\u0301',
  'dŵr ŷ â',
  '数据 データ',
  '🙂🙂',
  'x'.repeat(5000),
  'a '.repeat(300),
  '   ',
]

async function withHandle(app: FastifyInstance, name: string, handle: string): Promise<Browser> {
  const browser = await person(app, name)
  await app.db.updateTable('users').set({ handle }).where('display_name', '=', name).execute()
  return browser
}

async function proposalsFor(who: Browser | FastifyInstance, query: string): Promise<{ status: number; text: string; html: string }> {
  const url = `/events/ukgc27/proposals?${query}`
  const page = who instanceof Browser ? await who.get(url) : await who.inject(url)
  const html = 'html' in page ? page.html : page.body
  const status = 'status' in page ? page.status : page.statusCode
  return { status, text: plain(html), html }
}

describe('search', () => {
  test('what is typed becomes plain words, never search syntax', () => {
    assert.deepEqual(searchTerms('NEAR("a" b*) -c OR d').words, ['near', 'a', 'b', 'c', 'or', 'd'])
    assert.deepEqual(searchTerms('Gov.UK: dŵr’s').words, ['gov', 'uk', 'dŵr', 's'])
    assert.deepEqual(searchTerms('" * ( ) -').words, [])
    assert.equal(searchTerms('x'.repeat(500)).shortened, true)
    assert.equal(searchTerms('one two three four five six seven eight nine ten eleven').words.length, 10)
  })

  test('an event’s proposals by title, description and hosts, prefix of the last word, never hidden ones, kept in step with changes', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Site Admin'), 'Olu Organiser')
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    const ann = await person(app, 'Ann Proposer')
    const bryn = await person(app, 'Bryn Jones')
    const cat = await withHandle(app, 'Catrin Host', 'catrin')
    const scheduling = await propose(ann, 'ukgc27', 'Scheduling for humans', { description: 'How to plan a day people enjoy.' })
    const welsh = await propose(bryn, 'ukgc27', 'Welsh language services', { description: 'Gwasanaethau Cymraeg: dŵr, iaith a gov.uk' })
    const hidden = await propose(bryn, 'ukgc27', 'Scheduling secrets')
    await ann.get(`/events/ukgc27/proposals/${scheduling}`)
    assert.equal((await ann.post(`/events/ukgc27/proposals/${scheduling}/hosts`, { who: '@catrin' })).status, 303)
    await acceptInvitations(cat)
    await app.db.updateTable('proposals').set({ hidden_at: new Date().toISOString(), hidden_reason: 'spam', hidden_cause: 'report' }).where('id', '=', hidden).execute()

    const sched = await proposalsFor(app, 'q=sched')
    assert.equal(sched.status, 200)
    assert.match(sched.text, /1 proposal matches “sched”/)
    assert.match(sched.text, /Scheduling for humans/)
    assert.doesNotMatch(sched.text, /Welsh language services/)
    assert.doesNotMatch(sched.text, /Scheduling secrets/, 'a hidden proposal is never found')
    assert.match(sched.html, /<a href="\/events\/ukgc27\/proposals">Clear the search<\/a>/)
    assert.match(sched.html, /<label class="field__label" for="proposal-q">Search proposals<\/label>/)
    assert.match(sched.html, /<input [^>]*type="search" id="proposal-q" name="q" value="sched"/)

    assert.match((await proposalsFor(app, 'q=plan+a+day')).text, /1 proposal matches “plan a day”.*Scheduling for humans/, 'words in the description')
    assert.match((await proposalsFor(app, 'q=catrin+host')).text, /1 proposal matches “catrin host”.*Scheduling for humans/, 'a host’s name')
    assert.match((await proposalsFor(app, 'q=ann+propos')).text, /Scheduling for humans/, 'the proposer’s name')
    assert.match((await proposalsFor(app, `q=${encodeURIComponent('GWASANAETHAU dŵr')}`)).text, /1 proposal matches “GWASANAETHAU dŵr”.*Welsh language services/, 'Welsh words, any case')
    assert.match((await proposalsFor(app, 'q=gov.uk')).text, /Welsh language services/, 'punctuation inside a word')
    assert.match((await proposalsFor(app, 'q=humans+welsh')).text, /No proposals match “humans welsh”/, 'every word must be there')
    assert.match((await proposalsFor(app, 'q=sched&state=declined')).text, /No proposals match/, 'the filters still apply')
    const both = await proposalsFor(app, 'q=s')
    assert.match(both.text, /2 proposals match “s”/)

    // Trigger sync: renames, new hosts' names, deletes.
    await app.db.updateTable('proposals').set({ title: 'Timetabling for humans' }).where('id', '=', scheduling).execute()
    assert.match((await proposalsFor(app, 'q=timetab')).text, /1 proposal matches.*Timetabling for humans/)
    assert.match((await proposalsFor(app, 'q=scheduling')).text, /No proposals match/)
    await app.db.updateTable('users').set({ display_name: 'Catrin Renamed' }).where('handle', '=', 'catrin').execute()
    assert.match((await proposalsFor(app, 'q=renamed')).text, /Timetabling for humans/, 'a host’s new name')
    await app.db.deleteFrom('proposal_hosts').where('proposal_id', '=', scheduling).execute()
    assert.match((await proposalsFor(app, 'q=renamed')).text, /No proposals match/, 'a host no longer hosting')
    await app.db.updateTable('proposals').set({ hidden_at: null, hidden_reason: null, hidden_cause: null }).where('id', '=', hidden).execute()
    assert.match((await proposalsFor(app, 'q=secrets')).text, /Scheduling secrets/, 'restored by the moderators: found again')
    await app.db.deleteFrom('proposals').where('id', '=', welsh).execute()
    assert.match((await proposalsFor(app, 'q=gwasanaethau')).text, /No proposals match/)

    // Without a word to search: the whole list, and a hint.
    const none = await proposalsFor(app, 'q=%22%2A')
    assert.equal(none.status, 200)
    assert.match(none.text, /Type a word or two to search for/)
    assert.match(none.text, /2 proposals/)

    // Signed in (the vote buttons): the same results.
    assert.match((await proposalsFor(ann, 'q=timetabling')).text, /1 proposal matches.*Timetabling for humans/)

    for (const typed of HOSTILE) {
      const page = await proposalsFor(app, `q=${encodeURIComponent(typed)}`)
      assert.equal(page.status, 200, `proposals?q=${JSON.stringify(typed.slice(0, 40))}`)
    }
    const script = await proposalsFor(app, `q=${encodeURIComponent('"><script>alert(1)</script>')}`)
    assert.doesNotMatch(script.html, /<script>alert/, 'what was typed is escaped in the box, the hidden fields and the summary')
    assert.match(script.html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/)
    assert.equal((await proposalsFor(app, 'q=a&q=b')).status, 200, 'the box sent twice')
    assert.equal((await proposalsFor(app, 'q[x]=1')).status, 200)
  })

  test('site-wide: communities, events and meetups, ranked, linked, and only what the person may see', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const org = await organiser(app, admin, 'Olu Organiser')
    await createCommunity(org)
    await createEvent(org)
    await setPhase(org, 'ukgc27', 'proposals')
    await createEvent(org, { name: 'Secret camp planning', slug: 'secret-camp', hashtag: '' })
    const host = await person(app, 'Mel Host')
    await createMeetup(host)
    await createMeetup(host, { title: 'Hidden lunch club', slug: 'hidden-lunch' })
    await app.db.updateTable('meetups').set({ hidden_at: new Date().toISOString(), hidden_reason: 'spam', hidden_cause: 'report' }).where('slug', '=', 'hidden-lunch').execute()

    const home = await app.inject('/')
    assert.match(home.body, /<form method="get" action="\/search" role="search" class="site-search">/)
    assert.match(home.body, /<label class="visually-hidden" for="site-search-q">Search the site<\/label>/)

    const lunch = await app.inject('/search?q=lunch')
    assert.equal(lunch.statusCode, 200)
    assert.match(plain(lunch.body), /1 result for “lunch”.*Communities \(none\).*Events \(none\).*Meetups \(1\).*Lunch on Saturday/)
    assert.match(lunch.body, /<a href="\/meetups\/lunch-on-saturday">Lunch on Saturday<\/a>/)
    assert.doesNotMatch(lunch.body, /Hidden lunch club/, 'a hidden meetup is never found')
    assert.match(lunch.body, /<meta name="robots" content="noindex">/)

    const lgov = plain((await app.inject('/search?q=lgov')).body)
    assert.match(lgov, /Communities \(1\) Local gov social media #lgovsm/, 'the prefix of a name')
    assert.match((await app.inject('/search?q=government+comms')).body, /<a href="\/communities\/lgovsm">/, 'words in the description')
    assert.match((await app.inject('/search?q=assembly+hall')).body, /<a href="\/events\/ukgc27">UKGovCamp 2027<\/a>/, 'the venue')

    // A draft is there for its organisers and the admin alone, as on /events.
    assert.doesNotMatch((await app.inject('/search?q=camp')).body, /Secret camp planning/)
    assert.match((await app.inject('/search?q=ukgov')).body, /UKGovCamp 2027/)
    assert.doesNotMatch((await host.get('/search?q=secret')).html, /Secret camp planning/)
    assert.match((await org.get('/search?q=secret')).html, /<a href="\/events\/secret-camp">Secret camp planning<\/a>/)
    assert.match((await admin.get('/search?q=secret')).html, /Secret camp planning/)

    // Ranked: a match in the name comes before one in the description only.
    await createMeetup(host, { title: 'Breakfast', slug: 'breakfast', description: 'Before the camp: toast, and talk about data.' })
    await createMeetup(host, { title: 'Data breakfast', slug: 'data-breakfast', description: 'Coffee.' })
    const ranked = plain((await app.inject('/search?q=data')).body)
    assert.match(ranked, /Meetups \(2\) Data breakfast .* Breakfast /)

    // Kept in step with changes and deletions.
    await app.db.updateTable('communities').set({ name: 'Comms people of Wales' }).where('slug', '=', 'lgovsm').execute()
    assert.match(plain((await app.inject('/search?q=wales')).body), /Communities \(1\) Comms people of Wales/)
    await app.db.deleteFrom('meetups').where('slug', '=', 'data-breakfast').execute()
    assert.match(plain((await app.inject('/search?q=data')).body), /Meetups \(1\) Breakfast/)
    await app.db.updateTable('events').set({ venue_name: 'Somewhere else' }).where('slug', '=', 'ukgc27').execute()
    assert.match(plain((await app.inject('/search?q=assembly')).body), /Nothing matches “assembly”/)

    // Capped at 20 a section, and says so.
    const stamp = new Date().toISOString()
    for (let i = 1; i <= 23; i += 1) {
      await app.db.insertInto('communities').values({ slug: `data-club-${i}`, name: `Data club ${i}`, hashtag: `dataclub${i}`, time_zone: 'Europe/London', created_by: null, created_at: stamp, updated_at: stamp }).execute()
    }
    const capped = plain((await app.inject('/search?q=club')).body)
    assert.match(capped, /Communities \(23\)/)
    assert.match(capped, /Showing the first 20 of 23/)

    const empty = await app.inject('/search')
    assert.equal(empty.statusCode, 200)
    assert.match(empty.body, /<label class="field__label" for="search-q">Search communities, events and meetups<\/label>/)
    assert.doesNotMatch(empty.body, /class="site-search"/, 'one search box on the search page')
    for (const typed of HOSTILE) {
      const page = await app.inject(`/search?q=${encodeURIComponent(typed)}`)
      assert.equal(page.statusCode, 200, `search?q=${JSON.stringify(typed.slice(0, 40))}`)
    }
    assert.match(plain((await app.inject(`/search?q=${'x'.repeat(300)}`)).body), /only its first 200 characters/)
    assert.equal((await app.inject('/search?q=a&q=b')).statusCode, 200)
    const script = await app.inject(`/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`)
    assert.doesNotMatch(script.body, /<script>alert/)
    assert.match(plain(script.body), /Nothing matches “"><script>alert\(1\)<\/script>”/)
  })
})
