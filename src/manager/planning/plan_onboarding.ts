/**
 * Lifting a newcomer who has no funds: how many sats the Storm may open to it (the rules' budget
 * per newcomer and per 24 hours), and which members open them. Pure.
 *
 * Budget arithmetic: the amount is the smaller of what is left of the newcomer's own budget
 * (`satsPerNewcomer` less what was already opened or is being opened to it) and what is left of
 * the day's (`satsPerDay` less what was opened or is being opened to any newcomer in the last 24
 * hours). Below the smallest channel the Storm opens, nothing is opened and the answer says why.
 *
 * Openers: members who said they are willing (`lift on`) first; the others only when the rules
 * say `willing_first` and the willing ones cannot carry it. Among them, the placement planner's
 * order (`planAllocation`: well-rated first, least inbound, fewest channels); each within its own
 * means (what it can spend on chain now) — a planned channel bigger than its opener can pay for
 * drops that opener and the plan is made again.
 */
import { err, ok, type Result } from '../../shared/errors.ts'
import { planAllocation, type PlannedChannel } from './plan_allocation.ts'
import type { Opener } from './plan_exit.ts'
import type { OnboardingRules } from './movement_rules.ts'

export interface OnboardingOpener extends Opener {
  willing: boolean
}

export interface OnboardingInput {
  newcomer: string
  rules: OnboardingRules
  /** Sats opened, or being opened, to this newcomer already. */
  liftedBefore: number
  /** Sats opened, or being opened, to any newcomer in the last 24 hours. */
  spentToday: number
  openers: readonly OnboardingOpener[]
  /** Node keys the newcomer already has a channel with (or one planned). */
  existingPeers: ReadonlySet<string>
  minChannelSize: number
  maxChannelSize: number
  minRating?: number
}

export interface OnboardingPlan {
  amount: number
  channels: PlannedChannel[]
  /** The day's budget left after this plan. */
  leftToday: number
}

/**
 * Errors: `ONBOARDING_OFF`, `ONBOARDING_NEWCOMER_BUDGET_USED` {budget}, `ONBOARDING_BUDGET_EXHAUSTED`
 * {left, min, day}, `ONBOARDING_NO_OPENERS` {amount}.
 */
export function planOnboarding (input: OnboardingInput): Result<OnboardingPlan> {
  const r = input.rules
  if (!r.enabled) return err('ONBOARDING_OFF')
  const ownLeft = Math.max(0, r.satsPerNewcomer - input.liftedBefore)
  const dayLeft = Math.max(0, r.satsPerDay - input.spentToday)
  if (ownLeft < input.minChannelSize) return err('ONBOARDING_NEWCOMER_BUDGET_USED', { budget: r.satsPerNewcomer })
  if (dayLeft < input.minChannelSize) return err('ONBOARDING_BUDGET_EXHAUSTED', { left: dayLeft, min: input.minChannelSize, day: r.satsPerDay })
  const amount = Math.min(ownLeft, dayLeft)
  const pools = r.openers === 'willing_only'
    ? [input.openers.filter(o => o.willing)]
    : [input.openers.filter(o => o.willing), [...input.openers]]
  for (const pool of pools) {
    const channels = planWithin(input, pool.filter(o => o.member !== input.newcomer), amount)
    if (channels !== null) return ok({ amount, channels, leftToday: dayLeft - amount })
  }
  return err('ONBOARDING_NO_OPENERS', { amount })
}

/** A plan whose every opener can pay for its channel, or null. */
function planWithin (input: OnboardingInput, pool: OnboardingOpener[], amount: number): PlannedChannel[] | null {
  let candidates = pool.filter(o => o.available >= input.minChannelSize)
  while (candidates.length > 0) {
    const plan = planAllocation({
      member: input.newcomer,
      amount,
      candidates,
      existingPeers: input.existingPeers,
      minChannelSize: input.minChannelSize,
      maxChannelSize: input.maxChannelSize,
      maxChannels: input.rules.channelsPerNewcomer,
      ...(input.minRating === undefined ? {} : { minRating: input.minRating })
    })
    if (!plan.ok) return null
    const short = plan.value.find(c => c.capacity > (candidates.find(o => o.member === c.peerMember)?.available ?? 0))
    if (short === undefined) return plan.value
    candidates = candidates.filter(o => o.member !== short.peerMember)
  }
  return null
}
