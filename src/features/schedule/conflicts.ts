// Conflicts on the grid, shown to organisers and never blocking them: a person running two
// sessions at once, more interest than the room holds, needs the room does not meet.
// Slots never overlap (slot-times.ts refuses it), so "at once" means "in the same slot".
import type { ProposalNeed, RoomRow } from '../../db/database.js'
import { needsList } from '../events/events.schemas.js'
import type { GridEntry, SessionPerson } from './grid.queries.js'

export type Conflict =
  | { kind: 'host'; name: string; other: string }
  | { kind: 'capacity'; interest: number; capacity: number }
  | { kind: 'needs'; needs: ProposalNeed[] }

export function findConflicts(
  entries: readonly GridEntry[],
  rooms: ReadonlyMap<number, Pick<RoomRow, 'capacity' | 'features'>>,
  people: readonly SessionPerson[],
  interest: ReadonlyMap<number, number>,
): Map<number, Conflict[]> {
  const live = entries.filter((e) => e.cancelled_at === null)
  const conflicts = new Map<number, Conflict[]>(live.map((e) => [e.proposal_id, []]))
  const add = (proposalId: number, conflict: Conflict) => conflicts.get(proposalId)?.push(conflict)

  const peopleOf = new Map<number, SessionPerson[]>()
  for (const person of people) peopleOf.set(person.proposal_id, [...(peopleOf.get(person.proposal_id) ?? []), person])

  const bySlot = new Map<number, GridEntry[]>()
  for (const entry of live) bySlot.set(entry.slot_id, [...(bySlot.get(entry.slot_id) ?? []), entry])
  for (const together of bySlot.values()) {
    for (const entry of together) {
      for (const person of peopleOf.get(entry.proposal_id) ?? []) {
        for (const other of together) {
          if (other === entry || !(peopleOf.get(other.proposal_id) ?? []).some((p) => p.user_id === person.user_id)) continue
          add(entry.proposal_id, { kind: 'host', name: person.display_name, other: other.title })
        }
      }
    }
  }

  for (const entry of live) {
    const room = rooms.get(entry.room_id)
    if (!room) continue
    const count = interest.get(entry.proposal_id) ?? 0
    if (count > room.capacity) add(entry.proposal_id, { kind: 'capacity', interest: count, capacity: room.capacity })
    const offered = new Set(needsList(room.features))
    const missing = needsList(entry.needs).filter((need) => !offered.has(need))
    if (missing.length) add(entry.proposal_id, { kind: 'needs', needs: missing })
  }
  return conflicts
}
