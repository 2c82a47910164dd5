/**
 * What a chat front end remembers across restarts, in a file beside the manager's state
 * (`telegram.json` for Telegram): the room it serves (bound by `/init`), the language non-members
 * chose with `/lang`, and which announcement went into which message, so a directive that
 * finishes after a restart still edits the message that announced it. Room, user and message ids
 * are strings (files written when they were Telegram's numbers still load).
 */
import { join } from 'node:path'
import { z } from 'zod'
import { JsonFileStore } from '../../shared/json_store.ts'

export const CHAT_STATE_VERSION = 1

/** An id as the chat service gives it; numbers from older files become strings. */
const IdSchema = z.union([z.string().max(255), z.number().int()]).transform(String)

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
  chatId: IdSchema,
  messageId: IdSchema,
  at: z.number().int(),
  parts: z.array(SentPartSchema)
})
export type SentMessage = z.output<typeof SentMessageSchema>

export const ChatStateSchema = z.object({
  version: z.literal(CHAT_STATE_VERSION),
  /** The room bound with /init (a configured room wins over it). */
  chatId: IdSchema.optional(),
  /** Per chat user id: the language chosen with /lang. */
  users: z.record(z.string(), z.object({ lang: z.string().max(16).optional() })),
  /** Newest last; the oldest are dropped past a bound. */
  messages: z.array(SentMessageSchema)
}).strict()
export type ChatState = z.output<typeof ChatStateSchema>

/** The store of a front end's state file (`telegram.json`) in `dataDir`. */
export function chatStateStore (dataDir: string, file: string): JsonFileStore<ChatState> {
  return new JsonFileStore<ChatState>({
    path: join(dataDir, file),
    schema: ChatStateSchema as unknown as z.ZodType<ChatState>,
    version: CHAT_STATE_VERSION,
    create: () => ({ version: CHAT_STATE_VERSION, users: {}, messages: [] })
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
