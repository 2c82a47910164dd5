/**
 * A small Bot API server in front of telegram-test-api: it forwards what the emulator implements
 * and fills, with recorded state, what it lacks or gets wrong — so the bot under test calls the
 * real Bot API methods and nothing in production code knows it is being tested.
 *
 * Filled in (the emulator answers "not supported" or behaves unlike Telegram):
 * - getUpdates: long polling (the emulator returns at once, ignoring `timeout`: the runner would spin).
 * - sendPhoto: multipart upload; the PNG is kept here, the message (with its caption) goes into
 *   the emulator so message ids stay unique and the chat's order holds.
 * - getChatMember: statuses from a table the test sets (creator / administrator / member).
 * - setMyCommands, setMyDescription, setMyShortDescription: recorded per scope and language.
 * - answerCallbackQuery: recorded (the emulator accepts and forgets it), text ≤ 200 checked.
 * - setWebhook: the emulator posts updates without X-Telegram-Bot-Api-Secret-Token; a relay here adds it.
 * Telegram's rules the emulator does not enforce, enforced here: a bot cannot message a user who
 * never opened a private chat with it (403); edits of unknown messages and edits that change
 * nothing fail (400); texts over 4096 characters and callback data over 64 bytes fail (400).
 * Also: every call is logged, a method can be made to fail (429) or wait (hold) on demand.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js'

export interface ApiCall { method: string, payload: Record<string, unknown>, at: number }
export interface Photo { chatId: number, messageId: number, caption: string, png: Buffer, fileName: string }
export interface Answer { id: string, text: string, alert: boolean }

type Json = Record<string, unknown>
type StoredBotMessage = TelegramServer['storage']['botMessages'][number]

export class BotApiProxy {
  readonly calls: ApiCall[] = []
  readonly photos: Photo[] = []
  readonly answers: Answer[] = []
  /** `scope|language` → commands. */
  readonly commands = new Map<string, Array<{ command: string, description: string }>>()
  readonly descriptions = new Map<string, string>()
  /** Users who opened a private chat with the bot (they may be messaged). */
  readonly openedPrivate = new Set<number>()
  /** Text history of every bot message, by `chat:message`. */
  readonly history = new Map<string, string[]>()
  webhook: { url: string, secret?: string } | null = null
  polls = 0
  readonly #members = new Map<string, string>()
  readonly #failures: Array<{ method: string, reply: Json }> = []
  readonly #holds = new Map<string, Promise<void>>()
  readonly #emulator: TelegramServer
  readonly #emulatorUrl: string
  #server: Server | null = null
  url = ''

  readonly #waiters = new Set<() => void>()

  constructor (emulator: TelegramServer, emulatorUrl: string) {
    this.#emulator = emulator
    this.#emulatorUrl = emulatorUrl
    const wake = (): void => {
      for (const w of this.#waiters) w()
      this.#waiters.clear()
    }
    for (const event of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery']) emulator.on(event, wake)
  }

  async start (): Promise<void> {
    this.#server = createServer((req, res) => { void this.#handle(req, res) })
    await new Promise<void>(resolve => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  async stop (): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise<void>(resolve => this.#server === null ? resolve() : this.#server.close(() => resolve()))
  }

  /** Sets a user's status in a chat, as `getChatMember` will report it. */
  setMember (chatId: number, userId: number, status: 'creator' | 'administrator' | 'member' | 'left'): void {
    this.#members.set(`${chatId}:${userId}`, status)
  }

  /** The next call of `method` fails with this Bot API error (e.g. 429 with retry_after). */
  failNext (method: string, reply: Json): void {
    this.#failures.push({ method, reply: { ok: false, ...reply } })
  }

  /** Calls of `method` wait until the returned function is called. */
  hold (method: string): () => void {
    let release!: () => void
    this.#holds.set(method, new Promise<void>(resolve => { release = resolve }))
    return () => { this.#holds.delete(method); release() }
  }

  callsOf (method: string): ApiCall[] {
    return this.calls.filter(c => c.method === method)
  }

  async #handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const relay = /^\/__relay$/.exec(req.url ?? '')
      if (relay !== null) return await this.#relay(req, res)
      const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? '')
      if (m === null) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' })
      const [, token, method] = m as unknown as [string, string, string]
      const payload = await readPayload(req)
      this.calls.push({ method, payload, at: Date.now() })
      await this.#holds.get(method)
      const failure = this.#failures.findIndex(f => f.method === method)
      if (failure >= 0) {
        const [f] = this.#failures.splice(failure, 1)
        return send(res, Number(f!.reply.error_code ?? 400), f!.reply)
      }
      const reply = await this.#answer(token, method, payload, res)
      if (reply !== null) send(res, reply.ok === false ? Number(reply.error_code) : 200, reply)
    } catch (e) {
      send(res, 500, { ok: false, error_code: 500, description: `harness: ${(e as Error).message}` })
    }
  }

  async #answer (token: string, method: string, p: Json, res: ServerResponse): Promise<Json | null> {
    switch (method) {
      case 'getUpdates': return await this.#getUpdates(token, p, res)
      case 'sendMessage': {
        const refused = this.#checkSend(p)
        if (refused !== null) return refused
        const r = await this.#forward(token, method, p)
        const msg = r.result as Json | undefined
        if (msg !== undefined) this.history.set(`${String(p.chat_id)}:${String(msg.message_id)}`, [String(p.text)])
        return r
      }
      case 'editMessageText': {
        const refused = this.#checkEdit(p)
        if (refused !== null) return refused
        this.history.get(`${String(p.chat_id)}:${String(p.message_id)}`)?.push(String(p.text))
        return await this.#forward(token, method, p)
      }
      case 'sendPhoto': {
        const refused = this.#checkSend({ ...p, text: '' })
        if (refused !== null) return refused
        const caption = typeof p.caption === 'string' ? p.caption : ''
        const msg = this.#emulator.addBotMessage({ chat_id: Number(p.chat_id), text: caption } as never, token)
        this.photos.push({ chatId: Number(p.chat_id), messageId: msg.message_id, caption, png: p.photo as Buffer, fileName: String(p['photo#name'] ?? '') })
        return { ok: true, result: { ...msg, text: undefined, caption, photo: [{ file_id: `photo${msg.message_id}`, file_unique_id: `p${msg.message_id}`, width: 300, height: 300 }] } }
      }
      case 'getChatMember': {
        const status = this.#members.get(`${String(p.chat_id)}:${String(p.user_id)}`) ?? 'left'
        return { ok: true, result: { status, user: { id: Number(p.user_id), is_bot: false, first_name: 'user' } } }
      }
      case 'setMyCommands': {
        const commands = typeof p.commands === 'string' ? JSON.parse(p.commands) : p.commands
        for (const c of commands as Array<{ command: string, description: string }>) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command) || c.description.length < 1 || c.description.length > 256) return badRequest('BOT_COMMAND_INVALID')
        }
        this.commands.set(`${(p.scope as Json | undefined)?.type ?? 'default'}|${String(p.language_code ?? '')}`, commands)
        return { ok: true, result: true }
      }
      case 'setMyDescription':
      case 'setMyShortDescription': {
        const text = String(p.description ?? p.short_description ?? '')
        if (text.length > (method === 'setMyDescription' ? 512 : 120)) return badRequest('description is too long')
        this.descriptions.set(`${method}|${String(p.language_code ?? '')}`, text)
        return { ok: true, result: true }
      }
      case 'answerCallbackQuery': {
        const text = String(p.text ?? '')
        if (text.length > 200) return badRequest('MESSAGE_TOO_LONG')
        this.answers.push({ id: String(p.callback_query_id), text, alert: p.show_alert === true })
        return { ok: true, result: true }
      }
      case 'setWebhook': {
        this.webhook = { url: String(p.url), ...(typeof p.secret_token === 'string' ? { secret: p.secret_token } : {}) }
        this.#emulator.setWebhook({ url: `${this.url}/__relay` }, token)
        return { ok: true, result: true }
      }
      case 'deleteWebhook':
        this.webhook = null
        this.#emulator.deleteWebhook(token)
        return { ok: true, result: true }
      default:
        return await this.#forward(token, method, p)
    }
  }

  /** Long polling: waits up to `timeout` seconds for an update, as Telegram does. */
  async #getUpdates (token: string, p: Json, res: ServerResponse): Promise<Json | null> {
    const deadline = Date.now() + Number(p.timeout ?? 0) * 1000
    let gone = false
    res.once('close', () => { gone = !res.writableFinished })
    this.polls++
    for (;;) {
      const arrived = new Promise<void>(resolve => {
        const done = (): void => { clearTimeout(timer); this.#waiters.delete(done); resolve() }
        const timer = setTimeout(done, Math.max(0, Math.min(250, deadline - Date.now())))
        this.#waiters.add(done)
      })
      // a poll whose client has gone must not take updates from the emulator: they would be lost
      if (gone) return null
      const r = await this.#forward(token, 'getUpdates', p)
      const updates = r.result as Json[]
      if (updates.length > 0 || Date.now() >= deadline || gone) {
        if (gone) return null
        for (const u of updates) {
          const chat = ((u.message as Json | undefined)?.chat ?? {}) as Json
          if (chat.type === 'private') this.openedPrivate.add(Number(chat.id))
        }
        return r
      }
      await arrived
    }
  }

  /** Forwards the emulator's webhook post to the bot's URL with the secret header Telegram sends. */
  async #relay (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const update = JSON.parse(body.toString('utf8')) as Json
    const chat = ((update.message as Json | undefined)?.chat ?? {}) as Json
    if (chat.type === 'private') this.openedPrivate.add(Number(chat.id))
    const target = this.webhook
    if (target === null) return send(res, 404, { ok: false })
    const r = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(target.secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': target.secret }) },
      body
    })
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text())
  }

  #checkSend (p: Json): Json | null {
    const chatId = Number(p.chat_id)
    if (chatId > 0 && !this.openedPrivate.has(chatId)) return { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" }
    if (String(p.text ?? '').length > 4096) return badRequest('message is too long')
    return checkKeyboard(p)
  }

  #checkEdit (p: Json): Json | null {
    const stored = this.#stored(Number(p.chat_id), Number(p.message_id))
    if (stored === undefined) return badRequest('message to edit not found')
    const keyboard = (p.reply_markup as Json | undefined)?.inline_keyboard ?? []
    const before = (stored.message.reply_markup as Json | undefined)?.inline_keyboard ?? []
    if (stored.message.text === p.text && JSON.stringify(keyboard) === JSON.stringify(before)) {
      return badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message')
    }
    return checkKeyboard(p)
  }

  #stored (chatId: number, messageId: number): StoredBotMessage | undefined {
    return this.#emulator.storage.botMessages.find(u => u.messageId === messageId && Number(u.message.chat_id) === chatId)
  }

  async #forward (token: string, method: string, p: Json): Promise<Json> {
    const r = await fetch(`${this.#emulatorUrl}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(p)
    })
    return await r.json() as Json
  }
}

function checkKeyboard (p: Json): Json | null {
  const rows = ((p.reply_markup as Json | undefined)?.inline_keyboard ?? []) as Array<Array<{ callback_data?: string }>>
  for (const b of rows.flat()) {
    if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data) > 64) return badRequest('BUTTON_DATA_INVALID')
  }
  return null
}

function badRequest (what: string): Json {
  return { ok: false, error_code: 400, description: `Bad Request: ${what}` }
}

function send (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

function readBody (req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject)
  })
}

/** A Bot API request's parameters: JSON, a query string or multipart form data (uploads). */
async function readPayload (req: IncomingMessage): Promise<Json> {
  const body = await readBody(req)
  const type = req.headers['content-type'] ?? ''
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://harness/', { method: 'POST', headers: { 'content-type': type }, body }).formData()
    const out: Json = {}
    for (const [k, v] of form) {
      if (typeof v === 'string') out[k] = v
      else {
        out[k] = Buffer.from(await v.arrayBuffer())
        out[`${k}#name`] = v.name
      }
    }
    // grammY sends `photo=attach://<id>` and the file under <id>
    for (const [k, v] of Object.entries(out)) {
      if (typeof v === 'string' && v.startsWith('attach://')) {
        out[k] = out[v.slice('attach://'.length)]
        out[`${k}#name`] = out[`${v.slice('attach://'.length)}#name`]
      }
    }
    for (const [k, v] of Object.entries(out)) {
      if (typeof v === 'string' && /^[[{]/.test(v)) { try { out[k] = JSON.parse(v) } catch { /* a plain string */ } }
    }
    return out
  }
  if (body.length === 0) return Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams)
  return JSON.parse(body.toString('utf8')) as Json
}
