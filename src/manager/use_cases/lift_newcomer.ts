/**
 * Onboarding a node with no funds: when a newly paired member's first report shows it cannot open
 * a channel itself, other members open channels *to* it (the planner picks them: willing ones
 * first, each within its own means), inside the rules' budget per newcomer and per day. Each
 * opener gets an ordinary `open_channel` directive (approved like any other) under an `add`
 * allocation of its own, marked `purpose: onboard`. The chat is told who lifts whom, or why
 * nothing was opened. `lift` asks again; `lift on|off` says whether one is willing to open.
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember, requirePairedMember } from '../members/find_member.ts'
import type { Allocation, Member } from '../state/schema.ts'
import type { Report } from '../../protocol/messages.ts'
import { planOnboarding, type OnboardingOpener, type OnboardingPlan } from '../planning/plan_onboarding.ts'
import { issueDirective, newId } from '../directives/issue_directive.ts'
import { committedSats, peerCandidates } from './add_funds.ts'
import { putAllocation, unfinishedDirectives } from '../state/indexes.ts'
import { isTerminal } from '../directives/lifecycle.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { own } from '../../shared/own.ts'

const DAY_MS = 24 * 60 * 60_000

export interface LiftOutcome {
  plan: OnboardingPlan
  allocations: Allocation[]
}

/**
 * A member's report: a member who was never lifted, has no channel and no funds (nothing on chain,
 * confirmed or not, to open one) is a newcomer to lift — once; after that it asks with `lift`.
 * Members with funds are left alone and nothing is stored for them.
 */
export function newcomerReported (ctx: Ctx, member: Member, report: Report): void {
  if (member.lift !== undefined || member.status !== 'active' || !ctx.rules.onboarding.enabled) return
  if (report.channels.length > 0 || report.pending.length > 0 || !hasNoFunds(ctx, member, report)) return
  if (report.balance.confirmed + report.balance.unconfirmed >= ctx.rules.minChannelSize + ctx.rules.onchainFeeReserve) return
  const r = lift(ctx, member)
  if (!r.ok) announce(ctx, { type: 'lift_refused', newcomer: member, code: r.error.code, params: r.error.params ?? {} })
}

/** `lift`: a member with no funds asks the Storm again. Errors: membership, `LIFT_NOT_NEEDED` {available}, `NO_REPORT_YET`, the planner's. */
export function askLift (ctx: Ctx, actor: Actor): Result<LiftOutcome> {
  const r = requirePairedMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  if (member.status === 'leaving') return err('LEAVING')
  const report = ctx.observations.get(member.id).report
  if (report === undefined) return err('NO_REPORT_YET')
  if (!hasNoFunds(ctx, member, report)) return err('LIFT_NOT_NEEDED', { available: available(ctx, member, report) })
  const out = lift(ctx, member)
  if (out.ok) audit(ctx, 'lift_asked', { member: member.id }, actorName(actor))
  return out
}

/** `lift on|off`: whether the member is willing to open channels to newcomers. */
export function setWillingToLift (ctx: Ctx, actor: Actor, willing: boolean): Result<Member> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  r.value.willingToLift = willing
  audit(ctx, 'lift_willing', { member: r.value.id, willing }, actorName(actor))
  return ok(r.value)
}

function lift (ctx: Ctx, newcomer: Member): Result<LiftOutcome> {
  const openers: OnboardingOpener[] = peerCandidates(ctx).flatMap(c => {
    const report = ctx.observations.get(c.member).report
    const m = own(ctx.state.members, c.member)
    if (report === undefined || m === undefined) return []
    return [{ ...c, available: available(ctx, m, report), willing: m.willingToLift === true }]
  })
  const plan = planOnboarding({
    newcomer: newcomer.id,
    rules: ctx.rules.onboarding,
    liftedBefore: liftedSats(ctx, a => a.purpose?.kind === 'onboard' && a.purpose.newcomer === newcomer.id),
    spentToday: liftedSats(ctx, a => a.purpose?.kind === 'onboard' && a.createdAt > ctx.now - DAY_MS),
    openers,
    existingPeers: peersOf(ctx, newcomer),
    minChannelSize: ctx.rules.minChannelSize,
    maxChannelSize: ctx.rules.maxChannelSize,
    minRating: ctx.rules.governance.ratingWarn
  })
  if (!plan.ok) {
    newcomer.lift = { at: ctx.now, outcome: plan.error.code }
    audit(ctx, 'lift_refused', { member: newcomer.id, code: plan.error.code, ...plan.error.params })
    return plan
  }
  const allocations: Allocation[] = []
  const lifted: Array<{ member: Member, capacity: number, allocation: string }> = []
  for (const c of plan.value.channels) {
    const opener = own(ctx.state.members, c.peerMember)!
    const allocation: Allocation = {
      id: newId(ctx), member: opener.id, kind: 'add', amount: c.capacity, createdAt: ctx.now, status: 'pending',
      directives: [], channels: [], leave: false, purpose: { kind: 'onboard', newcomer: newcomer.id }
    }
    putAllocation(ctx.state, allocation)
    const socket = newcomer.node!.uris[0]?.split('@')[1]
    const params = { peer: newcomer.node!.publicKey, peerMember: newcomer.id, capacity: c.capacity, allocation: allocation.id, ...(socket === undefined ? {} : { socket }) }
    const record = issueDirective(ctx, opener, { kind: 'open_channel', params }, `lifting ${newcomer.chat.name}, who has no funds: ${c.capacity} sats to them so they can receive`)
    allocation.directives.push(record.directive.id)
    allocations.push(allocation)
    lifted.push({ member: opener, capacity: c.capacity, allocation: allocation.id })
  }
  newcomer.lift = { at: ctx.now, outcome: 'lifted' }
  audit(ctx, 'newcomer_lifted', { member: newcomer.id, amount: plan.value.amount, openers: lifted.map(l => `${l.member.id}:${l.capacity}`), leftToday: plan.value.leftToday }, 'storm')
  announce(ctx, { type: 'newcomer_lifted', newcomer, openers: lifted, leftToday: plan.value.leftToday })
  return ok({ plan: plan.value, allocations })
}

/** Sats the member could put into a channel of its own now. */
function available (ctx: Ctx, member: Member, report: Report): number {
  return Math.max(0, report.balance.confirmed - committedSats(ctx, member.id) - ctx.rules.onchainFeeReserve)
}

function hasNoFunds (ctx: Ctx, member: Member, report: Report): boolean {
  const inChannels = report.channels.reduce((s, c) => s + c.localBalance, 0)
  return available(ctx, member, report) < ctx.rules.minChannelSize && inChannels < ctx.rules.minChannelSize
}

/** Sats of onboarding channels opened or on their way (declined, failed, expired ones give the budget back). */
function liftedSats (ctx: Ctx, which: (a: Allocation) => boolean): number {
  let total = 0
  for (const a of Object.values(ctx.state.allocations)) {
    if (a.kind !== 'add' || !which(a)) continue
    for (const id of a.directives) {
      const r = own(ctx.state.directives, id)
      if (r === undefined || r.directive.kind !== 'open_channel') continue
      if (isTerminal(r.status) && r.status !== 'succeeded') continue
      total += r.directive.params.capacity
    }
  }
  return total
}

/** Node keys the newcomer has a channel with, or one on its way to it. */
function peersOf (ctx: Ctx, newcomer: Member): Set<string> {
  const report = ctx.observations.get(newcomer.id).report
  const peers = new Set<string>([...(report?.channels ?? []).map(c => c.peer), ...(report?.pending ?? []).map(p => p.peer)])
  for (const r of unfinishedDirectives(ctx.state)) {
    if (r.directive.kind !== 'open_channel' || r.directive.params.peer !== newcomer.node?.publicKey) continue
    const opener = own(ctx.state.members, r.target)?.node?.publicKey
    if (opener !== undefined) peers.add(opener)
  }
  return peers
}
