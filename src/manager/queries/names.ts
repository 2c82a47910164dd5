/**
 * Names as every reader shows them: the Storm's name, and the member behind a node key.
 */
import type { State } from '../state/schema.ts'

/** The member's name for a Lightning node key, or a short key when it is no member's. */
export function nodeName (state: Pick<State, 'members'>, nodeKey: string): string {
  for (const m of Object.values(state.members)) {
    if (m.node?.publicKey === nodeKey) return m.chat.name
    // a node of a member's fleet: the member, and which node
    const fleet = m.fleet?.find(f => f.node.publicKey === nodeKey)
    if (fleet !== undefined) return `${m.chat.name} (${fleet.node.alias !== '' ? fleet.node.alias : nodeKey.slice(0, 12)})`
  }
  return nodeKey.slice(0, 12) + '…'
}

/** A member's name by id (`?` for an id that is no member's; looked up as an own key). */
export function memberName (state: Pick<State, 'members'>, id: string): string {
  return Object.hasOwn(state.members, id) ? state.members[id]!.chat.name : '?'
}
