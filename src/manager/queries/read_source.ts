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

export interface ReadSource {
  state: State
  observations: Observations
  rules: StormRules
  now: number
  /** The flow history; without it flow and earnings are unknown (`no_data`). */
  flow?: FlowHistory
  /**
   * One side's balance settings for a channel (`member`'s side of `channel`, a short channel
   * id). Default: the rules' Storm-wide settings where the rules have them, else Tightrope's.
   */
  balanceSettings?: (member: string, channel: string) => BalanceSettings
}

/** Tightrope's documented defaults: half on each side, act beyond 10% drift. */
export const TIGHTROPE_BALANCE: BalanceSettings = { balancePoint: 0.5, deadzone: 0.1 }

/** Members who take part and have a paired node, by node key. */
export function stormNodes (state: State): Map<string, Member> {
  const out = new Map<string, Member>()
  for (const m of Object.values(state.members)) {
    if ((m.status === 'active' || m.status === 'leaving') && m.node !== undefined) out.set(m.node.publicKey, m)
  }
  return out
}

/** The Storm-wide balance settings and where they come from. */
export function stormBalance (rules: StormRules): BalanceSettings & { source: 'rules' | 'tightrope_default' } {
  // the rebalancing rules (Tightrope's baseSettings) arrive with the liquidity engine; read them
  // where they exist, without depending on their module
  const base = (rules as { rebalancing?: { baseSettings?: Partial<BalanceSettings> } }).rebalancing?.baseSettings
  if (typeof base?.balancePoint === 'number' && typeof base.deadzone === 'number') {
    return { balancePoint: base.balancePoint, deadzone: base.deadzone, source: 'rules' }
  }
  return { ...TIGHTROPE_BALANCE, source: 'tightrope_default' }
}

/**
 * Whether this Storm's manager computes uptime ratings and keeps proposals: the governance
 * section of the state exists (until then `member.rating` is only its default).
 */
export function hasGovernance (state: State): boolean {
  return (state as { governance?: unknown }).governance !== undefined
}
