/**
 * What is waiting: unfinished directives (oldest first) and open proposals.
 */
import { z } from 'zod'
import type { DirectiveRecord, State } from '../state/schema.ts'
import { unfinishedDirectives } from '../state/indexes.ts'
import type { ReadSource } from './read_source.ts'
import { hasGovernance, stormNodes } from './read_source.ts'
import { known, unknown, type DirectiveView, type PendingView, type ProposalView } from './views.ts'

/** Unfinished directives of every member, or of one. */
export function pendingView (src: ReadSource, member?: string): PendingView {
  const directives = unfinishedDirectives(src.state)
    .filter(r => member === undefined || r.target === member)
    .sort((a, b) => a.directive.createdAt - b.directive.createdAt || a.directive.id.localeCompare(b.directive.id))
    .map(r => directiveView(src.state, r))
  return { directives, proposals: proposalsView(src.state) }
}

export function directiveView (state: State, r: DirectiveRecord): DirectiveView {
  const d = r.directive
  const nameOf = (id: string | undefined): string | null => id === undefined ? null : state.members[id]?.chat.name ?? null
  let amount: number | null = null
  let peerName: string | null = null
  switch (d.kind) {
    case 'open_channel':
      amount = d.params.capacity
      peerName = nameOf(d.params.peerMember)
      break
    case 'open_channels':
      amount = d.params.channels.reduce((s, c) => s + c.capacity, 0)
      peerName = d.params.channels.map(c => nameOf(c.peerMember) ?? '?').join(', ')
      break
    case 'close_channel':
      peerName = stormNodes(state).get(d.params.peer)?.chat.name ?? null
      break
    case 'rebalance':
      amount = d.params.amount
      break
  }
  return {
    id: d.id,
    kind: d.kind,
    target: r.target,
    targetName: nameOf(r.target) ?? r.target,
    status: r.status,
    reason: d.reason,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    requiresApproval: d.requiresApproval,
    amount,
    peerName
  }
}

// only what this view needs of governance's proposals, read without depending on its module
const StoredProposalSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  deadline: z.number(),
  stakes: z.record(z.string(), z.number()).default({}),
  votes: z.record(z.string(), z.unknown()).default({}),
  target: z.string().optional()
})

function proposalsView (state: State): PendingView['proposals'] {
  if (!hasGovernance(state)) return unknown('not_yet_available')
  const raw = (state as { governance?: { proposals?: Record<string, unknown> } }).governance?.proposals ?? {}
  const out: ProposalView[] = []
  for (const value of Object.values(raw)) {
    const p = StoredProposalSchema.safeParse(value)
    if (!p.success || p.data.status !== 'open') continue
    const total = Object.values(p.data.stakes).reduce((a, b) => a + b, 0)
    const voted = Object.keys(p.data.votes).reduce((s, id) => s + (p.data.stakes[id] ?? 0), 0)
    out.push({
      id: p.data.id,
      kind: p.data.kind,
      status: p.data.status,
      deadline: p.data.deadline,
      voters: Object.keys(p.data.votes).length,
      votedShare: total === 0 ? 0 : Math.min(1, voted / total),
      targetName: p.data.target === undefined ? null : state.members[p.data.target]?.chat.name ?? null
    })
  }
  return known(out.sort((a, b) => a.deadline - b.deadline))
}
