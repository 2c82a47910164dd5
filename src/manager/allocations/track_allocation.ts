/**
 * How far an allocation (`addfunds`) or deallocation (`removefunds`, `disconnect`) has got, from
 * its directives' outcomes and the channels agents report.
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Allocation, AllocationChannel, DirectiveRecord } from '../state/schema.ts'
import type { Report } from '../../protocol/messages.ts'
import { isTerminal } from '../directives/lifecycle.ts'
import { completeDeparture, liftHolds } from '../members/departure.ts'
import { allocationsOf } from '../state/indexes.ts'
import { exitWaiting, reinforcementFinished } from '../members/graceful_exit.ts'
import { own } from '../../shared/own.ts'
import { invoiceCreated } from '../use_cases/move_between_nodes.ts'
import { channelOpens, openAllocation, openedPoints, openedSats, opensChannels } from '../../protocol/channel_opens.ts'

/**
 * Records what a finished directive did for its allocation, then settles the allocation. A
 * directive its owner rejected changes what the allocation will do even when its status stays
 * the same, so the allocation is announced again then.
 */
export function directiveFinished (ctx: Ctx, record: DirectiveRecord): void {
  const declined = record.status === 'rejected'
  const d = record.directive
  // a move between a member's own nodes: the invoice is there, the payer pays it
  if (d.kind === 'create_invoice') return invoiceCreated(ctx, record)
  const allocationId = openAllocation(d)
  if (allocationId !== undefined) {
    const allocation = own(ctx.state.allocations, allocationId)
    if (allocation === undefined) return
    if (record.status === 'succeeded') {
      // one channel or a batch: each channel the result names is tracked on its own
      const opens = channelOpens(d)
      openedPoints(d, record.result).forEach((channelPoint, i) => {
        if (channelPoint === undefined || allocation.channels.some(c => c.channelPoint === channelPoint)) return
        allocation.channels.push({ channelPoint, peer: opens[i]!.peer, capacity: opens[i]!.capacity, state: 'opening' })
      })
    }
    settle(ctx, allocation, declined)
  } else if (d.kind === 'close_channel' && d.params.deallocation !== undefined) {
    const allocation = own(ctx.state.allocations, d.params.deallocation)
    if (allocation === undefined) return
    if (record.status !== 'succeeded') {
      // the channel stays open: it counts again
      const funded = fundedChannel(ctx, d.params.channelPoint)
      if (funded?.state === 'closing') funded.state = 'open'
      allocation.channels = allocation.channels.filter(c => c.channelPoint !== d.params.channelPoint)
    }
    settle(ctx, allocation, declined)
  }
}

/**
 * Applies a member's report: channels that became active are open; closed ones are gone. A
 * report of one of its further nodes (`fleetNode`) only opens: the channels an `addfunds` funded
 * from that node; a closing channel it does not list may be on another node.
 */
export function reportReceived (ctx: Ctx, member: string, report: Report, fleetNode = false): void {
  // the report's channel points, gathered once a funding allocation needs them (most reports: none)
  let active: Set<string> | undefined
  let known: Set<string> | undefined
  // only this member's allocations: a report costs what the member has, not what the Storm has
  for (const allocation of allocationsOf(ctx.state, member)) {
    if (allocation.status !== 'funding') continue
    active ??= new Set(report.channels.filter(c => c.active).map(c => c.channelPoint))
    known ??= new Set([...report.channels.map(c => c.channelPoint), ...report.pending.map(p => p.channelPoint)])
    let changed = false
    for (const c of allocation.channels) {
      if (allocation.kind === 'add' && c.state === 'opening' && active.has(c.channelPoint)) {
        c.state = 'open'
        changed = true
        audit(ctx, 'channel_open', { allocation: allocation.id, channelPoint: c.channelPoint, capacity: c.capacity })
      } else if (!fleetNode && allocation.kind === 'remove' && c.state === 'closing' && !known.has(c.channelPoint)) {
        c.state = 'closed'
        const funded = fundedChannel(ctx, c.channelPoint)
        if (funded !== undefined) funded.state = 'closed'
        changed = true
        audit(ctx, 'channel_closed', { allocation: allocation.id, channelPoint: c.channelPoint, capacity: c.capacity })
      }
    }
    if (changed) settle(ctx, allocation)
  }
}

/**
 * Sats of an allocation's channels that its member declined (rejected the directive): channels
 * not opened for an `addfunds`, channels kept open for a `removefunds`.
 */
export function declinedSats (ctx: Pick<Ctx, 'state'>, allocation: Allocation): number {
  let total = 0
  for (const id of allocation.directives) {
    const r = own(ctx.state.directives, id)
    if (r?.status !== 'rejected') continue
    const d = r.directive
    if (opensChannels(d)) total += openedSats(d)
    else if (d.kind === 'close_channel') total += fundedChannel(ctx, d.params.channelPoint)?.capacity ?? 0
  }
  return total
}

/** The add-allocation channel record for a channel point, wherever it is. */
export function fundedChannel (ctx: Pick<Ctx, 'state'>, channelPoint: string): AllocationChannel | undefined {
  for (const a of Object.values(ctx.state.allocations)) {
    if (a.kind !== 'add') continue
    const c = a.channels.find(x => x.channelPoint === channelPoint)
    if (c !== undefined) return c
  }
  return undefined
}

/** Sats the member has put into the Storm and not taken out: its stake. */
export function allocatedBy (ctx: Pick<Ctx, 'state'>, member: string): number {
  let total = 0
  for (const a of allocationsOf(ctx.state, member)) {
    if (a.kind !== 'add') continue
    for (const c of a.channels) if (c.state === 'open' || c.state === 'closing') total += c.capacity
  }
  return total
}

/** True while an allocation still has work in flight. */
export function isPending (allocation: Allocation): boolean {
  return allocation.status === 'pending' || allocation.status === 'funding'
}

/** Moves the allocation to where its directives and channels have got; announces a change. */
export function settleAllocation (ctx: Ctx, allocation: Allocation): void {
  settle(ctx, allocation)
}

function settle (ctx: Ctx, allocation: Allocation, changed = false): void {
  // only the channel directives decide; a do_not_disconnect hold lasts until they are done
  const relevant = allocation.directives.map(id => own(ctx.state.directives, id))
    .filter((r): r is DirectiveRecord => r !== undefined && (opensChannels(r.directive) || r.directive.kind === 'close_channel'))
  const before = allocation.status
  // a graceful exit that still waits for capacity to be added has closes to come
  const allFinished = relevant.every(r => isTerminal(r.status)) && !(allocation.kind === 'remove' && exitWaiting(ctx, allocation))
  const anySucceeded = relevant.some(r => r.status === 'succeeded')
  const target = allocation.kind === 'add' ? 'open' : 'closed'
  if (!allFinished) {
    allocation.status = anySucceeded ? 'funding' : 'pending'
  } else if (!anySucceeded) {
    allocation.status = relevant.every(r => r.status === 'cancelled') ? 'cancelled' : 'failed'
  } else {
    allocation.status = allocation.channels.every(c => c.state === target) ? 'done' : 'funding'
  }
  const member = own(ctx.state.members, allocation.member)
  if (allocation.status !== before) {
    if (!isPending(allocation)) allocation.finishedAt = ctx.now
    audit(ctx, 'allocation_' + allocation.status, { id: allocation.id, member: allocation.member })
    if (member === undefined) return
    announce(ctx, { type: 'allocation_changed', allocation, member })
    if (allocation.kind === 'add' && !isPending(allocation)) reinforcementFinished(ctx, allocation)
    if (allocation.kind === 'remove' && !isPending(allocation)) {
      if (allocation.leave && allocation.status === 'done') completeDeparture(ctx, member)
      else liftHolds(ctx, member)
    }
  } else if (changed && member !== undefined) {
    announce(ctx, { type: 'allocation_changed', allocation, member })
  }
}
