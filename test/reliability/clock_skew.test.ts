/**
 * Fault: a member's machine has its clock wrong. Over a real link on a local testnet: a stormd
 * whose clock is 20 s ahead still talks to the manager (the envelope allows 30 s of skew); one
 * 45 s ahead has each message refused as EXPIRED — a typed error both ends see and log, the
 * manager keeps running and keeps serving others, nothing is taken as if it were on time.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair, localTestnet, MAX_CLOCK_SKEW_MS } from '../../src/protocol/index.ts'
import type { LocalTestnet, Message } from '../../src/protocol/index.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { Roster, startAgent, startManager } from '../protocol/link_helpers.ts'
import { SAMPLE_BODIES } from '../protocol/sample_bodies.ts'
import { waitFor } from '../protocol/wait_for.ts'

let testnet: LocalTestnet
before(async () => { testnet = await localTestnet() })
after(() => testnet.destroy())

test('a stormd whose clock runs 20 s ahead: its heartbeat is accepted (within the allowed skew)', async (t) => {
  assert.ok(20_000 < MAX_CLOCK_SKEW_MS)
  const roster = new Roster()
  const agentKey = generateKeyPair()
  roster.set(agentKey, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  const agent = startAgent(t, testnet.network, manager, { keyPair: agentKey, clock: new ManualClock(Date.now() + 20_000) })
  await waitFor(agent, 'connected', 'the agent to connect')
  const got = waitFor<[string, Message]>(manager, 'message', 'the heartbeat')
  agent.send('heartbeat', SAMPLE_BODIES.heartbeat)
  const [, msg] = await got
  assert.equal(msg.type, 'heartbeat')
})

test('a stormd whose clock runs 45 s ahead: refused as EXPIRED, told so, and another agent is still served', async (t) => {
  const roster = new Roster()
  const skewed = generateKeyPair()
  const other = generateKeyPair()
  roster.set(skewed, 'member')
  roster.set(other, 'member')
  const manager = await startManager(t, testnet.network, { roster })
  let accepted = 0
  manager.on('message', (key: string) => { if (key === skewed.publicKey.toString('hex')) accepted++ })
  const agent = startAgent(t, testnet.network, manager, { keyPair: skewed, clock: new ManualClock(Date.now() + 45_000) })
  await waitFor(agent, 'connected', 'the skewed agent to connect')
  const refused = waitFor<[string, string, string]>(manager, 'protocol_error', 'the manager to refuse it')
  const told = waitFor<[Message]>(agent, 'message', 'the agent to be told', { match: (m: Message) => m.type === 'error' })
  agent.send('heartbeat', SAMPLE_BODIES.heartbeat)
  const [, code, detail] = await refused
  assert.equal(code, 'EXPIRED')
  assert.match(detail, /future/)
  const [reply] = await told
  assert.ok(reply.type === 'error' && reply.body.code === 'EXPIRED', 'the agent gets the typed error (stormd logs it as manager_error)')
  assert.equal(accepted, 0, 'nothing from the skewed agent was taken')

  const fine = startAgent(t, testnet.network, manager, { keyPair: other })
  await waitFor(fine, 'connected', 'another agent to connect')
  const got = waitFor<[string, Message]>(manager, 'message', 'the other agent\'s heartbeat', { match: (k: string) => k === other.publicKey.toString('hex') })
  fine.send('heartbeat', SAMPLE_BODIES.heartbeat)
  await got
})
