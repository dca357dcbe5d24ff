import assert from 'node:assert/strict'
import { test } from 'node:test'
import { calendarText, type CalendarItem } from '../../src/lib/ics.js'

const item: CalendarItem = {
  uid: 'session-1@hashcamp.test',
  title: 'Accessible social media',
  start: new Date('2027-01-16T10:00:00Z'),
  end: new Date('2027-01-16T10:45:00Z'),
  status: 'CONFIRMED',
  sequence: 0,
  lastModified: '2026-11-20T09:00:00.000Z',
}
const vevent = (text: string) => text.slice(text.indexOf('BEGIN:VEVENT'), text.indexOf('END:VEVENT'))

test('an event kept from one calendar is the same in another, and a change to it is never served stale', () => {
  const mine = calendarText({ name: 'My Hashcamp' }, [item])
  const event = calendarText({ name: 'UKGovCamp 2027' }, [item])
  assert.equal(vevent(mine), vevent(event))
  assert.match(mine, /X-WR-CALNAME:My Hashcamp\r\n/)
  assert.match(event, /X-WR-CALNAME:UKGovCamp 2027\r\n/)

  const moved = calendarText({ name: 'My Hashcamp' }, [{ ...item, title: 'Accessible social media (moved)', sequence: 1, start: new Date('2027-01-16T11:00:00Z'), end: new Date('2027-01-16T11:45:00Z') }])
  assert.match(moved, /SUMMARY:Accessible social media \(moved\)\r\n/)
  assert.match(moved, /SEQUENCE:1\r\n/)
  assert.match(moved, /DTSTART:20270116T110000Z\r\n/)
  // The same item in a cancellation is written for that method, not taken from a PUBLISH.
  const cancel = calendarText({ name: 'Cancelled', method: 'CANCEL' }, [{ ...item, status: 'CANCELLED' }])
  assert.match(cancel, /METHOD:CANCEL\r\n/)
  assert.match(cancel, /STATUS:CANCELLED\r\n/)
  assert.equal(calendarText({ name: 'Empty' }, []).match(/BEGIN:VEVENT/g), null)
})
