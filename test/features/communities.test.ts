import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { createCommunity, lgovsmForm, person } from '../helpers/communities.js'

function inlineError(html: string, field: string): string | null {
  const match = new RegExp(`<p class="field__error" id="${field}-error">(.*?)</p>`, 's').exec(html)
  return match ? text(match[1]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : null
}

describe('communities', () => {
  test('anyone signed in creates a community and becomes its host; the page shows its chat and hashtag', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    const created = await createCommunity(host, { description: '**Bold** <script>alert(1)</script> [x](javascript:alert(1))' })
    assert.equal(created.status, 303)
    assert.equal(created.location, '/communities/lgovsm', 'the slug comes from the hashtag when left empty')

    const page = await new Browser(app, '10.60.0.1').get('/communities/lgovsm')
    assert.equal(page.status, 200)
    assert.match(page.html, /<h1>Local gov social media<\/h1>/)
    assert.match(page.html, /<strong>Bold<\/strong>/, 'Markdown is rendered')
    assert.doesNotMatch(page.html, /<script>alert/, 'raw HTML is not')
    assert.doesNotMatch(page.html, /href="javascript:/)
    assert.match(page.html, /href="https:\/\/x\.com\/search\?q=%23lgovsm&amp;f=live"/)
    assert.match(page.html, /href="https:\/\/mastodon\.social\/tags\/lgovsm"/)
    assert.match(page.html, /href="https:\/\/bsky\.app\/hashtag\/lgovsm"/)
    // One name for the zone on the page: the schedule names it as the next chat's time does.
    const zone = /Every Wednesday at 20:00 \((Greenwich Mean Time|British Summer Time)\)/.exec(page.html)?.[1]
    assert.ok(zone, 'the schedule names its zone')
    assert.ok(text(page.html).includes(`20:00–21:00 ${zone}`), 'the next chat uses the same name')
    assert.doesNotMatch(page.html, /United Kingdom Time/)
    assert.match(text(page.html), /Wednesday, \d{1,2} \w+ \d{4}<\/time>, 20:00–21:00 (Greenwich Mean Time|British Summer Time)/)
    assert.match(page.html, /1 member/)
    assert.match((await host.get('/communities/lgovsm')).html, /You are a host of this community/)

    const list = await new Browser(app, '10.60.0.2').get('/communities?q=%23LGOV')
    assert.match(list.html, /<a href="\/communities\/lgovsm">Local gov social media<\/a>/)
    assert.match((await host.get('/communities?q=social')).html, /Local gov social media/)
    assert.match((await host.get('/communities?q=100%25')).html, /No communities match “100%”/)
  })

  describe('bad input gets a 400 page with the error and what was typed, and creates nothing', () => {
    const cases: { name: string; fields: Partial<typeof lgovsmForm>; field: string; message: RegExp; picked?: string }[] = [
      { name: 'an invalid hashtag', fields: { hashtag: '#not a tag' }, field: 'hashtag', message: /hashtag of letters, digits and _/ },
      { name: 'an all-digit hashtag', fields: { hashtag: '#2027' }, field: 'hashtag', message: /at least one letter/ },
      { name: 'an invalid slug', fields: { slug: 'Not_A Slug' }, field: 'slug', message: /lower-case letters/ },
      { name: 'a reserved slug', fields: { slug: 'new' }, field: 'slug', message: /lower-case letters/ },
      // A list, not a text box: nothing was typed to keep, and no other zone is shown as chosen.
      { name: 'an unknown time zone', fields: { timeZone: 'Europe/Cardiff' }, field: 'timeZone', message: /Choose a time zone from the list/, picked: '<option value="" selected>Choose a time zone</option>' },
      { name: 'an impossible start time', fields: { startTime: '25:00' }, field: 'startTime', message: /24-hour clock/ },
      { name: 'an impossible date', fields: { startsOn: '2027-02-30' }, field: 'startsOn', message: /real date/ },
      { name: 'a weekday that does not exist', fields: { weekday: '8' }, field: 'weekday', message: /day of the week/ },
      { name: 'an invalid monthly position', fields: { scheduleKind: 'monthly', nth: '5' }, field: 'nth', message: /which day of the month/ },
      { name: 'an over-long name', fields: { name: 'n'.repeat(500) }, field: 'name', message: /100 characters or fewer/ },
      { name: 'an over-long description', fields: { description: 'd'.repeat(6000) }, field: 'description', message: /5000 characters or fewer/ },
      { name: 'a link that is not a web address', fields: { chatUrl: 'javascript:alert(1)' }, field: 'chatUrl', message: /https:\/\// },
    ]
    for (const c of cases) {
      test(c.name, async (t) => {
        const app = await buildTestApp(t)
        const page = await createCommunity(await person(app, 'Olu'), c.fields)
        assert.equal(page.status, 400)
        assert.match(page.html, /There is a problem/)
        assert.match(page.html, new RegExp(`<a href="#${c.field}">`))
        assert.match(inlineError(page.html, c.field) ?? '', c.message)
        const typed = Object.values(c.fields)[0]!
        if (c.picked) assert.ok(page.html.includes(c.picked), 'the list shows nothing chosen')
        else if (typed.length < 100) assert.ok(page.html.includes(`value="${typed.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`) || page.html.includes(`<option value="${typed}" selected`) || page.html.includes(`>${typed}</textarea>`), 'the typed value is kept')
        assert.equal(await app.db.selectFrom('communities').select('id').executeTakeFirst(), undefined)
      })
    }

    test('a slug another community has', async (t) => {
      const app = await buildTestApp(t)
      await createCommunity(await person(app, 'Olu'))
      const page = await createCommunity(await person(app, 'Bryn'), { name: 'Another' })
      assert.equal(page.status, 400)
      assert.match(inlineError(page.html, 'slug') ?? '', /already has that web address/)
      assert.match(page.html, /value="Another"/)
      const count = await app.db.selectFrom('communities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      assert.equal(Number(count.n), 1)
    })
  })

  test('members join and leave; the member list respects who chose to be listed', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu Host')
    await createCommunity(host)
    const ann = await person(app, 'Ann Listed')
    const bryn = await person(app, 'Bryn Private')
    await ann.submit('/communities/lgovsm', '/communities/lgovsm/join', { listed: '1' })
    await bryn.submit('/communities/lgovsm', '/communities/lgovsm/join', {})
    assert.match((await bryn.get('/communities/lgovsm')).html, /You are a member of this community/)

    const publicList = await new Browser(app, '10.61.0.1').get('/communities/lgovsm/members')
    assert.match(publicList.html, /Olu Host/)
    assert.match(publicList.html, /Ann Listed/)
    assert.doesNotMatch(publicList.html, /Bryn Private/)
    assert.match(publicList.html, /3 members/)
    assert.match(publicList.html, /1 member has chosen not to be listed/)
    const hostList = await host.get('/communities/lgovsm/members')
    assert.match(hostList.html, /Bryn Private<\/a>\s*<span class="muted">\(not listed\)/)

    await bryn.submit('/communities/lgovsm/members', '/communities/lgovsm/listing', { listed: '1' })
    assert.match((await new Browser(app, '10.61.0.2').get('/communities/lgovsm/members')).html, /Bryn Private/)

    await ann.submit('/communities/lgovsm', '/communities/lgovsm/leave', {})
    assert.match((await ann.get('/communities/lgovsm')).html, /You have left Local gov social media/)
    assert.match((await ann.get('/communities/lgovsm')).html, /Join community/)

    // The only host cannot leave; after making another host, they can.
    await host.submit('/communities/lgovsm', '/communities/lgovsm/leave', {})
    assert.match((await host.get('/communities/lgovsm')).html, /You are the only host/)
    const brynId = (await app.db.selectFrom('users').select('id').where('display_name', '=', 'Bryn Private').executeTakeFirstOrThrow()).id
    await host.submit('/communities/lgovsm/members', `/communities/lgovsm/members/${brynId}/role`, { role: 'host' })
    assert.match((await bryn.get('/communities/lgovsm')).html, /You are a host of this community/)
    await host.submit('/communities/lgovsm', '/communities/lgovsm/leave', {})
    assert.match((await host.get('/communities/lgovsm')).html, /You have left/)
  })

  test('topics: members propose and vote (a toggle); the list sorts by votes', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    const ann = await person(app, 'Ann')
    const bryn = await person(app, 'Bryn')
    for (const member of [ann, bryn]) await member.submit('/communities/lgovsm', '/communities/lgovsm/join', {})

    for (const title of ['Crisis comms', 'Using Bluesky', 'Accessibility of images']) {
      const made = await ann.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title, description: '' })
      assert.equal(made.status, 303)
    }
    const ids = Object.fromEntries((await app.db.selectFrom('topics').select(['id', 'title']).execute()).map((r) => [r.title, r.id]))
    const vote = (who: Browser, title: string, want = '1') => who.submit('/communities/lgovsm/topics', `/communities/lgovsm/topics/${ids[title]}/vote`, { want })
    await vote(ann, 'Accessibility of images')
    await vote(bryn, 'Accessibility of images')
    await vote(host, 'Using Bluesky')
    await vote(bryn, 'Using Bluesky')
    await vote(bryn, 'Using Bluesky') // the same form sent twice (a double click) counts once
    await vote(bryn, 'Using Bluesky', '0') // the button, pressed again, takes the vote back

    const page = await new Browser(app, '10.62.0.1').get('/communities/lgovsm/topics')
    const order = [...page.html.matchAll(/<p class="topic__title">([^<]+)<\/p>/g)].map((m) => m[1])
    assert.deepEqual(order, ['Accessibility of images', 'Using Bluesky', 'Crisis comms'])
    assert.match(text(page.html), /Accessibility of images<\/p>[\s\S]*?2 votes/)
    assert.match(text(page.html), /Using Bluesky<\/p>[\s\S]*?1 vote</)
    assert.match(text(page.html), /Crisis comms<\/p>[\s\S]*?No votes/)
    const mine = await bryn.get('/communities/lgovsm/topics')
    assert.match(mine.html, /aria-pressed="true">Remove vote<span class="visually-hidden">: Accessibility of images/)
    const votes = await app.db.selectFrom('topic_votes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    assert.equal(Number(votes.n), 3)
  })

  test('a topic that is too long or empty gets a 400 page with the text kept', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    const empty = await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: ' ', description: 'Some detail' })
    assert.equal(empty.status, 400)
    assert.match(inlineError(empty.html, 'title') ?? '', /Enter the topic/)
    assert.match(empty.html, />Some detail<\/textarea>/)
    const long = await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 't'.repeat(200), description: '' })
    assert.equal(long.status, 400)
    assert.match(inlineError(long.html, 'title') ?? '', /120 characters or fewer/)
  })

  test('moving a chat to a time the clocks skip is refused with the jump named', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    const moved = await host.submit('/communities/lgovsm/chats/2027-03-24/move', '/communities/lgovsm/chats/2027-03-24/move', { newDate: '2027-03-28', newTime: '01:30' })
    assert.equal(moved.status, 400)
    assert.match(text(moved.html), /On 2027-03-28 the clocks in Europe\/London go forward from 01:00 to 02:00, so 01:30 does not happen that day/)
    assert.equal(await app.db.selectFrom('chat_exceptions').select('id').executeTakeFirst(), undefined)
  })

  test('permissions: non-members cannot propose or vote; non-hosts cannot edit, schedule or assign; nothing changes', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Crisis comms', description: '' })
    const topicId = (await app.db.selectFrom('topics').select('id').executeTakeFirstOrThrow()).id
    const outsider = await person(app, 'Outsider')
    const member = await person(app, 'Member')
    await member.submit('/communities/lgovsm', '/communities/lgovsm/join', {})

    await outsider.get('/communities/lgovsm/topics')
    assert.equal((await outsider.post(`/communities/lgovsm/topics/${topicId}/vote`, {})).status, 403)
    assert.equal((await outsider.post('/communities/lgovsm/topics', { title: 'Sneaky', description: '' })).status, 403)
    assert.equal((await outsider.get('/communities/lgovsm/topics/new')).status, 403)

    await member.get('/communities/lgovsm')
    const forbidden = [
      await member.get('/communities/lgovsm/edit'),
      await member.post('/communities/lgovsm/edit', { ...lgovsmForm, name: 'Hijacked' }),
      await member.post('/communities/lgovsm/chats/2027-06-02/skip', {}),
      await member.post('/communities/lgovsm/chats/2027-06-02/move', { newDate: '2027-06-03', newTime: '20:00' }),
      await member.post('/communities/lgovsm/chats/2027-06-02/topic', { topicId: String(topicId) }),
      await member.post(`/communities/lgovsm/topics/${topicId}/done`, { notesUrl: '' }),
      await member.post('/communities/lgovsm/members/1/role', { role: 'member' }),
    ]
    for (const page of forbidden) {
      assert.equal(page.status, 403)
      assert.match(page.html, /You cannot do that/)
    }
    const community = await app.db.selectFrom('communities').select('name').executeTakeFirstOrThrow()
    assert.equal(community.name, 'Local gov social media')
    assert.equal(await app.db.selectFrom('chat_exceptions').select('id').executeTakeFirst(), undefined)
    const topic = await app.db.selectFrom('topics').select(['chat_date', 'done']).executeTakeFirstOrThrow()
    assert.deepEqual(topic, { chat_date: null, done: 0 })
    assert.equal((await app.db.selectFrom('topic_votes').select('topic_id').execute()).length, 0)
    assert.equal((await app.db.selectFrom('community_members').select('role').where('role', '=', 'host').execute()).length, 1)

    // Signed out, a state change sends people to sign in and changes nothing either.
    const stranger = new Browser(app, '10.63.0.1')
    await stranger.get('/communities/lgovsm')
    assert.equal((await stranger.post('/communities/lgovsm/join', {})).status, 303)
    assert.equal((await app.db.selectFrom('community_members').select('user_id').execute()).length, 2)
  })

  test('hosts skip, move and restore chats, give chats topics, and archive them with notes', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    // A schedule that started in the past, so there are past chats for the archive.
    await createCommunity(host, { startsOn: '2026-01-07' })
    for (const title of ['Past topic', 'Future topic']) {
      await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title, description: '' })
    }
    const ids = Object.fromEntries((await app.db.selectFrom('topics').select(['id', 'title']).execute()).map((r) => [r.title, r.id]))

    const chats = await host.get('/communities/lgovsm/chats')
    const dates = [...chats.html.matchAll(/\/chats\/(\d{4}-\d{2}-\d{2})\/move/g)].map((m) => m[1]!)
    assert.ok(dates.length >= 3)
    const [first, second, third] = dates as [string, string, string]

    await host.post(`/communities/lgovsm/chats/${first}/skip`, {})
    let page = await host.get('/communities/lgovsm/chats')
    assert.doesNotMatch(page.html, new RegExp(`/chats/${first}/move`), 'a skipped chat is no longer upcoming')
    assert.match(page.html, /Skipped chats/)

    const badMove = await host.submit(`/communities/lgovsm/chats/${second}/move`, `/communities/lgovsm/chats/${second}/move`, { newDate: '2027-13-01', newTime: '7pm' })
    assert.equal(badMove.status, 400)
    assert.match(badMove.html, /value="2027-13-01"/)
    assert.match(badMove.html, /value="7pm"/)
    const nextDay = new Date(`${second}T12:00:00Z`)
    nextDay.setUTCDate(nextDay.getUTCDate() + 1)
    const moved = await host.submit(`/communities/lgovsm/chats/${second}/move`, `/communities/lgovsm/chats/${second}/move`, { newDate: nextDay.toISOString().slice(0, 10), newTime: '19:30' })
    assert.equal(moved.status, 303)
    page = await host.get('/communities/lgovsm/chats')
    assert.match(text(page.html), /Thursday, [^<]+<\/time>, 19:30–20:30/)
    assert.match(page.html, /Moved from Wednesday/)

    await host.post(`/communities/lgovsm/chats/${first}/restore`, {})
    assert.match((await host.get('/communities/lgovsm/chats')).html, new RegExp(`/chats/${first}/move`))

    await host.get('/communities/lgovsm/chats')
    await host.post(`/communities/lgovsm/chats/${third}/topic`, { topicId: String(ids['Future topic']) })
    page = await host.get('/communities/lgovsm')
    assert.match(page.html, /Future topic/)
    // A date the schedule never gives is not a chat.
    assert.equal((await host.post('/communities/lgovsm/chats/2027-06-03/topic', { topicId: String(ids['Past topic']) })).status, 404)

    // The archive: a past chat keeps its topic and a link to its notes.
    await host.get('/communities/lgovsm/chats')
    await host.post('/communities/lgovsm/chats/2026-03-04/topic', { topicId: String(ids['Past topic']) })
    const done = await host.submit(`/communities/lgovsm/topics/${ids['Past topic']}/done`, `/communities/lgovsm/topics/${ids['Past topic']}/done`, { notesUrl: 'not a link' })
    assert.equal(done.status, 400)
    assert.match(done.html, /value="not a link"/)
    await host.submit(`/communities/lgovsm/topics/${ids['Past topic']}/done`, `/communities/lgovsm/topics/${ids['Past topic']}/done`, { notesUrl: 'https://example.org/notes' })
    const archive = await new Browser(app, '10.64.0.1').get('/communities/lgovsm/chats')
    assert.match(text(archive.html), /Past chats[\s\S]*Wednesday, 4 March 2026[\s\S]*Past topic[\s\S]*Done[\s\S]*href="https:\/\/example\.org\/notes"/)
  })

  test('skipping a chat frees its topic; a skipped date takes no topic; impossible dates and ids are refused', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    await host.submit('/communities/lgovsm/topics/new', '/communities/lgovsm/topics', { title: 'Crisis comms', description: '' })
    const topicId = (await app.db.selectFrom('topics').select('id').executeTakeFirstOrThrow()).id
    const chats = await host.get('/communities/lgovsm/chats')
    const date = /\/chats\/(\d{4}-\d{2}-\d{2})\/move/.exec(chats.html)![1]!
    await host.post(`/communities/lgovsm/chats/${date}/topic`, { topicId: String(topicId) })
    await host.get('/communities/lgovsm/chats')
    await host.post(`/communities/lgovsm/chats/${date}/skip`, {})
    assert.equal((await app.db.selectFrom('topics').select('chat_date').executeTakeFirstOrThrow()).chat_date, null)
    await host.get('/communities/lgovsm/chats')
    assert.equal((await host.post(`/communities/lgovsm/chats/${date}/topic`, { topicId: String(topicId) })).status, 404)
    assert.equal((await host.post('/communities/lgovsm/chats/9999-12-29/skip', {})).status, 400)
    const nextDate = /\/chats\/(\d{4}-\d{2}-\d{2})\/move/.exec((await host.get('/communities/lgovsm/chats')).html)![1]!
    assert.equal((await host.post(`/communities/lgovsm/chats/${nextDate}/topic`, { topicId: '999999999999' })).status, 404)
  })

  test('two hosts taking each other off at the same moment leave the community with a host', async (t) => {
    const app = await buildTestApp(t)
    const olu = await person(app, 'Olu')
    await createCommunity(olu)
    const bryn = await person(app, 'Bryn')
    await bryn.submit('/communities/lgovsm', '/communities/lgovsm/join', {})
    const ids = Object.fromEntries((await app.db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [u.display_name, u.id]))
    await olu.submit('/communities/lgovsm/members', `/communities/lgovsm/members/${ids.Bryn}/role`, { role: 'host' })
    await Promise.all([olu.get('/communities/lgovsm/members'), bryn.get('/communities/lgovsm/members')])
    await Promise.all([
      olu.post(`/communities/lgovsm/members/${ids.Bryn}/role`, { role: 'member' }),
      bryn.post(`/communities/lgovsm/members/${ids.Olu}/role`, { role: 'member' }),
    ])
    const hosts = await app.db.selectFrom('community_members').select('user_id').where('role', '=', 'host').execute()
    assert.equal(hosts.length, 1)
  })

  test('editing keeps the slug, changes the schedule and can remove it', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    const form = await host.get('/communities/lgovsm/edit')
    assert.match(form.html, /<option value="3" selected>Wednesday<\/option>/)
    const saved = await host.post('/communities/lgovsm/edit', { ...lgovsmForm, name: 'LocalGov Social', scheduleKind: 'monthly', weekday: '2', nth: '-1', startTime: '12:30' })
    assert.equal(saved.status, 303)
    const page = await host.get('/communities/lgovsm')
    assert.match(page.html, /<h1>LocalGov Social<\/h1>/)
    assert.match(page.html, /The last Tuesday of every month at 12:30/)
    await host.get('/communities/lgovsm/edit')
    await host.post('/communities/lgovsm/edit', { ...lgovsmForm, scheduleKind: 'none' })
    assert.match((await host.get('/communities/lgovsm')).html, /No chats are planned/)
  })
})
