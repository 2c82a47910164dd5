/**
 * The Matrix front end on matrix-js-sdk: the Storm's room and its members' direct rooms, as a thin
 * adapter of the chat core (`../core/`). Commands are `!storm <command>` or `!<command>`; replies
 * go in a thread on the command; announcements are edited in place with `m.replace`; a ✅ / ❌
 * reaction on an announcement is its approve / reject button; admins are members with enough
 * power in the room (room version 12 creators included, read through the SDK's member power);
 * `!pair` in the room opens a direct room where the code comes as text and the QR as `m.image`.
 * Where each room's timeline was handled up to is kept (`matrix-sync.json`): a restart answers
 * what was sent while the bot was down, once, and replays nothing older. Encrypted rooms are
 * detected and told to use an unencrypted direct room (see the README's Matrix section).
 */
import * as sdk from 'matrix-js-sdk'
import { logger as sdkGlobalLogger } from 'matrix-js-sdk/lib/logger.js'
import type { StormManager } from '../../manager/storm_manager.ts'
import type { Locales } from '../../shared/i18n.ts'
import { SYSTEM_CLOCK } from '../../shared/clock.ts'
import { ChatCore, chatStateStore, commandName, type ChatCoreOptions, type ChatPort, type ChatUser } from '../core/index.ts'
import { matrixContent } from './matrix_message.ts'
import { SyncMark } from './sync_mark.ts'

/**
 * What the bot needs: the Storm and its homeserver account, and, optionally, the chat core's own
 * options (`statsPicture` for `!stats`, `batchMs` for announcements, `adminTtlMs`, reply `budgets`, `clock`, `afterCommand` —
 * the demo pairs a simulated stormd after `!pair` — and `log`), passed to it as they are.
 */
export interface MatrixBotOptions extends Partial<Pick<ChatCoreOptions, 'statsPicture' | 'batchMs' | 'adminTtlMs' | 'budgets' | 'clock' | 'afterCommand' | 'log'>> {
  manager: StormManager
  locales: Locales
  pairingInvite: (code: string) => string
  /** The homeserver's client-server address (`https://matrix.example.org`). */
  homeserverUrl: string
  /** The bot's account (`@storm:example.org`). */
  userId: string
  accessToken: string
  deviceId?: string | undefined
  /** The room to serve; without it an admin binds one with `!init`. */
  roomId?: string | undefined
  /** The power level from which a room member is an admin (50, Element's "Moderator", by default). */
  adminPowerLevel?: number
  /** Language of announcements, and of each user until they choose one with `!lang`. */
  lang: string
  /** Where `matrix.json` and `matrix-sync.json` are kept. */
  dataDir: string
}

const PREFIX = '!'
const ENCRYPTED = 'm.room.encrypted'

export class MatrixBot {
  readonly client: sdk.MatrixClient
  readonly #core: ChatCore
  readonly #o: MatrixBotOptions
  readonly #mark: SyncMark
  readonly #log: (event: string, data: Record<string, unknown>) => void
  /** Each user's direct room with the bot, as learned or opened. */
  readonly #directs: Map<string, string>
  /** Thread roots of commands that were themselves in a thread (a reply joins that thread). */
  readonly #threadRoots: Map<string, string>
  /** Encrypted rooms already told what to do, this run. */
  readonly #toldEncrypted = new Set<string>()
  /** One queue per room: its events are handled in order. */
  readonly #queues = new Map<string, Promise<void>>()

  private constructor (client: sdk.MatrixClient, core: ChatCore, o: MatrixBotOptions, mark: SyncMark, directs: Map<string, string>, threadRoots: Map<string, string>) {
    this.#threadRoots = threadRoots
    this.client = client
    this.#core = core
    this.#o = o
    this.#mark = mark
    this.#directs = directs
    this.#log = o.log ?? (() => {})
  }

  /** Connects to the homeserver, checks the token and starts taking events. */
  static async start (o: MatrixBotOptions): Promise<MatrixBot> {
    const log = o.log ?? (() => {})
    const clock = o.clock ?? SYSTEM_CLOCK
    // the SDK's models log through a global logger at debug level: keep its warnings only
    ;(sdkGlobalLogger as unknown as { setLevel: (level: string) => void }).setLevel('warn')
    const client = sdk.createClient({
      baseUrl: o.homeserverUrl,
      userId: o.userId,
      accessToken: o.accessToken,
      ...(o.deviceId === undefined ? {} : { deviceId: o.deviceId }),
      logger: sdkLogger(log)
    })
    // a wrong token or address fails here, clearly, rather than in a retrying sync loop
    const me = await client.whoami().catch((e: unknown) => {
      throw new Error(`Matrix: ${o.homeserverUrl} refused the access token of ${o.userId} (${e instanceof Error ? e.message : String(e)})`, { cause: e })
    })
    if (me.user_id !== o.userId) throw new Error(`Matrix: the access token is ${me.user_id}'s, not ${o.userId}'s`)
    const mark = await SyncMark.load(o.dataDir, clock.now())
    const directs = new Map<string, string>()
    const threadRoots = new Map<string, string>()
    const threshold = o.adminPowerLevel ?? 50
    const core = await ChatCore.start({
      manager: o.manager,
      locales: o.locales,
      pairingInvite: o.pairingInvite,
      ...(o.statsPicture === undefined ? {} : { statsPicture: o.statsPicture }),
      port: matrixPort(client, directs, threshold, threadRoots),
      platform: 'matrix',
      prefix: PREFIX,
      store: chatStateStore(o.dataDir, 'matrix.json'),
      ...(o.roomId === undefined ? {} : { configuredRoom: o.roomId }),
      lang: o.locales.negotiate(o.lang),
      clock,
      batchMs: o.batchMs ?? 700,
      ...(o.adminTtlMs === undefined ? {} : { adminTtlMs: o.adminTtlMs }),
      ...(o.budgets === undefined ? {} : { budgets: o.budgets }),
      ...(o.afterCommand === undefined ? {} : { afterCommand: o.afterCommand }),
      log
    })
    const self = new MatrixBot(client, core, o, mark, directs, threadRoots)
    self.#handlers()
    const ready = new Promise<void>((resolve, reject) => {
      const on = (state: string, _prev: unknown, data?: { error?: Error }): void => {
        if (state === 'PREPARED') { client.off(sdk.ClientEvent.Sync, on); resolve() }
        if (state === 'ERROR') { client.off(sdk.ClientEvent.Sync, on); reject(data?.error ?? new Error('Matrix: the first sync failed')) }
      }
      client.on(sdk.ClientEvent.Sync, on)
    })
    await client.startClient({ initialSyncLimit: 50, lazyLoadMembers: false })
    await ready
    log('matrix_started', { user: o.userId, room: o.roomId ?? null })
    return self
  }

  /** The room the Storm is run from, once bound. */
  get roomId (): string | undefined {
    return this.#core.home
  }

  /** Sends a plain message (the demo's narration). */
  say (room: string, text: string): Promise<void> {
    return this.#core.say(room, text)
  }

  /** Sends what is waiting to be announced now (tests, and a clean stop). */
  flush (): Promise<void> {
    return this.#core.flush()
  }

  /** Stops syncing, finishes what is being handled, sends what is waiting and saves the state. */
  async stop (): Promise<void> {
    this.client.stopClient()
    await Promise.all([...this.#queues.values()])
    await this.#core.stop()
  }

  #handlers (): void {
    const me = this.#o.userId
    this.client.on(sdk.RoomMemberEvent.Membership, (_e, member) => {
      // anyone may invite the bot (a direct room to pair from); it joins
      if (member.userId !== me || member.membership !== 'invite') return
      this.client.joinRoom(member.roomId).catch((e: unknown) => { this.#log('matrix_join_failed', { room: member.roomId, error: String(e) }) })
    })
    this.client.on(sdk.RoomEvent.Timeline, (event, room, toStart) => {
      if (toStart === true || room === undefined || event.getSender() === me) return
      const id = room.roomId
      const next = (this.#queues.get(id) ?? Promise.resolve()).then(() => this.#handle(room, event)).catch((e: unknown) => {
        this.#log('matrix_event_failed', { room: id, event: event.getId(), error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
      })
      this.#queues.set(id, next)
    })
  }

  async #handle (room: sdk.Room, event: sdk.MatrixEvent): Promise<void> {
    const type = event.getType()
    if (type !== 'm.room.message' && type !== 'm.reaction' && type !== ENCRYPTED) return
    const id = event.getId()
    const ts = event.getTs()
    if (id === undefined || !this.#mark.isNew(room.roomId, ts, id)) return
    // marked before it is answered: a crash in between loses an answer rather than doubling it
    await this.#mark.handled(room.roomId, ts, id)
    const user = this.#userOf(room, event.getSender()!)
    const kind = this.#kindOf(room, user.id)
    if (type === ENCRYPTED) { await this.#encrypted(room.roomId, user); return }
    const content = event.getContent()
    if (type === 'm.reaction') { await this.#reaction(room.roomId, kind, user, content); return }
    const relation = content['m.relates_to'] as { rel_type?: string, event_id?: string, 'm.in_reply_to'?: unknown } | undefined
    // an edit of a message is not a new command
    if (relation?.rel_type === 'm.replace' || content.msgtype !== 'm.text' || typeof content.body !== 'string') return
    if (relation?.rel_type === 'm.thread' && relation.event_id !== undefined) this.#threadRoots.set(id, relation.event_id)
    if (this.#threadRoots.size > 1000) this.#threadRoots.clear()
    const text = asCommand(stripReplyFallback(content.body, relation?.['m.in_reply_to'] !== undefined))
    if (kind === 'group' && commandName(text.trim().split(/\s+/)[0] ?? '', PREFIX) === 'pair') {
      await this.#pairInDirectRoom(room.roomId, user, id)
      return
    }
    await this.#core.command({ room: room.roomId, kind, user, text, messageId: id })
  }

  /** `!pair` in the room: the code is private, so it goes to the user's direct room (opened if needed). */
  async #pairInDirectRoom (room: string, user: ChatUser, commandId: string): Promise<void> {
    const t = this.#core.translator(user)
    let direct = this.#directs.get(user.id)
    if (direct === undefined) {
      const created = await this.client.createRoom({ is_direct: true, preset: sdk.Preset.TrustedPrivateChat, invite: [user.id] })
      direct = created.room_id
      this.#directs.set(user.id, direct)
    }
    await sendRaw(this.client, room, 'm.room.message', {
      ...matrixContent({ text: t.t('matrix-pair-direct', { user: user.id }), format: 'spans' }, PREFIX),
      ...threadOn(this.#threadRoots.get(commandId) ?? commandId, commandId)
    })
    await this.#core.command({ room: direct, kind: 'private', user, text: PREFIX + 'pair', messageId: commandId })
  }

  /** A reaction: ✅ / ❌ on an announcement with one approve / reject button is that button. */
  async #reaction (room: string, kind: 'group' | 'private', user: ChatUser, content: Record<string, unknown>): Promise<void> {
    const rel = content['m.relates_to'] as { rel_type?: string, event_id?: string, key?: string } | undefined
    if (rel?.rel_type !== 'm.annotation' || typeof rel.event_id !== 'string' || typeof rel.key !== 'string') return
    const on = { room, kind, user, messageId: rel.event_id }
    // Element may add a variation selector to the emoji
    const reply = await this.#core.react({ ...on, emoji: rel.key }) ?? await this.#core.react({ ...on, emoji: rel.key.replaceAll('\uFE0F', '') })
    if (reply === null) {
      // ✅ / ❌ on an announcement of several decisions stands for none of them: say which command to use
      const ambiguous = ['✅', '❌'].includes(rel.key.replaceAll('\uFE0F', '')) && this.#core.buttonsOf(room, rel.event_id).length > 1
      if (!ambiguous) return
      await this.#answerReaction(room, rel.event_id, user, this.#core.translator(user).t('matrix-reaction-ambiguous'))
      return
    }
    await this.#answerReaction(room, rel.event_id, user, reply.text)
  }

  async #answerReaction (room: string, on: string, user: ChatUser, text: string): Promise<void> {
    // the answer goes in the announcement's thread; on success the announcement is edited as well
    await sendRaw(this.client, room, 'm.room.message', {
      ...matrixContent({ text: `${user.id}: ${text}`, format: 'spans' }, PREFIX),
      ...threadOn(on, on)
    })
  }

  /** An encrypted message the bot cannot read: the room is told, once a run, what to do instead. */
  async #encrypted (room: string, user: ChatUser): Promise<void> {
    if (this.#toldEncrypted.has(room)) return
    this.#toldEncrypted.add(room)
    const t = this.#core.translator(user)
    await this.#core.say(room, t.t('matrix-encrypted-room', { bot: this.#o.userId }))
  }

  #userOf (room: sdk.Room, id: string): ChatUser {
    const member = room.getMember(id)
    const display = member?.rawDisplayName
    return {
      id,
      name: display === undefined || display === '' ? id : display.slice(0, 200),
      // the Matrix id is unique and vouched for by the homeserver (a display name is not): the handle
      handle: id.slice(1),
      ...(display === undefined || display === id ? {} : { given: display.slice(0, 100) }),
      langHint: this.#o.lang
    }
  }

  /** The Storm's room is a group; another room with only the bot and one person is their direct room. */
  #kindOf (room: sdk.Room, userId: string): 'group' | 'private' {
    if (room.roomId === this.#core.home) return 'group'
    if (room.getJoinedMemberCount() <= 2) {
      if (!this.#directs.has(userId)) this.#directs.set(userId, room.roomId)
      return 'private'
    }
    return 'group'
  }
}

/** `!storm <command>` is `!<command>`; `!storm` alone is `!help`. */
export function asCommand (body: string): string {
  const m = /^\s*!storm(?:\s+([\s\S]*))?$/i.exec(body)
  return m === null ? body : PREFIX + (m[1]?.trim() === undefined || m[1].trim() === '' ? 'help' : m[1].trim())
}

/** A reply's body may begin with a quote of what it answers (`> <@user> …`): that is not the command. */
function stripReplyFallback (body: string, isReply: boolean): string {
  if (!isReply || !body.startsWith('> ')) return body
  const lines = body.split('\n')
  let i = 0
  while (i < lines.length && lines[i]!.startsWith('> ')) i++
  return lines.slice(lines[i] === '' ? i + 1 : i).join('\n')
}

/** The relation that puts a message in a thread, as a reply to one of its events. */
function threadOn (root: string, replyTo: string): Record<string, unknown> {
  return { 'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: replyTo } } }
}

let txn = 0

/**
 * Sends an event as it is, through the client-server API. Not through the SDK's `sendEvent`:
 * without crypto it refuses to send anything in an encrypted room, even the notice that tells
 * the room to use an unencrypted one.
 */
async function sendRaw (client: sdk.MatrixClient, room: string, type: string, content: Record<string, unknown>): Promise<string> {
  const path = `/rooms/${encodeURIComponent(room)}/send/${encodeURIComponent(type)}/storm${Date.now()}.${txn++}`
  return (await client.http.authedRequest<{ event_id: string }>(sdk.Method.Put, path, undefined, content)).event_id
}

/** The chat port on the client-server API. */
function matrixPort (client: sdk.MatrixClient, directs: Map<string, string>, threshold: number, threadRoots: Map<string, string>): ChatPort {
  const send = (room: string, content: Record<string, unknown>): Promise<string> => sendRaw(client, room, 'm.room.message', content)
  return {
    async send (room, m) {
      const content = matrixContent(m, PREFIX)
      // a command typed in a thread is answered in that thread
      return send(room, m.replyTo === undefined ? content : { ...content, ...threadOn(threadRoots.get(m.replyTo) ?? m.replyTo, m.replyTo) })
    },
    async edit (room, messageId, c) {
      const content = matrixContent(c, PREFIX)
      await send(room, { ...content, body: '* ' + content.body, 'm.new_content': content, 'm.relates_to': { rel_type: 'm.replace', event_id: messageId } })
    },
    async react (room, messageId, emoji) {
      await sendRaw(client, room, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: messageId, key: emoji } })
    },
    async image (room, { png, caption, fileName }, replyTo) {
      const { content_uri: url } = await client.uploadContent(png, { type: 'image/png', name: fileName })
      const content = { msgtype: 'm.image', body: caption, filename: fileName, url, info: { mimetype: 'image/png', size: png.length } }
      await send(room, replyTo === undefined ? content : { ...content, ...threadOn(replyTo, replyTo) })
    },
    directRoom: userId => directs.get(userId),
    // Matrix has no link that opens a direct room with a payload; `!pair` in the room opens one
    directLink: () => undefined,
    async isAdmin (room, userId) {
      const r = client.getRoom(room)
      if (r === null) throw new Error(`not in ${room}`)
      return (r.getMember(userId)?.powerLevel ?? 0) >= threshold
    }
  }
}

/** The SDK logs every request; the bot keeps its warnings and errors, as log events. */
function sdkLogger (log: (event: string, data: Record<string, unknown>) => void): NonNullable<sdk.ICreateClientOpts['logger']> {
  const quiet: NonNullable<sdk.ICreateClientOpts['logger']> = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => { log('matrix_sdk_warning', { message: msg.map(String).join(' ').slice(0, 500) }) },
    error: (...msg: unknown[]) => { log('matrix_sdk_error', { message: msg.map(String).join(' ').slice(0, 500) }) },
    getChild: () => quiet
  }
  return quiet
}
