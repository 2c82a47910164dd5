/**
 * The manager ↔ agent link over real HyperDHT connections on a local testnet.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair, localTestnet, pairingKeyPair } from '../../src/protocol/index.ts'
import type { LocalTestnet, Message } from '../../src/protocol/index.ts'
import { collect, waitFor } from './wait_for.ts'
import { Roster, startAgent, startManager } from './link_helpers.ts'
import { SAMPLE_BODIES } from './sample_bodies.ts'

let testnet: LocalTestnet
before(async () => { testnet = await localTestnet() })
after(() => testnet.destroy())

test('a member connects and messages flow both ways', async (t) => {
  const roster = new Roster()
  const alice = generateKeyPair()
  roster.set(alice, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  const managerConnected = waitFor(manager, 'connected', 'the manager to see alice')
  const agent = startAgent(t, testnet.network, manager, { keyPair: alice })
  await waitFor(agent, 'connected', 'alice to connect')
  const [agentKey, kind] = await managerConnected
  assert.equal(agentKey, alice.publicKey.toString('hex'))
  assert.equal(kind, 'member')
  assert.equal(manager.isConnected(agentKey), true)
  assert.equal(agent.connected, true)

  const atManager = waitFor<[string, Message, string]>(manager, 'message', 'alice\'s hello at the manager')
  const helloId = agent.send('hello', SAMPLE_BODIES.hello)
  const [from, hello, helloKind] = await atManager
  assert.equal(from, agentKey)
  assert.equal(helloKind, 'member')
  assert.deepEqual(hello, { type: 'hello', id: helloId, from: agentKey, body: SAMPLE_BODIES.hello })

  const atAgent = waitFor<[Message]>(agent, 'message', 'the directive at alice')
  const directiveId = manager.send(agentKey, 'directive', SAMPLE_BODIES.directive)
  const [directive] = await atAgent
  assert.deepEqual(directive, { type: 'directive', id: directiveId, from: manager.publicKey, body: SAMPLE_BODIES.directive })

  // directive round trip, for the benchmark's baseline: directive out, directive_status back
  agent.on('message', (msg) => {
    if (msg.type === 'directive') agent.send('directive_status', { directive: msg.body.id, status: 'received' })
  })
  const rtts: number[] = []
  for (let i = 0; i < 100; i++) {
    const body = { ...SAMPLE_BODIES.directive, id: `dir_rt_${i}` }
    const acked = waitFor<[string, Message]>(manager, 'message', `status of dir_rt_${i}`, {
      match: (_k: string, m: Message) => m.type === 'directive_status' && m.body.directive === body.id
    })
    const start = process.hrtime.bigint()
    manager.send(agentKey, 'directive', body)
    await acked
    rtts.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  rtts.sort((a, b) => a - b)
  t.diagnostic(`directive round trip over the local testnet: median ${rtts[50]!.toFixed(3)} ms, p95 ${rtts[95]!.toFixed(3)} ms, max ${rtts[99]!.toFixed(3)} ms`)
  assert.equal(rtts.length, 100)
})

test('a key the manager does not admit is refused at the handshake', async (t) => {
  const roster = new Roster()
  const stranger = generateKeyPair()
  const manager = await startManager(t, testnet.network, { roster })
  const connected = collect(manager, 'connected')
  const refused = waitFor<[string]>(manager, 'refused', 'the stranger to be refused')
  const agent = startAgent(t, testnet.network, manager, { keyPair: stranger })
  const agentMessages = collect(agent, 'message')
  const agentConnected = collect(agent, 'connected')
  manager.send(stranger.publicKey.toString('hex'), 'cut_off', { reason: 'never delivered' })
  const [key] = await refused
  assert.equal(key, stranger.publicKey.toString('hex'))
  await agent.close()
  assert.deepEqual(connected, [])
  assert.deepEqual(agentConnected, [])
  assert.deepEqual(agentMessages, [])
  assert.equal(manager.isConnected(key), false)
})

test('a pairing key is admitted as a pairing connection', async (t) => {
  const roster = new Roster()
  const manager = await startManager(t, testnet.network, { roster })
  const pairing = pairingKeyPair(manager.publicKey, 'K7F-29Q')
  // the manager issued the code: it knows the derived key before the agent shows up
  roster.set(pairingKeyPair(manager.publicKey, 'K7F-29Q'), 'pairing')
  const connected = waitFor<[string, string]>(manager, 'connected', 'the pairing agent')
  const agent = startAgent(t, testnet.network, manager, { keyPair: pairing })
  const [key, kind] = await connected
  assert.equal(key, pairing.publicKey.toString('hex'))
  assert.equal(kind, 'pairing')

  const request = waitFor<[string, Message, string]>(manager, 'message', 'the pair request')
  agent.send('pair_request', SAMPLE_BODIES.pair_request)
  const [, msg, msgKind] = await request
  assert.equal(msg.type, 'pair_request')
  assert.equal(msgKind, 'pairing')
})

test('what the manager sends while an agent is down arrives in order when it is back', async (t) => {
  const roster = new Roster()
  const alice = generateKeyPair()
  const aliceKey = alice.publicKey.toString('hex')
  roster.set(alice, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  const first = startAgent(t, testnet.network, manager, { keyPair: alice })
  await waitFor(first, 'connected', 'alice to connect')
  const gone = waitFor(manager, 'disconnected', 'the manager to notice alice left')
  await first.close()
  await gone
  assert.equal(manager.isConnected(aliceKey), false)

  const ids = [1, 2, 3].map(i => manager.send(aliceKey, 'approval', { directive: `dir_${i}`, decision: 'approve', by: 'test' }))
  const again = startAgent(t, testnet.network, manager, { keyPair: alice })
  const received = collect<[Message]>(again, 'message')
  await waitFor(again, 'message', 'the third queued message', { match: () => received.length === 3 })
  assert.deepEqual(received.map(([m]) => m.id), ids)
  assert.deepEqual(received.map(([m]) => m.type === 'approval' && m.body.directive), ['dir_1', 'dir_2', 'dir_3'])
})

test('the manager restarts with the same key and the agent reconnects on its own, its queue delivered', async (t) => {
  const roster = new Roster()
  const managerKeys = generateKeyPair()
  const alice = generateKeyPair()
  roster.set(alice, 'member')
  const first = await startManager(t, testnet.network, { roster, keyPair: managerKeys })
  const agent = startAgent(t, testnet.network, first, { keyPair: alice })
  await waitFor(agent, 'connected', 'alice to connect to the first manager')
  const helloSeen = waitFor(first, 'message', 'a message at the first manager')
  agent.send('heartbeat', SAMPLE_BODIES.heartbeat)
  await helloSeen

  const down = waitFor(agent, 'disconnected', 'alice to notice the manager went away')
  await first.close()
  await down
  assert.equal(agent.connected, false)
  const queuedId = agent.send('heartbeat', { ...SAMPLE_BODIES.heartbeat, at: 2 })

  const second = await startManager(t, testnet.network, { roster, keyPair: managerKeys })
  const queued = waitFor<[string, Message]>(second, 'message', 'the queued heartbeat at the restarted manager')
  await waitFor(agent, 'connected', 'alice to reconnect by herself', { timeoutMs: 10_000 })
  const [, msg] = await queued
  assert.equal(msg.id, queuedId)

  // and the new process's messages pass the agent's replay guard (its seq starts above the old one's)
  const reply = waitFor<[Message]>(agent, 'message', 'a message from the restarted manager')
  second.send(alice.publicKey.toString('hex'), 'cut_off', { reason: 'test' })
  const [cut] = await reply
  assert.equal(cut.type, 'cut_off')
})

test('drop after a cut_off: the cut_off arrives, the link closes, the agent is refused from then on', async (t) => {
  const roster = new Roster()
  const mallory = generateKeyPair()
  const key = mallory.publicKey.toString('hex')
  roster.set(mallory, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  const managerSide = waitFor(manager, 'connected', 'the manager to see mallory')
  const agent = startAgent(t, testnet.network, manager, { keyPair: mallory })
  await waitFor(agent, 'connected', 'mallory to connect')
  await managerSide
  const cutOff = waitFor<[Message]>(agent, 'message', 'the cut_off at mallory')
  const agentDown = waitFor(agent, 'disconnected', 'mallory\'s link to close')
  const refused = waitFor(manager, 'refused', 'mallory\'s reconnect to be refused', { match: (k: string) => k === key })
  manager.send(key, 'cut_off', { reason: 'banned by vote' })
  roster.set(mallory, null)
  manager.drop(key)
  assert.equal(manager.isConnected(key), false)
  const [msg] = await cutOff
  assert.equal(msg.type, 'cut_off')
  await agentDown
  await refused
  assert.equal(manager.isConnected(key), false)
})

test('both ends agreeing on a larger size limit carry a big roster in one message', async (t) => {
  const roster = new Roster()
  const alice = generateKeyPair()
  roster.set(alice, 'member')
  const limit = 1024 * 1024
  const manager = await startManager(t, testnet.network, { roster, maxEnvelopeBytes: limit })
  const managerSide = waitFor(manager, 'connected', 'the manager to see alice')
  const agent = startAgent(t, testnet.network, manager, { keyPair: alice, maxEnvelopeBytes: limit })
  await managerSide
  const members = Array.from({ length: 2000 }, (_, i) => ({ id: `m_${i}`, name: `Member ${i}`, node: '02' + i.toString(16).padStart(64, '0') }))
  const received = waitFor<[Message]>(agent, 'message', 'the big roster')
  manager.send(alice.publicKey.toString('hex'), 'roster', { group: 'public', members })
  const [msg] = await received
  assert.equal(msg.type, 'roster')
  assert.deepEqual(msg.type === 'roster' && msg.body.members, members)
})
