/**
 * What the read model reads: the state, what agents last reported, the rules, the time and the
 * flow history. Queries are pure functions of a `ReadSource`; no reader outside `queries/`
 * reaches into the state document.
 */
import type { State, Member } from '../state/schema.ts'
import type { Observations } from '../observations.ts'
import type { StormRules } from '../rules.ts'
import type { FlowHistory } from '../flow_history.ts'
import type { BalanceSettings } from './views.ts'
import { SettingsResolver } from '../planning/rebalance_rules.ts'
import { nodeKeysOf } from '../members/member_nodes.ts'

export interface ReadSource {
  state: State
  observations: Observations
  rules: StormRules
  now: number
  /** The flow history; without it flow and earnings are unknown (`no_data`). */
  flow?: FlowHistory
  /**
   * One side's balance settings for a channel (`member`'s side of `channel`, a short channel
   * id). Default: as the rebalancing planner resolves them from the rules (`sideSettings`).
   */
  balanceSettings?: (member: string, channel: string) => BalanceSettings
}

/** Tightrope's documented defaults: half on each side, act beyond 10% drift. */
export const TIGHTROPE_BALANCE: BalanceSettings = { balancePoint: 0.5, deadzone: 0.1 }

/** Members who take part and have a paired node, by node key. */
export function stormNodes (state: State): Map<string, Member> {
  const out = new Map<string, Member>()
  for (const m of Object.values(state.members)) {
    // every node of a member's fleet is the member's
    if (m.status === 'active' || m.status === 'leaving') for (const key of nodeKeysOf(m)) out.set(key, m)
  }
  return out
}

/** The Storm-wide balance settings (the rebalancing rules' `baseSettings`). */
export function stormBalance (rules: StormRules): BalanceSettings & { source: 'rules' | 'tightrope_default' } {
  const base = rules.rebalancing.baseSettings
  const isDefault = base.balancePoint === TIGHTROPE_BALANCE.balancePoint && base.deadzone === TIGHTROPE_BALANCE.deadzone
  return { balancePoint: base.balancePoint, deadzone: base.deadzone, source: isDefault ? 'tightrope_default' : 'rules' }
}

/**
 * Each side's settings as the rebalancing planner resolves them (`rules.rebalancing.idSettings`
 * by node key, member id or alias, channel, or `alias:channel`).
 */
export function sideSettings (state: State, rules: StormRules): (member: string, channel: string) => BalanceSettings {
  const resolver = new SettingsResolver(rules.rebalancing)
  return (member, channel) => {
    const m = state.members[member]
    const ids = m?.node === undefined ? [member] : [m.node.publicKey, member, ...(m.node.alias === '' ? [] : [m.node.alias])]
    const s = resolver.side(ids, channel)
    return { balancePoint: s.balancePoint, deadzone: s.deadzone }
  }
}

/**
 * Whether this Storm's manager computes uptime ratings and keeps proposals: the governance
 * section of the state exists (until then `member.rating` is only its default).
 */
export function hasGovernance (state: State): boolean {
  return (state as { governance?: unknown }).governance !== undefined
}
