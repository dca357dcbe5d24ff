// Times for people abroad (issue 22): a person picks their own zone on their profile from a list
// of IANA zones; pages keep each item's own time and add the reader's where their clock differs;
// the zone fields of communities, events and meetups are the same picker; date fields accept
// what their hints and error messages show.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { readerTime } from '../../src/i18n/format.js'
import { readDateInput, readDateTimeInput, readTimeInput } from '../../src/lib/date-input.js'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text, type Page } from '../helpers/browser.js'
import { createCommunity, lgovsmForm, person } from '../helpers/communities.js'
import { drain, mailTo, startSmtp } from '../helpers/mail.js'
import { createMeetup, lunchForm, rsvp } from '../helpers/meetups.js'

const profile = { displayName: 'Ann', handle: '', bio: '', xHandle: '', mastodonHandle: '', blueskyHandle: '' }

function inlineError(html: string, field: string): string | null {
  const match = new RegExp(`<p class="field__error" id="${field}-error">(.*?)</p>`, 's').exec(html)
  return match ? text(match[1]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : null
}

function hint(html: string, field: string): string | null {
  const match = new RegExp(`<div class="field__hint" id="${field}-hint">(.*?)</div>`, 's').exec(html)
  return match ? text(match[1]!) : null
}

/** The option the picker shows as chosen, and how many zones it offers. */
function picker(html: string, name: string): { selected: string | null; options: number; groups: string[] } {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>(.*?)</select>`, 's').exec(html)?.[1]
  assert.ok(select, `a <select name="${name}">, not a text box`)
  return {
    selected: /<option value="([^"]*)" selected>/.exec(select)?.[1] ?? null,
    options: [...select.matchAll(/<option /g)].length,
    groups: [...select.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1]!),
  }
}

function yourTimes(page: Page): string[] {
  return [...page.html.matchAll(/<span class="your-time">(.*?)<\/span>/g)].map((m) => text(m[1]!))
}

async function setZone(who: Browser, timeZone: string): Promise<Page> {
  const name = /<input[^>]*name="displayName"[^>]*value="([^"]*)"/.exec((await who.get('/me/profile')).html)?.[1] ?? 'Ann'
  return who.submit('/me/profile', '/me/profile', { ...profile, displayName: name, timeZone })
}

describe('times for people abroad', () => {
  test('the profile offers every IANA zone in a list, none chosen at first; a zone not in the list is refused with the other fields kept', async (t) => {
    const app = await buildTestApp(t)
    const ann = await person(app, 'Ann')
    const form = await ann.get('/me/profile')
    const zones = picker(form.html, 'timeZone')
    assert.equal(zones.selected, '', 'at first: each item in its own zone')
    assert.ok(zones.options > 400, `every zone is offered (${zones.options})`)
    assert.ok(zones.groups.includes('Europe') && zones.groups.includes('America') && zones.groups.includes('Pacific'), 'grouped by region')
    assert.match(form.html, /<option value="Europe\/London">London \(GMT(\+0|\+1)?\)<\/option>/, 'each zone with its offset now')
    assert.match(form.html, /<option value="Asia\/(Calcutta|Kolkata)">Kolkata[^<]*\(GMT\+5:30\)<\/option>/, 'places under the names people use now')

    const wrong = await ann.submit('/me/profile', '/me/profile', { ...profile, bio: 'Kept bio', timeZone: 'Mars/Olympus_Mons' })
    assert.equal(wrong.status, 400)
    assert.match(wrong.html, /<a href="#timeZone">Choose a time zone from the list<\/a>/, 'in the error summary')
    assert.equal(inlineError(wrong.html, 'timeZone'), 'Error: Choose a time zone from the list')
    assert.match(wrong.html, />Kept bio<\/textarea>/)

    const saved = await setZone(ann, 'America/New_York')
    assert.equal(saved.status, 303)
    assert.equal(picker((await ann.get('/me/profile')).html, 'timeZone').selected, 'America/New_York')
    const data = await ann.get('/me/data.json')
    assert.equal(data.status, 200)
    assert.match(data.html, /"time_zone":\s*"America\/New_York"/, 'part of the person’s own data')

    assert.equal((await setZone(ann, '')).status, 303, 'and back to none')
    assert.equal(picker((await ann.get('/me/profile')).html, 'timeZone').selected, '')
  })

  test('pages keep the item’s time and add the reader’s where their clock differs, with the day when it is another day', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    assert.equal((await createCommunity(host)).status, 303)
    assert.equal((await createMeetup(host, { title: 'Lunch in London' })).status, 303)

    const visitor = new Browser(app, '10.61.0.1')
    const signedOut = await visitor.get('/communities/lgovsm')
    assert.match(text(signedOut.html), /Wednesday, \d+ \w+ 20\d\d, 20:00/, 'the chat at 20:00 London time')
    assert.deepEqual(yourTimes(signedOut), [], 'signed out: the item’s time only')

    const ann = await person(app, 'Ann')
    assert.deepEqual(yourTimes(await ann.get('/communities/lgovsm')), [], 'no zone chosen: the item’s time only')

    await setZone(ann, 'America/New_York')
    const community = await ann.get('/communities/lgovsm')
    const times = yourTimes(community)
    assert.ok(times.length >= 2, 'the next chat and the later ones')
    assert.match(times[0]!, /^Your time: 1[56]:00 Eastern (Standard|Daylight) Time$/)
    assert.match(text(community.html), /20:00/, 'the chat’s own time is still there')
    assert.match(yourTimes(await ann.get('/communities/lgovsm/chats'))[0]!, /^Your time: 1[56]:00 Eastern/)
    assert.match(yourTimes(await ann.get('/meetups/lunch-in-london'))[0]!, /^Your time: 0[78]:30 Eastern/)
    assert.match(yourTimes(await ann.get('/meetups'))[0]!, /^Your time: 0[78]:30 Eastern/)

    // Tokyo is already on the next day when London's chat starts: the day is named.
    await setZone(ann, 'Asia/Tokyo')
    assert.match(yourTimes(await ann.get('/communities/lgovsm'))[0]!, /^Your time: Thursday, \d+ \w+ 20\d\d at 0[45]:00 Japan Standard Time$/)

    // Lisbon's clocks read as London's all year: nothing to add.
    await setZone(ann, 'Europe/Lisbon')
    assert.deepEqual(yourTimes(await ann.get('/communities/lgovsm')), [])
    assert.deepEqual(yourTimes(await ann.get('/meetups/lunch-in-london')), [])
  })

  test('in Welsh the reader’s time is Welsh too', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    await createCommunity(host)
    const ann = await person(app, 'Ann')
    await setZone(ann, 'America/New_York')
    const page = await ann.get('/communities/lgovsm?lang=cy')
    assert.match(yourTimes(page)[0]!, /^Eich amser chi: 1[56]:00 /)
  })

  test('the zone fields of communities, events and meetups are the same picker, and an old zone name is kept when editing', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu') // the first person is the site's admin, who may make events
    for (const path of ['/communities/new', '/events/new', '/meetups/new']) {
      const zones = picker((await host.get(path)).html, 'timeZone')
      assert.equal(zones.selected, 'Europe/London', `${path}: London by default`)
      assert.ok(zones.options > 400)
    }
    const wrong = await createCommunity(host, { timeZone: 'London' })
    assert.equal(wrong.status, 400)
    assert.equal(inlineError(wrong.html, 'timeZone'), 'Error: Choose a time zone from the list')

    // A zone saved under an old name (a link such as US/Eastern, not in the list) is kept as it is.
    assert.equal((await createCommunity(host, { timeZone: 'US/Eastern', hashtag: '#eastchat' })).status, 303)
    const edit = await host.get('/communities/eastchat/edit')
    const zones = picker(edit.html, 'timeZone')
    assert.equal(zones.selected, 'US/Eastern')
    assert.equal(zones.groups[0], 'Other')
  })

  test('dates and times are accepted as the hints show them (day/month/year), and refused with the same example', async (t) => {
    const app = await buildTestApp(t)
    const host = await person(app, 'Olu')
    const form = await host.get('/communities/new')
    assert.equal(hint(form.html, 'startsOn'), 'Day/month/year, for example 06/01/2027')

    const wrong = await createCommunity(host, { startsOn: '31/02/2027', startTime: '25:00' })
    assert.equal(wrong.status, 400)
    assert.equal(inlineError(wrong.html, 'startsOn'), 'Error: Enter a real date as day/month/year, for example 06/01/2027')
    assert.match(wrong.html, /name="startsOn"[^>]*value="31\/02\/2027"|value="31\/02\/2027"[^>]*name="startsOn"/, 'what was typed is kept')

    const typed = await createCommunity(host, { startsOn: '6/1/2027', startTime: '9.30' })
    assert.equal(typed.status, 303)
    const row = await app.db.selectFrom('chat_schedules').select(['starts_on', 'start_time']).executeTakeFirstOrThrow()
    assert.deepEqual({ ...row }, { starts_on: '2027-01-06', start_time: '09:30' })

    const meetup = await createMeetup(host, { title: 'Typed lunch', startsAt: '16/01/2027 12:30', endsAt: '16/01/2027 13:30' })
    assert.equal(meetup.status, 303)
    const saved = await app.db.selectFrom('meetups').select('starts_at').where('title', '=', 'Typed lunch').executeTakeFirstOrThrow()
    assert.equal(saved.starts_at, '2027-01-16T12:30:00.000Z', '12:30 London time in January')
    const bad = await createMeetup(host, { title: 'Bad lunch', startsAt: '32/01/2027 12:30' })
    assert.equal(inlineError(bad.html, 'startsAt'), 'Error: Enter when it starts as a real date and time, for example 16/01/2027 12:30')
    assert.match(hint(bad.html, 'startsAt') ?? '', /for example 16\/01\/2027 12:30/, 'the hint shows the same format')
    assert.equal(lunchForm.timeZone, 'Europe/London')
    assert.equal(lgovsmForm.timeZone, 'Europe/London')
  })
})

describe('times for people abroad, by email', () => {
  test('a meetup’s email gives its own time, and the reader’s after it when they chose a zone', async (t) => {
    const smtp = await startSmtp()
    const app = await buildTestApp(t, { smtpUrl: smtp.url })
    t.after(() => smtp.close())
    const host = await person(app, 'Olu')
    assert.equal((await createMeetup(host, { title: 'Lunch abroad' })).status, 303)
    const [ann, bryn] = [await person(app, 'Ann'), await person(app, 'Bryn')]
    await setZone(ann, 'America/New_York')
    await rsvp(ann, 'lunch-abroad')
    await rsvp(bryn, 'lunch-abroad')
    await drain(app)
    const address = async (name: string) => (await app.db.selectFrom('users').select('email').where('display_name', '=', name).$narrowType<{ email: string }>().executeTakeFirstOrThrow()).email
    const annMail = mailTo(smtp, await address('Ann')).find((r) => /Lunch abroad/.test(r.mail.subject ?? ''))!
    const brynMail = mailTo(smtp, await address('Bryn')).find((r) => /Lunch abroad/.test(r.mail.subject ?? ''))!
    assert.match(annMail.mail.text ?? '', /12:30 (Greenwich Mean Time|British Summer Time) \(Your time: 0[78]:30 Eastern (Standard|Daylight) Time\)/)
    assert.match(brynMail.mail.text ?? '', /12:30 (Greenwich Mean Time|British Summer Time)/)
    assert.doesNotMatch(brynMail.mail.text ?? '', /Your time/, 'no zone chosen: the meetup’s time only')
  })
})

describe('reading typed dates and the reader’s time', () => {
  test('day/month/year, ISO and times with a dot are read; anything else is left for the form to refuse', () => {
    assert.equal(readDateInput('16/01/2027'), '2027-01-16')
    assert.equal(readDateInput(' 6.1.2027 '), '2027-01-06')
    assert.equal(readDateInput('2027-01-16'), '2027-01-16')
    assert.equal(readDateInput('01/16'), '01/16')
    assert.equal(readTimeInput('9:05'), '09:05')
    assert.equal(readTimeInput('21.30'), '21:30')
    assert.equal(readTimeInput('noon'), 'noon')
    assert.equal(readDateTimeInput('16/01/2027, 12:30'), '2027-01-16T12:30')
    assert.equal(readDateTimeInput('2027-01-16T12:30'), '2027-01-16T12:30')
  })

  test('the reader’s time is null when their clock agrees, and names the day when it does not', () => {
    const chat = '2027-01-06T20:00:00.000Z'
    assert.equal(readerTime('en', chat, 'Europe/London', null), null)
    assert.equal(readerTime('en', chat, 'Europe/London', 'Europe/London'), null)
    assert.equal(readerTime('en', chat, 'Europe/London', 'Europe/Lisbon'), null)
    assert.equal(readerTime('en', chat, 'Europe/London', 'America/New_York'), '15:00 Eastern Standard Time')
    assert.equal(readerTime('en', chat, 'Europe/London', 'Australia/Sydney'), 'Thursday, 7 January 2027 at 07:00 Australian Eastern Daylight Time')
  })
})
