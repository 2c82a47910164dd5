/**
 * The steps every directive takes in stormd, each stored before it is told: moving to a status,
 * finishing with an outcome (stored `unacked`, so the result is sent until the manager has it),
 * and the checks made on arrival and again before execution (expiry, lifetime, the owner's
 * limits counting payments still in flight, whether the owner must approve).
 */
import type { DirectiveMessage } from '../protocol/messages.ts'
import { StormError } from '../shared/errors.ts'
import { crashPoint } from '../shared/crash_point.ts'
import { type AgentDirective, type AgentDirectiveStatus, type LedgerEntry, isFinished } from './agent_state.ts'
import { checkLimits } from './limits.ts'
import { kindListed } from '../protocol/channel_opens.ts'
import { resultBody } from './result_delivery.ts'
import { MAX_DIRECTIVE_LIFETIME_MS, isInFlight, saveStep, type RunnerDeps } from './runner_deps.ts'

export class DirectiveSteps {
  readonly d: RunnerDeps
  /** Directives whose payment was noticed in flight past their expiry (noticed once per run). */
  readonly toldInFlight = new Set<string>()
  #saveFailing = false

  constructor (deps: RunnerDeps) {
    this.d = deps
  }

  now (): number {
    return this.d.clock.now()
  }

  /** Why this directive may not run now (expired, too long-lived, beyond the owner's limits), or null. */
  refusal (d: DirectiveMessage): StormError | null {
    if (d.expiresAt <= this.now()) return new StormError('DIRECTIVE_EXPIRED', { id: d.id })
    // stormd forgets finished ids after 30 days; a directive must not outlive that memory
    if (d.expiresAt > this.now() + MAX_DIRECTIVE_LIFETIME_MS) return new StormError('DIRECTIVE_LIFETIME_TOO_LONG', { id: d.id, days: MAX_DIRECTIVE_LIFETIME_MS / 86_400_000 })
    const r = checkLimits(d, {
      limits: this.d.config,
      ledger: [...this.d.state.ledger, ...this.#inFlightSpend(d.id)],
      now: this.now(),
      stormNodes: this.d.stormNodes(),
      ownNodes: this.d.ownNodes?.() ?? new Set(),
      self: this.d.self()
    })
    return r.ok ? null : r.error
  }

  needsApproval (d: DirectiveMessage): boolean {
    const { requireApproval, autoApprove, localApproval } = this.d.config
    return kindListed(requireApproval, d.kind) || kindListed(localApproval, d.kind) || (d.requiresApproval && !kindListed(autoApprove, d.kind))
  }

  /** Moves to `status`, stored (durably) before the manager is told; not moved when the save fails. */
  async set (rec: AgentDirective, status: AgentDirectiveStatus, tell = true): Promise<void> {
    const before = { status: rec.status, updatedAt: rec.updatedAt }
    rec.status = status
    rec.updatedAt = this.now()
    try {
      await this.save(rec)
    } catch (e) {
      // what is in memory stays what is stored: a step not stored was not taken
      rec.status = before.status
      rec.updatedAt = before.updatedAt
      throw e
    }
    if (tell) this.tellStatus(rec)
  }

  /** Finishes with an outcome, stored durably before the result is sent. */
  async finish (rec: AgentDirective, status: 'succeeded' | 'failed' | 'rejected' | 'revoked', detail?: AgentDirective['detail'], error?: StormError): Promise<void> {
    rec.status = status
    rec.updatedAt = this.now()
    if (detail !== undefined) rec.detail = detail
    if (error !== undefined) rec.error = { code: error.code, params: error.params }
    // stored with the outcome: the result is sent until the manager acknowledges it
    rec.unacked = true
    await this.save(rec)
    crashPoint('stormd_finished')
    this.tellStatus(rec)
    if (status !== 'succeeded' || (rec.directive.kind !== 'safe_to_disconnect' && rec.directive.kind !== 'do_not_disconnect')) {
      this.d.notice({ type: status, directive: rec })
    }
  }

  tellStatus (rec: AgentDirective): void {
    const id = rec.directive.id
    if (isFinished(rec.status)) {
      this.d.send('result', resultBody(rec))
    } else {
      this.d.send('directive_status', { directive: id, status: rec.status as 'received' })
    }
  }

  /** Whether the last save failed (nothing stored since). */
  get saveFailing (): boolean {
    return this.#saveFailing
  }

  /**
   * Stores the state: all of it, or after a step of `rec` (the only directive changed, with the
   * ledger). `durable` false: a step whose loss in a power cut is harmless (an arrival, made
   * durable by the next step's save); the journal store then does not wait for the disk.
   */
  async save (rec?: AgentDirective, durable = true): Promise<void> {
    try {
      if (rec === undefined) await this.d.store.save(this.d.state)
      else await saveStep(this.d.store, this.d.state, rec.directive.id, durable)
    } catch (e) {
      this.#saveFailing = true
      throw e
    }
    this.#saveFailing = false
  }

  /**
   * Rebalances whose payment's outcome is not known yet count against the limits as spent, in
   * full (amount and max fee): one that succeeds later must not let others pass the limits.
   */
  #inFlightSpend (except: string): LedgerEntry[] {
    const out: LedgerEntry[] = []
    for (const r of Object.values(this.d.state.directives)) {
      const d = r.directive
      if (d.id === except || !isInFlight(r) || (d.kind !== 'rebalance' && d.kind !== 'pay_invoice')) continue
      out.push({ at: r.updatedAt, kind: 'rebalance', amount: d.params.amount, fee: d.params.maxFee })
    }
    return out
  }
}
