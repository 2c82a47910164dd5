/**
 * Telegram for tests: telegram-test-api (a Bot API emulator) in-process on 127.0.0.1 behind the
 * BotApiProxy (which fills in what the emulator lacks), and users who write in a group and in
 * private chats, tap buttons and read what the bot said. Everything is recorded for a transcript.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import emulatorModule from 'telegram-test-api'
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js'
import { BotApiProxy, type Answer } from './bot_api_proxy.ts'

export interface TgUser { id: number, first_name: string, last_name?: string, username?: string, language_code?: string }
export interface TgChat { id: number, type: 'private' | 'group' | 'supergroup', title?: string }
export interface TgButton { text: string, data?: string, url?: string }

/** A message from the bot as the chat shows it now (edits applied). */
export interface BotMessage {
  id: number
  chatId: number
  text: string
  buttons: TgButton[][]
  replyTo?: number
  entities: Array<{ type: string, offset: number, length: number }>
}

// the package is CommonJS whose module.exports is the class; its typings describe an ES default
const TelegramServer = emulatorModule as unknown as typeof Emulator
type Json = Record<string, any>

export const TOKEN = '1234567:STORM-TEST'
/** telegram-test-api's getMe answers with this username. */
export const BOT_USERNAME = 'TestNameBot'

export class TelegramHarness {
  readonly emulator: Emulator
  readonly proxy: BotApiProxy
  readonly #names = new Map<number, string>()

  private constructor (emulator: Emulator, proxy: BotApiProxy) {
    this.emulator = emulator
    this.proxy = proxy
  }

  static async start (): Promise<TelegramHarness> {
    const port = await freePort()
    const emulator = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 })
    await emulator.start()
    const proxy = new BotApiProxy(emulator, `http://127.0.0.1:${port}`)
    await proxy.start()
    return new TelegramHarness(emulator, proxy)
  }

  /** The API root to give the bot. */
  get apiRoot (): string {
    return this.proxy.url
  }

  async stop (): Promise<void> {
    await this.proxy.stop()
    await this.emulator.stop()
  }

  group (id: number, title: string): TgChat {
    this.#names.set(id, title)
    return { id, type: 'supergroup', title }
  }

  privateOf (u: TgUser): TgChat {
    this.#names.set(u.id, `${u.first_name}'s private chat`)
    return { id: u.id, type: 'private' }
  }

  /** A user writes in a chat; returns the message id. */
  async send (from: TgUser, chat: TgChat, text: string, extra: Json = {}): Promise<number> {
    const id = (this.emulator as unknown as { messageId: number }).messageId
    const message = { botToken: TOKEN, from: { is_bot: false, ...from }, chat, text, date: Math.floor(Date.now() / 1000), ...extra }
    this.#note(`${name(from)} → ${this.#chatName(chat.id)}: ${text}`)
    if (text.startsWith('/')) {
      const end = text.indexOf(' ')
      await this.emulator.addUserCommand({ ...message, entities: [{ type: 'bot_command', offset: 0, length: end < 0 ? text.length : end }] } as never)
    } else {
      await this.emulator.addUserMessage(message as never)
    }
    return id
  }

  /** A user writes a command and waits for the bot's answer to it. */
  async ask (from: TgUser, chat: TgChat, text: string): Promise<BotMessage> {
    const before = new Set(this.messages(chat.id).map(m => m.id))
    const id = await this.send(from, chat, text)
    return this.waitFor(() => this.messages(chat.id).find(m => chat.type === 'private' ? !before.has(m.id) : m.replyTo === id), `an answer to “${text}”`)
  }

  /** A user taps a button under a message; returns the bot's answer (a toast or an alert). */
  async tap (from: TgUser, chat: TgChat, messageId: number, data: string): Promise<Answer> {
    const id = String((this.emulator as unknown as { callbackId: number }).callbackId)
    const label = this.message(chat.id, messageId).buttons.flat().find(b => b.data === data)?.text ?? data
    this.#note(`${name(from)} taps [${label}] under message ${messageId} in ${this.#chatName(chat.id)}`)
    const message = { message_id: messageId, chat, date: Math.floor(Date.now() / 1000), text: this.message(chat.id, messageId).text }
    await this.emulator.addUserCallback({ botToken: TOKEN, from: { is_bot: false, ...from }, message, data, date: Math.floor(Date.now() / 1000) } as never)
    return this.waitFor(() => this.proxy.answers.find(a => a.id === id), `an answer to the tap on ${data}`)
  }

  /** The bot's messages in a chat, oldest first. */
  messages (chatId: number): BotMessage[] {
    return this.emulator.storage.botMessages
      .filter(u => Number(u.message.chat_id) === chatId)
      .map(u => toBotMessage(u.messageId, u.message as unknown as Json))
  }

  message (chatId: number, id: number): BotMessage {
    const m = this.messages(chatId).find(x => x.id === id)
    if (m === undefined) throw new Error(`no bot message ${id} in chat ${chatId}`)
    return m
  }

  /** Polls until `probe` returns something (the bot works asynchronously). */
  async waitFor<T> (probe: () => T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const v = probe()
      if (v !== undefined && v !== null && v !== false) return v
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise(resolve => setTimeout(resolve, 25))
    }
  }

  /** What happened, in order: users' messages and taps, the bot's messages, edits and answers. */
  transcript (): string {
    const lines: string[] = []
    for (const c of this.proxy.calls) {
      const p = c.payload
      switch (c.method) {
        case '__note': lines.push(String(p.text)); break
        case 'sendMessage': lines.push(`bot → ${this.#chatName(Number(p.chat_id))}: ${indent(String(p.text))}${buttonsOf(p)}`); break
        case 'editMessageText': lines.push(`bot ✎ message ${String(p.message_id)} in ${this.#chatName(Number(p.chat_id))}: ${indent(String(p.text))}${buttonsOf(p)}`); break
        case 'sendPhoto': lines.push(`bot → ${this.#chatName(Number(p.chat_id))}: [photo: ${String(p['photo#name'] ?? '')}] ${String(p.caption ?? '')}`); break
        case 'answerCallbackQuery': lines.push(`bot ⇢ ${p.show_alert === true ? 'alert' : 'toast'}: ${String(p.text)}`); break
      }
    }
    return lines.join('\n')
  }

  #note (text: string): void {
    this.proxy.calls.push({ method: '__note', payload: { text }, at: Date.now() })
  }

  #chatName (id: number): string {
    return this.#names.get(id) ?? String(id)
  }
}

function toBotMessage (id: number, m: Json): BotMessage {
  const rows = (m.reply_markup?.inline_keyboard ?? []) as Json[][]
  return {
    id,
    chatId: Number(m.chat_id),
    text: String(m.text ?? ''),
    buttons: rows.map(row => row.map(b => ({ text: String(b.text), ...(b.callback_data === undefined ? {} : { data: String(b.callback_data) }), ...(b.url === undefined ? {} : { url: String(b.url) }) }))),
    ...(m.reply_parameters?.message_id === undefined ? {} : { replyTo: Number(m.reply_parameters.message_id) }),
    entities: (m.entities ?? []) as BotMessage['entities']
  }
}

function name (u: TgUser): string {
  return u.username === undefined ? u.first_name : '@' + u.username
}

function indent (text: string): string {
  return text.split('\n').join('\n    ')
}

function buttonsOf (p: Json): string {
  const rows = (p.reply_markup?.inline_keyboard ?? []) as Json[][]
  return rows.length === 0 ? '' : '\n    ' + rows.map(r => r.map(b => `[${String(b.text)}]`).join(' ')).join('\n    ')
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
