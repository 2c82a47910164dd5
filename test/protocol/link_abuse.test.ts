/**
 * Bad input on a live link: answered with typed errors, never fatal to the manager; a peer that
 * persists loses its own connection and nothing else.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import HyperDHT from 'hyperdht'
import {
  AgentLink, encode, generateKeyPair, localTestnet, ManagerLink, MAX_ENVELOPE_BYTES, openEnvelope, ReplayGuard, seal, SeqCounter
} from '../../src/protocol/index.ts'
import type { LocalTestnet, Message } from '../../src/protocol/index.ts'
import { ManualClock, SYSTEM_CLOCK } from '../../src/shared/clock.ts'
import { StormError } from '../../src/shared/errors.ts'
import { RawPeer, Roster, startAgent, startManager, TEST_BACKOFF } from './link_helpers.ts'
import { SAMPLE_BODIES } from './sample_bodies.ts'
import { collect, waitFor } from './wait_for.ts'

let testnet: LocalTestnet
before(async () => { testnet = await localTestnet() })
after(() => testnet.destroy())

function errorCode (result: { ok: boolean, value?: Message }): string {
  assert.ok(result.ok, 'the manager\'s reply is a valid envelope')
  assert.equal(result.value?.type, 'error')
  return result.value?.type === 'error' ? result.value.body.code : ''
}

test('garbage from an admitted peer gets an error reply; the link keeps working; persistent garbage drops only that connection', async (t) => {
  const roster = new Roster()
  const raw = generateKeyPair()
  const bob = generateKeyPair()
  roster.set(raw, 'member')
  roster.set(bob, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  const protocolErrors = collect<[string, string, string]>(manager, 'protocol_error')
  const bobLink = startAgent(t, testnet.network, manager, { keyPair: bob })
  await waitFor(bobLink, 'connected', 'bob to connect')

  const peer = new RawPeer(testnet.network, manager.publicKey, raw)
  t.after(() => peer.destroy())
  await peer.connect()

  assert.equal(errorCode(await peer.exchange(Buffer.from('\x00\x01 not json at all'))), 'MALFORMED')
  assert.deepEqual(protocolErrors.map(([k, code]) => [k, code]), [[raw.publicKey.toString('hex'), 'MALFORMED']])

  // still working: a proper envelope on the same connection is accepted
  const seqs = new SeqCounter(SYSTEM_CLOCK)
  const accepted = waitFor<[string, Message]>(manager, 'message', 'the raw peer\'s valid heartbeat')
  const hb = seal(raw, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: manager.publicKey, seq: seqs.next(), now: Date.now() })
  peer.conn!.write(encode(hb))
  const [, msg] = await accepted
  assert.equal(msg.id, hb.id)

  // the error reply names the offending message when it can be read
  const stale = await peer.exchange(encode(hb))
  assert.equal(errorCode(stale), 'REPLAYED')
  assert.ok(stale.ok && stale.value.type === 'error' && stale.value.body.ref === hb.id)

  // garbage past the limit (5 within the window) drops this connection
  const closed = peer.closed()
  for (let i = 0; i < 4; i++) peer.conn!.write(Buffer.from(`garbage ${i}`))
  await closed
  assert.equal(manager.isConnected(raw.publicKey.toString('hex')), false)

  // ...and nothing else: bob's link still carries messages both ways
  assert.equal(manager.isConnected(bob.publicKey.toString('hex')), true)
  const atBob = waitFor<[Message]>(bobLink, 'message', 'a message at bob after the drop')
  manager.send(bob.publicKey.toString('hex'), 'cut_off', { reason: 'still alive' })
  assert.equal((await atBob)[0].type, 'cut_off')
})

test('an envelope signed by another key than the connection\'s is refused', async (t) => {
  const roster = new Roster()
  const raw = generateKeyPair()
  const other = generateKeyPair()
  roster.set(raw, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  const messages = collect(manager, 'message')
  const peer = new RawPeer(testnet.network, manager.publicKey, raw)
  t.after(() => peer.destroy())
  await peer.connect()
  const seqs = new SeqCounter(SYSTEM_CLOCK)

  // honestly signed by someone else: from is not the connection's key
  const foreign = seal(other, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: manager.publicKey, seq: seqs.next(), now: Date.now() })
  assert.equal(errorCode(await peer.exchange(encode(foreign))), 'NOT_ALLOWED')

  // claiming to be the connection's key, signed by another
  const forged = { ...foreign, from: raw.publicKey.toString('hex') }
  assert.equal(errorCode(await peer.exchange(encode(forged))), 'BAD_SIGNATURE')

  // and a message meant for another receiver
  const misdirected = seal(raw, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: other.publicKey.toString('hex'), seq: seqs.next(), now: Date.now() })
  assert.equal(errorCode(await peer.exchange(encode(misdirected))), 'NOT_ALLOWED')

  // an oversized frame is refused before parsing
  assert.equal(errorCode(await peer.exchange(Buffer.alloc(MAX_ENVELOPE_BYTES + 1, 0x7b))), 'TOO_LARGE')
  assert.deepEqual(messages, [])
})

test('an agent answers bad input from the manager with an error and reports it', async (t) => {
  // a raw server under a "manager" key that speaks garbage to whoever connects
  const managerKeys = generateKeyPair()
  const dht = new HyperDHT({ bootstrap: testnet.network.bootstrap ?? [], host: '127.0.0.1' })
  t.after(() => dht.destroy())
  const replies = new EventEmitter()
  const server = dht.createServer({}, (conn) => {
    conn.on('error', () => {})
    conn.on('data', (data: Buffer) => replies.emit('reply', data))
    conn.write(Buffer.from('{"v":1,"type":"directive"'))
  })
  await server.listen(managerKeys)

  const alice = generateKeyPair()
  const agent = new AgentLink({ keyPair: alice, managerKey: managerKeys.publicKey.toString('hex'), network: testnet.network, backoff: TEST_BACKOFF })
  t.after(() => agent.close())
  const reported = waitFor<[string, string]>(agent, 'protocol_error', 'the agent to report the garbage')
  const replied = waitFor<[Buffer]>(replies, 'reply', 'the agent\'s error reply')
  agent.start()
  const [code] = await reported
  assert.equal(code, 'MALFORMED')
  const [bytes] = await replied
  const reply = openEnvelope(bytes, { now: Date.now(), self: managerKeys.publicKey.toString('hex'), expectFrom: alice.publicKey.toString('hex'), replay: new ReplayGuard() })
  assert.equal(errorCode(reply), 'MALFORMED')
})

test('sending checks the body and its size at the call, whatever the link state', async () => {
  const manager = new ManagerLink({ keyPair: generateKeyPair(), admit: () => null })
  const agentKey = generateKeyPair().publicKey.toString('hex')
  const huge = { command: 'c1', ok: true, text: 'x'.repeat(20_000), data: { blob: 'y'.repeat(MAX_ENVELOPE_BYTES) } }
  assert.throws(() => manager.send(agentKey, 'command_reply', huge), (e: unknown) => e instanceof StormError && e.code === 'TOO_LARGE')
  assert.throws(() => manager.send(agentKey, 'heartbeat', { at: -1 } as never), (e: unknown) => e instanceof StormError && e.code === 'BAD_BODY')
  assert.throws(() => manager.send('not-a-key', 'heartbeat', SAMPLE_BODIES.heartbeat), /agentKey/)
  assert.match(manager.send(agentKey, 'heartbeat', SAMPLE_BODIES.heartbeat), /^[A-Za-z0-9_-]{22}$/, 'queued while not connected')
  await manager.close()
})

test('reconnect attempts wait for the backoff on the injected clock, doubling up to the cap', async (t) => {
  const clock = new ManualClock(Date.now())
  const log = new EventEmitter()
  const nowhere = generateKeyPair().publicKey.toString('hex')
  const agent = new AgentLink({
    keyPair: generateKeyPair(), managerKey: nowhere, network: testnet.network, clock,
    backoff: { initialMs: 1000, maxMs: 4000 }, random: () => 1,
    log: (event, data) => { log.emit(event, data) }
  })
  t.after(() => agent.close())
  const attempts = collect(log, 'connecting')
  const { delays, nextDelay } = delayRecorder(log)

  let scheduled = nextDelay()
  agent.start()
  await scheduled
  assert.equal(attempts.length, 1)
  clock.advance(999)
  assert.equal(attempts.length, 1, 'no retry before the delay')
  for (const wait of [1, 2000, 4000]) {
    scheduled = nextDelay()
    clock.advance(wait)
    await scheduled
  }
  assert.equal(attempts.length, 4)
  assert.deepEqual(delays, [1000, 2000, 4000, 4000])
  assert.equal(agent.connected, false)
})

test('a manager that was up and spoke, then restarted, is looked for again from the first backoff step, not after the delays its earlier absence built up', async (t) => {
  const clock = new ManualClock(Date.now())
  const log = new EventEmitter()
  const managerKeys = generateKeyPair()
  const agentKeys = generateKeyPair()
  const agent = new AgentLink({
    keyPair: agentKeys, managerKey: managerKeys.publicKey.toString('hex'), network: testnet.network, clock,
    backoff: { initialMs: 1000, maxMs: 8000 }, random: () => 1,
    log: (event, data) => { log.emit(event, data) }
  })
  t.after(() => agent.close())
  // the manager is not up yet: three attempts fail, the delays grow to 4 s
  const { delays, nextDelay } = delayRecorder(log)
  let scheduled = nextDelay()
  agent.start()
  await scheduled
  for (const wait of [1000, 2000]) {
    scheduled = nextDelay()
    clock.advance(wait)
    await scheduled
  }
  assert.deepEqual(delays, [1000, 2000, 4000])
  // it comes up, the agent finds it and hears from it
  const manager = new ManagerLink({ keyPair: managerKeys, network: testnet.network, admit: () => 'member' })
  t.after(() => manager.close())
  await manager.listen()
  const connected = waitFor(agent, 'connected', 'the agent to connect')
  clock.advance(4000)
  await connected
  const heard = waitFor(agent, 'message', 'the roster')
  manager.send(agentKeys.publicKey.toString('hex'), 'roster', SAMPLE_BODIES.roster)
  await heard
  // and goes away (a restart): the first retry is the first step again
  scheduled = nextDelay()
  await manager.close()
  await scheduled
  assert.equal(delays.at(-1), 1000)
})

/** The reconnect delays an agent schedules, as its log says them; `nextDelay` waits for the next one. */
function delayRecorder (log: EventEmitter): { delays: number[], nextDelay: () => Promise<void> } {
  const delays: number[] = []
  const nextDelay = async (): Promise<void> => {
    const [data] = await waitFor<[{ inMs: number }]>(log, 'reconnect_scheduled', `reconnect #${delays.length + 1} to be scheduled`)
    delays.push(data.inMs)
  }
  return { delays, nextDelay }
}
