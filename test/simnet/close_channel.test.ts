import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isStormError } from '../../src/shared/errors.ts'
import { makeNetwork, record } from './helpers.ts'

const FEE = 400

/** alice funds 500,000 to bob through the chain, then pays bob 100,000. */
async function openedPair () {
  const { network } = makeNetwork()
  const alice = network.addNode('alice', { onchain: 1_000_000 })
  const bob = network.addNode('bob')
  const [opened] = await alice.openChannels([{ peer: bob.publicKey, capacity: 500_000 }])
  network.mine(3)
  assert.equal(network.pay(alice.publicKey, bob.publicKey, 100_000).ok, true)
  return { network, alice, bob, point: opened!.channelPoint }
}

for (const closer of ['alice', 'bob'] as const) {
  test(`a cooperative close by ${closer} returns both balances on-chain after one block, the funder paying the fee`, async () => {
    const { network, alice, bob, point } = await openedPair()
    const events = { alice: record(alice), bob: record(bob) }
    const { closingTxId } = await (closer === 'alice' ? alice : bob).closeChannel({ channelPoint: point })

    assert.deepEqual(await alice.getChannels(), [])
    assert.deepEqual(await bob.getChannels(), [])
    assert.deepEqual((await alice.getPendingChannels()).map(p => [p.state, p.localBalance, p.initiator]), [['waiting_close', 400_000 - FEE, closer === 'alice']])
    assert.deepEqual((await bob.getPendingChannels()).map(p => [p.state, p.localBalance, p.initiator]), [['waiting_close', 100_000, closer === 'bob']])
    assert.deepEqual(await alice.getChainBalance(), { confirmed: 1_000_000 - 500_000 - FEE, unconfirmed: 400_000 - FEE })
    assert.deepEqual(await bob.getChainBalance(), { confirmed: 0, unconfirmed: 100_000 })

    network.mine(1)
    assert.deepEqual(await alice.getChainBalance(), { confirmed: 1_000_000 - 100_000 - 2 * FEE, unconfirmed: 0 })
    assert.deepEqual(await bob.getChainBalance(), { confirmed: 100_000, unconfirmed: 0 })
    assert.deepEqual(await alice.getPendingChannels(), [])
    assert.deepEqual(network.transaction(closingTxId)?.height, 4)
    for (const [who, peer] of [['alice', bob], ['bob', alice]] as const) {
      assert.deepEqual(events[who].filter(e => e.type === 'channel_closed'), [{ type: 'channel_closed', channelPoint: point, peer: peer.publicKey }])
    }
  })
}

test('a force close pays the other side at once and holds the closer\'s funds for toSelfDelay blocks', async () => {
  const { network, alice, bob, point } = await openedPair()
  bob.setOnline(false)
  await assert.rejects(alice.closeChannel({ channelPoint: point }), (e: unknown) => isStormError(e) && e.code === 'LN_PEER_UNREACHABLE')
  bob.setOnline(true)

  await alice.closeChannel({ channelPoint: point, force: true })
  assert.deepEqual((await alice.getPendingChannels()).map(p => p.state), ['waiting_close'])
  assert.deepEqual(await alice.getChainBalance(), { confirmed: 1_000_000 - 500_000 - FEE, unconfirmed: 0 }, 'nothing of ours is spendable soon')

  const confirmedAt = network.mine(1)
  assert.deepEqual(await bob.getChainBalance(), { confirmed: 100_000, unconfirmed: 0 })
  assert.deepEqual((await alice.getPendingChannels()).map(p => [p.state, p.localBalance]), [['force_closing', 400_000 - FEE]])
  network.mine(143)
  assert.equal((await alice.getChainBalance()).confirmed, 1_000_000 - 500_000 - FEE)
  assert.equal(network.mine(1), confirmedAt + 144)
  assert.deepEqual(await alice.getChainBalance(), { confirmed: 1_000_000 - 100_000 - 2 * FEE, unconfirmed: 0 })
  assert.deepEqual(await alice.getPendingChannels(), [])
})

test('closing what cannot be closed is refused', async () => {
  const { network, alice, bob, point } = await openedPair()
  const carol = network.addNode('carol', { onchain: 100_000 })
  const [pending] = await carol.openChannels([{ peer: bob.publicKey, capacity: 50_000 }])
  const cases = [
    { description: 'an unknown channel point', node: alice, channelPoint: 'ab'.repeat(32) + ':0', code: 'LN_CHANNEL_NOT_FOUND' },
    { description: 'someone else\'s channel', node: alice, channelPoint: pending!.channelPoint, code: 'LN_CHANNEL_NOT_FOUND' },
    { description: 'a channel still opening', node: carol, channelPoint: pending!.channelPoint, code: 'LN_INVALID_REQUEST' }
  ]
  for (const c of cases) {
    await assert.rejects(c.node.closeChannel({ channelPoint: c.channelPoint }), (e: unknown) => isStormError(e) && e.code === c.code, c.description)
  }
  await alice.closeChannel({ channelPoint: point })
  await assert.rejects(bob.closeChannel({ channelPoint: point }), (e: unknown) => isStormError(e) && e.code === 'LN_INVALID_REQUEST', 'already closing')
  network.mine(1)
  await assert.rejects(bob.closeChannel({ channelPoint: point }), (e: unknown) => isStormError(e) && e.code === 'LN_CHANNEL_NOT_FOUND', 'already closed')
})

test('with a commitment fee modelled, the funder\'s balance excludes it until a cooperative close frees it', async () => {
  const cases = [
    { force: false, funderGets: 500_000 - FEE, description: 'cooperative: set-aside back, closing fee paid' },
    { force: true, funderGets: 500_000 - 2_000, description: 'force: the set-aside was the commitment\'s fee' }
  ]
  for (const c of cases) {
    const { network } = makeNetwork({ commitFee: 2_000 })
    const alice = network.addNode('alice', { onchain: 500_000 + FEE })
    const bob = network.addNode('bob')
    const [opened] = await alice.openChannels([{ peer: bob.publicKey, capacity: 500_000 }])
    network.mine(3)
    const [channel] = await alice.getChannels()
    assert.deepEqual([channel?.localBalance, channel?.remoteBalance], [498_000, 0], c.description)
    await alice.closeChannel({ channelPoint: opened!.channelPoint, force: c.force })
    network.mine(c.force ? 145 : 1)
    assert.deepEqual(await alice.getChainBalance(), { confirmed: c.funderGets, unconfirmed: 0 }, c.description)
  }
})
