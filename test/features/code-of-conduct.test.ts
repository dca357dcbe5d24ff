// The code of conduct: the site's (a default until the admin writes one), and the optional
// one a community or an event adds, linked where people sign up, propose and say they are going.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, text } from '../helpers/browser.js'
import { createCommunity, lgovsmForm, person } from '../helpers/communities.js'
import { campForm, organiser, setPhase } from '../helpers/events.js'
import { createMeetup } from '../helpers/meetups.js'

/** The page's text as read: inline tags (links, bold) vanish, others part words; spaces folded. */
const plain = (html: string) =>
  text(html.replace(/<\/?(?:a|strong|em)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')

describe('code of conduct', () => {
  test('the site shows a default code in both languages until the admin writes one; only the admin may', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    const ann = await person(app, 'Ann')

    const english = await app.inject('/code-of-conduct')
    assert.equal(english.statusCode, 200)
    assert.match(plain(english.body), /Be kind .* No harassment .* How to report .* What organisers do/)
    assert.match(english.body, /<h2>Be kind<\/h2>/, 'the text’s headings sit right under the page’s h1')
    assert.match(plain((await app.inject('/code-of-conduct?lang=cy')).body), /Byddwch yn garedig .* Dim aflonyddu/)
    // Every page links to it from its footer.
    assert.match((await app.inject('/communities')).body, /<footer[\s\S]*href="\/code-of-conduct">Code of conduct</)
    assert.match((await app.inject('/communities?lang=cy')).body, /<footer[\s\S]*href="\/code-of-conduct">Cod ymddygiad</)

    // Only the admin may change it, and the admin's form starts from the default.
    assert.equal((await ann.get('/admin/code-of-conduct')).status, 403)
    assert.equal((await ann.post('/admin/code-of-conduct', { codeOfConduct: '# Mine' })).status, 403)
    assert.equal((await new Browser(app).get('/admin/code-of-conduct')).status, 303, 'signed-out people are sent to sign in')
    const form = await admin.get('/admin/code-of-conduct')
    assert.equal(form.status, 200)
    assert.match(plain(form.html), /The site is using the default text below/)
    assert.match(text(form.html), /<textarea[^>]*name="codeOfConduct"[^>]*>Everyone is welcome here/)
    assert.match(form.html, /<a href="\/admin\/code-of-conduct" aria-current="page">Code of conduct<\/a>/, 'a tab of the admin pages')

    // Nothing typed: a 400 that says what to do, and the page keeps the default.
    const empty = await admin.post('/admin/code-of-conduct', { codeOfConduct: '   ' })
    assert.equal(empty.status, 400)
    assert.match(plain(empty.html), /There is a problem .*Enter the code of conduct/)
    assert.match(empty.html, /href="#codeOfConduct"/)
    // Too long: a 400 that keeps every word typed.
    const long = `# Our rules\n\n${'Be nice. '.repeat(2500)}`
    const tooLong = await admin.post('/admin/code-of-conduct', { codeOfConduct: long })
    assert.equal(tooLong.status, 400)
    assert.match(plain(tooLong.html), /The code of conduct must be 20,?000 characters or fewer/)
    assert.ok(tooLong.html.includes(long.trim()), 'what was typed is kept')
    assert.match(plain((await app.inject('/code-of-conduct')).body), /Be kind/, 'nothing was saved')

    const saved = await admin.post('/admin/code-of-conduct', { codeOfConduct: '# Our rules\n\nBe **nice**. Write to <script>alert(1)</script> [us](javascript:alert(1)).\n\nTell the hosts.' })
    assert.equal(saved.status, 303)
    assert.equal(saved.location, '/admin/code-of-conduct')
    assert.match(plain((await admin.get('/admin/code-of-conduct')).html), /The code of conduct is saved\. .*The site is using your own text/)
    for (const lang of ['en', 'cy']) {
      const page = (await app.inject(`/code-of-conduct?lang=${lang}`)).body
      assert.match(page, /<h2>Our rules<\/h2>/)
      assert.match(page, /Be <strong>nice<\/strong>\./)
      assert.doesNotMatch(page, /<script>alert|href="javascript:/, 'markdown is sanitised')
      assert.doesNotMatch(plain(page), /Be kind|Byddwch yn garedig/)
    }

    // Back to the default, by the admin only.
    await ann.get('/')
    assert.equal((await ann.post('/admin/code-of-conduct/default', {})).status, 403)
    await admin.get('/admin/code-of-conduct')
    assert.equal((await admin.post('/admin/code-of-conduct/default', {})).status, 303)
    assert.match(plain((await app.inject('/code-of-conduct')).body), /Be kind/)
    assert.match(plain((await admin.get('/admin/code-of-conduct?lang=cy')).html), /Mae’r wefan yn defnyddio’r cod ymddygiad diofyn eto\./)
  })

  test('the admin’s people page says who may create what: events take the organiser role, communities and meetups none', async (t) => {
    const app = await buildTestApp(t)
    const admin = await person(app, 'Site Admin')
    assert.match(plain((await admin.get('/admin/people')).html), /Organisers can create events\. Anyone signed in can create communities and meetups\./)
    assert.match(plain((await admin.get('/admin/people?lang=cy')).html), /Gall trefnwyr greu digwyddiadau\. Gall unrhyw un sydd wedi mewngofnodi greu cymunedau a chyfarfodydd\./)
    // And it is so: a member, not an organiser, creates a meetup but not an event.
    const ann = await person(app, 'Ann')
    assert.equal((await createMeetup(ann)).status, 303)
    assert.equal((await ann.get('/events/new')).status, 403)
  })

  test('sign-up links to the site’s code, in both languages', async (t) => {
    const app = await buildTestApp(t)
    const english = (await app.inject('/sign-up')).body
    assert.match(plain(english), /By creating an account you agree to follow our code of conduct\./)
    assert.match(english, /<a href="\/code-of-conduct">our code of conduct<\/a>/)
    assert.match(plain((await app.inject('/sign-up?lang=cy')).body), /Drwy greu cyfrif rydych chi’n cytuno i ddilyn ein cod ymddygiad\./)
  })

  test('a community’s own code is shown with the site’s, and linked where members propose topics and say they are going', async (t) => {
    const app = await buildTestApp(t)
    await person(app, 'Site Admin')
    const host = await person(app, 'Hana Host')
    await createCommunity(host)
    await createMeetup(host, { communitySlug: 'lgovsm' })
    const ann = await person(app, 'Ann')
    await ann.submit('/communities/lgovsm', '/communities/lgovsm/join', {})

    // Without a code of its own, its page says so and shows the site's; forms link to the site's.
    const none = await app.inject('/communities/lgovsm/code-of-conduct')
    assert.equal(none.statusCode, 200)
    assert.match(plain(none.body), /Local gov social media has no code of conduct of its own: the code for the whole site applies\. The code for the whole site Everyone is welcome here/)
    assert.match((await ann.get('/communities/lgovsm/topics/new')).html, /<a href="\/code-of-conduct">our code of conduct<\/a>/)
    assert.match((await ann.get('/meetups/lunch-on-saturday')).html, /By saying you are going you agree to follow <a href="\/code-of-conduct">our code of conduct<\/a>/)

    // The host writes one in the community's form; a too-long one is refused and kept.
    const edit = await host.get('/communities/lgovsm/edit')
    assert.match(edit.html, /<textarea[^>]*name="codeOfConduct"/)
    const base = lgovsmForm
    const tooLong = await host.post('/communities/lgovsm/edit', { ...base, codeOfConduct: 'x'.repeat(10001) })
    assert.equal(tooLong.status, 400)
    assert.match(plain(tooLong.html), /The code of conduct must be 10,?000 characters or fewer/)
    await host.get('/communities/lgovsm/edit')
    const saved = await host.post('/communities/lgovsm/edit', { ...base, codeOfConduct: 'No **pitching** in the chat.' })
    assert.equal(saved.status, 303)
    // What people see: its own rules, then the site's.
    const own = (await app.inject('/communities/lgovsm/code-of-conduct')).body
    assert.match(plain(own), /Code of conduct: Local gov social media .*What Local gov social media asks of you No pitching in the chat\. The code for the whole site Everyone is welcome here/)
    assert.match(own, /No <strong>pitching<\/strong>/)
    assert.match(plain((await app.inject('/communities/lgovsm/code-of-conduct?lang=cy')).body), /Yr hyn mae Local gov social media yn ei ofyn gennych No pitching .*Mae croeso i bawb yma/)
    // The forms now link to the community's code.
    assert.match(
      plain((await ann.get('/communities/lgovsm/topics/new')).html),
      /When you propose and when you take part, you agree to follow the code of conduct of Local gov social media\./,
    )
    assert.match((await ann.get('/communities/lgovsm/topics/new')).html, /href="\/communities\/lgovsm\/code-of-conduct"/)
    const meetup = (await ann.get('/meetups/lunch-on-saturday?lang=cy')).html
    assert.match(plain(meetup), /Drwy ddweud eich bod yn mynd rydych chi’n cytuno i ddilyn cod ymddygiad Local gov social media\./)
    assert.match(meetup, /href="\/communities\/lgovsm\/code-of-conduct"/)
    // The community's own page links to it.
    assert.match((await app.inject('/communities/lgovsm')).body, /<a href="\/communities\/lgovsm\/code-of-conduct">Code of conduct of Local gov social media<\/a>/)
    // The edit form shows what is stored; an unknown community has no code page.
    assert.match((await host.get('/communities/lgovsm/edit')).html, />No \*\*pitching\*\* in the chat\.<\/textarea>/)
    assert.equal((await app.inject('/communities/nobody/code-of-conduct')).statusCode, 404)
  })

  test('an event’s own code is set in its form, shown with the site’s and linked from the proposal form', async (t) => {
    const app = await buildTestApp(t)
    const org = await organiser(app, await person(app, 'Site Admin'), 'Olu Organiser')
    const created = await org.submit('/events/new', '/events', { ...campForm, codeOfConduct: 'On the day, tell anyone in a **yellow** lanyard.' })
    assert.equal(created.status, 303)
    // A draft's code is as hidden as the draft.
    assert.equal((await app.inject('/events/ukgc27/code-of-conduct')).statusCode, 404)
    await setPhase(org, 'ukgc27', 'proposals')

    const page = (await app.inject('/events/ukgc27/code-of-conduct')).body
    assert.match(plain(page), /What UKGovCamp 2027 asks of you On the day, tell anyone in a yellow lanyard\. The code for the whole site/)
    assert.match((await app.inject('/events/ukgc27?lang=cy')).body, /<a href="\/events\/ukgc27\/code-of-conduct">Cod ymddygiad UKGovCamp 2027<\/a>/)
    const ann = await person(app, 'Ann')
    const form = (await ann.get('/events/ukgc27/proposals/new')).html
    assert.match(plain(form), /When you propose and when you take part, you agree to follow the code of conduct of UKGovCamp 2027\./)
    assert.match(form, /href="\/events\/ukgc27\/code-of-conduct"/)
    assert.match(plain((await ann.get('/events/ukgc27/proposals/new?lang=cy')).html), /Wrth gynnig ac wrth gymryd rhan, rydych chi’n cytuno i ddilyn cod ymddygiad UKGovCamp 2027\./)

    // A meetup listed on the event links to the event's code.
    await createMeetup(org, { eventSlug: 'ukgc27' })
    assert.match((await ann.get('/meetups/lunch-on-saturday')).html, /agree to follow <a href="\/events\/ukgc27\/code-of-conduct">the code of conduct of UKGovCamp 2027<\/a>/)

    // Emptied in the edit form: the site's code applies alone again.
    const edit = await org.get('/events/ukgc27/edit')
    assert.match(edit.html, />On the day, tell anyone in a \*\*yellow\*\* lanyard\.<\/textarea>/)
    assert.equal((await org.post('/events/ukgc27/edit', { ...campForm, codeOfConduct: '' })).status, 303)
    assert.match(plain((await app.inject('/events/ukgc27/code-of-conduct')).body), /UKGovCamp 2027 has no code of conduct of its own/)
    assert.doesNotMatch((await app.inject('/events/ukgc27')).body, /Code of conduct of UKGovCamp/)
    assert.match((await ann.get('/events/ukgc27/proposals/new')).html, /<a href="\/code-of-conduct">our code of conduct<\/a>/)
  })
})
