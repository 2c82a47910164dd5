import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isStormError } from '../../src/shared/errors.ts'
import type { SimNetworkOptions } from '../../src/simnet/index.ts'
import { makeNetwork, record } from './helpers.ts'

const FEE = 400 // default 2 sat/vB × 200 vB

test('a funded node opens channels to two peers in one batch: pending, then active after 3 blocks', async () => {
  const { network } = makeNetwork()
  const alice = network.addNode('alice', { onchain: 2_000_000 })
  const bob = network.addNode('bob')
  const carol = network.addNode('carol')
  const aliceEvents = record(alice)
  const bobEvents = record(bob)

  const opened = await alice.openChannels([
    { peer: bob.publicKey, capacity: 500_000 },
    { peer: carol.publicKey, capacity: 300_000 }
  ])
  const txid = opened[0]!.channelPoint.split(':')[0]!
  assert.deepEqual(opened, [
    { peer: bob.publicKey, capacity: 500_000, channelPoint: `${txid}:0` },
    { peer: carol.publicKey, capacity: 300_000, channelPoint: `${txid}:1` }
  ])
  assert.equal(network.mempoolSize, 1, 'one funding tx for the batch')
  assert.deepEqual(await alice.getChainBalance(), { confirmed: 2_000_000 - 800_000 - FEE, unconfirmed: 0 })
  assert.deepEqual(await alice.getPendingChannels(), [
    { channelPoint: `${txid}:0`, peer: bob.publicKey, capacity: 500_000, localBalance: 500_000, state: 'opening', initiator: true },
    { channelPoint: `${txid}:1`, peer: carol.publicKey, capacity: 300_000, localBalance: 300_000, state: 'opening', initiator: true }
  ])
  assert.deepEqual(await bob.getPendingChannels(), [
    { channelPoint: `${txid}:0`, peer: alice.publicKey, capacity: 500_000, localBalance: 0, state: 'opening', initiator: false }
  ])

  network.mine(2)
  assert.deepEqual(await alice.getChannels(), [], 'two confirmations are not enough')
  assert.equal((await alice.getPendingChannels()).length, 2)

  network.mine(1)
  const policy = { baseFeeMsat: '1000', feeRatePpm: 1, cltvDelta: 80 }
  assert.deepEqual(await alice.getChannels(), [
    { id: '1x1x0', channelPoint: `${txid}:0`, peer: bob.publicKey, capacity: 500_000, localBalance: 500_000, remoteBalance: 0, localReserve: 5_000, remoteReserve: 5_000, active: true, private: false, initiator: true, policy },
    { id: '1x1x1', channelPoint: `${txid}:1`, peer: carol.publicKey, capacity: 300_000, localBalance: 300_000, remoteBalance: 0, localReserve: 3_000, remoteReserve: 3_000, active: true, private: false, initiator: true, policy }
  ])
  assert.deepEqual(await bob.getChannels(), [
    { id: '1x1x0', channelPoint: `${txid}:0`, peer: alice.publicKey, capacity: 500_000, localBalance: 0, remoteBalance: 500_000, localReserve: 5_000, remoteReserve: 5_000, active: true, private: false, initiator: false, policy }
  ])
  assert.deepEqual(await alice.getPendingChannels(), [])
  assert.deepEqual(network.transaction(txid), { txid, fee: FEE, height: 1, index: 1 })
  assert.deepEqual(aliceEvents.filter(e => e.type === 'channel_opened').map(e => e.type === 'channel_opened' && e.channel.id), ['1x1x0', '1x1x1'])
  assert.deepEqual(bobEvents.filter(e => e.type === 'channel_opened').length, 1)
  assert.deepEqual(aliceEvents.filter(e => e.type === 'block').map(e => e.type === 'block' && e.height), [1, 2, 3])
  const info = await alice.getInfo()
  assert.deepEqual([info.activeChannels, info.pendingChannels, info.peers, info.blockHeight], [2, 0, 2, 3])
})

test('opening more than the wallet holds fails and changes nothing; exactly enough succeeds', async () => {
  const { network } = makeNetwork()
  const alice = network.addNode('alice', { onchain: 500_000 + FEE - 1 })
  const bob = network.addNode('bob')
  const carol = network.addNode('carol')
  const batch = [{ peer: bob.publicKey, capacity: 250_000 }, { peer: carol.publicKey, capacity: 250_000 }]

  await assert.rejects(alice.openChannels(batch), (e: unknown) => isStormError(e) && e.code === 'LN_INSUFFICIENT_FUNDS' && e.params.needed === 500_400)
  assert.deepEqual(await alice.getChainBalance(), { confirmed: 500_399, unconfirmed: 0 })
  assert.deepEqual(await alice.getPendingChannels(), [])
  assert.deepEqual(await bob.getPendingChannels(), [])
  assert.equal(network.mempoolSize, 0)

  network.fund(alice.publicKey, 1)
  network.mine(1)
  assert.equal((await alice.openChannels(batch)).length, 2)
  assert.deepEqual(await alice.getChainBalance(), { confirmed: 0, unconfirmed: 0 })
})

interface OpenCase { description: string, capacity: number | ((peers: { bob: string, self: string }) => Array<{ peer: string, capacity: number }>), options?: SimNetworkOptions, peerOffline?: boolean, error?: string }

const OPEN_CASES: OpenCase[] = [
  { description: 'below the 20,000 sat minimum', capacity: 19_999, error: 'LN_CHANNEL_TOO_SMALL' },
  { description: 'the minimum', capacity: 20_000 },
  { description: 'the non-wumbo maximum', capacity: 16_777_215 },
  { description: 'above the non-wumbo maximum', capacity: 16_777_216, error: 'LN_CHANNEL_TOO_LARGE' },
  { description: 'above 16,777,215 with wumbo', capacity: 16_777_216, options: { wumbo: true } },
  { description: 'above the wumbo maximum', capacity: 1_000_000_001, options: { wumbo: true }, error: 'LN_CHANNEL_TOO_LARGE' },
  { description: 'a fractional capacity', capacity: 50_000.5, error: 'LN_INVALID_REQUEST' },
  { description: 'an offline peer', capacity: 50_000, peerOffline: true, error: 'LN_PEER_UNREACHABLE' },
  { description: 'an unknown key', capacity: () => [{ peer: '02' + '11'.repeat(32), capacity: 50_000 }], error: 'LN_PEER_UNREACHABLE' },
  { description: 'ourselves', capacity: p => [{ peer: p.self, capacity: 50_000 }], error: 'LN_INVALID_REQUEST' },
  { description: 'an empty batch', capacity: () => [], error: 'LN_INVALID_REQUEST' },
  { description: 'a batch with one bad channel', capacity: p => [{ peer: p.bob, capacity: 50_000 }, { peer: p.bob, capacity: 100 }], error: 'LN_CHANNEL_TOO_SMALL' }
]

for (const c of OPEN_CASES) {
  test(`opening a channel: ${c.description}`, async () => {
    const { network } = makeNetwork(c.options)
    const alice = network.addNode('alice', { onchain: 2_000_000_000 })
    const bob = network.addNode('bob')
    if (c.peerOffline === true) bob.setOnline(false)
    const requests = typeof c.capacity === 'number'
      ? [{ peer: bob.publicKey, capacity: c.capacity }]
      : c.capacity({ bob: bob.publicKey, self: alice.publicKey })
    const attempt = alice.openChannels(requests)
    if (c.error === undefined) {
      await attempt
      network.mine(3)
      const [channel] = await alice.getChannels()
      assert.equal(channel?.capacity, c.capacity)
      assert.equal(channel?.localReserve, Math.max(Math.floor(Number(c.capacity) / 100), 354))
      return
    }
    await assert.rejects(attempt, (e: unknown) => isStormError(e) && e.code === c.error)
    assert.deepEqual(await alice.getChainBalance(), { confirmed: 2_000_000_000, unconfirmed: 0 })
    assert.deepEqual(await alice.getPendingChannels(), [])
    assert.equal(network.mempoolSize, 0)
  })
}

test('a private channel is reported as private and instant channels skip the chain and the wallets', async () => {
  const { network } = makeNetwork()
  const alice = network.addNode('alice', { onchain: 100_000 })
  const bob = network.addNode('bob', { onchain: 100_000 })
  await alice.openChannels([{ peer: bob.publicKey, capacity: 50_000, private: true }])
  network.mine(3)
  assert.equal((await alice.getChannels())[0]?.private, true)

  const now = network.openChannelNow(bob.publicKey, alice.publicKey, 80_000, 30_000)
  assert.deepEqual([now.id, now.localBalance, now.remoteBalance, now.active], ['3x1x0', 30_000, 50_000, true])
  assert.deepEqual(network.chainBalanceOf(bob.publicKey), { confirmed: 100_000, unconfirmed: 0 })
  assert.equal(network.mempoolSize, 0)
})
