/**
 * How stormd handles directives: each id is recorded before anything is done with it, so one
 * delivered twice (reconnect, restart) runs once; the owner's limits are checked on arrival and
 * again just before execution; directives that need the owner wait for an approval; a directive
 * is marked `executing` in the store before the node is touched, so after a crash stormd finds out
 * what happened instead of doing it again (`directive_execution.ts`). One step at a time, in
 * arrival order; each step stored before it is told (`directive_steps.ts`).
 *
 * What is stored durably, and why: `executing` before the node is touched (a directive never runs
 * twice across a crash) and the outcome before the result is sent (a result the manager has is
 * never lost); a wait for the owner or for the node. An arrival is stored without waiting for the
 * disk: nothing has been done yet, the next step's durable save covers it, and losing it in a
 * power cut only means the manager's redelivery is taken as new.
 */
import type { DirectiveMessage, MessageBody } from '../protocol/messages.ts'
import { StormError } from '../shared/errors.ts'
import { crashPoint } from '../shared/crash_point.ts'
import { type AgentDirective, isFinished, pruneAgentState } from './agent_state.ts'
import { kindListed } from '../protocol/channel_opens.ts'
import { own } from '../shared/own.ts'
import { DirectiveSteps } from './directive_steps.ts'
import { execute, paymentEnded, reconcile } from './directive_execution.ts'
import { isInFlight, type RunnerDeps } from './runner_deps.ts'

export { MAX_DIRECTIVE_LIFETIME_MS, type AgentNotice, type RunnerDeps } from './runner_deps.ts'

export class DirectiveRunner {
  readonly #d: RunnerDeps
  readonly #s: DirectiveSteps
  #chain: Promise<unknown> = Promise.resolve()
  #checking: Promise<void> | null = null

  constructor (deps: RunnerDeps) {
    this.#d = deps
    this.#s = new DirectiveSteps(deps)
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
        this.#s.tellStatus(known)
        return
      }
      const now = this.#s.now()
      const rec: AgentDirective = { directive: d, status: 'received', receivedAt: now, updatedAt: now }
      this.#d.state.directives[d.id] = rec
      const refusal = this.#s.refusal(d)
      if (refusal !== null) {
        await this.#s.finish(rec, 'failed', undefined, refusal)
        return
      }
      await this.#s.save(rec, false)
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
        await this.#s.finish(rec, 'rejected', {})
        return rec
      }
      await this.#s.set(rec, 'approved', local)
      await execute(this.#s, rec)
      return rec
    })
  }

  /** The manager withdrew a directive, or lifted a standing notice. */
  revoke (body: MessageBody<'revoke'>): Promise<void> {
    return this.serial(async () => {
      const rec = own(this.#d.state.directives, body.directive)
      if (rec === undefined || isFinished(rec.status)) return
      if (rec.directive.kind === 'do_not_disconnect') {
        await this.#s.finish(rec, 'succeeded', { lifted: true })
      } else if (rec.status !== 'executing') {
        await this.#s.finish(rec, 'revoked', { reason: body.reason })
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
      pruneAgentState(this.#d.state, this.#s.now())
      for (const rec of Object.values(this.#d.state.directives)) {
        if (rec.status === 'executing' && rec.directive.kind !== 'do_not_disconnect') await reconcile(this.#s, rec)
      }
      for (const rec of Object.values(this.#d.state.directives)) {
        if (rec.status !== 'received') continue
        // stormd stopped between storing the arrival and the next step: take that step now
        const refusal = this.#s.refusal(rec.directive)
        if (refusal !== null) await this.#s.finish(rec, 'failed', undefined, refusal)
        else await this.#proceed(rec)
      }
      for (const rec of Object.values(this.#d.state.directives)) {
        if (rec.status === 'approved') await execute(this.#s, rec)
      }
      await this.#s.save()
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
        if (isInFlight(rec)) await paymentEnded(this.#s, rec)
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
      for (const rec of waiting) await execute(this.#s, rec)
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

  /** Whether the last save failed (nothing stored since): stormd reports itself unhealthy then. */
  get saveFailing (): boolean {
    return this.#s.saveFailing
  }

  /** Stores the state again after a failed save (the heartbeat calls it); true once it is stored. */
  saveAgain (): Promise<boolean> {
    return this.serial(async () => {
      if (!this.#s.saveFailing) return true
      await this.#s.save()
      return true
    })
  }

  /** The step after a directive's arrival was stored and passed the checks. */
  async #proceed (rec: AgentDirective): Promise<void> {
    const d = rec.directive
    if (d.kind === 'do_not_disconnect') {
      await this.#s.set(rec, 'executing')
      this.#d.notice({ type: 'do_not_disconnect', directive: rec })
    } else if (d.kind === 'safe_to_disconnect') {
      await this.#s.finish(rec, 'succeeded', {})
      this.#d.notice({ type: 'safe_to_disconnect', directive: rec })
    } else if (this.#s.needsApproval(d)) {
      await this.#s.set(rec, 'awaiting_approval')
      this.#d.notice({ type: 'approval_needed', directive: rec })
    } else {
      await execute(this.#s, rec)
    }
  }
}
