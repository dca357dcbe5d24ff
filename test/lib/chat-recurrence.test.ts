import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { chatOccurrences, scheduledDates, upcomingChats, type ChatSchedule } from '../../src/lib/chat-recurrence.js'
import { isValidTimeZone, nthWeekdayOfMonth, utcToZoned, zonedToUtc } from '../../src/lib/zoned-time.js'

const wednesdayEvenings: ChatSchedule = {
  recurrence: { kind: 'weekly', weekday: 3, intervalWeeks: 1 },
  startTime: '20:00',
  durationMinutes: 60,
  startsOn: '2027-01-01',
  endsOn: null,
  timeZone: 'Europe/London',
}

const iso = (d: Date) => d.toISOString()

describe('zoned time', () => {
  test('local ↔ UTC on both sides of the 2027 clock changes in London', () => {
    assert.equal(iso(zonedToUtc('2027-03-27', '20:00', 'Europe/London')), '2027-03-27T20:00:00.000Z')
    assert.equal(iso(zonedToUtc('2027-03-28', '20:00', 'Europe/London')), '2027-03-28T19:00:00.000Z')
    assert.equal(iso(zonedToUtc('2027-10-30', '20:00', 'Europe/London')), '2027-10-30T19:00:00.000Z')
    assert.equal(iso(zonedToUtc('2027-10-31', '20:00', 'Europe/London')), '2027-10-31T20:00:00.000Z')
    assert.deepEqual(utcToZoned(new Date('2027-07-01T19:00:00Z'), 'Europe/London'), { date: '2027-07-01', time: '20:00' })
  })

  test('a time the spring-forward skips moves past the gap; a repeated autumn time is the first', () => {
    assert.equal(iso(zonedToUtc('2027-03-28', '01:30', 'Europe/London')), '2027-03-28T01:30:00.000Z') // shown as 02:30 BST
    assert.equal(iso(zonedToUtc('2027-10-31', '01:30', 'Europe/London')), '2027-10-31T00:30:00.000Z') // the BST one
  })

  test('answers are remembered, but each caller gets a Date of its own', () => {
    const first = zonedToUtc('2027-05-05', '20:00', 'Europe/London')
    first.setUTCFullYear(1999)
    assert.equal(iso(zonedToUtc('2027-05-05', '20:00', 'Europe/London')), '2027-05-05T19:00:00.000Z')
    assert.equal(iso(zonedToUtc('2027-05-05', '20:00', 'Asia/Kolkata')), '2027-05-05T14:30:00.000Z', 'the zone is part of the question')
  })

  test('zones far from UTC, and the southern hemisphere', () => {
    assert.equal(iso(zonedToUtc('2027-01-15', '09:00', 'Pacific/Auckland')), '2027-01-14T20:00:00.000Z')
    assert.equal(iso(zonedToUtc('2027-07-15', '09:00', 'Pacific/Auckland')), '2027-07-14T21:00:00.000Z')
    assert.equal(iso(zonedToUtc('2027-06-01', '12:00', 'Asia/Kolkata')), '2027-06-01T06:30:00.000Z')
  })

  test('time zone names are checked', () => {
    assert.ok(isValidTimeZone('Europe/London'))
    assert.ok(isValidTimeZone('America/New_York'))
    assert.ok(!isValidTimeZone('Europe/Cardiff'))
    assert.ok(!isValidTimeZone('London'))
    assert.ok(!isValidTimeZone(''))
  })

  test('nth weekday of a month', () => {
    assert.equal(nthWeekdayOfMonth(2027, 3, 2, 1), '2027-03-02') // first Tuesday
    assert.equal(nthWeekdayOfMonth(2027, 3, 2, -1), '2027-03-30') // last Tuesday
    assert.equal(nthWeekdayOfMonth(2027, 2, 1, 4), '2027-02-22')
    assert.equal(nthWeekdayOfMonth(2027, 2, 7, -1), '2027-02-28')
  })
})

describe('chat occurrences', () => {
  test('a weekly chat stays at 20:00 London time across both 2027 clock changes, and shifts in UTC', () => {
    const around = (fromIso: string, toIso: string) =>
      chatOccurrences(wednesdayEvenings, [], new Date(fromIso), new Date(toIso)).map((o) => [o.date, o.localTime, iso(o.start)])
    assert.deepEqual(around('2027-03-20T00:00:00Z', '2027-04-04T00:00:00Z'), [
      ['2027-03-24', '20:00', '2027-03-24T20:00:00.000Z'],
      ['2027-03-31', '20:00', '2027-03-31T19:00:00.000Z'],
    ])
    assert.deepEqual(around('2027-10-24T00:00:00Z', '2027-11-07T00:00:00Z'), [
      ['2027-10-27', '20:00', '2027-10-27T19:00:00.000Z'],
      ['2027-11-03', '20:00', '2027-11-03T20:00:00.000Z'],
    ])
  })

  test('the same outside the UK: New York moves its clocks on other dates', () => {
    const newYork: ChatSchedule = { ...wednesdayEvenings, timeZone: 'America/New_York', startTime: '12:00' }
    const starts = chatOccurrences(newYork, [], new Date('2027-03-08T00:00:00Z'), new Date('2027-03-18T00:00:00Z')).map((o) => iso(o.start))
    // US clocks go forward on 14 March 2027: 12:00 EST = 17:00 UTC, then 12:00 EDT = 16:00 UTC.
    assert.deepEqual(starts, ['2027-03-10T17:00:00.000Z', '2027-03-17T16:00:00.000Z'])
    const auckland: ChatSchedule = { ...wednesdayEvenings, timeZone: 'Pacific/Auckland' }
    const nz = chatOccurrences(auckland, [], new Date('2027-03-28T00:00:00Z'), new Date('2027-04-10T00:00:00Z'))
    // New Zealand leaves daylight time on 4 April 2027.
    assert.deepEqual(nz.map((o) => [o.date, iso(o.start)]), [
      ['2027-03-31', '2027-03-31T07:00:00.000Z'],
      ['2027-04-07', '2027-04-07T08:00:00.000Z'],
    ])
  })

  test('every N weeks counts from the first chat on or after the start date', () => {
    const fortnightly: ChatSchedule = { ...wednesdayEvenings, recurrence: { kind: 'weekly', weekday: 3, intervalWeeks: 2 } }
    assert.deepEqual(scheduledDates(fortnightly, '2027-01-01', '2027-02-28'), ['2027-01-06', '2027-01-20', '2027-02-03', '2027-02-17'])
    assert.deepEqual(scheduledDates(fortnightly, '2027-01-21', '2027-02-10'), ['2027-02-03'])
  })

  test('monthly on the nth weekday, including the last', () => {
    const firstTuesday: ChatSchedule = { ...wednesdayEvenings, recurrence: { kind: 'monthly', weekday: 2, nth: 1 } }
    assert.deepEqual(scheduledDates(firstTuesday, '2027-01-01', '2027-04-30'), ['2027-01-05', '2027-02-02', '2027-03-02', '2027-04-06'])
    const lastFriday: ChatSchedule = { ...wednesdayEvenings, recurrence: { kind: 'monthly', weekday: 5, nth: -1 } }
    assert.deepEqual(scheduledDates(lastFriday, '2027-01-01', '2027-03-31'), ['2027-01-29', '2027-02-26', '2027-03-26'])
  })

  test('start and end dates bound the schedule', () => {
    const bounded: ChatSchedule = { ...wednesdayEvenings, startsOn: '2027-01-10', endsOn: '2027-01-31' }
    assert.deepEqual(scheduledDates(bounded, '2027-01-01', '2027-03-01'), ['2027-01-13', '2027-01-20', '2027-01-27'])
  })

  test('exceptions: a skipped chat disappears; a moved one keeps its identity at its new time', () => {
    const occurrences = chatOccurrences(
      wednesdayEvenings,
      [
        { kind: 'skip', date: '2027-12-22' },
        { kind: 'move', date: '2027-12-29', movedToDate: '2027-12-30', movedToTime: '19:30' },
      ],
      new Date('2027-12-14T00:00:00Z'),
      new Date('2028-01-08T00:00:00Z'),
    )
    assert.deepEqual(
      occurrences.map((o) => [o.date, o.localDate, o.localTime, o.moved]),
      [
        ['2027-12-15', '2027-12-15', '20:00', false],
        ['2027-12-29', '2027-12-30', '19:30', true],
        ['2028-01-05', '2028-01-05', '20:00', false],
      ],
    )
    assert.equal(iso(occurrences[1]!.end), '2027-12-30T20:30:00.000Z')
  })

  test('a chat moved into the window from outside it is found, one moved out is not', () => {
    const movedIn = chatOccurrences(
      wednesdayEvenings,
      [{ kind: 'move', date: '2027-06-02', movedToDate: '2027-06-20', movedToTime: '20:00' }],
      new Date('2027-06-18T00:00:00Z'),
      new Date('2027-06-21T00:00:00Z'),
    )
    assert.deepEqual(movedIn.map((o) => o.date), ['2027-06-02'])
  })

  test('a chat in progress is still upcoming; one that ended is not', () => {
    const during = upcomingChats(wednesdayEvenings, [], new Date('2027-06-02T19:30:00Z'), 2)
    assert.deepEqual(during.map((o) => o.date), ['2027-06-02', '2027-06-09'])
    const after = upcomingChats(wednesdayEvenings, [], new Date('2027-06-02T20:00:00Z'), 1)
    assert.deepEqual(after.map((o) => o.date), ['2027-06-09'])
  })
})
