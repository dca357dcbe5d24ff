// The schedule files conference apps read: schedule.xml against the c3voc XSD (with xmllint,
// as the validator's own script does) and schedule.json against its JSON Schema (with ajv).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { buildTestApp } from '../helpers/build-test-app.js'
import { person } from '../helpers/communities.js'
import { createEvent, organiser, propose, setPhase } from '../helpers/events.js'
import { addRoom, campWithRooms, gridIds, layOutDay, place } from '../helpers/schedule.js'

const SCHEMAS = path.resolve(import.meta.dirname, '../fixtures/voc-schedule')
const SLUG = 'ukgc27'

interface FrabJson {
  schedule: { conference: { days: { rooms: Record<string, { title: string; date: string; start: string; duration: string; persons: unknown; guid: string }[]> }[] } }
}

function xmllint(xml: string): { ok: boolean; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, 'schedule.xml.xsd'), '-'], { input: xml, encoding: 'utf8' })
  if (run.error) throw new Error(`xmllint is needed for this test (Debian: apt-get install libxml2-utils): ${run.error.message}`)
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` }
}

function jsonValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false })
  addFormats.default(ajv)
  ajv.addFormat('color', /^#?[0-9a-fA-F]{3,8}$/)
  ajv.addMetaSchema(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/ajv/dist/refs/json-schema-draft-06.json'), 'utf8')))
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'schema.json'), 'utf8')))
}

test('schedule.xml and schedule.json validate against the c3voc schemas, before and after publishing', async (t) => {
  const app = await buildTestApp(t)
  const org = await organiser(app, await person(app, 'Admin'), 'Olu Organiser')
  await createEvent(org, { firstDay: '2027-03-27', lastDay: '2027-03-28' })
  await setPhase(org, SLUG, 'proposals')
  await addRoom(org, SLUG, { name: 'Hall & <Annexe>', capacity: '50' })
  await addRoom(org, SLUG, { name: 'Snug', capacity: '10' })
  await layOutDay(org, SLUG, { planDay: '2027-03-28' })
  const validate = jsonValidator()

  const check = async () => {
    const xml = await org.get(`/events/${SLUG}/schedule.xml`)
    assert.equal(xml.status, 200)
    assert.equal(xml.response.headers['content-type'], 'application/xml; charset=utf-8')
    const lint = xmllint(xml.html)
    assert.ok(lint.ok, lint.output)
    const json = await org.get(`/events/${SLUG}/schedule.json`)
    assert.equal(json.response.headers['content-type'], 'application/json; charset=utf-8')
    const data = JSON.parse(json.html) as FrabJson
    assert.ok(validate(data), JSON.stringify(validate.errors, null, 2))
    return { xml: xml.html, data }
  }

  const empty = await check()
  assert.equal(empty.data.schedule.conference.days.length, 2)

  const ids = [await propose(org, SLUG, 'Ünïcode & <markup> "quotes"'), await propose(org, SLUG, 'Q')]
  const { rooms, sessionSlots } = await gridIds(app, SLUG)
  await place(org, SLUG, ids[0]!, sessionSlots[0]!, rooms['Hall & <Annexe>']!)
  await place(org, SLUG, ids[1]!, sessionSlots[0]!, rooms.Snug!)
  await setPhase(org, SLUG, 'pitching', 'published')
  const full = await check()
  const day = full.data.schedule.conference.days[1]!
  const hall = day.rooms['Hall & <Annexe>']!
  assert.equal(hall.length, 1)
  assert.equal(hall[0]!.title, 'Ünïcode & <markup> "quotes"')
  assert.equal(hall[0]!.date, '2027-03-28T10:00:00+01:00', 'local time with its offset, after the clock change')
  assert.equal(hall[0]!.start, '10:00')
  assert.equal(hall[0]!.duration, '00:45')
  assert.deepEqual(hall[0]!.persons, [{ name: 'Olu Organiser' }])
  assert.match(full.xml, /<title>Ünïcode &amp; &lt;markup&gt; &quot;quotes&quot;<\/title>/)
  assert.match(full.xml, /<room name="Hall &amp; &lt;Annexe&gt;" guid="[0-9a-f-]{36}">/)
  // The same session keeps its guid in both files and across requests.
  const again = await check()
  assert.equal(again.data.schedule.conference.days[1]!.rooms['Hall & <Annexe>']![0]!.guid, hall[0]!.guid)
  assert.match(full.xml, new RegExp(`<event guid="${hall[0]!.guid}" id="${ids[0]}">`))
})

test('before publishing, the schedule files show the event and nothing else: no rooms, no capacities', async (t) => {
  const app = await buildTestApp(t)
  // A capacity no timestamp can hold (the files' <version> is an ISO time: "…:07.277Z" once matched 77).
  const { org } = await campWithRooms(app, [{ name: 'Secret Boardroom', capacity: '4321' }])
  const validate = jsonValidator()
  for (const who of [org, await person(app, 'Ann')]) {
    const xml = await who.get(`/events/${SLUG}/schedule.xml`)
    assert.equal(xml.status, 200)
    assert.ok(xmllint(xml.html).ok)
    assert.doesNotMatch(xml.html, /Secret Boardroom|4321/)
    assert.match(xml.html, /<title>UKGovCamp 2027<\/title>/)
    const json = await who.get(`/events/${SLUG}/schedule.json`)
    assert.doesNotMatch(json.html, /Secret Boardroom|"capacity"\s*:\s*4321/)
    assert.ok(validate(JSON.parse(json.html)))
  }
  await setPhase(org, SLUG, 'pitching', 'published')
  const published = await org.get(`/events/${SLUG}/schedule.xml`)
  assert.match(published.html, /Secret Boardroom/, 'published: the rooms appear')
})

test('a renamed room keeps its guid in schedule.xml and schedule.json', async (t) => {
  const app = await buildTestApp(t)
  const { org } = await campWithRooms(app, [{ name: 'Hall' }])
  const id = await propose(org, SLUG, 'A session')
  const { rooms, sessionSlots } = await gridIds(app, SLUG)
  await place(org, SLUG, id, sessionSlots[0]!, rooms.Hall!)
  await setPhase(org, SLUG, 'pitching', 'published')
  const guidOf = (xml: string, name: string) => new RegExp(`<room name="${name}" guid="([0-9a-f-]{36})">`).exec(xml)?.[1]
  const before = guidOf((await org.get(`/events/${SLUG}/schedule.xml`)).html, 'Hall')
  assert.ok(before)
  const renamed = await org.submit(`/events/${SLUG}/rooms/${rooms.Hall}/edit`, `/events/${SLUG}/rooms/${rooms.Hall}`, { name: 'Great Hall', capacity: '30', location: '', accessibilityNotes: '' })
  assert.equal(renamed.status, 303)
  const after = await org.get(`/events/${SLUG}/schedule.xml`)
  assert.equal(guidOf(after.html, 'Great Hall'), before)
  const json = JSON.parse((await org.get(`/events/${SLUG}/schedule.json`)).html) as { schedule: { conference: { rooms: { name: string; guid: string }[] } } }
  assert.deepEqual(json.schedule.conference.rooms.map((r) => [r.name, r.guid]), [['Great Hall', before]])
})

test('the public grid names its event in the table caption, for people signed out too', async (t) => {
  const app = await buildTestApp(t)
  const { org } = await campWithRooms(app, [{ name: 'Hall' }])
  await setPhase(org, SLUG, 'pitching', 'published')
  for (const page of [await app.inject({ url: `/events/${SLUG}/schedule` }), await app.inject({ url: `/events/${SLUG}/schedule?lang=cy` })]) {
    assert.doesNotMatch(page.body, /undefined/)
  }
  assert.match((await app.inject({ url: `/events/${SLUG}/schedule` })).body, /<caption class="visually-hidden">Schedule – UKGovCamp 2027<\/caption>/)
  assert.match((await org.get(`/events/${SLUG}/schedule`)).html, /<caption class="visually-hidden">Schedule – UKGovCamp 2027<\/caption>/)
})
