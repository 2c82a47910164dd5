/**
 * The Storm's node keys (every node of every active or leaving member), kept without scanning the
 * members on every report.
 *
 * Each report asks "is this channel's peer a Storm node?" (the flow history, the fee check). The
 * answer used to come from a scan of every member (`stormNodes`), through the state's change
 * proxies: ~7 µs a member, so at 3,000 members each report cost ~20 ms and 150 reports a second
 * were more than the event loop could do — a member's command waited behind them for minutes.
 *
 * The index is derived from the state, never a second source of truth. With a store that says
 * which members are written (`WatchedStore`: `SqliteStateStore`), it is built once and then only
 * the members written since are looked at again; without one (`changes` never called), and
 * whenever the state object is replaced (a reload after a failed use case), it is rebuilt from a
 * scan, which is what every answer cost before.
 */
import type { State } from '../state/schema.ts'
import { nodeKeysOf, nodesOf } from './member_nodes.ts'
import { rosterDigest } from '../../protocol/roster_digest.ts'

export class StormNodeIndex {
  /** The members record the index was built from (a new one: rebuild). */
  #members: State['members'] | null = null
  /** Whether changes are told (`changed`): otherwise every read rebuilds. */
  #watched = false
  /** Member id → the node keys it counts for now. */
  readonly #byMember = new Map<string, readonly string[]>()
  /** Member id → its nodes as the roster lists them (paired nodes: `nodesOf`). */
  readonly #rosterOf = new Map<string, readonly string[]>()
  /** Node key → how many members count it (one, unless a hand-edited state says otherwise). */
  readonly #holders = new Map<string, number>()
  readonly #dirty = new Set<string>()
  /** The keys, as a set (what the flow history reads); rebuilt only when they change. */
  #keys: Set<string> | null = null
  #digest: string | null = null

  /** From now on the index is told of every member written (`changed`), and keeps itself. */
  watched (): void {
    this.#watched = true
    this.#members = null
  }

  /** Member `id` was written (its status, nodes or anything else). */
  changed (id: string): void {
    this.#dirty.add(id)
  }

  /** Whether `nodeKey` is a node of an active or leaving member. */
  has (state: State, nodeKey: string): boolean {
    this.#refresh(state)
    return (this.#holders.get(nodeKey) ?? 0) > 0
  }

  /** Every Storm node key, as of `state` (read-only: the index's own set). */
  keys (state: State): ReadonlySet<string> {
    this.#refresh(state)
    this.#keys ??= new Set([...this.#holders.keys()])
    return this.#keys
  }

  /**
   * The roster's digest (`rosterDigest` of every node key of every active or leaving member, as
   * `roster()` lists them): what an agent's hello is compared with. Recomputed only when they change.
   */
  rosterDigest (state: State): string {
    this.#refresh(state)
    this.#digest ??= rosterDigest([...this.#rosterOf.values()].flat())
    return this.#digest
  }

  #refresh (state: State): void {
    if (!this.#watched || this.#members !== state.members) {
      this.#byMember.clear()
      this.#rosterOf.clear()
      this.#holders.clear()
      this.#dirty.clear()
      this.#keys = null
      this.#digest = null
      for (const [id, m] of Object.entries(state.members)) this.#set(id, m)
      this.#members = state.members
      return
    }
    if (this.#dirty.size === 0) return
    for (const id of this.#dirty) this.#set(id, Object.hasOwn(state.members, id) ? state.members[id] : undefined)
    this.#dirty.clear()
  }

  #set (id: string, m: State['members'][string] | undefined): void {
    const counts = m !== undefined && (m.status === 'active' || m.status === 'leaving')
    const listed = counts ? nodesOf(m).map(n => n.node.publicKey) : []
    const was = this.#rosterOf.get(id) ?? []
    if (was.length !== listed.length || was.some((k, i) => k !== listed[i])) {
      if (listed.length === 0) this.#rosterOf.delete(id)
      else this.#rosterOf.set(id, listed)
      this.#digest = null
    }
    const before = this.#byMember.get(id) ?? []
    const after = counts ? nodeKeysOf(m) : []
    if (before.length === after.length && before.every((k, i) => k === after[i])) return
    for (const k of before) {
      const n = this.#holders.get(k)! - 1
      if (n === 0) this.#holders.delete(k)
      else this.#holders.set(k, n)
    }
    for (const k of after) this.#holders.set(k, (this.#holders.get(k) ?? 0) + 1)
    if (after.length === 0) this.#byMember.delete(id)
    else this.#byMember.set(id, after)
    this.#keys = null
  }
}
