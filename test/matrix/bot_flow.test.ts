/**
 * The story of a Storm on Matrix, end to end against a real Synapse, on the demo's simulated
 * network: Ada (the room's creator, so an admin by power) runs the room; Yara joins with
 * `!storm connect`, pairs from the direct room the bot opens (the code as text, the QR as an
 * `m.image` downloaded through the v1 media API and decoded), adds funds and approves by reacting
 * ✅ on the announcement, which is edited in place (`m.replace`). Bea, who chose Spanish, reacts on
 * Yara's directive and is refused with nothing changed, cannot ban, and is answered in Spanish
 * when she types nonsense. The bot is stopped, commands are sent meanwhile, and the restarted bot
 * answers those once and replays nothing. An encrypted direct room is told what to do instead.
 * The people are plain HTTP clients of the client-server API; only the bot uses matrix-js-sdk.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import jsqr from 'jsqr'
import { startSynapse, stopSynapse, type Homeserver, type RegisteredUser } from '../../scripts/synapse/synapse.ts'
import { startDemoStorm, type DemoStorm } from '../../src/demo/demo_storm.ts'
import { matrixDemoPairing } from '../../src/demo/matrix_demo.ts'
import { MatrixBot, type MatrixBotOptions } from '../../src/bot/matrix/index.ts'
import { StormError } from '../../src/shared/errors.ts'
import type { Translator } from '../../src/shared/i18n.ts'

const FAST = { burst: 1000, refillMs: 1 }
const dir = await mkdtemp(join(tmpdir(), 'storm-synapse-flow-'))
const port = 29_950 + Math.floor(Math.random() * 40)
// what the story builds up as it goes: the homeserver, the demo Storm, the bot, the people, the rooms
let hs: Homeserver, demo: DemoStorm, bot: MatrixBot, options: MatrixBotOptions
let en: Translator, es: Translator
let ada: Person, yara: Person, bea: Person
let dataDir = '', room = '', yaraDirect = '', announcement = ''
const transcript: string[] = []

interface Person extends RegisteredUser { name: string }
interface Ev { event_id: string, sender: string, type: string, origin_server_ts: number, content: Record<string, any> }

before(async () => {
  hs = await startSynapse({ dir, port })
  demo = await startDemoStorm({ warmup: false })
  en = demo.locales.translator('en', { p: '!' })
  es = demo.locales.translator('es', { p: '!' })
  const stormbot = await hs.register('stormbot', 'pw-stormbot')
  ada = { ...await hs.register('ada', 'pw-ada'), name: 'Ada' }
  yara = { ...await hs.register('yara', 'pw-yara'), name: 'Yara' }
  bea = { ...await hs.register('bea', 'pw-bea'), name: 'Bea' }
  // Ada makes the Storm's room and invites the bot and her friends
  room = (await api(ada, 'POST', '/createRoom', { name: 'Supercell', preset: 'private_chat', invite: [stormbot.userId, yara.userId, bea.userId] })).room_id
  await api(yara, 'POST', `/rooms/${enc(room)}/join`, {})
  await api(bea, 'POST', `/rooms/${enc(room)}/join`, {})
  dataDir = await mkdtemp(join(tmpdir(), 'storm-matrix-'))
  options = {
    manager: demo.manager.manager,
    locales: demo.locales,
    pairingInvite: demo.manager.invite,
    homeserverUrl: hs.baseUrl,
    userId: stormbot.userId,
    accessToken: stormbot.accessToken,
    deviceId: stormbot.deviceId,
    roomId: room,
    lang: 'en',
    dataDir,
    batchMs: 150,
    ...(process.env.STORM_MATRIX_DEBUG === '1' ? { log: (event: string, data: Record<string, unknown>) => { console.error(event, JSON.stringify(data)) } } : {}),
    budgets: { member: FAST, stranger: FAST, strangersPerRoom: FAST },
    // as `STORM_DEMO=1`: after `!pair`, the person's own simulated node pairs with the code
    afterCommand: matrixDemoPairing(demo, demo.locales, (r, text) => bot.say(r, text))
  }
  // the bot joins the room it was invited to by itself
  bot = await MatrixBot.start(options)
  await waitFor(async () => (await members(room)).includes(stormbot.userId), 'the bot to join the room')
}, { timeout: 300_000 })

after(async () => {
  if (process.env.STORM_TRANSCRIPT !== undefined) await writeFile(process.env.STORM_TRANSCRIPT, transcript.join('\n') + '\n')
  await bot?.stop()
  await demo?.close()
  await stopSynapse({ dir, remove: true })
  await rm(dataDir, { recursive: true, force: true })
})

const manager = (): DemoStorm['manager']['manager'] => demo.manager.manager
const err = (t: Translator, code: string, params: Record<string, string | number> = {}): string => t.error(new StormError(code, params))

test('Yara and Bea join with !storm connect; Bea chooses Spanish', { timeout: 60_000 }, async () => {
  assert.equal(await ask(yara, room, '!storm connect'), en.t('connect-admitted', { group: 'Supercell' }))
  assert.equal(await ask(bea, room, '!lang es'), es.t('lang-set', { lang: 'es' }))
  assert.equal(await ask(bea, room, '!connect'), es.t('connect-admitted', { group: 'Supercell' }))
  await waitFor(async () => (await botMessages(room)).some(e => e.content.body.includes(en.t('announce-member-joined', { name: yara.userId, group: 'Supercell' }))), 'the announcement that Yara joined')
})

test('!pair in the room opens a direct room with the code as text and the QR as an image', { timeout: 90_000 }, async () => {
  assert.equal(await ask(yara, room, '!pair'), en.t('matrix-pair-direct', { user: yara.userId }))
  yaraDirect = await waitFor(async () => Object.keys((await api(yara, 'GET', '/sync?timeout=0')).rooms?.invite ?? {})[0], 'the invitation to a direct room')
  await api(yara, 'POST', `/rooms/${enc(yaraDirect)}/join`, {})
  const code = await waitFor(async () => (await botMessages(yaraDirect, yara)).find(e => e.content.msgtype === 'm.notice' && /storm:pair\?\S+/.test(e.content.body)), 'the pairing code')
  const invite = /storm:pair\?\S+/.exec(code.content.body)![0]
  const pairing = new URLSearchParams(invite.slice('storm:pair?'.length)).get('code')!
  assert.equal(invite, demo.manager.invite(pairing))
  assert.equal(code.content.body, en.t('pair-code', { code: pairing, invite, minutes: 10 }))
  const image = await waitFor(async () => (await botMessages(yaraDirect, yara)).find(e => e.content.msgtype === 'm.image'), 'the QR image')
  assert.equal(image.content.body, en.t('telegram-pair-qr-caption', { minutes: 10 }))
  const [server, media] = String(image.content.url).replace('mxc://', '').split('/')
  const download = await fetch(`${hs.baseUrl}/_matrix/client/v1/media/download/${server}/${media}`, { headers: { authorization: `Bearer ${yara.accessToken}` } })
  assert.equal(download.status, 200)
  const png = PNG.sync.read(Buffer.from(await download.arrayBuffer()))
  assert.equal(jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data, invite)
  transcript.push(`[bot → Yara, direct room] (m.image, ${png.width}×${png.height} PNG) QR decoded: ${invite}`)
  // the demo's node for Yara pairs with that code; the room and the direct room are told
  const paired = await waitFor(async () => (await botMessages(room)).find(e => e.content.body.includes(yara.userId) && e.content.body.includes('paired')), 'the pairing announcement')
  transcript.push(`[bot → room] ${paired.content.body}`)
  const yaraId = manager().memberOf({ kind: 'chat', platform: 'matrix', userId: yara.userId, name: yara.userId, isAdmin: false })!.id
  assert.ok(manager().state.members[yaraId]?.node !== undefined, 'Yara has a node')
})

test('Yara adds funds and approves the batch by reaction; Bea\'s reaction on her directive is refused; the announcement is edited in place', { timeout: 180_000 }, async () => {
  const yaraId = manager().memberOf({ kind: 'chat', platform: 'matrix', userId: yara.userId, name: yara.userId, isAdmin: false })!.id
  await waitFor(async () => manager().observations.get(yaraId).report !== undefined, "Yara's first report")
  const reply = await ask(yara, room, '!storm addfunds 2m')
  const allocation = Object.values(manager().state.allocations).find(a => a.member === yaraId)!
  // four channels, one directive: one funding transaction, one approval
  const ids = allocation.directives
  assert.equal(ids.length, 1)
  const [batch] = ids as [string]
  assert.equal(manager().state.directives[batch]!.directive.kind, 'open_channels')
  assert.ok(reply.startsWith(en.t('addfunds-submitted', { amount: 2_000_000, id: allocation.id })), reply)
  // one announcement, with the command that approves it
  const announced = await waitFor(async () => (await botMessages(room)).find(e => e.content['m.relates_to'] === undefined && String(e.content.body).includes(`!approve ${batch}`)), 'the announcement')
  announcement = announced.event_id
  transcript.push(`[bot → room] ${announced.content.body}`)

  // Bea reacts ✅ on Yara's directive: refused, in Spanish, and nothing changes
  const before = JSON.stringify(manager().state.directives[batch])
  assert.equal(await react(bea, room, announcement, '✅'), `${bea.userId}: ${err(es, 'NOT_YOUR_DIRECTIVE', { id: batch })}`)
  await manager().whenIdle()
  assert.equal(JSON.stringify(manager().state.directives[batch]), before, 'nothing changed')

  // Yara reacts ✅: approved, and the announcement ends at ✅ with no commands left
  const approved = await react(yara, room, announcement, '✅')
  assert.ok(approved.startsWith(`${yara.userId}: `) && approved.includes(batch), approved)
  await demo.settle()
  await bot.flush()
  const edited = await waitFor(async () => {
    const body = currentText(await botMessages(room), announcement)
    return manager().state.directives[batch]!.status === 'succeeded' && !body.includes('!approve') && body.includes('✅') ? body : undefined
  }, 'the announcement edited up to ✅')
  transcript.push(`[bot → room, m.replace of the announcement] ${edited}`)
})

test('a member cannot ban; the admin by power must say why; bad input answered in the sender\'s language', { timeout: 60_000 }, async () => {
  const members = JSON.stringify(manager().state.members)
  assert.equal(await ask(bea, room, `!storm ban ${yara.userId}`), err(es, 'NOT_ADMIN'))
  // Ada, an admin by her power as the room's creator, gets past the check to what a ban needs
  assert.equal(await ask(ada, room, `!storm ban ${yara.userId}`), err(en, 'BAN_REASON_REQUIRED'))
  assert.equal(await ask(ada, room, `!unban ${yara.userId}`), err(en, 'NOT_BANNED', { name: yara.userId }))
  assert.equal(JSON.stringify(manager().state.members), members)
  assert.equal(await ask(bea, room, '!storm addfunds lots'), err(es, 'AMOUNT_NOT_A_NUMBER', { value: 'lots' }))
  assert.equal(await ask(yara, room, '!addfunds lots'), err(en, 'AMOUNT_NOT_A_NUMBER', { value: 'lots' }))
  assert.equal(JSON.stringify(manager().state.members), members)
})

test('a restart answers what was sent while the bot was down, once, and replays nothing', { timeout: 120_000 }, async () => {
  await bot.stop()
  transcript.push('[the bot is stopped]')
  const whileDown = await send(bea, room, '!storm members')
  const alsoDown = await send(yara, room, '!directives')
  bot = await MatrixBot.start(options)
  const a = await replyTo(room, whileDown)
  const b = await replyTo(room, alsoDown)
  transcript.push('[the bot is started again]', `[bot → Bea, in thread] ${a}`, `[bot → Yara, in thread] ${b}`)
  // a second restart right away (Synapse may serve the cached first sync again)
  await bot.stop()
  bot = await MatrixBot.start(options)
  const probe = await ask(yara, room, '!getinfo')
  assert.ok(probe.includes('total_allocations'))
  // every command in the room was answered exactly once
  const all = await timeline(room)
  const commands = all.filter(e => e.type === 'm.room.message' && e.sender !== options.userId && String(e.content.body).startsWith('!'))
  for (const c of commands) {
    const replies = all.filter(e => e.sender === options.userId && e.content['m.relates_to']?.['m.in_reply_to']?.event_id === c.event_id)
    assert.equal(replies.length, 1, `${c.content.body} by ${c.sender}: ${replies.length} answers`)
  }
})

test('an encrypted direct room is told to use an unencrypted one', { timeout: 60_000 }, async () => {
  const direct = (await api(bea, 'POST', '/createRoom', {
    is_direct: true, preset: 'trusted_private_chat', invite: [options.userId],
    initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }]
  })).room_id
  await waitFor(async () => (await members(direct, bea)).includes(options.userId), 'the bot to join the encrypted room')
  // what Element sends there: ciphertext the bot has no keys for
  await api(bea, 'PUT', `/rooms/${enc(direct)}/send/m.room.encrypted/t${Date.now()}`, { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgAEn…', device_id: bea.deviceId, sender_key: 'x', session_id: 'y' })
  const told = await waitFor(async () => (await botMessages(direct, bea)).find(e => e.content.msgtype === 'm.notice'), 'the notice in the encrypted room')
  assert.equal(told.content.body, es.t('matrix-encrypted-room', { bot: options.userId }))
  transcript.push(`[Bea → encrypted direct room] (m.room.encrypted)\n[bot → Bea] ${told.content.body}`)
})

/** What a message shows now: its last `m.replace`, else itself. */
function currentText (events: Ev[], id: string): string {
  const edits = events.filter(e => e.content['m.relates_to']?.rel_type === 'm.replace' && e.content['m.relates_to'].event_id === id)
  return String(edits.at(-1)?.content['m.new_content']?.body ?? events.find(e => e.event_id === id)?.content.body ?? '')
}

// ——— people as plain clients of the client-server API ———

function enc (s: string): string { return encodeURIComponent(s) }

async function api (who: RegisteredUser, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${hs.baseUrl}/_matrix/client/v3${path}`, {
    method,
    headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const json = await res.json() as any
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

async function members (roomId: string, who: RegisteredUser = ada): Promise<string[]> {
  const r = await api(who, 'GET', `/rooms/${enc(roomId)}/joined_members`).catch(async () => ({ joined: {} }))
  return Object.keys(r.joined ?? {})
}

/** The room's timeline, oldest first, as `who` sees it. */
async function timeline (roomId: string, who: RegisteredUser = ada): Promise<Ev[]> {
  const r = await api(who, 'GET', `/rooms/${enc(roomId)}/messages?dir=b&limit=1000`)
  return (r.chunk as Ev[]).reverse()
}

async function botMessages (roomId: string, who: RegisteredUser = ada): Promise<Ev[]> {
  return (await timeline(roomId, who)).filter(e => e.sender === options.userId && e.type === 'm.room.message')
}

let txn = 0
async function send (who: Person, roomId: string, body: string): Promise<string> {
  const { event_id: id } = await api(who, 'PUT', `/rooms/${enc(roomId)}/send/m.room.message/t${Date.now()}-${txn++}`, { msgtype: 'm.text', body })
  transcript.push(`[${who.name} → ${roomId === room ? 'room' : 'direct room'}] ${body}`)
  return id
}

/** The bot's answer to a command: in a thread on it, as a reply to it. */
async function replyTo (roomId: string, commandId: string): Promise<string> {
  const reply = await waitFor(async () => (await botMessages(roomId)).find(e => e.content['m.relates_to']?.['m.in_reply_to']?.event_id === commandId), `the answer to ${commandId}`)
  assert.equal(reply.content['m.relates_to'].rel_type, 'm.thread')
  return reply.content.body as string
}

async function ask (who: Person, roomId: string, body: string): Promise<string> {
  const reply = await replyTo(roomId, await send(who, roomId, body))
  transcript.push(`[bot → ${who.name}, in thread] ${reply}`)
  return reply
}

/** Reacts on a message and returns the bot's answer in that message's thread. */
async function react (who: Person, roomId: string, eventId: string, key: string): Promise<string> {
  const seen = new Set((await botMessages(roomId)).map(e => e.event_id))
  await api(who, 'PUT', `/rooms/${enc(roomId)}/send/m.reaction/t${Date.now()}-${txn++}`, { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } })
  transcript.push(`[${who.name} reacts ${key} on the announcement]`)
  const answer = await waitFor(async () => (await botMessages(roomId)).find(e => !seen.has(e.event_id) && e.content['m.relates_to']?.rel_type === 'm.thread' && e.content['m.relates_to'].event_id === eventId && String(e.content.body).startsWith(who.userId)), `the answer to ${who.name}'s reaction`)
  transcript.push(`[bot → ${who.name}, in the announcement's thread] ${answer.content.body}`)
  return answer.content.body as string
}

/** Bounded polling: resolves with the first defined value, fails after `ms`. */
async function waitFor<T> (probe: () => Promise<T | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined && v !== false) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 150))
  }
}
