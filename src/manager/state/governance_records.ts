/**
 * Governance as records in the state database (layout 2): one row per proposal (without its
 * votes) and one row per vote, so a vote costs one small row, not the proposal with every
 * member's stake and vote, nor the whole governance document (layout 1 kept all of governance in
 * the state row). In memory the state keeps its shape (`state.governance.proposals[id].votes`):
 * the change tracker watches the proposals as a collection and each proposal's votes as a
 * collection of their own (`votes:<proposal>`).
 */
import type { ChangeTracker } from './change_tracker.ts'
import type { State } from './schema.ts'

/** Record kinds of the rows. A vote's id is `<proposal>/<member>` (ids never hold a `/`). */
export const PROPOSALS = 'proposals'
export const VOTES = 'votes'
const VOTES_OF = 'votes:'

type Proposal = State['governance']['proposals'][string]
type Row = [kind: string, id: string, body: string]

/** The proposal's row: everything but its votes. */
function proposalRow (id: string, proposal: Proposal): Row {
  const { votes: _votes, ...rest } = proposal
  return [PROPOSALS, id, JSON.stringify(rest)]
}

/** Every governance row of `state` (for a whole write). */
export function governanceRows (state: State): Row[] {
  const rows: Row[] = []
  for (const [id, p] of Object.entries(state.governance.proposals)) {
    rows.push(proposalRow(id, p))
    for (const [member, vote] of Object.entries(p.votes)) rows.push([VOTES, `${id}/${member}`, JSON.stringify(vote)])
  }
  return rows
}

/** Governance as the state row keeps it: without its proposals. */
export function governanceDoc (state: State): Omit<State['governance'], 'proposals'> {
  const { proposals: _proposals, ...rest } = state.governance
  return rest
}

/** Wraps the proposals, and each proposal's votes, so that saves know what changed. */
export function trackGovernance (tracker: ChangeTracker, state: State): void {
  const raw = state.governance.proposals
  for (const [id, p] of Object.entries(raw)) p.votes = tracker.collection(VOTES_OF + id, p.votes)
  state.governance.proposals = tracker.collection(PROPOSALS, raw)
}

/** What a save writes for the governance records that changed. */
export interface GovernanceWrites {
  upsert: Row[]
  /**
   * Rows to remove, before the upserts: ids from `from` (inclusive) to `to` (exclusive) — one row,
   * or all votes of a proposal (`<proposal>/` to `<proposal>0`, `0` following `/`); archived when
   * they leave the live state, not when they are rewritten.
   */
  remove: Array<[kind: string, from: string, to: string, archive: boolean]>
}

/**
 * The rows to write for `changes` (the tracker's, governance kinds only); proposals new since the
 * last save get their votes watched too. A changed proposal is written with all its votes (its
 * vote rows replaced), a changed vote alone.
 */
export function governanceWrites (tracker: ChangeTracker, changes: Map<string, Set<string>>): GovernanceWrites {
  const out: GovernanceWrites = { upsert: [], remove: [] }
  const rewritten = new Set<string>()
  for (const id of changes.get(PROPOSALS) ?? []) {
    const p = tracker.rawRecord(PROPOSALS, id) as Proposal | undefined
    out.remove.push([VOTES, `${id}/`, `${id}0`, p === undefined])
    rewritten.add(id)
    if (p === undefined) {
      out.remove.push([PROPOSALS, id, id + '\0', true])
      continue
    }
    out.upsert.push(proposalRow(id, p))
    const votes = tracker.unwrap(p.votes)
    for (const [member, vote] of Object.entries(votes)) out.upsert.push([VOTES, `${id}/${member}`, JSON.stringify(vote)])
    if (votes === p.votes) p.votes = tracker.collection(VOTES_OF + id, votes)
  }
  for (const [kind, members] of changes) {
    if (!kind.startsWith(VOTES_OF)) continue
    const id = kind.slice(VOTES_OF.length)
    if (rewritten.has(id) || tracker.rawRecord(PROPOSALS, id) === undefined) continue
    for (const member of members) {
      const vote = tracker.rawRecord(kind, member)
      if (vote === undefined) out.remove.push([VOTES, `${id}/${member}`, `${id}/${member}\0`, true])
      else out.upsert.push([VOTES, `${id}/${member}`, JSON.stringify(vote)])
    }
  }
  return out
}

/**
 * Puts the rows read back into the document: `proposals` rows become
 * `governance.proposals[id]`, `votes` rows their `votes`. Returns an error text for a vote
 * whose proposal is missing (a damaged database).
 */
export function assembleGovernance (doc: Record<string, unknown>, proposals: Map<string, unknown>, votes: Array<[id: string, vote: unknown]>): string | null {
  const governance = (doc.governance ??= {}) as Record<string, unknown>
  const into = (governance.proposals ??= {}) as Record<string, Record<string, unknown>>
  for (const [id, p] of proposals) into[id] = { ...(p as Record<string, unknown>), votes: {} }
  for (const [key, vote] of votes) {
    const slash = key.indexOf('/')
    const p = into[key.slice(0, slash)]
    if (slash < 0 || p === undefined || !Object.hasOwn(into, key.slice(0, slash))) return `a vote (${key.slice(0, 80)}) without its proposal`
    ;(p.votes as Record<string, unknown>)[key.slice(slash + 1)] = vote
  }
  return null
}
