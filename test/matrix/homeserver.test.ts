/**
 * The Matrix harness against a real Synapse: what the Matrix front end will stand on. Three users
 * in a room, through matrix-js-sdk as the bot will use it: a command is seen by the bot's sync, a
 * reply goes in a thread, an announcement is edited with `m.replace`, a reaction arrives as an
 * annotation, an image is uploaded and downloaded again with a token, and power levels say who
 * is an admin (the room's creator included, read through the SDK's member power).
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as sdk from 'matrix-js-sdk'
import { startSynapse, stopSynapse, type Homeserver } from '../../scripts/synapse/synapse.ts'

const dir = mkdtempSync(join(tmpdir(), 'storm-synapse-test-'))
const port = 29_850 + Math.floor(Math.random() * 100)
let hs: Homeserver
const clients: sdk.MatrixClient[] = []

before(async () => { hs = await startSynapse({ dir, port }) }, { timeout: 180_000 })
after(async () => {
  for (const c of clients) c.stopClient()
  await stopSynapse({ dir, remove: true })
})

/** The SDK logs every request at debug level; a test keeps warnings and errors only. */
const quiet: NonNullable<sdk.ICreateClientOpts['logger']> = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (...msg: unknown[]) => { console.error('matrix-js-sdk:', ...msg) },
  error: (...msg: unknown[]) => { console.error('matrix-js-sdk:', ...msg) },
  getChild: () => quiet
}

async function login (name: string): Promise<sdk.MatrixClient> {
  const user = await hs.register(name, `pw-${name}`)
  const client = sdk.createClient({ baseUrl: hs.baseUrl, userId: user.userId, accessToken: user.accessToken, deviceId: user.deviceId, logger: quiet })
  clients.push(client)
  return client
}

async function synced (client: sdk.MatrixClient): Promise<void> {
  const ready = new Promise<void>(resolve => {
    client.on(sdk.ClientEvent.Sync, (state: string) => { if (state === 'PREPARED') resolve() })
  })
  await client.startClient({ initialSyncLimit: 10 })
  await ready
}

/** Resolves with the first timeline event in `roomId` that `match` accepts. */
function nextEvent (client: sdk.MatrixClient, roomId: string, match: (e: sdk.MatrixEvent) => boolean): Promise<sdk.MatrixEvent> {
  return new Promise(resolve => {
    const on = (e: sdk.MatrixEvent, room: sdk.Room | undefined): void => {
      if (room?.roomId === roomId && match(e)) {
        client.off(sdk.RoomEvent.Timeline, on)
        resolve(e)
      }
    }
    client.on(sdk.RoomEvent.Timeline, on)
  })
}

test('a bot and two members in a room on a real Synapse: commands, threads, edits, reactions, images, power', { timeout: 120_000 }, async () => {
  const bot = await login('stormbot')
  const yara = await login('yara')
  const bea = await login('bea')
  await synced(bot)

  // Yara creates the room (so she is its creator) and invites the bot and Bea
  const { room_id: roomId } = await yara.createRoom({ name: 'Supercell', invite: [bot.getUserId()!, bea.getUserId()!] })
  await bot.joinRoom(roomId)
  await bea.joinRoom(roomId)

  // Bea types a command; the bot's sync sees it
  const seen = nextEvent(bot, roomId, e => e.getType() === 'm.room.message' && e.getContent().body === '!storm help')
  const { event_id: commandId } = await bea.sendMessage(roomId, { msgtype: sdk.MsgType.Text, body: '!storm help' })
  const command = await seen
  assert.equal(command.getSender(), bea.getUserId())
  assert.equal(command.getId(), commandId)

  // the bot answers in a thread on the command, and announces something it then edits in place
  const reply = await bot.sendMessage(roomId, commandId, { msgtype: sdk.MsgType.Notice, body: 'The commands: …' })
  const announcement = await bot.sendMessage(roomId, { msgtype: sdk.MsgType.Notice, body: '🔔 waiting for approval' })
  await bot.sendMessage(roomId, {
    msgtype: sdk.MsgType.Notice,
    body: '* ✅ done',
    'm.new_content': { msgtype: sdk.MsgType.Notice, body: '✅ done' },
    'm.relates_to': { rel_type: sdk.RelationType.Replace, event_id: announcement.event_id }
  })
  const threaded = await bot.fetchRoomEvent(roomId, reply.event_id)
  assert.equal(threaded.content?.['m.relates_to']?.rel_type, 'm.thread')
  assert.equal(threaded.content?.['m.relates_to']?.event_id, commandId)
  const edits = await bot.relations(roomId, announcement.event_id, sdk.RelationType.Replace)
  assert.equal(edits.events.length, 1)
  assert.equal(edits.events[0]!.getContent()['m.new_content']?.body, '✅ done')

  // Bea reacts ✅ to the announcement; the bot sees an annotation from her on that event
  const reacted = nextEvent(bot, roomId, e => e.getType() === 'm.reaction')
  await bea.sendEvent(roomId, sdk.EventType.Reaction, { 'm.relates_to': { rel_type: sdk.RelationType.Annotation, event_id: announcement.event_id, key: '✅' } })
  const reaction = await reacted
  assert.equal(reaction.getSender(), bea.getUserId())
  assert.equal(reaction.getContent()['m.relates_to']?.key, '✅')
  assert.equal(reaction.getContent()['m.relates_to']?.event_id, announcement.event_id)

  // an image (a pairing QR will be one): uploaded, then downloaded with a token from the v1 media API
  const png = Buffer.from('89504e470d0a1a0a', 'hex')
  const { content_uri: mxc } = await bot.uploadContent(png, { type: 'image/png', name: 'qr.png' })
  const [server, mediaId] = mxc.replace('mxc://', '').split('/')
  const download = await fetch(`${hs.baseUrl}/_matrix/client/v1/media/download/${server}/${mediaId}`, { headers: { authorization: `Bearer ${yara.getAccessToken()}` } })
  assert.equal(download.status, 200)
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), png)

  // power: the creator is an admin, Bea is not — read through the SDK's member power
  const room = bot.getRoom(roomId)!
  assert.ok(room.getMember(bea.getUserId()!)?.membership === 'join', 'the bot has synced Bea\'s join')
  assert.ok((room.getMember(yara.getUserId()!)?.powerLevel ?? 0) >= 50, 'the room creator has admin power')
  assert.equal(room.getMember(bea.getUserId()!)?.powerLevel ?? 0, 0)
})
