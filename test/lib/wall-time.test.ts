// Wall times around clock changes: the spring gap (a time that never happens) and the autumn
// overlap (a time that happens twice), in zones that jump by an hour and by half an hour.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { wallTimeProblem, zonedToUtc } from '../../src/lib/zoned-time.js'

test('a time the clocks skip is a gap, with the wall times they jump from and to', () => {
  assert.deepEqual(wallTimeProblem('2027-03-28', '01:30', 'Europe/London'), { kind: 'gap', from: '01:00', to: '02:00' })
  assert.deepEqual(wallTimeProblem('2027-03-14', '02:30', 'America/New_York'), { kind: 'gap', from: '02:00', to: '03:00' })
  assert.deepEqual(wallTimeProblem('2026-10-04', '02:15', 'Australia/Lord_Howe'), { kind: 'gap', from: '02:00', to: '02:30' })
  // Either side of the gap is fine.
  assert.equal(wallTimeProblem('2027-03-28', '00:59', 'Europe/London'), null)
  assert.equal(wallTimeProblem('2027-03-28', '02:00', 'Europe/London'), null)
})

test('a time the clocks show twice is repeated; zonedToUtc takes the first', () => {
  const problem = wallTimeProblem('2027-10-31', '01:30', 'Europe/London')
  assert.deepEqual(problem, { kind: 'repeated', first: new Date('2027-10-31T00:30:00Z'), second: new Date('2027-10-31T01:30:00Z') })
  assert.equal(zonedToUtc('2027-10-31', '01:30', 'Europe/London').toISOString(), '2027-10-31T00:30:00.000Z')
  assert.equal(wallTimeProblem('2027-07-01', '12:00', 'Europe/London'), null)
  assert.equal(wallTimeProblem('2027-03-28', '01:30', 'UTC'), null)
})
