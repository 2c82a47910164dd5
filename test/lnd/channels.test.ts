/**
 * Channels on a real LND through Storm's adapter: open (one, and several in one funding
 * transaction), fees, cooperative and force close, and the refusals stormd must understand.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getChannel } from 'lightning'
import type { Channel } from '../../src/agent/lightning_port.ts'
import { newNodeKey } from '../../src/protocol/node_signature.ts'
import { adapter, eventually, network, rejectsWith, SKIP } from './helpers.ts'

test('channels on LND', { skip: SKIP }, async t => {
  const net = network()
  const alice = adapter(net, 'alice')
  const bob = adapter(net, 'bob')
  const dave = adapter(net, 'dave')
  const [keyA, keyB, keyC] = ['alice', 'bob', 'carol'].map(a => net.node(a).publicKey) as [string, string, string]
  const byPoint = async (node: typeof alice, point: string): Promise<Channel | undefined> =>
    (await node.getChannels()).find(c => c.channelPoint === point)
  let ab: Channel | undefined

  await t.test('open_channel: alice opens to bob, connecting first; active after mining', async () => {
    const [opened] = await alice.openChannels([{ peer: keyB, capacity: 500_000, socket: net.node('bob').p2pSocket }])
    assert.equal(opened?.peer, keyB)
    assert.equal(opened?.capacity, 500_000)
    assert.match(opened!.channelPoint, /^[0-9a-f]{64}:\d+$/)
    const pending = (await alice.getPendingChannels()).find(p => p.channelPoint === opened!.channelPoint)
    assert.deepEqual(pending && { state: pending.state, peer: pending.peer, capacity: pending.capacity, initiator: pending.initiator },
      { state: 'opening', peer: keyB, capacity: 500_000, initiator: true })

    await net.mine(6) // 6 confirmations: the channel is also announced
    ab = await eventually(async () => {
      const c = await byPoint(alice, opened!.channelPoint)
      return c?.active === true ? c : undefined
    }, 'the channel to be active')
    assert.equal(ab.capacity, 500_000)
    assert.equal(ab.peer, keyB)
    assert.equal(ab.initiator, true)
    assert.equal(ab.private, false)
    assert.equal(ab.remoteBalance, 0)
    assert.ok(ab.localBalance > 490_000 && ab.localBalance < 500_000, `local ${ab.localBalance} (capacity less the commitment fee)`)
    assert.match(ab.id, /^\d+x\d+x\d+$/)
    const atBob = await byPoint(bob, opened!.channelPoint)
    assert.equal(atBob?.initiator, false)
    assert.equal(atBob?.localBalance, 0)
  })

  await t.test('several channels go into one funding transaction', async () => {
    await dave.addPeer(keyA, net.node('alice').p2pSocket)
    await dave.addPeer(keyC, net.node('carol').p2pSocket)
    const opened = await dave.openChannels([{ peer: keyA, capacity: 300_000 }, { peer: keyC, capacity: 400_000, private: true }])
    assert.deepEqual(opened.map(o => [o.peer, o.capacity]), [[keyA, 300_000], [keyC, 400_000]])
    const [txA, voutA] = opened[0]!.channelPoint.split(':')
    const [txC, voutC] = opened[1]!.channelPoint.split(':')
    assert.equal(txA, txC)
    assert.notEqual(voutA, voutC)
    // the outpoints are the ones LND itself reports
    const pending = (await dave.getPendingChannels()).map(p => p.channelPoint)
    assert.ok(opened.every(o => pending.includes(o.channelPoint)), `${JSON.stringify(opened)} in ${JSON.stringify(pending)}`)
    await net.mine(1)
    const channels = await eventually(async () => {
      const all = await dave.getChannels()
      const ours = opened.map(o => all.find(c => c.channelPoint === o.channelPoint))
      return ours.every(c => c?.active === true) ? ours as Channel[] : undefined
    }, 'both channels to be active')
    assert.deepEqual(channels.map(c => [c.peer, c.capacity, c.private]), [[keyA, 300_000, false], [keyC, 400_000, true]])
  })

  await t.test('set_fees on one channel: the new policy is ours, and the peer learns it by gossip', async () => {
    // LND lists a channel as active a moment before its policy is in the graph; until then
    // set_fees says LN_CHANNEL_NOT_FOUND
    await eventually(async () => (await byPoint(alice, ab!.channelPoint))?.policy, 'our policy on the new channel')
    await alice.setFees({ channelPoint: ab!.channelPoint, baseFeeMsat: '2500', feeRatePpm: 321, cltvDelta: 60 })
    const policy = (await byPoint(alice, ab!.channelPoint))?.policy
    assert.deepEqual(policy, { baseFeeMsat: '2500', feeRatePpm: 321, cltvDelta: 60 })
    const seenByBob = await eventually(async () => {
      const { policies } = await getChannel({ lnd: net.lnd('bob'), id: ab!.id })
      const theirs = policies.find(x => x.public_key === keyA)
      return theirs?.fee_rate === 321 ? theirs : undefined
    }, "bob's graph to show alice's new policy")
    assert.equal(seenByBob.base_fee_mtokens, '2500')
    assert.equal(seenByBob.cltv_delta, 60)
  })

  await t.test('set_fees without a CLTV delta keeps each channel its own', async () => {
    await alice.setFees({ baseFeeMsat: '1000', feeRatePpm: 100 })
    const policy = (await byPoint(alice, ab!.channelPoint))?.policy
    assert.deepEqual(policy, { baseFeeMsat: '1000', feeRatePpm: 100, cltvDelta: 60 })
  })

  await t.test('refusals stormd must understand', async () => {
    await rejectsWith(alice.openChannels([{ peer: keyB, capacity: 1_000 }]), 'LN_CHANNEL_TOO_SMALL')
    await rejectsWith(alice.openChannels([{ peer: keyB, capacity: 20_000_000 }]), 'LN_CHANNEL_TOO_LARGE')
    // a node nobody runs: not a peer, and not reachable where we look for it
    const stranger = newNodeKey().publicKey
    await rejectsWith(alice.openChannels([{ peer: stranger, capacity: 100_000 }]), 'LN_PEER_UNREACHABLE')
    await rejectsWith(alice.addPeer(stranger, `127.0.0.1:${net.file.basePort + 8}`), 'LN_PEER_UNREACHABLE')
    await rejectsWith(alice.closeChannel({ channelPoint: `${'ab'.repeat(32)}:0` }), 'LN_CHANNEL_NOT_FOUND')
    await rejectsWith(alice.setFees({ channelPoint: `${'ab'.repeat(32)}:0`, baseFeeMsat: '1', feeRatePpm: 1, cltvDelta: 40 }), 'LN_CHANNEL_NOT_FOUND')
    await rejectsWith(alice.openChannels([{ peer: 'not a key', capacity: 100_000 }]), 'LN_INVALID_REQUEST')
    await rejectsWith(alice.openChannels([]), 'LN_INVALID_REQUEST')
    await rejectsWith(alice.closeChannel({ channelPoint: 'nonsense' }), 'LN_INVALID_REQUEST')
    await rejectsWith(alice.setFees({ baseFeeMsat: '-1', feeRatePpm: 1 }), 'LN_INVALID_REQUEST')
  })

  await t.test('close_channel, cooperative: waiting close, then gone after mining', async () => {
    const { closingTxId } = await alice.closeChannel({ channelPoint: ab!.channelPoint })
    assert.match(closingTxId, /^[0-9a-f]{64}$/)
    const pending = (await alice.getPendingChannels()).find(p => p.channelPoint === ab!.channelPoint)
    assert.equal(pending?.state, 'waiting_close')
    // lnd waits for a few confirmations (more for larger channels) before it calls it closed
    await net.mine(6)
    await eventually(async () => {
      const open = await byPoint(alice, ab!.channelPoint)
      const stillPending = (await alice.getPendingChannels()).some(p => p.channelPoint === ab!.channelPoint)
      return open === undefined && !stillPending ? true : undefined
    }, 'the channel to be closed')
  })

  await t.test('close_channel, force: pending force close with our funds timelocked', async () => {
    const [opened] = await alice.openChannels([{ peer: keyB, capacity: 250_000 }])
    await net.mine(1)
    await eventually(async () => (await byPoint(alice, opened!.channelPoint))?.active === true ? true : undefined, 'the channel to be active')
    const { closingTxId } = await alice.closeChannel({ channelPoint: opened!.channelPoint, force: true })
    assert.match(closingTxId, /^[0-9a-f]{64}$/)
    assert.equal(await byPoint(alice, opened!.channelPoint), undefined)
    assert.equal((await alice.getPendingChannels()).find(c => c.channelPoint === opened!.channelPoint)?.state, 'waiting_close')
    // confirmed (lnd waits a few blocks), yet far from the end of the CSV delay: timelocked
    await net.mine(6)
    const pending = await eventually(async () => {
      const p = (await alice.getPendingChannels()).find(c => c.channelPoint === opened!.channelPoint)
      return p?.state === 'force_closing' ? p : undefined
    }, 'the force close to confirm')
    assert.equal(pending.peer, keyB)
    assert.equal(pending.capacity, 250_000)
  })
})
