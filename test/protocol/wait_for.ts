/** Waiting for link events without sleeping: resolves on the event, fails clearly on a timeout. */
import type { EventEmitter } from 'node:events'

/**
 * Resolves with the arguments of the first `event` from `emitter` that `match` accepts; rejects
 * with `what` in the message after `timeoutMs`. Listen before triggering the event.
 */
export function waitFor<A extends unknown[] = any[]> (
  emitter: EventEmitter<any>, event: string, what: string,
  opts: { match?: (...args: A) => boolean, timeoutMs?: number } = {}
): Promise<A> {
  const timeoutMs = opts.timeoutMs ?? 5000
  return new Promise((resolve, reject) => {
    const onEvent = (...args: unknown[]): void => {
      if (opts.match !== undefined && !opts.match(...args as A)) return
      cleanup()
      resolve(args as A)
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} ('${event}')`))
    }, timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      emitter.off(event, onEvent)
    }
    emitter.on(event, onEvent)
  })
}

/** Collects every `event` from `emitter` (its arguments) into an array, from now on. */
export function collect<A extends unknown[] = any[]> (emitter: EventEmitter<any>, event: string): A[] {
  const seen: A[] = []
  emitter.on(event, (...args: unknown[]) => { seen.push(args as A) })
  return seen
}
