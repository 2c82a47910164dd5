/**
 * Announcements in a room, within the chat service's limits: each announcement has a key, and the same key
 * always edits the same message. Announcements that arrive together (the four directives one
 * `/addfunds` plans) are batched into one message; changes that arrive while a message is still
 * waiting to go out, or is on its way, are folded into it or into one edit after it, so nothing
 * is lost and a burst of changes is a handful of API calls, not dozens.
 *
 * Per chat there is at most one call in flight; everything else waits here, where it can still be
 * merged, rather than in the throttler's queue, where it could not.
 */
import type { Clock } from '../../shared/clock.ts'
import { StormError } from '../../shared/errors.ts'
import type { Button } from '../render.ts'
import type { SentMessage } from './chat_state.ts'
import type { Content } from './chat_port.ts'

export type { Content } from './chat_port.ts'

/**
 * The two calls the announcer makes (a `ChatPort` has both). `edit` throws
 * `StormError('MESSAGE_GONE')` when the message no longer exists (it is sent again) and swallows
 * "message is not modified".
 */
export interface AnnouncerApi {
  send (room: string, content: Content): Promise<string>
  edit (room: string, messageId: string, content: Content): Promise<void>
}

export interface AnnouncerOptions {
  api: AnnouncerApi
  clock: Clock
  /** How long to wait for more announcements before sending (the batching window). */
  batchMs: number
  /** Announcements per message, at most. */
  maxParts?: number
  /** Messages remembered for edits (older ones are forgotten: their keys start new messages). */
  keep?: number
  /** Messages sent before a restart. */
  restored?: SentMessage[]
  /** Called when a message was sent or edited (the caller persists `snapshot()`). */
  onChange?: () => void
  log?: (event: string, data: Record<string, unknown>) => void
}

interface Bundle {
  chatId: string
  parts: Map<string, Content>
  messageId?: string
  inFlight: boolean
  dirty: boolean
  /** What the message shows now (a signature), to skip edits that change nothing. */
  shown?: string
  at: number
}

interface Outbox { bundles: Bundle[], cancelTimer: (() => void) | null, draining: Promise<void> | null }

const MAX_TEXT = 3500

export class Announcer {
  readonly #o: AnnouncerOptions
  readonly #outboxes = new Map<string, Outbox>()
  readonly #byKey = new Map<string, Bundle>()
  #stopped = false

  constructor (o: AnnouncerOptions) {
    this.#o = o
    for (const m of o.restored ?? []) {
      const b: Bundle = { chatId: m.chatId, parts: new Map(), messageId: m.messageId, inFlight: false, dirty: false, at: m.at }
      for (const p of m.parts) b.parts.set(p.key, p.buttons === undefined ? { text: p.text } : { text: p.text, buttons: p.buttons })
      b.shown = signature(compose(b))
      this.#outbox(m.chatId).bundles.push(b)
      for (const key of b.parts.keys()) this.#byKey.set(keyOf(m.chatId, key), b)
    }
  }

  /** Announces `content` under `key` in a chat: a new message, or an edit of the key's message. */
  post (chatId: string, key: string, content: Content): void {
    if (this.#stopped) return
    const ob = this.#outbox(chatId)
    let b = this.#byKey.get(keyOf(chatId, key))
    if (b === undefined) {
      b = ob.bundles.findLast(x => x.messageId === undefined && !x.inFlight && this.#fits(x, content))
      if (b === undefined) {
        b = { chatId, parts: new Map(), inFlight: false, dirty: false, at: this.#o.clock.now() }
        ob.bundles.push(b)
        this.#forgetOld()
      }
      this.#byKey.set(keyOf(chatId, key), b)
    }
    b.parts.set(key, content)
    b.dirty = true
    this.#schedule(ob)
  }

  /** The message that shows `key` in a chat, once sent. */
  messageOf (chatId: string, key: string): string | undefined {
    return this.#byKey.get(keyOf(chatId, key))?.messageId
  }

  /** The buttons a message of the announcer's shows now (a reaction on it picks one of them). */
  buttonsOf (chatId: string, messageId: string): Button[][] {
    const b = this.#outboxes.get(chatId)?.bundles.find(x => x.messageId === messageId)
    return b === undefined ? [] : compose(b).buttons ?? []
  }

  /** Whether a message is one of the announcer's (its buttons come back as edits). */
  owns (chatId: string, messageId: string): boolean {
    return this.#outboxes.get(chatId)?.bundles.some(b => b.messageId === messageId) ?? false
  }

  /** The messages to remember across a restart. */
  snapshot (): SentMessage[] {
    const all = [...this.#outboxes.values()].flatMap(ob => ob.bundles)
      .filter(b => b.messageId !== undefined)
      .sort((a, b) => a.at - b.at)
    return all.map(b => ({
      chatId: b.chatId,
      messageId: b.messageId!,
      at: b.at,
      parts: [...b.parts].map(([key, c]) => c.buttons === undefined ? { key, text: c.text } : { key, text: c.text, buttons: c.buttons })
    }))
  }

  /** Sends what is waiting now, without waiting for the batching window. */
  async flush (): Promise<void> {
    for (;;) {
      const busy = [...this.#outboxes.values()].filter(ob => ob.draining !== null || ob.bundles.some(b => b.dirty))
      if (busy.length === 0) return
      await Promise.all(busy.map(ob => {
        ob.cancelTimer?.()
        ob.cancelTimer = null
        return this.#drain(ob)
      }))
    }
  }

  /** Sends what is waiting, then takes no more announcements. */
  async stop (): Promise<void> {
    await this.flush()
    this.#stopped = true
  }

  #outbox (chatId: string): Outbox {
    let ob = this.#outboxes.get(chatId)
    if (ob === undefined) {
      ob = { bundles: [], cancelTimer: null, draining: null }
      this.#outboxes.set(chatId, ob)
    }
    return ob
  }

  #fits (b: Bundle, content: Content): boolean {
    if (b.parts.size >= (this.#o.maxParts ?? 8)) return false
    const length = [...b.parts.values()].reduce((n, p) => n + p.text.length + 2, 0)
    return length + content.text.length <= MAX_TEXT
  }

  #schedule (ob: Outbox): void {
    // while a call is in flight, the drain loop picks up whatever changes meanwhile
    if (ob.cancelTimer !== null || ob.draining !== null) return
    ob.cancelTimer = this.#o.clock.schedule(() => {
      ob.cancelTimer = null
      void this.#drain(ob)
    }, this.#o.batchMs)
  }

  #drain (ob: Outbox): Promise<void> {
    ob.draining ??= (async () => {
      try {
        for (let b = ob.bundles.find(x => x.dirty); b !== undefined; b = ob.bundles.find(x => x.dirty)) {
          await this.#deliver(ob, b)
        }
      } finally {
        ob.draining = null
      }
    })()
    return ob.draining
  }

  async #deliver (ob: Outbox, b: Bundle): Promise<void> {
    b.dirty = false
    const content = compose(b)
    const sig = signature(content)
    if (b.messageId !== undefined && b.shown === sig) return
    b.inFlight = true
    try {
      if (b.messageId === undefined) {
        b.messageId = await this.#o.api.send(b.chatId, content)
      } else {
        await this.#o.api.edit(b.chatId, b.messageId, content)
      }
      b.shown = sig
      this.#o.onChange?.()
    } catch (e) {
      if (e instanceof StormError && e.code === 'MESSAGE_GONE') {
        // deleted by someone: announce it again in a new message
        delete b.messageId
        delete b.shown
        b.dirty = true
      } else {
        this.#o.log?.('chat_announce_failed', { chat: b.chatId, error: e instanceof Error ? e.message : String(e) })
        if (b.messageId === undefined) this.#drop(ob, b)
      }
    } finally {
      b.inFlight = false
    }
  }

  #drop (ob: Outbox, b: Bundle): void {
    ob.bundles.splice(ob.bundles.indexOf(b), 1)
    for (const key of b.parts.keys()) {
      if (this.#byKey.get(keyOf(b.chatId, key)) === b) this.#byKey.delete(keyOf(b.chatId, key))
    }
  }

  #forgetOld (): void {
    const keep = this.#o.keep ?? 300
    const all = [...this.#outboxes.values()].flatMap(ob => ob.bundles.map(b => ({ ob, b })))
    if (all.length <= keep) return
    const old = all.filter(x => !x.b.dirty && !x.b.inFlight && x.b.messageId !== undefined)
      .sort((x, y) => x.b.at - y.b.at)
      .slice(0, all.length - keep)
    for (const { ob, b } of old) this.#drop(ob, b)
  }
}

/** One message's text and buttons from its announcements. */
export function compose (b: { parts: Map<string, Content> }): Content {
  const parts = [...b.parts.values()]
  if (parts.length === 1) return parts[0]!
  // several announcements share the message: say which one each row of buttons is for
  const rows = parts.flatMap(p => (p.buttons ?? []).map(row => row.map(btn => ({ label: `${btn.label} ${btn.action.slice(btn.action.indexOf(':') + 1)}`, action: btn.action }))))
  const text = parts.map(p => p.text).join('\n\n')
  return rows.length === 0 ? { text } : { text, buttons: rows }
}

function signature (c: Content): string {
  return JSON.stringify([c.text, c.buttons ?? []])
}

function keyOf (chatId: string, key: string): string {
  return `${chatId}\n${key}`
}
