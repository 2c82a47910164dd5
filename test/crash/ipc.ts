/**
 * Calls across the harness's process boundary, over Node's IPC channel (`fork`): each side calls
 * the other's named operations and gets the value, or the StormError (code and params) back.
 */
import type { ChildProcess } from 'node:child_process'
import { StormError } from '../../src/shared/errors.ts'

type Wire =
  | { kind: 'req', id: number, op: string, args: unknown[] }
  | { kind: 'res', id: number, ok: true, value: unknown }
  | { kind: 'res', id: number, ok: false, error: { code?: string, params?: Record<string, string | number>, message: string } }
  | { kind: 'event', name: string, data: unknown }

export type Handlers = Record<string, (...args: any[]) => unknown>

/** One side of the channel: `call` the other side, answer its calls with `handlers`. */
export class IpcPeer {
  #next = 1
  #waiting = new Map<number, { resolve: (v: unknown) => void, reject: (e: unknown) => void }>()
  #send: (m: Wire) => void
  #onEvent: (name: string, data: unknown) => void = () => {}
  #closed: Error | null = null

  constructor (endpoint: NodeJS.Process | ChildProcess, handlers: Handlers = {}) {
    // with a callback, a send on a closed channel is reported to it (ignored: the other side is
    // gone and its calls fail on 'exit') instead of becoming an unhandled 'error' event
    this.#send = (m) => { if (endpoint.connected === true) endpoint.send!(m, undefined, {}, () => {}) }
    endpoint.on('message', (m: Wire) => {
      if (m.kind === 'res') {
        const w = this.#waiting.get(m.id)
        this.#waiting.delete(m.id)
        if (w === undefined) return
        if (m.ok) w.resolve(m.value)
        else w.reject(m.error.code !== undefined ? new StormError(m.error.code, m.error.params) : new Error(m.error.message))
      } else if (m.kind === 'event') {
        this.#onEvent(m.name, m.data)
      } else {
        const h = handlers[m.op]
        Promise.resolve()
          .then(() => { if (h === undefined) throw new Error(`no operation ${m.op}`); return h(...m.args) })
          .then(
            (value) => { this.#trySend({ kind: 'res', id: m.id, ok: true, value: value === undefined ? null : value }) },
            (e: unknown) => {
              const error = e instanceof StormError ? { code: e.code, params: e.params, message: e.message } : { message: String(e) }
              this.#trySend({ kind: 'res', id: m.id, ok: false, error })
            })
      }
    })
    // the other side died (kill -9): whatever waits on it fails now rather than never
    const gone = (): void => {
      this.#closed = new Error('the other process is gone')
      for (const w of this.#waiting.values()) w.reject(this.#closed)
      this.#waiting.clear()
    }
    endpoint.on('disconnect', gone)
    endpoint.on('exit', gone)
  }

  call<T = unknown> (op: string, ...args: unknown[]): Promise<T> {
    if (this.#closed !== null) return Promise.reject(this.#closed)
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.#trySend({ kind: 'req', id, op, args })
    })
  }

  emit (name: string, data: unknown): void {
    this.#trySend({ kind: 'event', name, data })
  }

  onEvent (fn: (name: string, data: unknown) => void): void {
    this.#onEvent = fn
  }

  #trySend (m: Wire): void {
    try { this.#send(m) } catch { /* the other side is gone; its calls fail on 'exit' */ }
  }
}
