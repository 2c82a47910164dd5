/**
 * How stormd handles directives: each id is recorded before anything is done with it, so one
 * delivered twice (reconnect, restart) runs once; the owner's limits are checked on arrival and
 * again just before execution; directives that need the owner wait for an approval; a directive
 * is marked `executing` in the store before the node is touched, so after a crash stormd finds out
 * what happened instead of doing it again. A rebalance's payment hash is stored with `executing`
 * before the payment is sent, so the node can be asked how it ended.
 */
import type { DirectiveMessage, MessageBody, MessageType } from '../protocol/messages.ts'
import type { LightningNode, PaymentStatus, PreparedCircularPayment } from './lightning_port.ts'
import type { Store } from '../shared/json_store.ts'
import type { Clock } from '../shared/clock.ts'
import { StormError } from '../shared/errors.ts'
import { crashPoint } from '../shared/crash_point.ts'
import { type AgentState, type AgentDirective, type AgentDirectiveStatus, type LedgerEntry, isFinished, pruneAgentState } from './agent_state.ts'
import type { AgentConfig } from './config.ts'
import { checkLimits } from './limits.ts'
import { batchDetail, executeDirective, rebalanceExecution } from './execute_directive.ts'
import { openedOnNode } from './opened_on_node.ts'
import { channelOpens, kindListed, openedPoints, opensChannels } from '../protocol/channel_opens.ts'
import { checkHealth } from './build_report.ts'
import { own } from '../shared/own.ts'
import { resultBody } from './result_delivery.ts'

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

export interface RunnerDeps {
  state: AgentState
  store: Store<AgentState>
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

export class DirectiveRunner {
  readonly #d: RunnerDeps
  #chain: Promise<unknown> = Promise.resolve()
  /** Directives whose payment was noticed in flight past their expiry (noticed once per run). */
  readonly #toldInFlight = new Set<string>()
  #checking: Promise<void> | null = null
  #saveFailing = false

  constructor (deps: RunnerDeps) {
    this.#d = deps
  }

  /** Runs one step at a time, in arrival order. */
  serial<T> (fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn)
    this.#chain = next.catch(() => {})
    return next
  }

  /** A directive arrived from the manager. */
  receive (d: DirectiveMessage): Promise<void> {
    return this.serial(async () => {
      const known = own(this.#d.state.directives, d.id)
      if (known !== undefined) {
        this.#tellStatus(known)
        return
      }
      const rec: AgentDirective = { directive: d, status: 'received', receivedAt: this.#now(), updatedAt: this.#now() }
      this.#d.state.directives[d.id] = rec
      const refusal = this.#refusal(d)
      if (refusal !== null) {
        await this.#finish(rec, 'failed', undefined, refusal)
        return
      }
      await this.#save()
      crashPoint('stormd_received')
      this.#d.send('directive_status', { directive: d.id, status: 'received' })
      await this.#proceed(rec)
    })
  }

  /**
   * The owner's decision, relayed by the manager or given to stormcli (`local`).
   * Errors: `UNKNOWN_DIRECTIVE` {id}, `DIRECTIVE_NOT_AWAITING` {id, status}, `APPROVAL_LOCAL_ONLY`
   * {id, kind} (a relayed approval of a kind in `localApproval`).
   */
  decide (id: string, decision: 'approve' | 'reject', by: string, local: boolean): Promise<AgentDirective> {
    return this.serial(async () => {
      const rec = own(this.#d.state.directives, id)
      if (rec === undefined) throw new StormError('UNKNOWN_DIRECTIVE', { id })
      if (rec.status !== 'awaiting_approval' && rec.status !== 'received') {
        throw new StormError('DIRECTIVE_NOT_AWAITING', { id, status: rec.status })
      }
      // the owner's localApproval: an approval that came through the manager (from the chat, or
      // from a manager that lies) does not count; a rejection from anywhere does
      if (decision === 'approve' && !local && kindListed(this.#d.config.localApproval, rec.directive.kind)) {
        throw new StormError('APPROVAL_LOCAL_ONLY', { id, kind: rec.directive.kind })
      }
      rec.decidedBy = by
      if (decision === 'reject') {
        await this.#finish(rec, 'rejected', {})
        return rec
      }
      await this.#set(rec, 'approved', local)
      await this.#execute(rec)
      return rec
    })
  }

  /** The manager withdrew a directive, or lifted a standing notice. */
  revoke (body: MessageBody<'revoke'>): Promise<void> {
    return this.serial(async () => {
      const rec = own(this.#d.state.directives, body.directive)
      if (rec === undefined || isFinished(rec.status)) return
      if (rec.directive.kind === 'do_not_disconnect') {
        await this.#finish(rec, 'succeeded', { lifted: true })
      } else if (rec.status !== 'executing') {
        await this.#finish(rec, 'revoked', { reason: body.reason })
      }
    })
  }

  /**
   * After a restart: finds out how directives that were executing when stormd stopped ended,
   * without doing them again, takes the next step for ones only stored as received, and runs
   * approved ones that never started.
   */
  recover (): Promise<void> {
    return this.serial(async () => {
      pruneAgentState(this.#d.state, this.#now())
      for (const rec of Object.values(this.#d.state.directives)) {
        if (rec.status === 'executing' && rec.directive.kind !== 'do_not_disconnect') await this.#reconcile(rec)
      }
      for (const rec of Object.values(this.#d.state.directives)) {
        if (rec.status !== 'received') continue
        // stormd stopped between storing the arrival and the next step: take that step now
        const refusal = this.#refusal(rec.directive)
        if (refusal !== null) await this.#finish(rec, 'failed', undefined, refusal)
        else await this.#proceed(rec)
      }
      for (const rec of Object.values(this.#d.state.directives)) {
        if (rec.status === 'approved') await this.#execute(rec)
      }
      await this.#save()
    })
  }

  /** Whether a rebalance's payment is in flight (its outcome not yet known): see `checkPayments`. */
  hasInFlight (): boolean {
    return Object.values(this.#d.state.directives).some(r => isInFlight(r))
  }

  /**
   * Asks the node again how in-flight rebalance payments ended (stormd calls it with each
   * heartbeat) and reports those that did. Past the directive's expiry it keeps asking: an HTLC
   * out can still settle until its timeout, and reporting it failed would be untrue.
   */
  checkPayments (): Promise<void> {
    // one check waiting at a time: a payment call that hangs must not pile one up per heartbeat
    this.#checking ??= this.serial(async () => {
      for (const rec of Object.values(this.#d.state.directives)) {
        if (isInFlight(rec)) await this.#paymentEnded(rec)
      }
    }).finally(() => { this.#checking = null })
    return this.#checking
  }

  /** Whether approved directives wait for the node. */
  hasWaiting (): boolean {
    return Object.values(this.#d.state.directives).some(r => r.status === 'approved')
  }

  /** Runs approved directives that were waiting for the node (called when the node answers again). */
  resume (): Promise<void> {
    return this.serial(async () => {
      const waiting = Object.values(this.#d.state.directives).filter(r => r.status === 'approved').sort((a, b) => a.receivedAt - b.receivedAt)
      for (const rec of waiting) await this.#execute(rec)
    })
  }

  /** Directives waiting for the owner, oldest first. */
  awaiting (): AgentDirective[] {
    return Object.values(this.#d.state.directives)
      .filter(r => r.status === 'awaiting_approval')
      .sort((a, b) => a.receivedAt - b.receivedAt)
  }

  /** Ids of directives finished recently, for the hello. */
  finishedIds (limit = 200): string[] {
    return Object.values(this.#d.state.directives)
      .filter(r => isFinished(r.status))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, limit)
      .map(r => r.directive.id)
  }

  // ---- steps ----------------------------------------------------------------------------------

  /** The step after a directive's arrival was stored and passed the checks. */
  async #proceed (rec: AgentDirective): Promise<void> {
    const d = rec.directive
    if (d.kind === 'do_not_disconnect') {
      await this.#set(rec, 'executing')
      this.#d.notice({ type: 'do_not_disconnect', directive: rec })
    } else if (d.kind === 'safe_to_disconnect') {
      await this.#finish(rec, 'succeeded', {})
      this.#d.notice({ type: 'safe_to_disconnect', directive: rec })
    } else if (this.#needsApproval(d)) {
      await this.#set(rec, 'awaiting_approval')
      this.#d.notice({ type: 'approval_needed', directive: rec })
    } else {
      await this.#execute(rec)
    }
  }

  async #execute (rec: AgentDirective): Promise<void> {
    const refusal = this.#refusal(rec.directive)
    if (refusal !== null) {
      await this.#finish(rec, 'failed', undefined, refusal)
      return
    }
    // a node that does not answer cannot run it now: keep it approved and run it when the node is
    // back (resume), unless it expires first — failing it would make the owner start over
    const health = await checkHealth(this.#d.lightning)
    if (!health.healthy && health.reason === 'LN_UNAVAILABLE') {
      if (rec.status !== 'approved') await this.#set(rec, 'approved')
      this.#d.notice({ type: 'waiting_for_node', directive: rec })
      return
    }
    let prepared: PreparedCircularPayment | undefined
    if (rec.directive.kind === 'rebalance') {
      try {
        prepared = await this.#d.lightning.prepareCircular(rec.directive.params)
      } catch (e) {
        if (!(e instanceof StormError)) throw e
        await this.#finish(rec, 'failed', undefined, e)
        return
      }
      // stored with `executing`, in the same save, before the payment is sent: after a crash the
      // node is asked how the payment with this hash ended
      rec.paymentHash = prepared.id
    } else if (rec.directive.kind === 'pay_invoice') {
      const { request, payee, amount } = rec.directive.params
      try {
        // the invoice must be what the directive says: to our own node, for that amount
        const invoice = await this.#d.lightning.decodeInvoice(request)
        if (invoice.destination !== payee || invoice.amount !== amount) throw new StormError('INVOICE_MISMATCH', { amount: invoice.amount })
        rec.paymentHash = invoice.id
      } catch (e) {
        if (!(e instanceof StormError)) throw e
        await this.#finish(rec, 'failed', undefined, e)
        return
      }
    }
    try {
      await this.#set(rec, 'executing')
    } catch (e) {
      // nothing was done on the node: it stays approved in memory (as stored, or as it would be
      // on the automatic path), so the next heartbeat's `resume` tries again — never left idle
      delete rec.paymentHash
      rec.status = 'approved'
      this.#d.notice({ type: 'save_failed', directive: rec, error: String(e) })
      throw e
    }
    this.#d.notice({ type: 'executing', directive: rec })
    crashPoint('stormd_executing')
    const r = await executeDirective(rec.directive, this.#d.lightning, this.#d.stormNodes(), prepared)
    crashPoint('stormd_executed')
    if (r.ok) {
      for (const entry of r.value.ledger ?? []) this.#d.state.ledger.push({ at: this.#now(), ...entry })
      await this.#finish(rec, 'succeeded', r.value.detail)
    } else if (rec.paymentHash !== undefined) {
      // the payment call failed, which need not mean the payment did (the node may have stopped
      // answering with HTLCs out): the node's record of the hash decides
      await this.#paymentEnded(rec, r.error)
    } else {
      await this.#finish(rec, 'failed', undefined, r.error)
    }
    this.#d.reportSoon()
  }

  /**
   * How a rebalance whose hash was stored ended, by the node's record of the payment: succeeded
   * (reported with the real amount and fee, and counted against the limits), failed or never sent
   * (reported failed), or in flight (stays `executing`, asked again by `checkPayments`). A node
   * that does not answer leaves it `executing` too. `sendError`: what the payment call rejected
   * with, when it did (the failure reported if the payment failed or never left).
   */
  async #paymentEnded (rec: AgentDirective, sendError?: StormError): Promise<void> {
    const d = rec.directive
    if ((d.kind !== 'rebalance' && d.kind !== 'pay_invoice') || rec.paymentHash === undefined) return
    let status: PaymentStatus
    try {
      status = await this.#d.lightning.getPayment(rec.paymentHash)
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      return
    }
    switch (status.state) {
      case 'succeeded': {
        const { detail, ledger } = rebalanceExecution(status.outcome)
        // spent when it was sent (`executing` was stored just before): the limits count it there
        for (const entry of ledger) this.#d.state.ledger.push({ at: rec.updatedAt, ...entry })
        await this.#finish(rec, 'succeeded', sendError === undefined ? { ...detail, recovered: true } : detail)
        break
      }
      case 'failed':
        await this.#finish(rec, 'failed', undefined, sendError ?? new StormError('LN_PAYMENT_FAILED', { paymentId: rec.paymentHash }))
        break
      case 'not_found':
        // Never sent: stormd stopped after storing the hash and before sending. It is reported
        // failed rather than sent now, though sending now would not pay twice (the node pays a
        // hash once): the invoice to self behind that hash lives only minutes, so a late run
        // would need a new one; and the manager planned this payment on balances that a restart
        // later may no longer hold — it plans again from the next report.
        await this.#finish(rec, 'failed', undefined, sendError ?? new StormError('INTERRUPTED_NOT_SENT', { kind: d.kind }))
        break
      case 'in_flight':
        if (d.expiresAt <= this.#now() && !this.#toldInFlight.has(d.id)) {
          this.#toldInFlight.add(d.id)
          this.#d.notice({ type: 'payment_in_flight', directive: rec })
        }
        break
    }
  }

  async #reconcile (rec: AgentDirective): Promise<void> {
    const d = rec.directive
    // its hash was stored before sending: the node knows how it ended
    if ((d.kind === 'rebalance' || d.kind === 'pay_invoice') && rec.paymentHash !== undefined) return await this.#paymentEnded(rec)
    try {
      if (opensChannels(d)) {
        // a channel of the same peer and size that another directive opened is not this one's
        const claimed = new Set(Object.values(this.#d.state.directives)
          .filter(r => r !== rec && opensChannels(r.directive))
          .flatMap(r => openedPoints(r.directive, r.detail).filter(p => p !== undefined)))
        const points = await openedOnNode(this.#d.lightning, d, claimed)
        if (points.some(p => p !== undefined)) {
          const opens = channelOpens(d)
          // opened and paid for just after `executing` was stored: they count against the limits
          points.forEach((p, i) => { if (p !== undefined) this.#d.state.ledger.push({ at: rec.updatedAt, kind: 'open', amount: opens[i]!.capacity, fee: 0 }) })
          const detail = d.kind === 'open_channel'
            ? { channelPoint: points[0]!, capacity: d.params.capacity }
            : batchDetail(points, opens.map(o => o.capacity))
          return await this.#finish(rec, 'succeeded', { ...detail, recovered: true })
        }
      } else if (d.kind === 'close_channel') {
        const open = (await this.#d.lightning.getChannels()).some(c => c.channelPoint === d.params.channelPoint)
        if (!open) return await this.#finish(rec, 'succeeded', { channelPoint: d.params.channelPoint, recovered: true })
      } else if (d.kind === 'set_fees') {
        // setting a fee twice is harmless: finish the job
        rec.status = 'approved'
        return
      }
      await this.#finish(rec, 'failed', undefined, new StormError('INTERRUPTED', { kind: d.kind }))
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      // the node is not answering yet: leave it executing, try again on the next start
    }
  }

  #refusal (d: DirectiveMessage): StormError | null {
    if (d.expiresAt <= this.#now()) return new StormError('DIRECTIVE_EXPIRED', { id: d.id })
    // stormd forgets finished ids after 30 days; a directive must not outlive that memory
    if (d.expiresAt > this.#now() + MAX_DIRECTIVE_LIFETIME_MS) return new StormError('DIRECTIVE_LIFETIME_TOO_LONG', { id: d.id, days: MAX_DIRECTIVE_LIFETIME_MS / 86_400_000 })
    const r = checkLimits(d, {
      limits: this.#d.config,
      ledger: [...this.#d.state.ledger, ...this.#inFlightSpend(d.id)],
      now: this.#now(),
      stormNodes: this.#d.stormNodes(),
      ownNodes: this.#d.ownNodes?.() ?? new Set(),
      self: this.#d.self()
    })
    return r.ok ? null : r.error
  }

  /**
   * Rebalances whose payment's outcome is not known yet count against the limits as spent, in
   * full (amount and max fee): one that succeeds later must not let others pass the limits.
   */
  #inFlightSpend (except: string): LedgerEntry[] {
    const out: LedgerEntry[] = []
    for (const r of Object.values(this.#d.state.directives)) {
      const d = r.directive
      if (d.id === except || !isInFlight(r) || (d.kind !== 'rebalance' && d.kind !== 'pay_invoice')) continue
      out.push({ at: r.updatedAt, kind: 'rebalance', amount: d.params.amount, fee: d.params.maxFee })
    }
    return out
  }

  #needsApproval (d: DirectiveMessage): boolean {
    const { requireApproval, autoApprove, localApproval } = this.#d.config
    return kindListed(requireApproval, d.kind) || kindListed(localApproval, d.kind) || (d.requiresApproval && !kindListed(autoApprove, d.kind))
  }

  async #set (rec: AgentDirective, status: AgentDirectiveStatus, tell = true): Promise<void> {
    const before = { status: rec.status, updatedAt: rec.updatedAt }
    rec.status = status
    rec.updatedAt = this.#now()
    try {
      await this.#save()
    } catch (e) {
      // what is in memory stays what is stored: a step not stored was not taken
      rec.status = before.status
      rec.updatedAt = before.updatedAt
      throw e
    }
    if (tell) this.#tellStatus(rec)
  }

  async #finish (rec: AgentDirective, status: 'succeeded' | 'failed' | 'rejected' | 'revoked', detail?: AgentDirective['detail'], error?: StormError): Promise<void> {
    rec.status = status
    rec.updatedAt = this.#now()
    if (detail !== undefined) rec.detail = detail
    if (error !== undefined) rec.error = { code: error.code, params: error.params }
    // stored with the outcome: the result is sent until the manager acknowledges it
    rec.unacked = true
    await this.#save()
    crashPoint('stormd_finished')
    this.#tellStatus(rec)
    if (status !== 'succeeded' || (rec.directive.kind !== 'safe_to_disconnect' && rec.directive.kind !== 'do_not_disconnect')) {
      this.#d.notice({ type: status, directive: rec })
    }
  }

  #tellStatus (rec: AgentDirective): void {
    const id = rec.directive.id
    if (isFinished(rec.status)) {
      this.#d.send('result', resultBody(rec))
    } else {
      this.#d.send('directive_status', { directive: id, status: rec.status as 'received' })
    }
  }

  /** Whether the last save failed (nothing stored since): stormd reports itself unhealthy then. */
  get saveFailing (): boolean {
    return this.#saveFailing
  }

  /** Stores the state again after a failed save (the heartbeat calls it); true once it is stored. */
  saveAgain (): Promise<boolean> {
    return this.serial(async () => {
      if (!this.#saveFailing) return true
      await this.#save()
      return true
    })
  }

  async #save (): Promise<void> {
    try {
      await this.#d.store.save(this.#d.state)
    } catch (e) {
      this.#saveFailing = true
      throw e
    }
    this.#saveFailing = false
  }

  #now (): number {
    return this.#d.clock.now()
  }
}

/** A rebalance executing with its hash stored: its payment's outcome is not known yet. */
function isInFlight (rec: AgentDirective): boolean {
  return rec.status === 'executing' && (rec.directive.kind === 'rebalance' || rec.directive.kind === 'pay_invoice') && rec.paymentHash !== undefined
}
