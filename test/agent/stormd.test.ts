/**
 * StormAgent, the daemon around the directive runner: what it says to the manager when the link
 * comes up, heartbeats that follow the node's health, the roster, commands relayed from stormcli,
 * and stopping and starting again. The link is a recording fake (the real one is tested over a
 * HyperDHT testnet in test/protocol); the node is a simulated one; time is a manual clock.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { StormError } from '../../src/shared/errors.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { StormAgent, AGENT_VERSION } from '../../src/agent/stormd.ts'
import type { AgentNotice } from '../../src/agent/directive_runner.ts'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import { openChannel, rebalance, setFees } from './helpers.ts'
import { stored } from './runner_harness.ts'
import { FakeLink, MANAGER_KEY, until } from './fake_link.ts'

async function setup (paired = true, preset?: (state: AgentState, clock: ManualClock, bob: string) => void, wrap: (node: LightningNode) => LightningNode = n => n) {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'stormd', confirmations: 3, clock })
  const me = network.addNode('me', { onchain: 5_000_000 })
  const bob = network.addNode('bob')
  network.openChannelNow(me.publicKey, bob.publicKey, 1_000_000, 600_000)
  const store = new MemoryStore<AgentState>(emptyAgentState)
  if (preset !== undefined) {
    const state = await store.load()
    preset(state, clock, bob.publicKey)
    await store.save(state)
  }
  const links: FakeLink[] = []
  const keyPair = { publicKey: Buffer.alloc(32, 7), secretKey: Buffer.alloc(64, 7) }
  const config = parseAgentConfig({ dataDir: '/nonexistent/stormd-test', heartbeatInterval: 30, reportInterval: 60 })
  const agent = new StormAgent({
    config,
    lightning: wrap(me),
    store,
    keyPair,
    clock,
    connect: (kp, managerKey) => { const l = new FakeLink(kp, managerKey); links.push(l); return l }
  })
  await agent.load()
  if (paired) await agent.paired({ managerKey: MANAGER_KEY, memberId: 'mem1', group: 'Supercell', node: me.publicKey, pairedAt: clock.now() })
  const notices: AgentNotice[] = []
  agent.on('notice', n => notices.push(n))
  return { clock, network, me, bob, store, agent, links, keyPair, notices, link: () => links.at(-1)! }
}

test('on connect the agent says hello (who it is, what it finished) and sends a full report', async () => {
  const s = await setup()
  await s.agent.start()
  const link = s.link()
  assert.deepEqual([link.started, link.managerKey, link.keyPair], [1, MANAGER_KEY, s.keyPair])
  assert.equal(link.sent.length, 0, 'nothing is sent before the link is up')

  link.up()
  await until(() => link.of('report').length === 1, 'the first report')
  const info = await s.me.getInfo()
  assert.deepEqual(link.sent.map(m => m.type), ['hello', 'report'])
  assert.deepEqual(link.of('hello')[0], {
    agentVersion: AGENT_VERSION,
    node: { publicKey: s.me.publicKey, alias: 'me', network: info.network, uris: info.uris, version: info.version },
    // no roster digest: until a roster comes, stormd does not know its member's own nodes, so the manager must send one
    finished: []
  })
  const report = link.of('report')[0]!
  assert.deepEqual(report.health, { healthy: true, blockHeight: info.blockHeight })
  assert.deepEqual(report.balance, await s.me.getChainBalance())
  assert.deepEqual(report.channels.map(c => [c.peer, c.capacity, c.localBalance]), [[s.bob.publicKey, 1_000_000, 600_000]])
  assert.equal(report.at, s.clock.now())
  assert.equal(s.agent.connected, true)
  await s.agent.stop()
})

test('heartbeats follow the node: unhealthy with LN_UNAVAILABLE while it is offline, healthy again after', async () => {
  const s = await setup()
  await s.agent.start()
  const link = s.link()
  link.up()
  await until(() => link.of('report').length === 1, 'the first report')

  s.clock.advance(30_000)
  await until(() => link.of('heartbeat').length === 1, 'a heartbeat')
  assert.deepEqual(link.of('heartbeat')[0], { at: s.clock.now(), health: { healthy: true, blockHeight: 0 } })

  s.network.setOnline(s.me.publicKey, false)
  s.clock.advance(30_000) // 60 s: a heartbeat and a report are both due
  await until(() => link.of('heartbeat').length === 3, 'the heartbeat and the failed report')
  assert.deepEqual(link.of('heartbeat').slice(1).map(h => h.health), [
    { healthy: false, reason: 'LN_UNAVAILABLE' },
    { healthy: false, reason: 'LN_UNAVAILABLE' }
  ])
  assert.equal(link.of('report').length, 1, 'no report while the node is down')

  s.network.setOnline(s.me.publicKey, true)
  s.clock.advance(30_000)
  await until(() => link.of('heartbeat').length === 4, 'a heartbeat after the node came back')
  assert.deepEqual(link.of('heartbeat')[3]!.health, { healthy: true, blockHeight: 0 })

  link.down()
  s.clock.advance(30_000)
  await until(() => true, 'a tick')
  assert.equal(link.of('heartbeat').length, 4, 'no heartbeat while the link is down')
  await s.agent.stop()
})

test('the roster decides which peers a directive may open to; directives and approvals arrive over the link', async () => {
  const s = await setup()
  await s.agent.start()
  const link = s.link()
  link.up()
  await until(() => link.of('report').length === 1, 'the first report')

  const early = openChannel(s.clock.now(), s.bob.publicKey, 200_000)
  link.deliver('directive', early)
  await until(() => link.of('result').length === 1, 'a result')
  assert.equal(link.of('result')[0]!.error?.code, 'PEER_NOT_IN_STORM', 'before the roster, bob is nobody')

  link.deliver('roster', { group: 'Supercell', members: [{ id: 'mem1', name: 'me', node: s.me.publicKey }, { id: 'mem2', name: 'bob', node: s.bob.publicKey }] })
  const asked = openChannel(s.clock.now(), s.bob.publicKey, 200_000, { requiresApproval: true })
  link.deliver('directive', asked)
  await until(() => s.notices.some(n => n.type === 'approval_needed'), 'the owner is asked')
  assert.deepEqual(s.agent.awaiting().map(d => d.directive.id), [asked.id])
  link.deliver('approval', { directive: asked.id, decision: 'approve', by: 'alice@telegram' })
  await until(() => link.of('result').length === 2, 'the second result')
  assert.equal(link.of('result')[1]!.outcome, 'succeeded')
  assert.equal((await s.me.getPendingChannels()).length, 1)

  // an approval for something no longer waiting is ignored, not a crash
  link.deliver('approval', { directive: asked.id, decision: 'approve', by: 'alice@telegram' })
  await until(() => true, 'a tick')
  assert.equal((await s.me.getPendingChannels()).length, 1)

  // a member who left is dropped from the roster: no more channels to them
  link.deliver('roster', { group: 'Supercell', members: [{ id: 'mem1', name: 'me', node: s.me.publicKey }] })
  const late = openChannel(s.clock.now(), s.bob.publicKey, 200_000)
  link.deliver('directive', late)
  await until(() => link.of('result').length === 3, 'the third result')
  assert.equal(link.of('result')[2]!.error?.code, 'PEER_NOT_IN_STORM')
  await s.agent.stop()
})

test('a command from stormcli is relayed and its reply returned; no reply in 30 s is COMMAND_TIMEOUT', async () => {
  const s = await setup()
  await assert.rejects(s.agent.command('getinfo', 'en'), (e: unknown) => e instanceof StormError && e.code === 'NOT_PAIRED', 'before start')
  await s.agent.start()
  const link = s.link()
  await assert.rejects(s.agent.command('getinfo', 'en'), (e: unknown) => e instanceof StormError && e.code === 'MANAGER_UNREACHABLE')
  assert.deepEqual(link.of('command'), [], 'nothing is queued for a manager we cannot reach')

  link.up()
  const answered = s.agent.command('addfunds 2000000', 'es')
  const sent = link.sent.find(m => m.type === 'command')!
  assert.deepEqual(sent.body, { text: 'addfunds 2000000', lang: 'es' })
  link.deliver('command_reply', { command: 'somethingelse', ok: true, text: 'not yours' })
  link.deliver('command_reply', { command: sent.id, ok: true, text: 'Tu solicitud…', data: { id: 'jX78nVt' } })
  assert.deepEqual(await answered, { ok: true, text: 'Tu solicitud…', data: { id: 'jX78nVt' } })

  const unanswered = s.agent.command('getinfo', 'en')
  const late = link.sent.filter(m => m.type === 'command').at(-1)!
  s.clock.advance(29_999)
  let settled = false
  void unanswered.then(() => { settled = true }, () => { settled = true })
  await until(() => true, 'a tick')
  assert.equal(settled, false, 'still waiting just before 30 s')
  s.clock.advance(1)
  await assert.rejects(unanswered, (e: unknown) => e instanceof StormError && e.code === 'COMMAND_TIMEOUT')
  link.deliver('command_reply', { command: late.id, ok: true, text: 'too late' }) // ignored, no crash
  await s.agent.stop()
})

test('start refuses without a pairing; cut_off stops the agent and closes the link', async () => {
  const unpaired = await setup(false)
  await assert.rejects(unpaired.agent.start(), (e: unknown) => e instanceof StormError && e.code === 'NOT_PAIRED')

  const s = await setup()
  await s.agent.start()
  const link = s.link()
  link.up()
  await until(() => link.of('report').length === 1, 'the first report')
  const reasons: string[] = []
  s.agent.on('cut_off', r => reasons.push(r))
  link.deliver('cut_off', { reason: 'banned by vote' })
  await until(() => link.closed === 1, 'the link closes')
  assert.deepEqual(reasons, ['banned by vote'])
  s.clock.advance(120_000)
  await until(() => true, 'a tick')
  assert.equal(link.of('heartbeat').length, 0, 'no heartbeats after the cut-off')
})

test('stopped and started again (a new pairing), the agent still sends a fresh report after a directive', async () => {
  const s = await setup()
  await s.agent.start()
  const first = s.link()
  first.up()
  await until(() => first.of('report').length === 1, 'the first report')
  first.deliver('roster', { group: 'Supercell', members: [{ id: 'mem2', name: 'bob', node: s.bob.publicKey }] })
  first.deliver('directive', openChannel(s.clock.now(), s.bob.publicKey, 200_000))
  await until(() => first.of('result').length === 1, 'the result')
  await s.agent.stop() // before the "report soon" fired

  await s.agent.start()
  const second = s.link()
  second.up()
  await until(() => second.of('report').length === 1, 'the report after hello')
  assert.deepEqual(second.of('hello')[0]!.finished.length, 1, 'the hello lists what was finished before')
  second.deliver('roster', { group: 'Supercell', members: [{ id: 'mem2', name: 'bob', node: s.bob.publicKey }] })
  second.deliver('directive', openChannel(s.clock.now(), s.bob.publicKey, 300_000))
  await until(() => second.of('result').length === 1, 'the result')
  s.clock.advance(500)
  await until(() => second.of('report').length === 2, 'a report soon after the node changed')
  assert.equal(second.of('report')[1]!.pending.length, 2)
  await s.agent.stop()
})

test('after a restart, recovery runs with the saved roster and its results reach the manager', async () => {
  const open = { id: '' }
  const fees = { id: '' }
  const s = await setup(true, (state, clock, bob) => {
    const o = openChannel(clock.now(), bob, 200_000, { requiresApproval: true })
    const f = setFees(clock.now(), '2500', 2250)
    open.id = o.id
    fees.id = f.id
    state.roster = [bob]
    state.directives[o.id] = stored(o, 'approved', clock.now())
    state.directives[f.id] = stored(f, 'executing', clock.now())
  })
  await s.agent.start()
  const link = s.link()
  const results = Object.fromEntries(link.of('result').map(r => [r.directive, r]))
  assert.equal(results[open.id]?.outcome, 'succeeded', JSON.stringify(results[open.id]?.error))
  assert.deepEqual(results[fees.id]?.detail, { channels: 1, baseFeeMsat: '2500', feeRatePpm: 2250 })
  assert.deepEqual((await s.me.getChannels()).map(c => c.policy?.feeRatePpm), [2250])
  assert.equal((await s.me.getPendingChannels()).length, 1)
  assert.equal(link.started, 1, 'given to the link, which sends them once it connects')
  await s.agent.stop()
})

test('stopped and started again while a heartbeat is still waiting for the node: one heartbeat per interval, not two', async () => {
  // the real node, with the next getInfo call held back on demand (a slow LND)
  let gate: Promise<void> | null = null
  let open = (): void => {}
  const slow = (node: LightningNode): LightningNode => new Proxy(node, {
    get (target, key) {
      if (key === 'getInfo') {
        return async () => {
          const waiting = gate
          gate = null
          if (waiting !== null) await waiting
          return target.getInfo()
        }
      }
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
  const s = await setup(true, undefined, slow)
  await s.agent.start()
  const first = s.link()
  first.up()
  await until(() => first.of('report').length === 1, 'the first report')

  gate = new Promise<void>(resolve => { open = resolve })
  s.clock.advance(30_000) // a heartbeat starts and waits for the node
  await s.agent.stop()
  await s.agent.start()
  open() // the old heartbeat finishes after the restart
  const second = s.link()
  second.up()
  await until(() => second.of('report').length === 1, 'the report after the restart')

  const before = second.of('heartbeat').length
  s.clock.advance(30_000)
  await until(() => second.of('heartbeat').length > before, 'a heartbeat')
  s.clock.advance(30_000)
  await until(() => second.of('heartbeat').length > before + 1, 'another heartbeat')
  assert.equal(second.of('heartbeat').length - before, 2, 'two intervals, two heartbeats')
  await s.agent.stop()
})

test('a rebalance in flight when stormd stopped is asked about again with each heartbeat and reported when it ends', async () => {
  const s = await setup()
  const [out] = await s.me.getChannels()
  s.network.openChannelNow(s.bob.publicKey, s.me.publicKey, 1_000_000, 600_000)
  const d = rebalance(s.clock.now(), { amount: 10_000, outgoingChannel: out!.id, hops: [s.bob.publicKey], maxFee: 10 })
  if (d.kind !== 'rebalance') throw new Error('unreachable')
  // stormd stored the hash, sent the payment and stopped; the payment's HTLCs are still out
  const prepared = await s.me.prepareCircular(d.params)
  s.agent.state.roster = [s.bob.publicKey]
  s.agent.state.directives[d.id] = { ...stored(d, 'executing', s.clock.now()), paymentHash: prepared.id }
  s.network.holdPayments(s.me.publicKey, true)
  void s.me.payCircular(prepared).catch(() => {})
  const before = s.network.localBalanceMsat(s.me.publicKey)

  await s.agent.start()
  const link = s.link()
  link.up()
  await until(() => link.of('report').length === 1, 'the first report')
  s.clock.advance(30_000)
  await until(() => link.of('heartbeat').length === 1, 'a heartbeat')
  assert.deepEqual(link.of('result'), [], 'still in flight: no result')
  assert.equal(s.agent.state.directives[d.id]?.status, 'executing')

  s.network.releasePayments(s.me.publicKey)
  s.clock.advance(30_000)
  await until(() => link.of('result').length === 1, 'the result, after the next heartbeat')
  assert.equal(link.of('result')[0]?.outcome, 'succeeded')
  assert.equal(link.of('result')[0]?.detail.recovered, true)
  assert.deepEqual(s.agent.state.ledger.map(e => [e.kind, e.amount]), [['rebalance', 10_000]])
  assert.equal(s.network.localBalanceMsat(s.me.publicKey), before - 1_010, 'paid once: the fee is all it cost')
  await s.agent.stop()
})
