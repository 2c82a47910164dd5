/**
 * What the Telegram front end remembers across restarts, in `telegram.json` beside the manager's
 * state: the group it serves (bound by `/init`), the language non-members chose with `/lang`, and
 * which announcement went into which message, so a directive that finishes after a restart still
 * edits the message that announced it.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { JsonFileStore } from '../../shared/json_store.ts'

export const TELEGRAM_STATE_VERSION = 1

const ButtonSchema = z.object({ label: z.string(), action: z.string() })

/** One announcement inside a message: its key and what it last said. */
export const SentPartSchema = z.object({
  key: z.string().max(200),
  text: z.string(),
  buttons: z.array(z.array(ButtonSchema)).optional()
})
export type SentPart = z.infer<typeof SentPartSchema>

/** A message the bot sent with announcements in it (one, or several batched together). */
export const SentMessageSchema = z.object({
  chatId: z.number().int(),
  messageId: z.number().int(),
  at: z.number().int(),
  parts: z.array(SentPartSchema)
})
export type SentMessage = z.infer<typeof SentMessageSchema>

export const TelegramStateSchema = z.object({
  version: z.literal(TELEGRAM_STATE_VERSION),
  /** The group bound with /init (a configured chat id wins over it). */
  chatId: z.number().int().optional(),
  /** Per Telegram user id: the language chosen with /lang. */
  users: z.record(z.string(), z.object({ lang: z.string().max(16).optional() })),
  /** Newest last; the oldest are dropped past a bound. */
  messages: z.array(SentMessageSchema)
}).strict()
export type TelegramState = z.infer<typeof TelegramStateSchema>

/** The store of `telegram.json` in `dataDir`. */
export function telegramStore (dataDir: string): JsonFileStore<TelegramState> {
  return new JsonFileStore<TelegramState>({
    path: join(dataDir, 'telegram.json'),
    schema: TelegramStateSchema,
    version: TELEGRAM_STATE_VERSION,
    create: () => ({ version: TELEGRAM_STATE_VERSION, users: {}, messages: [] })
  })
}

/**
 * Saves the state after changes without ever running two writes at once, and folds changes that
 * arrive during a write into the next one (a burst of edits is one or two writes, not twenty).
 */
export class StateSaver {
  readonly #save: () => Promise<void>
  readonly #log: (e: unknown) => void
  #running: Promise<void> | null = null
  #again = false

  constructor (save: () => Promise<void>, log: (e: unknown) => void) {
    this.#save = save
    this.#log = log
  }

  /** Asks for a write; returns when the state as it is now has been written. */
  request (): Promise<void> {
    if (this.#running !== null) {
      this.#again = true
      return this.#running.then(() => this.#running ?? undefined)
    }
    this.#running = (async () => {
      do {
        this.#again = false
        try { await this.#save() } catch (e) { this.#log(e) }
      } while (this.#again)
      this.#running = null
    })()
    return this.#running
  }

  /** Resolves when no write is under way. */
  async idle (): Promise<void> {
    while (this.#running !== null) await this.#running
  }
}
