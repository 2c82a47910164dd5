import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import { recoverNodePublicKey } from '../../src/protocol/node_signature.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { isStormError } from '../../src/shared/errors.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { channelTo, makeNetwork, payCircular, record, snapshot } from './helpers.ts'

const rejectsWith = (code: string) => (e: unknown) => isStormError(e) && e.code === code

test('a node reports itself like LND would and signs messages in LND\'s format', async () => {
  const { network } = makeNetwork()
  const alice = network.addNode('alice')
  const bob = network.addNode('bob')
  assert.deepEqual(await alice.getInfo(), {
    publicKey: alice.publicKey, alias: 'alice', network: 'simnet', blockHeight: 0, syncedToChain: true, activeChannels: 0,
    pendingChannels: 0, peers: 0, uris: [`${alice.publicKey}@sim:0`], version: 'simnet 1'
  })
  assert.match(alice.publicKey, /^0[23][0-9a-f]{64}$/)
  await alice.addPeer(bob.publicKey, 'sim:1')
  assert.equal((await bob.getInfo()).peers, 1)
  await assert.rejects(alice.addPeer('02' + '11'.repeat(32), 'sim:9'), rejectsWith('LN_PEER_UNREACHABLE'))
  await assert.rejects(alice.addPeer(alice.publicKey, 'sim:0'), rejectsWith('LN_INVALID_REQUEST'))

  const signature = await alice.signMessage('pair me with storm 42')
  assert.equal(recoverNodePublicKey('pair me with storm 42', signature), alice.publicKey)
  assert.notEqual(recoverNodePublicKey('pair me with storm 43', signature), alice.publicKey)
})

test('an offline node rejects every call, shows inactive channels to peers, and cannot be routed through', async () => {
  const { network } = makeNetwork()
  const [a, b, c] = ['A', 'B', 'C'].map(alias => network.addNode(alias, { onchain: 1_000_000 }))
  const ab = network.openChannelNow(a!.publicKey, b!.publicKey, 1_000_000)
  network.openChannelNow(b!.publicKey, c!.publicKey, 1_000_000)
  const aEvents = record(a!)
  const bEvents = record(b!)
  const invoice = await c!.createInvoice(1_000, '')

  network.setOnline(b!.publicKey, false)
  const calls: Array<[string, (n: LightningNode) => Promise<unknown>]> = [
    ['getInfo', n => n.getInfo()],
    ['getChainBalance', n => n.getChainBalance()],
    ['getChannels', n => n.getChannels()],
    ['getPendingChannels', n => n.getPendingChannels()],
    ['addPeer', n => n.addPeer(a!.publicKey, 'sim:0')],
    ['openChannels', n => n.openChannels([{ peer: a!.publicKey, capacity: 50_000 }])],
    ['closeChannel', n => n.closeChannel({ channelPoint: ab.channelPoint })],
    ['setFees', n => n.setFees({ baseFeeMsat: '0', feeRatePpm: 0 })],
    ['prepareCircular', n => n.prepareCircular({ amount: 1_000, outgoingChannel: ab.id, hops: [a!.publicKey], maxFee: 10 })],
    ['getPayment', n => n.getPayment('00'.repeat(32))],
    ['payCircular', n => payCircular(n, { amount: 1_000, outgoingChannel: ab.id, hops: [a!.publicKey], maxFee: 10 })],
    ['createInvoice', n => n.createInvoice(1_000, '')],
    ['payInvoice', n => n.payInvoice(invoice.request, 10)],
    ['getForwards', n => n.getForwards(0, Infinity)],
    ['signMessage', n => n.signMessage('hello')]
  ]
  for (const [name, call] of calls) await assert.rejects(call(b!), rejectsWith('LN_UNAVAILABLE'), name)

  assert.equal(channelTo(network, a!, b!).active, false)
  assert.equal((await a!.getInfo()).activeChannels, 0)
  const before = snapshot(network)
  await assert.rejects(a!.payInvoice(invoice.request, 100), rejectsWith('LN_NO_ROUTE'))
  assert.deepEqual(network.pay(a!.publicKey, c!.publicKey, 1_000), { ok: false, code: 'LN_NO_ROUTE', attempts: 1 })
  assert.deepEqual(network.pay(b!.publicKey, c!.publicKey, 1_000), { ok: false, code: 'LN_UNAVAILABLE', attempts: 0 })
  assert.deepEqual(snapshot(network), before)
  network.mine(1)
  assert.deepEqual(aEvents.map(e => e.type), ['channel_active_changed', 'block'])
  assert.equal(bEvents.length, 0, 'an offline node hears nothing')

  network.setOnline(b!.publicKey, true)
  assert.equal(channelTo(network, a!, b!).active, true)
  assert.deepEqual(aEvents.filter(e => e.type === 'channel_active_changed').map(e => e.type === 'channel_active_changed' && e.active), [false, true])
  assert.deepEqual(bEvents.map(e => e.type), ['channel_active_changed', 'channel_active_changed'], 'B sees both its channels come back')
  assert.equal((await a!.payInvoice(invoice.request, 100)).hops.length, 2)
})

test('two networks with the same seed and the same operations agree on everything', async () => {
  const story = async (seed: number) => {
    const network = SimNetwork.create({ seed, clock: new ManualClock() })
    const [a, b, c] = ['alice', 'bob', 'carol'].map(alias => network.addNode(alias, { onchain: 5_000_000 }))
    const opened = await a!.openChannels([{ peer: b!.publicKey, capacity: 1_000_000 }, { peer: c!.publicKey, capacity: 800_000 }])
    await b!.openChannels([{ peer: c!.publicKey, capacity: 600_000 }])
    network.mine(3)
    const invoice = await c!.createInvoice(20_000, 'x')
    const paid = await a!.payInvoice(invoice.request, 100)
    const [ab] = await a!.getChannels()
    const circular = await payCircular(a!, { amount: 10_000, outgoingChannel: ab!.id, hops: [b!.publicKey, c!.publicKey], maxFee: 100 })
    return {
      keys: [a, b, c].map(n => n!.publicKey),
      opened,
      channels: await Promise.all([a, b, c].map(n => n!.getChannels())),
      invoice,
      paid,
      circular,
      signature: await a!.signMessage('same')
    }
  }
  const first = await story(7)
  assert.deepEqual(await story(7), first)
  const other = await story(8)
  assert.notDeepEqual(other.keys, first.keys)
  assert.notEqual(other.opened[0]!.channelPoint, first.opened[0]!.channelPoint)
})

test('what the port and the network hand out are copies', async () => {
  const { network } = makeNetwork()
  const a = network.addNode('A', { onchain: 1_000_000 })
  const b = network.addNode('B')
  const events = record(a)
  const opened = network.openChannelNow(a.publicKey, b.publicKey, 500_000)
  const before = snapshot(network)
  const info = await a.getInfo()

  opened.localBalance = 0
  const [channel] = await a.getChannels()
  channel!.localBalance = 1
  channel!.policy!.feeRatePpm = 999
  network.channelsOf(a.publicKey)[0]!.capacity = 1
  const opening = events.find(e => e.type === 'channel_opened')
  if (opening?.type === 'channel_opened') opening.channel.localBalance = 2
  info.uris.push('evil')
  ;(await a.getChainBalance()).confirmed = 0
  network.chainBalanceOf(a.publicKey).confirmed = 0

  assert.deepEqual(snapshot(network), before)
  assert.deepEqual((await a.getInfo()).uris, [`${a.publicKey}@sim:0`])
  assert.equal(channelTo(network, a, b).policy?.feeRatePpm, 1)
})

test('auto-mining mines while something waits for blocks, and stops when nothing does', async () => {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 1, confirmations: 3, clock, autoMineMs: 1_000 })
  const alice = network.addNode('alice', { onchain: 1_000_000 })
  const bob = network.addNode('bob')
  clock.advance(10_000)
  assert.equal(network.height, 0, 'no block while nothing waits')
  await alice.openChannels([{ peer: bob.publicKey, capacity: 100_000 }])
  clock.advance(999)
  assert.equal(network.height, 0)
  clock.advance(1)
  assert.equal(network.height, 1)
  clock.advance(2_000)
  assert.equal(network.height, 3)
  assert.equal((await alice.getChannels())[0]?.active, true)
  clock.advance(10_000)
  assert.equal(network.height, 3, 'idle again')
  network.fund(bob.publicKey, 5_000)
  clock.advance(1_000)
  assert.deepEqual(await bob.getChainBalance(), { confirmed: 5_000, unconfirmed: 0 })
  network.stop()
})

test('fee policies are set per channel or on all channels, within the protocol\'s limits', async () => {
  const { network } = makeNetwork()
  const a = network.addNode('A')
  const [b, c] = [network.addNode('B'), network.addNode('C')]
  const ab = network.openChannelNow(a.publicKey, b.publicKey, 100_000)
  network.openChannelNow(c.publicKey, a.publicKey, 100_000)

  await a.setFees({ channelPoint: ab.channelPoint, baseFeeMsat: '2500', feeRatePpm: 700, cltvDelta: 40 })
  assert.deepEqual(network.channelsOf(a.publicKey).map(ch => ch.policy), [
    { baseFeeMsat: '2500', feeRatePpm: 700, cltvDelta: 40 },
    { baseFeeMsat: '1000', feeRatePpm: 1, cltvDelta: 80 }
  ])
  assert.deepEqual(channelTo(network, b, a).policy, { baseFeeMsat: '1000', feeRatePpm: 1, cltvDelta: 80 }, 'the peer\'s direction is its own')
  await a.setFees({ baseFeeMsat: '0', feeRatePpm: 50 })
  assert.deepEqual(network.channelsOf(a.publicKey).map(ch => ch.policy), [
    { baseFeeMsat: '0', feeRatePpm: 50, cltvDelta: 40 },
    { baseFeeMsat: '0', feeRatePpm: 50, cltvDelta: 80 }
  ])

  const refusals = [
    { description: 'a negative base', request: { baseFeeMsat: '-1', feeRatePpm: 1 }, code: 'LN_INVALID_REQUEST' },
    { description: 'a fractional base', request: { baseFeeMsat: '1.5', feeRatePpm: 1 }, code: 'LN_INVALID_REQUEST' },
    { description: 'a base above u32', request: { baseFeeMsat: '4294967296', feeRatePpm: 1 }, code: 'LN_INVALID_REQUEST' },
    { description: 'a fractional rate', request: { baseFeeMsat: '1', feeRatePpm: 0.5 }, code: 'LN_INVALID_REQUEST' },
    { description: 'a CLTV delta below 18', request: { baseFeeMsat: '1', feeRatePpm: 1, cltvDelta: 17 }, code: 'LN_INVALID_REQUEST' },
    { description: 'an unknown channel', request: { channelPoint: 'ff'.repeat(32) + ':0', baseFeeMsat: '1', feeRatePpm: 1 }, code: 'LN_CHANNEL_NOT_FOUND' }
  ]
  const before = snapshot(network)
  for (const r of refusals) await assert.rejects(a.setFees(r.request), rejectsWith(r.code), r.description)
  assert.deepEqual(snapshot(network), before)
})

test('unsubscribing stops the events', () => {
  const { network } = makeNetwork()
  const a = network.addNode('A')
  const seen: number[] = []
  const stop = a.subscribe(e => { if (e.type === 'block') seen.push(e.height) })
  network.mine(2)
  stop()
  network.mine(1)
  assert.deepEqual(seen, [1, 2])
})
