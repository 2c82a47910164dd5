/**
 * What the directive runner needs from stormd (its state and store, the node, the link, the
 * owner's config) and what it tells the owner, shared by the runner's parts.
 */
import type { MessageBody, MessageType } from '../protocol/messages.ts'
import type { LightningNode } from './lightning_port.ts'
import type { Store } from '../shared/json_store.ts'
import type { Clock } from '../shared/clock.ts'
import type { AgentState, AgentDirective } from './agent_state.ts'
import type { AgentConfig } from './config.ts'

export type AgentNotice =
  | { type: 'approval_needed' | 'waiting_for_node' | 'executing' | 'succeeded' | 'failed' | 'rejected' | 'revoked' | 'do_not_disconnect' | 'safe_to_disconnect', directive: AgentDirective }
  /** A rebalance's payment is still in flight past the directive's expiry (said once per run). */
  | { type: 'payment_in_flight', directive: AgentDirective }
  /**
   * stormd could not store this directive's next step (disk full, read-only): it did not act, keeps
   * it approved and tries again on each heartbeat (`resume`); the heartbeat says unhealthy
   * (`STATE_SAVE_FAILED`) until a save goes through.
   */
  | { type: 'save_failed', directive: AgentDirective, error: string }

/**
 * stormd's store. The journal store also has `saveUnsynced` (a save that does not wait for the
 * disk, for steps whose loss in a power cut is harmless) and `saveRecords` (told which directive
 * changed, it does not serialize the others again); other stores make ordinary saves.
 */
export type AgentStore = Store<AgentState> & {
  saveUnsynced?: (data: AgentState) => Promise<void>
  /** A save of the directives named (and the rest of the state), the others known unchanged. */
  saveRecords?: (data: AgentState, ids: readonly string[], o?: { sync?: boolean }) => Promise<void>
}

export interface RunnerDeps {
  state: AgentState
  store: AgentStore
  lightning: LightningNode
  config: AgentConfig
  clock: Clock
  /** Sends to the manager (queued while the link is down). */
  send: <T extends MessageType>(type: T, body: MessageBody<T>) => void
  stormNodes: () => ReadonlySet<string>
  /** The other nodes of our member (its fleet); none when absent. */
  ownNodes?: () => ReadonlySet<string>
  self: () => string
  notice: (n: AgentNotice) => void
  /** Asks for a fresh report soon (after something changed on the node). */
  reportSoon: () => void
}

/** The longest a directive may stay valid; well below how long finished ids are remembered. */
export const MAX_DIRECTIVE_LIFETIME_MS = 7 * 86_400_000

/** A rebalance executing with its hash stored: its payment's outcome is not known yet. */
export function isInFlight (rec: AgentDirective): boolean {
  return rec.status === 'executing' && (rec.directive.kind === 'rebalance' || rec.directive.kind === 'pay_invoice') && rec.paymentHash !== undefined
}

/**
 * Saves the state after a step of directive `id` (the only directive changed), durably unless
 * `sync` is false (a step whose loss in a power cut is harmless). On a store that cannot be told
 * either, an ordinary save.
 */
export function saveStep (store: AgentStore, state: AgentState, id: string, sync = true): Promise<void> {
  if (store.saveRecords !== undefined) return store.saveRecords(state, [id], { sync })
  if (!sync && store.saveUnsynced !== undefined) return store.saveUnsynced(state)
  return store.save(state)
}
