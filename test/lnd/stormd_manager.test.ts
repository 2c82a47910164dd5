/**
 * The real manager and the real stormd, on real LND: the same manager and agent code as the demo,
 * only the Lightning port differs. dave's stormd pairs with a proof its LND signs, puts funds in
 * with `addfunds` (a channel to bob, the other member), and takes them out with `removefunds`.
 *
 * dave and bob, because no other file gives them a channel: the planner never opens to a node the
 * member already has a channel with, so on a network the other files have used, these two are
 * the pair whose plan is known in advance.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { getClosedChannels } from 'lightning'
import { StormError } from '../../src/shared/errors.ts'
import { Locales } from '../../src/shared/i18n.ts'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'
import { Writable } from 'node:stream'
import { ControlServer } from '../../src/agent/control/control_server.ts'
import { agentControlHandler } from '../../src/app/agent_control.ts'
import { stormcliMain } from '../../src/app/stormcli_main.ts'
import { adapter, network, SKIP } from './helpers.ts'
import { closeChannelsBetween, startRegtestManager, startStormd, until, type Stormd } from './stormd_helpers.ts'

const chat = (name: string): Extract<Actor, { kind: 'chat' }> => ({ kind: 'chat', platform: 'test', userId: name, name: '@' + name, handle: name, isAdmin: false })

test('stormd on LND, driven by the real manager', { skip: SKIP }, async t => {
  const net = network()
  const keyB = net.node('bob').publicKey
  const keyD = net.node('dave').publicKey
  await closeChannelsBetween(net, 'dave', 'bob') // left by an interrupted run, or the plan differs
  const { runtime, closers, dir, testnet } = await startRegtestManager(t)
  const { manager } = runtime
  const dave = chat('dave')
  const bob = chat('bob')
  let daveId = ''
  let daveD: Stormd | undefined
  const daveLn = adapter(net, 'dave')

  /** Pairs `stormd` for `actor` with a fresh invitation and waits for its first report. */
  const pair = async (actor: Extract<Actor, { kind: 'chat' }>, stormd: Stormd): Promise<string> => {
    const code = await manager.pair(actor)
    assert.ok(code.ok)
    await stormd.runtime.pair(runtime.invite(code.value.code))
    const id = code.value.member.id
    await until(() => manager.observations.get(id).report, `${actor.name}'s first report`)
    return id
  }

  await t.test('pairing: a proof signed by another LND is refused; dave’s own LND binds his node', async () => {
    assert.ok((await manager.connect(dave)).ok)
    assert.ok((await manager.connect(bob)).ok)
    const code = await manager.pair(dave)
    assert.ok(code.ok)
    daveId = code.value.member.id

    // dave's node says who it is, but bob's LND signs the proof
    const bobLn = adapter(net, 'bob')
    const forge = (node: LightningNode): LightningNode => new Proxy(node, {
      get: (target, p) => p === 'signMessage'
        ? (text: string) => bobLn.signMessage(text)
        : (v => typeof v === 'function' ? v.bind(target) : v)(Reflect.get(target, p))
    })
    const impostor = await startStormd(net, 'dave', join(dir.path, 'impostor'), testnet.network, {}, forge)
    closers.push(() => impostor.runtime.close())
    await assert.rejects(impostor.runtime.pair(runtime.invite(code.value.code)), (e: unknown) => {
      assert.ok(e instanceof StormError)
      assert.deepEqual([e.code, e.params.reason], ['PAIRING_REFUSED', 'PAIRING_BAD_NODE_SIGNATURE'])
      return true
    })
    assert.equal(manager.state.members[daveId]?.node, undefined)
    assert.equal(manager.state.members[daveId]?.agentKey, undefined)

    // the same code, now with dave's own LND signing: a channel-size limit below what we will ask
    daveD = await startStormd(net, 'dave', join(dir.path, 'dave'), testnet.network, { maxChannelSize: 200_000 })
    closers.push(() => daveD!.runtime.close())
    await daveD.runtime.pair(runtime.invite(code.value.code))
    const member = manager.state.members[daveId]
    assert.equal(member?.node?.publicKey, keyD)
    assert.equal(member?.agentKey, daveD.agentKey)
    assert.deepEqual(member?.node?.uris, [`${keyD}@${net.node('dave').p2pSocket}`])
    const report = await until(() => manager.observations.get(daveId).report, "dave's first report")
    assert.equal(report.health.healthy, true)
    assert.ok(report.balance.confirmed > 1_000_000, `confirmed ${report.balance.confirmed}`)
  })

  await t.test('bob pairs too; dave’s stormd learns the roster', async () => {
    const bobD = await startStormd(net, 'bob', join(dir.path, 'bob'), testnet.network)
    closers.push(() => bobD.runtime.close())
    const bobId = await pair(bob, bobD)
    assert.equal(manager.state.members[bobId]?.node?.publicKey, keyB)
    await until(() => daveD!.runtime.agent.state.roster.includes(keyB) ? true : undefined, "bob in dave's roster")
    assert.deepEqual([...daveD!.runtime.agent.state.roster].sort(), [keyB, keyD].sort())
  })

  await t.test('addfunds above dave’s channel-size limit: stormd refuses the open on arrival, LND untouched', async () => {
    const r = await manager.addFunds(dave, 300_000)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.value.channels.map(c => [c.peer, c.capacity]), [[keyB, 300_000]])
    const id = r.value.channels[0]!.directive
    const record = await until(() => manager.state.directives[id]?.status === 'failed' ? manager.state.directives[id] : undefined, 'the refusal')
    assert.deepEqual(record.error, { code: 'LIMIT_CHANNEL_SIZE', params: { capacity: 300_000, min: 20_000, max: 200_000 } })
    assert.equal(manager.state.allocations[r.value.allocation.id]?.status, 'failed')
    assert.deepEqual((await daveLn.getPendingChannels()).filter(p => p.peer === keyB), [])
    assert.deepEqual((await daveLn.getChannels()).filter(c => c.peer === keyB), [])
  })

  let channelPoint = ''
  await t.test('open_channel: addfunds → approve → stormd opens on LND → mined → allocation done', async () => {
    const r = await manager.addFunds(dave, 150_000)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.value.channels.map(c => [c.peer, c.capacity]), [[keyB, 150_000]])
    const id = r.value.channels[0]!.directive
    await until(() => manager.state.directives[id]?.status === 'awaiting_approval' ? true : undefined, 'dave’s stormd to ask for approval')
    const approved = await manager.decide(dave, 'all', 'approve')
    assert.ok(approved.ok)
    assert.deepEqual(approved.value.map(d => d.directive.id), [id])

    const done = await until(() => manager.state.directives[id]?.status === 'succeeded' ? manager.state.directives[id] : undefined, 'the open', 60_000)
    channelPoint = String(done.result?.channelPoint)
    assert.match(channelPoint, /^[0-9a-f]{64}:\d+$/)
    const pending = (await daveLn.getPendingChannels()).find(p => p.channelPoint === channelPoint)
    assert.deepEqual(pending && [pending.state, pending.peer, pending.capacity, pending.initiator], ['opening', keyB, 150_000, true])
    assert.equal(manager.state.allocations[r.value.allocation.id]?.status, 'funding')
    assert.equal(manager.getInfo(dave).total_allocations, 0, 'not counted before it is open')

    await net.mine(1)
    const allocation = await until(() => {
      const a = manager.state.allocations[r.value.allocation.id]
      return a?.status === 'done' ? a : undefined
    }, 'the allocation to be done', 60_000)
    assert.deepEqual(allocation.channels, [{ channelPoint, peer: keyB, capacity: 150_000, state: 'open' }])
    const info = manager.getInfo(dave)
    assert.equal(info.total_allocations, 150_000)
    assert.deepEqual([info.pending_allocations, info.pending_directives], [[], []])
    const channel = (await daveLn.getChannels()).find(c => c.channelPoint === channelPoint)
    assert.deepEqual(channel && [channel.peer, channel.capacity, channel.initiator, channel.active], [keyB, 150_000, true, true])
    const atBob = (await adapter(net, 'bob').getChannels()).find(c => c.channelPoint === channelPoint)
    assert.deepEqual(atBob && [atBob.peer, atBob.capacity, atBob.initiator], [keyD, 150_000, false])
  })

  await t.test('close_channel: removefunds → approve → stormd closes cooperatively → mined → closed', async () => {
    const r = await manager.removeFunds(dave, 150_000)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.value.closes, [{ channelPoint, peer: keyB, capacity: 150_000 }])
    const ids = r.value.allocation!.directives
    const closeId = ids.find(id => manager.state.directives[id]?.directive.kind === 'close_channel')!
    const holdId = ids.find(id => manager.state.directives[id]?.directive.kind === 'do_not_disconnect')!
    const record = (id: string) => manager.state.directives[id]!
    await until(() => record(closeId).status === 'awaiting_approval' && record(holdId).status === 'executing' ? true : undefined,
      'the close to wait for dave, the hold to stand')
    assert.ok((await manager.decide(dave, closeId, 'approve')).ok)

    const close = await until(() => record(closeId).status === 'succeeded' ? record(closeId) : undefined, 'the close', 60_000)
    const closingTxId = String(close.result?.closingTxId)
    assert.match(closingTxId, /^[0-9a-f]{64}$/)
    assert.deepEqual([close.result?.channelPoint, close.result?.force], [channelPoint, false])
    assert.equal((await daveLn.getPendingChannels()).find(p => p.channelPoint === channelPoint)?.state, 'waiting_close')

    await net.mine(6)
    const allocation = await until(() => {
      const a = manager.state.allocations[r.value.allocation!.id]
      return a?.status === 'done' ? a : undefined
    }, 'the deallocation to be done', 60_000)
    assert.deepEqual(allocation.channels.map(c => c.state), ['closed'])
    // the manager lifts the hold once the close is done, and dave's stormd lets go of it
    assert.equal(record(holdId).status, 'succeeded')
    const held = await until(() => {
      const d = daveD!.runtime.agent.state.directives[holdId]
      return d?.status === 'succeeded' ? d : undefined
    }, "dave's stormd to lift the hold")
    assert.deepEqual(held.detail, { lifted: true })
    assert.equal(manager.getInfo(dave).total_allocations, 0)
    assert.equal((await daveLn.getChannels()).find(c => c.channelPoint === channelPoint), undefined)
    assert.equal((await daveLn.getPendingChannels()).find(p => p.channelPoint === channelPoint), undefined)
    const { channels } = await getClosedChannels({ lnd: net.lnd('dave') })
    const closed = channels.find(c => `${c.transaction_id}:${c.transaction_vout}` === channelPoint)
    assert.deepEqual(closed && [closed.close_transaction_id, closed.is_cooperative_close, closed.partner_public_key], [closingTxId, true, keyB])
  })

  await t.test('stormcli audit verify: dave’s copy of the signed history holds the open and the close as his stormd ran them on LND, with nothing left out', async () => {
    const agent = daveD!.runtime.agent
    const ran = Object.values(agent.state.directives).filter(d => d.status === 'succeeded' || d.status === 'failed')
    assert.ok(ran.some(d => d.directive.kind === 'open_channel') && ran.some(d => d.directive.kind === 'close_channel'), 'an open and a close ran on LND')
    // the history reaches stormd as it is appended: wait until the copy holds every outcome
    // (stormd's own check, which stormcli runs below; until then it names what is missing)
    let last = ''
    await until(() => {
      const check = agent.history!.verify(runtime.managerKey, daveD!.agentKey, agent.state)
      last = JSON.stringify(check.problems)
      return check.problems.length === 0 ? true : undefined
    }, 'every outcome in dave’s copy').catch((e: unknown) => { throw new Error(`${String(e)}; still: ${last}`) })
    const socket = join(dir.path, 'dave-audit.sock')
    const control = new ControlServer(socket, agentControlHandler(daveD!.runtime))
    await control.listen()
    closers.push(() => control.close())
    const out = new Capture()
    const err = new Capture()
    const code = await stormcliMain(['--socket', socket, 'audit', 'verify'], out, err, Locales.load(), { LANG: 'en' })
    assert.equal(code, 0, err.text)
    const verified = /^All (\d+) history entries verify: .* the (\d+) directives this stormd ran are there as it ran them\.\n$/.exec(out.text)
    assert.ok(verified, out.text)
    assert.equal(Number(verified[2]), Object.values(agent.state.directives).filter(d => ['executing', 'succeeded', 'failed'].includes(d.status)).length)
    const check = agent.history!.verify(runtime.managerKey, daveD!.agentKey, agent.state)
    assert.ok(check.length !== undefined && check.length > 0, 'the manager vouched for the length dave holds')
  })
})

class Capture extends Writable {
  text = ''
  override _write (chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void { this.text += chunk.toString(); done() }
}
