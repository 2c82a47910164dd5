/**
 * Derived indexes over the state, so that a report, a hello or an `addfunds` touches what
 * concerns one member (or what is still in flight) instead of every allocation and directive the
 * Storm ever had: each member's allocations, and the directives that are not finished — all of
 * them and by target.
 *
 * They are caches, never a second source of truth: not stored, built from the state the first
 * time they are asked, and keyed by the state's own records (a WeakMap on `state.allocations`,
 * `state.directives`), so the state the manager reloads after a failed use case — new objects —
 * gets fresh indexes, and a state nobody holds any more takes its indexes with it.
 *
 * They stay right because of how the state changes, which the schema's comments and these
 * functions' callers keep true:
 * - allocations and directives are added through `putAllocation` / `putDirective`, which keep a
 *   built index up to date, and never replaced; they are deleted only when finished work leaves
 *   the live state (`retention.ts`), which every read below notices;
 * - an allocation's member and a directive's target never change;
 * - a directive's status only moves forward (`lifecycle.ts`), so once finished it stays finished:
 *   finished directives are dropped from the index when it is next read.
 * Reads also check each record is still the one in the state, as a guard.
 *
 * Lists come back in the order `Object.values` would give (see `inPropertyOrder`), so callers
 * behave exactly as when they scanned the state.
 */
import type { Allocation, DirectiveRecord, State } from './schema.ts'
import { isTerminal } from '../directives/lifecycle.ts'

interface AllocationIndex {
  byMember: Map<string, Allocation[]>
}

interface DirectiveIndex {
  /** Directives not finished, by id, in the state's order. */
  unfinished: Map<string, DirectiveRecord>
  /** The same, by target member. */
  byTarget: Map<string, Map<string, DirectiveRecord>>
}

const ALLOCATIONS = new WeakMap<State['allocations'], AllocationIndex>()
const DIRECTIVES = new WeakMap<State['directives'], DirectiveIndex>()
/** Every directive in the live state, finished or not, by target member (the hello's revokes). */
const ALL_BY_TARGET = new WeakMap<State['directives'], Map<string, Map<string, DirectiveRecord>>>()

/** Adds a new allocation to the state (and to its index). */
export function putAllocation (state: State, allocation: Allocation): void {
  state.allocations[allocation.id] = allocation
  const index = ALLOCATIONS.get(state.allocations)
  // the record as the state gives it back (a store may wrap it, `change_tracker.ts`)
  if (index !== undefined) addAllocation(index, state.allocations[allocation.id]!)
}

/** The member's allocations, finished or not, in the state's order. */
export function allocationsOf (state: Pick<State, 'allocations'>, member: string): Allocation[] {
  const list = allocationIndex(state.allocations).byMember.get(member)
  if (list === undefined) return []
  return inPropertyOrder(list.filter(a => state.allocations[a.id] === a), a => a.id)
}

/** Adds a new directive to the state (and to its index). */
export function putDirective (state: State, record: DirectiveRecord): void {
  state.directives[record.directive.id] = record
  const index = DIRECTIVES.get(state.directives)
  // the record as the state gives it back (a store may wrap it, `change_tracker.ts`)
  if (index !== undefined && !isTerminal(record.status)) addDirective(index, state.directives[record.directive.id]!)
  const all = ALL_BY_TARGET.get(state.directives)
  if (all !== undefined) addByTarget(all, state.directives[record.directive.id]!)
}

/** Every directive of the member still in the live state, finished or not, in the state's order. */
export function directivesOf (state: Pick<State, 'directives'>, member: string): DirectiveRecord[] {
  let all = ALL_BY_TARGET.get(state.directives)
  if (all === undefined) {
    all = new Map()
    for (const r of Object.values(state.directives)) addByTarget(all, r)
    ALL_BY_TARGET.set(state.directives, all)
  }
  const mine = all.get(member)
  if (mine === undefined) return []
  const out: DirectiveRecord[] = []
  for (const [id, r] of mine) {
    // one that left the live state (retention) leaves the index
    if (state.directives[id] === r) out.push(r)
    else mine.delete(id)
  }
  return inPropertyOrder(out, r => r.directive.id)
}

function addByTarget (all: Map<string, Map<string, DirectiveRecord>>, record: DirectiveRecord): void {
  let mine = all.get(record.target)
  if (mine === undefined) {
    mine = new Map()
    all.set(record.target, mine)
  }
  mine.set(record.directive.id, record)
}

/** Directives not finished, of every member, in the state's order. */
export function unfinishedDirectives (state: Pick<State, 'directives'>): DirectiveRecord[] {
  return live(state, directiveIndex(state.directives).unfinished)
}

/** The member's directives that are not finished, in the state's order. */
export function unfinishedDirectivesOf (state: Pick<State, 'directives'>, member: string): DirectiveRecord[] {
  const mine = directiveIndex(state.directives).byTarget.get(member)
  return mine === undefined ? [] : live(state, mine)
}

/**
 * `items` in the order `Object.values` gives their records, when each was added to the state in
 * the order it was added to `items`: integer-like keys first, ascending, then the others in
 * insertion order. Short ids are integer-like only by a rare chance (all seven characters digits,
 * the first not 0), so this is nearly always `items` itself.
 */
export function inPropertyOrder<T> (items: T[], keyOf: (item: T) => string): T[] {
  if (!items.some(x => isArrayIndex(keyOf(x)))) return items
  return [...items].sort((a, b) => {
    const ka = keyOf(a)
    const kb = keyOf(b)
    const ia = isArrayIndex(ka)
    const ib = isArrayIndex(kb)
    if (ia && ib) return Number(ka) - Number(kb)
    return ia ? -1 : ib ? 1 : 0
  })
}

function allocationIndex (allocations: State['allocations']): AllocationIndex {
  let index = ALLOCATIONS.get(allocations)
  if (index === undefined) {
    index = { byMember: new Map() }
    for (const a of Object.values(allocations)) addAllocation(index, a)
    ALLOCATIONS.set(allocations, index)
  }
  return index
}

function addAllocation (index: AllocationIndex, allocation: Allocation): void {
  const list = index.byMember.get(allocation.member)
  if (list === undefined) index.byMember.set(allocation.member, [allocation])
  else if (!list.includes(allocation)) list.push(allocation)
}

function directiveIndex (directives: State['directives']): DirectiveIndex {
  let index = DIRECTIVES.get(directives)
  if (index === undefined) {
    index = { unfinished: new Map(), byTarget: new Map() }
    for (const r of Object.values(directives)) if (!isTerminal(r.status)) addDirective(index, r)
    DIRECTIVES.set(directives, index)
  }
  return index
}

function addDirective (index: DirectiveIndex, record: DirectiveRecord): void {
  const id = record.directive.id
  index.unfinished.set(id, record)
  let mine = index.byTarget.get(record.target)
  if (mine === undefined) {
    mine = new Map()
    index.byTarget.set(record.target, mine)
  }
  mine.set(id, record)
}

/** The records of `map` still unfinished and still in the state; the others leave the index. */
function live (state: Pick<State, 'directives'>, map: Map<string, DirectiveRecord>): DirectiveRecord[] {
  const index = directiveIndex(state.directives)
  const out: DirectiveRecord[] = []
  for (const [id, r] of map) {
    if (!isTerminal(r.status) && state.directives[id] === r) {
      out.push(r)
      continue
    }
    index.unfinished.delete(id)
    index.byTarget.get(r.target)?.delete(id)
  }
  return inPropertyOrder(out, r => r.directive.id)
}

function isArrayIndex (key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295
}
