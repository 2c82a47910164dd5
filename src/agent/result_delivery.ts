/**
 * Acknowledged delivery of directive results. A result is stored `unacked` in the same save that
 * finishes the directive, and stays so until the manager answers `result_ack` (sent once the
 * manager has stored it). Until then stormd sends it again: at once on every new connection
 * (not waiting for the hello and the manager's redelivery), and every `RESULT_RETRY_MS` while
 * connected (a result written into a connection that was already dead, or that the manager could
 * not store). The manager takes a result it already has once and acks it again.
 */
import type { MessageBody, MessageType } from '../protocol/messages.ts'
import type { Clock } from '../shared/clock.ts'
import { saveStep, type AgentStore } from './runner_deps.ts'
import { own } from '../shared/own.ts'
import { type AgentDirective, type AgentState, isFinished } from './agent_state.ts'

/** How long an unacknowledged result waits before it is sent again on a live connection. */
export const RESULT_RETRY_MS = 5_000
/** Results sent again per tick, oldest first (the rest follow on the next ticks). */
const RESEND_BATCH = 200

/** The `result` message for a finished directive. */
export function resultBody (rec: AgentDirective): MessageBody<'result'> {
  const body: MessageBody<'result'> = { directive: rec.directive.id, outcome: rec.status as 'succeeded', detail: rec.detail ?? {} }
  if (rec.error !== undefined) body.error = rec.error
  return body
}

export interface ResultDeliveryDeps {
  state: AgentState
  store: AgentStore
  clock: Clock
  send: <T extends MessageType>(type: T, body: MessageBody<T>) => void
  connected: () => boolean
  /** True holds every resend (the state could not be stored: an outcome may not be stored yet). */
  held: () => boolean
  /** Runs a step alone with the directive runner's steps (the state is shared). */
  serial: <T>(fn: () => Promise<T>) => Promise<T>
  log: (level: 'warn' | 'info' | 'debug', event: string, data: Record<string, unknown>) => void
}

export class ResultDelivery {
  readonly #d: ResultDeliveryDeps
  #cancel: (() => void) | null = null

  constructor (deps: ResultDeliveryDeps) {
    this.#d = deps
  }

  /** Finished directives whose result the manager has not acknowledged, oldest first. */
  unacked (): AgentDirective[] {
    return Object.values(this.#d.state.directives)
      .filter(r => r.unacked === true && isFinished(r.status))
      .sort((a, b) => a.updatedAt - b.updatedAt)
  }

  /** Sends every unacknowledged result now (a new connection). */
  resendAll (): number {
    if (this.#d.held()) return 0
    const pending = this.unacked()
    for (const rec of pending) this.#d.send('result', resultBody(rec))
    if (pending.length > 0) this.#d.log('info', 'results_resent', { count: pending.length })
    return pending.length
  }

  /** The manager stored the result: it is not sent again. */
  acked (directive: string): Promise<void> {
    return this.#d.serial(async () => {
      const rec = own(this.#d.state.directives, directive)
      if (rec?.unacked !== true) return
      delete rec.unacked
      // not waiting for the disk: losing this (a power cut) only means the result is sent once
      // more after a restart, and the manager takes it again and acks it
      await saveStep(this.#d.store, this.#d.state, directive, false)
    })
  }

  /** Resends results unacknowledged for `RESULT_RETRY_MS` while connected, until stop(). */
  start (): void {
    if (this.#cancel !== null) return
    const tick = (): void => {
      this.#cancel = this.#d.clock.schedule(() => {
        this.#retry()
        if (this.#cancel !== null) tick()
      }, RESULT_RETRY_MS)
    }
    tick()
  }

  stop (): void {
    this.#cancel?.()
    this.#cancel = null
  }

  #retry (): void {
    if (!this.#d.connected() || this.#d.held()) return
    const due = this.#d.clock.now() - RESULT_RETRY_MS
    const late = this.unacked().filter(r => r.updatedAt <= due).slice(0, RESEND_BATCH)
    for (const rec of late) this.#d.send('result', resultBody(rec))
    if (late.length > 0) this.#d.log('warn', 'results_unacked', { count: late.length, oldest: late[0]!.directive.id })
  }
}
