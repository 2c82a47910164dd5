/**
 * One fee on every Storm channel, also on channels opened after the vote: when a member's report
 * shows a Storm channel whose fee differs from the consensus the members voted for, a `set_fees`
 * directive goes to that member — unless one is already in flight, or one was sent within the
 * hour (a node that cannot set fees is not asked again on every report). Before the first vote has
 * decided anything, nothing is enforced: channels keep the fee their owner gave them.
 */
import type { Ctx } from '../context.ts'
import type { Member } from '../state/schema.ts'
import type { Report } from '../../protocol/messages.ts'
import { activeMembers } from '../members/find_member.ts'
import { issueDirective } from '../directives/issue_directive.ts'
import { unfinishedDirectivesOf } from '../state/indexes.ts'

const RETRY_AFTER_MS = 60 * 60_000

/** Returns true when it issued a `set_fees` directive. */
export function reconcileFees (ctx: Ctx, member: Member, report: Report): boolean {
  const consensus = ctx.state.consensus
  if (consensus.decidedAt === undefined || member.agentKey === undefined || member.node === undefined) return false
  if (member.status !== 'active' && member.status !== 'leaving') return false
  const isStormNode = ctx.isStormNode ?? scannedStormNodes(ctx)
  const drifted = report.channels.filter(c => isStormNode(c.peer) && c.baseFeeMsat !== undefined && c.feeRatePpm !== undefined &&
    (c.baseFeeMsat !== consensus.baseFeeMsat || c.feeRatePpm !== consensus.feeRatePpm))
  if (drifted.length === 0) return false
  if (unfinishedDirectivesOf(ctx.state, member.id).some(r => r.directive.kind === 'set_fees')) return false
  const last = ctx.state.governance.feeSyncAt[member.id]
  if (last !== undefined && ctx.now - last < RETRY_AFTER_MS) return false
  ctx.state.governance.feeSyncAt[member.id] = ctx.now
  issueDirective(ctx, member, { kind: 'set_fees', params: { baseFeeMsat: consensus.baseFeeMsat, feeRatePpm: consensus.feeRatePpm } },
    `the Storm's fee (base ${consensus.baseFeeMsat} msat, rate ${consensus.feeRatePpm} ppm) on ${drifted.length} channel(s) that differ`)
  return true
}

/** Without the manager's index: a scan of the members, once per report. */
function scannedStormNodes (ctx: Ctx): (nodeKey: string) => boolean {
  const keys = new Set(activeMembers(ctx.state).flatMap(m => m.node === undefined ? [] : [m.node.publicKey]))
  return key => keys.has(key)
}
