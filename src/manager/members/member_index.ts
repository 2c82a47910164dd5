/**
 * Who is who, without scanning every member on every message: agent key → member and chat
 * platform + user id → member (by the key the member is stored under in `state.members`).
 *
 * The index is a cache derived from the state, never a second source of truth: it is not stored,
 * it is built from `state.members` the first time it is asked, and it is keyed by that record
 * object (a WeakMap), so the state the manager reloads after a failed use case gets a fresh one.
 * No use case has to tell it anything, because every answer is checked against the state:
 * - a hit is returned only if that member still carries the key (a stale entry — a member
 *   re-paired with another agent, say — is dropped and the members are scanned);
 * - a miss scans the members, as the lookup always did, and remembers what it finds (a member
 *   who joined or paired since the index was built).
 * So a known key costs a map lookup and an unknown one (a pairing key, a chat user who is not a
 * member) what it always cost. A member's status plays no part: a banned or departed member is
 * found, so the answer can say why they may not act.
 *
 * Keys are unique among members (pairing refuses an agent key another member holds; `connect`
 * takes up the member record a chat user already has), so "the member with this key" is one
 * member; if a hand-edited state broke that, the scan's answer is the first in `Object.values`
 * order, as before.
 */
import type { Member, State } from '../state/schema.ts'
import { own } from '../../shared/own.ts'
import { agentKeysOf } from './member_nodes.ts'

type KeyOf = (m: Member) => readonly string[]

/** Each map is built on its first use: agents' messages need only the first. */
const BY_AGENT = new WeakMap<State['members'], Map<string, string>>()
const BY_CHAT = new WeakMap<State['members'], Map<string, string>>()
// a member of a fleet has one agent per node: each finds the member
const agentKeyOf: KeyOf = agentKeysOf
const chatKeyOf: KeyOf = m => [chatKey(m.chat.platform, m.chat.userId)]

/** The member one of whose paired agent keys (any node of its fleet) is `agentKey`, whatever their status. */
export function memberWithAgent (state: State, agentKey: string): Member | undefined {
  const map = indexOf(state.members, BY_AGENT, agentKeyOf)
  const matches = (m: Member): boolean => agentKeysOf(m).includes(agentKey)
  return lookup(state, map, agentKey, matches) ?? remember(map, agentKey, scan(state, matches))
}

/** The member known on `platform` as `userId`, whatever their status. */
export function memberWithChat (state: State, platform: string, userId: string): Member | undefined {
  const map = indexOf(state.members, BY_CHAT, chatKeyOf)
  const key = chatKey(platform, userId)
  const matches = (m: Member): boolean => m.chat.platform === platform && m.chat.userId === userId
  return lookup(state, map, key, matches) ?? remember(map, key, scan(state, matches))
}

function indexOf (members: State['members'], maps: WeakMap<State['members'], Map<string, string>>, keyOf: KeyOf): Map<string, string> {
  let map = maps.get(members)
  if (map === undefined) {
    map = new Map()
    for (const [ref, m] of Object.entries(members)) {
      // the first holder of a key wins, as the scan's answer would
      for (const key of keyOf(m)) if (!map.has(key)) map.set(key, ref)
    }
    maps.set(members, map)
  }
  return map
}

function lookup (state: State, map: Map<string, string>, key: string, matches: (m: Member) => boolean): Member | undefined {
  const ref = map.get(key)
  if (ref === undefined) return undefined
  const m = own(state.members, ref)
  if (m !== undefined && matches(m)) return m
  map.delete(key)
  return undefined
}

/** The first member that matches, with the key it is stored under. */
function scan (state: State, matches: (m: Member) => boolean): [string, Member] | undefined {
  for (const entry of Object.entries(state.members)) if (matches(entry[1])) return entry
  return undefined
}

function remember (map: Map<string, string>, key: string, found: [string, Member] | undefined): Member | undefined {
  if (found === undefined) return undefined
  map.set(key, found[0])
  return found[1]
}

/** Unambiguous whatever the two strings hold. */
function chatKey (platform: string, userId: string): string {
  return `${platform.length}:${platform}${userId}`
}
