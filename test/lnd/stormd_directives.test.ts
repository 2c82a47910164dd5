/**
 * Every directive kind no manager use case issues yet, carried out by the real stormd on real
 * LND: set_fees, a circular rebalance, close_channel, directives beyond the owner's limits, and
 * LND going away and coming back. alice's stormd talks over the real link to a test manager end
 * that sends `roster`, `directive` and `approval` exactly as the manager does.
 *
 * alice's stormd is paired by writing its pairing (what `stormd pair` stores after the proof) and
 * starting it: pairing with a real LND signature is stormd_manager.test.ts's story.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { getChainTransactions, getChannels, getClosedChannels, getFeeRates, getPayments, getPendingChannels } from 'lightning'
import type { Channel, FeePolicy } from '../../src/agent/lightning_port.ts'
import { localTestnet } from '../../src/protocol/index.ts'
import type { OpenedTestChannel } from '../../scripts/regtest/regtest.ts'
import { adapter, network, SKIP } from './helpers.ts'
import { scratchDir, startStormd, TestManager, until } from './stormd_helpers.ts'

test('stormd on LND, directive by directive', { skip: SKIP }, async t => {
  const net = network()
  const [keyA, keyB, keyC, keyD] = ['alice', 'bob', 'carol', 'dave'].map(a => net.node(a).publicKey) as [string, string, string, string]
  const alice = adapter(net, 'alice')
  const bob = adapter(net, 'bob')
  const carol = adapter(net, 'carol')
  const dir = await scratchDir()
  const testnet = await localTestnet()
  const manager = new TestManager(testnet.network)
  const stormd = await startStormd(net, 'alice', join(dir.path, 'alice'), testnet.network, {
    maxTransactionSize: 200_000,
    minTimeBetweenPayments: 0
  })
  t.after(async () => {
    // stormd's LND subscriptions keep timers: stop it, or the process stays up
    await stormd.runtime.close()
    await manager.close()
    await testnet.destroy()
    await dir.dispose()
    if (!net.isLndRunning('alice')) await net.startLnd('alice')
  })

  // a triangle alice → bob → carol → alice, each opener holding its channel's liquidity, and a
  // channel to dave, who is not in the Storm
  const [ab, bc, ca, ad] = await net.openChannels([
    { from: 'alice', to: 'bob', capacity: 1_000_000 },
    { from: 'bob', to: 'carol', capacity: 300_000 },
    { from: 'carol', to: 'alice', capacity: 1_000_000 },
    { from: 'alice', to: 'dave', capacity: 200_000 }
  ]) as unknown as [OpenedTestChannel, OpenedTestChannel, OpenedTestChannel, OpenedTestChannel]
  const channel = async (point: string): Promise<Channel> => {
    const found = (await alice.getChannels()).find(c => c.channelPoint === point)
    assert.ok(found, `alice's channel ${point}`)
    return found
  }
  const feeRates = async (): Promise<Map<string, { base: string, rate: number }>> => new Map((await getFeeRates({ lnd: net.lnd('alice') })).channels
    .map(c => [`${c.transaction_id}:${c.transaction_vout}`, { base: c.base_fee_mtokens, rate: c.fee_rate }]))

  await t.test('stormd connects, says hello with alice’s node and reports her channels', async () => {
    await manager.listen(stormd.agentKey)
    await stormd.runtime.agent.paired({ managerKey: manager.publicKey, memberId: 'alice', group: manager.group, node: keyA, pairedAt: Date.now() })
    await stormd.runtime.agent.start()
    const hello = await manager.next('hello')
    assert.equal(hello.node.publicKey, keyA)
    assert.deepEqual([hello.node.alias, hello.node.network], ['alice', 'regtest'])
    const report = await manager.next('report')
    assert.equal(report.health.healthy, true)
    const reported = new Map(report.channels.map(c => [c.channelPoint, c]))
    assert.deepEqual([ab, ca, ad].map(c => [reported.get(c.channelPoint)?.capacity, reported.get(c.channelPoint)?.active]),
      [[1_000_000, true], [1_000_000, true], [200_000, true]])
    manager.roster({ alice: keyA, bob: keyB, carol: keyC })
    await until(() => stormd.runtime.agent.state.roster.length === 3 ? true : undefined, 'the roster')
  })

  await t.test('set_fees: the new policy on every Storm channel, none on the channel to dave', async () => {
    const before = await feeRates()
    const old = before.get(ab.channelPoint)!
    const baseFeeMsat = String(Number(old.base) + 7)
    const feeRatePpm = old.rate + 11
    const storm = (await alice.getChannels()).filter(c => c.peer === keyB || c.peer === keyC).map(c => c.channelPoint)
    const d = manager.directive('set_fees', { baseFeeMsat, feeRatePpm })
    const result = await manager.result(d.id)
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result))
    assert.deepEqual(result.detail, { channels: storm.length, baseFeeMsat, feeRatePpm })
    assert.deepEqual(manager.statuses(d.id), ['received', 'executing'])

    const after = await feeRates()
    for (const point of storm) assert.deepEqual(after.get(point), { base: baseFeeMsat, rate: feeRatePpm }, point)
    assert.deepEqual(after.get(ad.channelPoint), before.get(ad.channelPoint), 'the channel to dave keeps its own policy')
    // stormd's next report carries the new policy to the manager
    const report = await manager.next('report', r => r.channels.some(c => c.channelPoint === ab.channelPoint && c.feeRatePpm === feeRatePpm), 'a report with the new fees')
    assert.equal(report.channels.find(c => c.channelPoint === ab.channelPoint)?.baseFeeMsat, baseFeeMsat)
  })

  const amount = 100_000
  // what bob and carol charge, as their own adapters say
  const bobPolicy = (await bob.getChannels()).find(c => c.channelPoint === bc.channelPoint)!.policy!
  const carolPolicy = (await carol.getChannels()).find(c => c.channelPoint === ca.channelPoint)!.policy!
  const routeFee = routeFeeMsat(amount, [bobPolicy, carolPolicy])
  const fromCarol = async (): Promise<number> => (await alice.getChannels()).filter(c => c.peer === keyC).reduce((sum, c) => sum + c.localBalance, 0)
  const settled = async (): Promise<void> => {
    // payViaRoutes answers once the preimage is back, before the HTLC leaves the commitments
    await until(async () => (await getChannels({ lnd: net.lnd('alice') })).channels.every(c => c.pending_payments.length === 0) ? true : undefined, 'no HTLC in flight at alice')
  }

  await t.test('rebalance: approved, alice → bob → carol → alice moves amount + fee out, amount in, within the max fee', async () => {
    const [outBefore, inBefore] = [(await channel(ab.channelPoint)).localBalance, await fromCarol()]
    const d = manager.directive('rebalance', { amount, outgoingChannel: ab.id, hops: [keyB, keyC], maxFee: 10 }, true)
    await until(() => manager.statuses(d.id).includes('awaiting_approval') ? true : undefined, 'the owner to be asked')
    assert.equal((await channel(ab.channelPoint)).localBalance, outBefore, 'nothing moves before the approval')
    manager.approve(d.id)
    const result = await manager.result(d.id)
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result))
    assert.deepEqual(manager.statuses(d.id), ['received', 'awaiting_approval', 'executing'])
    assert.match(String(result.detail.paymentId), /^[0-9a-f]{64}$/)
    assert.deepEqual({ ...result.detail, paymentId: '' },
      { paymentId: '', amount, fee: Number(routeFee / 1000n), feeMsat: routeFee.toString(), hops: 3 })
    assert.ok(Number(result.detail.fee) <= 10)

    await settled()
    assert.equal(outBefore - (await channel(ab.channelPoint)).localBalance, amount + Math.ceil(Number(routeFee) / 1000))
    assert.equal(await fromCarol() - inBefore, amount)
    // the fee counts against alice's limits
    assert.deepEqual(stormd.runtime.agent.state.ledger.map(e => [e.kind, e.amount, e.fee]), [['rebalance', amount, Math.ceil(Number(routeFee) / 1000)]])
  })

  await t.test('rebalance with a max fee below the route’s fee: LN_FEE_TOO_HIGH, nothing moves', async () => {
    assert.ok(routeFee > 1000n, `route fee ${routeFee} msat`)
    const [outBefore, inBefore] = [(await channel(ab.channelPoint)).localBalance, await fromCarol()]
    const d = manager.directive('rebalance', { amount, outgoingChannel: ab.id, hops: [keyB, keyC], maxFee: 1 })
    const result = await manager.result(d.id)
    assert.equal(result.outcome, 'failed')
    assert.deepEqual(result.error, { code: 'LN_FEE_TOO_HIGH', params: { feeMsat: routeFee.toString(), fee: Math.ceil(Number(routeFee) / 1000), maxFee: 1 } })
    await settled()
    assert.deepEqual([(await channel(ab.channelPoint)).localBalance, await fromCarol()], [outBefore, inBefore])
    assert.equal(stormd.runtime.agent.state.ledger.length, 1, 'a failed payment costs nothing')
  })

  await t.test('beyond alice’s limits: refused on arrival with the limit’s code, LND untouched', async () => {
    const payments = (await getPayments({ lnd: net.lnd('alice') })).payments.length
    const pendingBefore = await alice.getPendingChannels()
    const balanceBefore = (await channel(ab.channelPoint)).localBalance
    const cases = [
      { kind: 'rebalance', params: { amount: 250_000, outgoingChannel: ab.id, hops: [keyB, keyC], maxFee: 10 }, error: { code: 'LIMIT_TRANSACTION_SIZE', params: { amount: 250_000, max: 200_000 } } },
      { kind: 'rebalance', params: { amount, outgoingChannel: ad.id, hops: [keyD, keyC], maxFee: 10 }, error: { code: 'PAYMENT_LEAVES_STORM', params: { hop: keyD.slice(0, 12) + '…' } } },
      { kind: 'open_channel', params: { peer: keyD, peerMember: 'dave', capacity: 100_000 }, error: { code: 'PEER_NOT_IN_STORM', params: { peer: keyD.slice(0, 12) + '…' } } },
      { kind: 'open_channel', params: { peer: keyB, peerMember: 'bob', capacity: 10 }, error: { code: 'LIMIT_CHANNEL_SIZE', params: { capacity: 10, min: 20_000, max: 16_777_215 } } },
      { kind: 'close_channel', params: { channelPoint: ab.channelPoint, peer: keyB, force: true }, error: { code: 'LIMIT_FORCE_CLOSE', params: {} } }
    ] as const
    for (const c of cases) {
      const d = manager.directive(c.kind, c.params as never, true)
      const result = await manager.result(d.id)
      assert.deepEqual([result.outcome, result.error], ['failed', c.error], c.kind)
      assert.deepEqual(manager.statuses(d.id), [], 'refused before the owner is asked')
    }
    assert.equal((await getPayments({ lnd: net.lnd('alice') })).payments.length, payments, 'no payment')
    assert.deepEqual(await alice.getPendingChannels(), pendingBefore, 'no channel opening or closing')
    assert.equal((await channel(ab.channelPoint)).localBalance, balanceBefore)
  })

  let opened = ''
  await t.test('open_channel: stormd opens to bob, active after mining; set_fees at once waits for LND’s policy', async () => {
    const d = manager.directive('open_channel', { peer: keyB, peerMember: 'bob', capacity: 150_000, socket: net.node('bob').p2pSocket })
    const result = await manager.result(d.id)
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result))
    opened = String(result.detail.channelPoint)
    assert.deepEqual(result.detail, { channelPoint: opened, capacity: 150_000 })
    assert.equal((await alice.getPendingChannels()).find(p => p.channelPoint === opened)?.state, 'opening')
    await net.mine(1)
    const active = await until(async () => {
      const c = (await alice.getChannels()).find(x => x.channelPoint === opened)
      return c?.active === true ? c : undefined
    }, 'the new channel to be active')
    assert.deepEqual([active.peer, active.capacity, active.initiator], [keyB, 150_000, true])

    // LND lists the channel as active a moment before its policy is readable: stormd must wait
    // for it rather than fail the Storm's fee on its newest channel
    const fees = manager.directive('set_fees', { baseFeeMsat: '1500', feeRatePpm: 15, channelPoints: [opened] })
    const set = await manager.result(fees.id)
    assert.deepEqual([set.outcome, set.detail], ['succeeded', { channels: 1, baseFeeMsat: '1500', feeRatePpm: 15 }], JSON.stringify(set))
    assert.deepEqual((await feeRates()).get(opened), { base: '1500', rate: 15 })
  })

  await t.test('open_channels: one directive, one approval, ONE funding transaction for channels to bob and carol', async () => {
    const d = manager.directive('open_channels', {
      channels: [
        { peer: keyB, peerMember: 'bob', capacity: 120_000, socket: net.node('bob').p2pSocket },
        { peer: keyC, peerMember: 'carol', capacity: 130_000, socket: net.node('carol').p2pSocket }
      ]
    }, true)
    await until(() => manager.statuses(d.id).includes('awaiting_approval') ? true : undefined, 'the owner to be asked once')
    assert.deepEqual(await alice.getPendingChannels().then(p => p.filter(x => x.state === 'opening')), [], 'nothing before the approval')
    manager.approve(d.id)
    const result = await manager.result(d.id)
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result))
    const txid = String(result.detail.fundingTxid)
    assert.match(txid, /^[0-9a-f]{64}$/)
    const points = [String(result.detail['channelPoint.0']), String(result.detail['channelPoint.1'])]
    assert.deepEqual([result.detail.channels, result.detail.capacity], [2, 250_000])
    assert.ok(points.every(p => p.startsWith(txid + ':')), JSON.stringify(result.detail))
    assert.notEqual(points[0], points[1])
    // LND itself, not our adapter: both pending channels come out of that one transaction
    const { pending_channels: pending } = await getPendingChannels({ lnd: net.lnd('alice') })
    const ours = pending.filter(p => p.is_opening && p.transaction_id === txid)
    assert.deepEqual(ours.map(p => [p.partner_public_key, p.capacity]).sort(), [[keyB, 120_000], [keyC, 130_000]].sort())
    const tx = (await getChainTransactions({ lnd: net.lnd('alice') })).transactions.filter(x => x.id === txid)
    assert.equal(tx.length, 1, 'one on-chain transaction')
    await net.mine(1)
    const active = await until(async () => {
      const all = await alice.getChannels()
      const found = points.map(p => all.find(c => c.channelPoint === p))
      return found.every(c => c?.active === true) ? found : undefined
    }, 'both channels to be active')
    assert.deepEqual(active.map(c => [c!.peer, c!.capacity, c!.initiator]), [[keyB, 120_000, true], [keyC, 130_000, true]])
  })

  await t.test('LND stopped: heartbeats say LN_UNAVAILABLE; back: healthy, and a directive executes', async () => {
    await net.stopLnd('alice')
    let from = manager.mark()
    // (one from just before the stop may say LN_NOT_SYNCED: LND calls itself unsynced for a moment as a block arrives)
    const down = await manager.next('heartbeat', h => h.health.reason === 'LN_UNAVAILABLE', 'an LN_UNAVAILABLE heartbeat', from)
    assert.deepEqual(down.health, { healthy: false, reason: 'LN_UNAVAILABLE' })
    const second = manager.mark()
    await manager.next('heartbeat', () => true, 'the next heartbeat', second)
    const whileDown = manager.received.slice(second).flatMap(({ msg }) => msg.type === 'heartbeat' ? [msg.body.health] : [])
    assert.deepEqual(whileDown, whileDown.map(() => ({ healthy: false, reason: 'LN_UNAVAILABLE' })))

    from = manager.mark()
    await net.startLnd('alice')
    const up = await manager.next('heartbeat', h => h.health.healthy, 'a healthy heartbeat', from, 60_000)
    assert.equal(up.health.blockHeight, await net.height())
    const d = manager.directive('set_fees', { baseFeeMsat: '1000', feeRatePpm: 1, channelPoints: [ab.channelPoint] })
    const result = await manager.result(d.id)
    assert.deepEqual([result.outcome, result.detail], ['succeeded', { channels: 1, baseFeeMsat: '1000', feeRatePpm: 1 }], JSON.stringify(result))
    // just restarted, LND may answer FeeReport with a bare UNKNOWN for a moment: asked until it answers
    assert.deepEqual(await until(async () => (await feeRates()).get(ab.channelPoint), 'alice’s fee report'), { base: '1000', rate: 1 })
  })

  await t.test('close_channel: the peer must match; then closed cooperatively, gone after mining', async () => {
    const wrong = manager.directive('close_channel', { channelPoint: opened, peer: keyC, force: false })
    const refused = await manager.result(wrong.id)
    assert.deepEqual([refused.outcome, refused.error?.code], ['failed', 'CHANNEL_PEER_MISMATCH'])

    // after the restart the channel needs its peer back before a cooperative close
    await until(async () => (await channel(opened)).active ? true : undefined, 'the channel to be active again', 60_000)
    const d = manager.directive('close_channel', { channelPoint: opened, peer: keyB, force: false }, true)
    await until(() => manager.statuses(d.id).includes('awaiting_approval') ? true : undefined, 'the owner to be asked')
    manager.approve(d.id)
    const result = await manager.result(d.id)
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result))
    const closingTxId = String(result.detail.closingTxId)
    assert.match(closingTxId, /^[0-9a-f]{64}$/)
    assert.deepEqual([result.detail.channelPoint, result.detail.force], [opened, false])
    assert.equal((await alice.getPendingChannels()).find(p => p.channelPoint === opened)?.state, 'waiting_close')

    const from = manager.mark()
    await net.mine(6)
    await until(async () => {
      const open = (await alice.getChannels()).some(c => c.channelPoint === opened)
      const pending = (await alice.getPendingChannels()).some(p => p.channelPoint === opened)
      return !open && !pending ? true : undefined
    }, 'the channel to be closed', 60_000)
    const { channels } = await getClosedChannels({ lnd: net.lnd('alice') })
    const closed = channels.find(c => `${c.transaction_id}:${c.transaction_vout}` === opened)
    assert.deepEqual(closed && [closed.close_transaction_id, closed.is_cooperative_close], [closingTxId, true])
    // and stormd tells the manager
    await manager.next('report', r => !r.channels.some(c => c.channelPoint === opened) && !r.pending.some(p => p.channelPoint === opened),
      'a report without the channel', from)
  })
})

/** The fee a route charges to deliver `amount` sats through hops with `policies`, in order. */
function routeFeeMsat (amount: number, policies: FeePolicy[]): bigint {
  let forward = BigInt(amount) * 1000n
  let fee = 0n
  for (const p of [...policies].reverse()) {
    const hopFee = BigInt(p.baseFeeMsat) + forward * BigInt(p.feeRatePpm) / 1_000_000n
    fee += hopFee
    forward += hopFee
  }
  return fee
}
