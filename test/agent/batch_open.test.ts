/**
 * An `addfunds` of several channels reaches stormd as ONE `open_channels` directive: the owner
 * approves it once, the owner's limits are checked for the whole batch, the node funds every
 * channel with one on-chain transaction (all or nothing), and a crash mid-way is answered by
 * asking the node which channels its funding transaction opened — never by opening them again.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StormError } from '../../src/shared/errors.ts'
import { runnerHarness, stored, summary, FUNDS } from './runner_harness.ts'
import { fakeNodeKey, openChannel, openChannels } from './helpers.ts'
import type { DirectiveMessage } from '../../src/protocol/messages.ts'

const FEE = 400 // the simnet's funding transaction fee: paid once for the whole batch

test('a batch waits for one approval, then one funding transaction opens every channel; each is reported and counted', async () => {
  const h = await runnerHarness()
  const d = openChannels(h.clock.now(), [{ peer: h.bob.publicKey, capacity: 300_000 }, { peer: h.carol.publicKey, capacity: 200_000 }], { requiresApproval: true })
  await h.runner.receive(d)
  assert.deepEqual(summary(h.drain()), ['status:received', 'status:awaiting_approval'])
  assert.deepEqual(h.notices.map(n => n.type), ['approval_needed'], 'one approval for the whole batch')
  assert.deepEqual(await h.me.getPendingChannels(), [])

  const decided = await h.approve(d.id)
  assert.equal(decided.status, 'succeeded')
  const pending = await h.me.getPendingChannels()
  assert.deepEqual(pending.map(p => [p.peer, p.capacity]), [[h.bob.publicKey, 300_000], [h.carol.publicKey, 200_000]])
  const txid = pending[0]!.channelPoint.split(':')[0]!
  assert.ok(pending.every(p => p.channelPoint.startsWith(txid + ':')), 'one funding transaction')
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS - 500_000 - FEE, unconfirmed: 0 }, 'one transaction fee, not two')
  const detail = { channels: 2, capacity: 500_000, fundingTxid: txid, 'channelPoint.0': pending[0]!.channelPoint, 'channelPoint.1': pending[1]!.channelPoint }
  assert.deepEqual(h.drain().at(-1)?.body, { directive: d.id, outcome: 'succeeded', detail })
  // each channel is its own entry: the daily channel count sees two
  assert.deepEqual(h.state.ledger.map(e => [e.kind, e.amount]), [['open', 300_000], ['open', 200_000]])
  h.network.mine(3)
  assert.equal((await h.me.getChannels()).length, 2)
})

test('the owner\'s limits are checked for the whole batch: one bad channel, or the sum, refuses it all and the node is untouched', async () => {
  const h = await runnerHarness({ maxChannelsPerDay: 2, maxOnchainSpendPerDay: 1_000_000 })
  const now = h.clock.now()
  const cases: Array<{ d: DirectiveMessage, code: string }> = [
    // each channel within the size limits, together more than a day's on-chain spend
    { d: openChannels(now, [{ peer: h.bob.publicKey, capacity: 600_000 }, { peer: h.carol.publicKey, capacity: 600_000 }]), code: 'LIMIT_ONCHAIN_SPEND' },
    // one peer outside the Storm spoils the batch
    { d: openChannels(now, [{ peer: h.bob.publicKey, capacity: 100_000 }, { peer: fakeNodeKey(7), capacity: 100_000 }]), code: 'PEER_NOT_IN_STORM' },
    { d: openChannels(now, [{ peer: h.bob.publicKey, capacity: 100_000 }, { peer: h.me.publicKey, capacity: 100_000 }]), code: 'PEER_NOT_IN_STORM' },
    { d: openChannels(now, [{ peer: h.bob.publicKey, capacity: 100_000 }, { peer: h.carol.publicKey, capacity: 10_000 }]), code: 'LIMIT_CHANNEL_SIZE' }
  ]
  for (const { d, code } of cases) {
    await h.runner.receive(d)
    assert.equal(h.saved(d.id)?.error?.code, code, code)
  }
  assert.deepEqual(await h.me.getPendingChannels(), [])
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS, unconfirmed: 0 })

  // one channel today: a batch of two would make three
  await h.runner.receive(openChannel(now, h.bob.publicKey, 100_000))
  const two = openChannels(now, [{ peer: h.carol.publicKey, capacity: 100_000 }, { peer: h.bob.publicKey, capacity: 100_000 }])
  await h.runner.receive(two)
  assert.deepEqual(h.saved(two.id)?.error, { code: 'LIMIT_CHANNELS_PER_DAY', params: { max: 2 } })
  assert.equal((await h.me.getPendingChannels()).length, 1)
})

test('the node refuses one channel of the batch: none is funded, the directive fails, nothing is counted', async () => {
  const h = await runnerHarness()
  h.network.setOnline(h.carol.publicKey, false)
  const d = openChannels(h.clock.now(), [{ peer: h.bob.publicKey, capacity: 300_000 }, { peer: h.carol.publicKey, capacity: 200_000 }])
  await h.runner.receive(d)
  assert.equal(h.saved(d.id)?.status, 'failed')
  assert.equal(h.saved(d.id)?.error?.code, 'LN_PEER_UNREACHABLE')
  assert.deepEqual(await h.me.getPendingChannels(), [], 'all or nothing: not even bob\'s channel')
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS, unconfirmed: 0 })
  assert.deepEqual(h.state.ledger, [])
})

test('the owner lists open_channel in localApproval: it covers a batch too, which the chat cannot approve', async () => {
  const h = await runnerHarness({ localApproval: 'open_channel' })
  const d = openChannels(h.clock.now(), [{ peer: h.bob.publicKey, capacity: 300_000 }, { peer: h.carol.publicKey, capacity: 200_000 }])
  await h.runner.receive(d)
  assert.equal(h.saved(d.id)?.status, 'awaiting_approval', 'waits though the Storm did not ask')
  await assert.rejects(h.runner.decide(d.id, 'approve', 'telegram:42', false), (e: unknown) => e instanceof StormError && e.code === 'APPROVAL_LOCAL_ONLY')
  assert.deepEqual(await h.me.getPendingChannels(), [])
  await h.runner.decide(d.id, 'approve', 'stormcli', true)
  assert.equal((await h.me.getPendingChannels()).length, 2)
})

test('a batch stored as executing whose funding transaction the node broadcast: succeeded per channel, recovered, not funded again', async () => {
  let d!: DirectiveMessage
  let points: string[] = []
  const h = await runnerHarness({}, async ({ clock, me, bob, carol, state }) => {
    d = openChannels(clock.now(), [{ peer: bob.publicKey, capacity: 300_000 }, { peer: carol.publicKey, capacity: 200_000 }])
    state.directives[d.id] = stored(d, 'executing', clock.now())
    // the node funded them, then stormd died before storing the outcome
    points = (await me.openChannels([{ peer: bob.publicKey, capacity: 300_000 }, { peer: carol.publicKey, capacity: 200_000 }])).map(o => o.channelPoint)
  })
  await h.runner.recover()
  const detail = { channels: 2, capacity: 500_000, fundingTxid: points[0]!.split(':')[0]!, 'channelPoint.0': points[0]!, 'channelPoint.1': points[1]!, recovered: true }
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'succeeded', detail }])
  assert.equal((await h.me.getPendingChannels()).length, 2, 'no second funding transaction')
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS - 500_000 - FEE, unconfirmed: 0 })
  assert.deepEqual(h.state.ledger.map(e => [e.kind, e.amount]), [['open', 300_000], ['open', 200_000]])
})

test('a batch stored as executing that never reached the node: failed INTERRUPTED; a same-sized channel of another directive is not taken for it', async () => {
  let d!: DirectiveMessage
  const h = await runnerHarness({}, async ({ clock, me, bob, carol, state }) => {
    // an earlier single open to bob of the same size, finished and stored
    const earlier = openChannel(clock.now(), bob.publicKey, 300_000)
    const [opened] = await me.openChannels([{ peer: bob.publicKey, capacity: 300_000 }])
    state.directives[earlier.id] = { ...stored(earlier, 'succeeded', clock.now()), detail: { channelPoint: opened!.channelPoint, capacity: 300_000 } }
    d = openChannels(clock.now(), [{ peer: bob.publicKey, capacity: 300_000 }, { peer: carol.publicKey, capacity: 200_000 }])
    state.directives[d.id] = stored(d, 'executing', clock.now())
  })
  await h.runner.recover()
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'failed', detail: {}, error: { code: 'INTERRUPTED', params: { kind: 'open_channels' } } }])
  assert.equal((await h.me.getPendingChannels()).length, 1, 'only the earlier channel')
})
