/**
 * Messages waiting for a link to come (back) up. They are kept unsealed and sealed when they
 * finally go, so a message queued for an hour is not expired on arrival.
 */
import type { MessageType } from '../messages.ts'

/** How many messages a link keeps per peer while it is down, by default. */
export const DEFAULT_QUEUE_LIMIT = 1000

/** One queued message: the id given out at send time, its type and its (validated) body. */
export interface QueuedMessage {
  id: string
  type: MessageType
  body: unknown
}

/** A bounded FIFO: past the limit the oldest message is dropped (and returned to be logged). */
export class Outbox {
  readonly #items: QueuedMessage[] = []
  readonly #limit: number

  constructor (limit = DEFAULT_QUEUE_LIMIT) {
    this.#limit = limit
  }

  get size (): number {
    return this.#items.length
  }

  /** Adds at the end; returns the message dropped to make room, if any. */
  push (item: QueuedMessage): QueuedMessage | undefined {
    this.#items.push(item)
    return this.#items.length > this.#limit ? this.#items.shift() : undefined
  }

  /** Takes the oldest message. */
  shift (): QueuedMessage | undefined {
    return this.#items.shift()
  }

  /** Puts a message back at the front (it could not be written after all). */
  unshift (item: QueuedMessage): void {
    this.#items.unshift(item)
  }

  clear (): void {
    this.#items.length = 0
  }
}
