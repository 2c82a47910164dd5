/**
 * How stormd handles the directives it receives, on a simulated node: approval, dedup by id,
 * rejection, revocation, expiry, the owner's limits (checked on arrival and again before
 * execution), the spending ledger, and the standing do_not_disconnect notice.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StormError } from '../../src/shared/errors.ts'
import { runnerHarness, summary, FUNDS } from './runner_harness.ts'
import { closeChannel, doNotDisconnect, fakeNodeKey, openChannel, rebalance, safeToDisconnect, setFees } from './helpers.ts'

const FEE = 400 // the simnet's funding transaction fee: 2 sat/vB × 200 vB

test('an open_channel that needs approval waits for the owner, then opens exactly one channel', async () => {
  const h = await runnerHarness()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 500_000, { requiresApproval: true })

  await h.runner.receive(d)
  assert.deepEqual(summary(h.drain()), ['status:received', 'status:awaiting_approval'])
  assert.deepEqual(h.notices.map(n => n.type), ['approval_needed'])
  assert.equal(h.saved(d.id)?.status, 'awaiting_approval', 'the wait is stored, not only in memory')
  assert.deepEqual(h.runner.awaiting().map(r => r.directive.id), [d.id])
  assert.deepEqual(await h.me.getPendingChannels(), [], 'nothing happens before the owner says yes')

  h.clock.advance(60_000)
  const decided = await h.approve(d.id)
  const pending = await h.me.getPendingChannels()
  assert.equal(pending.length, 1)
  assert.deepEqual({ peer: pending[0]!.peer, capacity: pending[0]!.capacity, state: pending[0]!.state }, { peer: h.bob.publicKey, capacity: 500_000, state: 'opening' })
  assert.equal(decided.status, 'succeeded')
  assert.equal(decided.decidedBy, 'alice@telegram')
  const sent = h.drain()
  assert.deepEqual(summary(sent), ['status:executing', 'result:succeeded'])
  assert.deepEqual(sent[1]!.body, { directive: d.id, outcome: 'succeeded', detail: { channelPoint: pending[0]!.channelPoint, capacity: 500_000 } })
  assert.deepEqual(h.saved(d.id)?.detail, { channelPoint: pending[0]!.channelPoint, capacity: 500_000 })
  assert.deepEqual(h.state.ledger, [{ at: h.clock.now(), kind: 'open', amount: 500_000, fee: 0 }])
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS - 500_000 - FEE, unconfirmed: 0 })
  assert.deepEqual(h.runner.awaiting(), [])
  assert.equal(h.reportsAsked, 1, 'a fresh report is asked for after the node changed')

  h.network.mine(3)
  assert.equal((await h.me.getChannels()).length, 1)
})

test('approved from stormcli, the owner\'s approval is also told to the manager', async () => {
  const h = await runnerHarness()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 300_000, { requiresApproval: true })
  await h.runner.receive(d)
  h.drain()
  await h.runner.decide(d.id, 'approve', 'stormcli', true)
  assert.deepEqual(summary(h.drain()), ['status:approved', 'status:executing', 'result:succeeded'])
})

test('the same directive delivered twice runs once; the second delivery gets the stored answer', async () => {
  const h = await runnerHarness()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 400_000, { requiresApproval: true })
  await h.runner.receive(d)
  h.drain()

  // delivered again while waiting (a reconnect): the manager hears it is still waiting
  await h.runner.receive(d)
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, status: 'awaiting_approval' }])
  assert.equal(h.notices.length, 1, 'the owner is not asked twice')

  await h.approve(d.id)
  const first = h.drain().at(-1)!
  // delivered again after it finished, even with different parameters under the same id
  await h.runner.receive({ ...d, params: { ...d.params, capacity: 900_000 } } as typeof d)
  await h.runner.receive(d)
  const again = h.drain()
  assert.deepEqual(again, [first, first], 'the stored result, word for word, each time')
  assert.equal((await h.me.getPendingChannels()).length, 1, 'one channel, not two or three')
  assert.equal(h.state.ledger.length, 1)
})

test('a rejected directive never touches the node, and cannot be approved afterwards', async () => {
  const h = await runnerHarness()
  const before = await h.me.getChainBalance()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 400_000, { requiresApproval: true })
  await h.runner.receive(d)
  h.drain()

  const rec = await h.runner.decide(d.id, 'reject', 'alice@telegram', false)
  assert.equal(rec.status, 'rejected')
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'rejected', detail: {} }])
  await assert.rejects(h.approve(d.id), (e: unknown) => e instanceof StormError && e.code === 'DIRECTIVE_NOT_AWAITING' && e.params.status === 'rejected')
  await assert.rejects(h.approve('nosuchid'), (e: unknown) => e instanceof StormError && e.code === 'UNKNOWN_DIRECTIVE')
  assert.deepEqual(await h.me.getPendingChannels(), [])
  assert.deepEqual(await h.me.getChainBalance(), before)
  assert.deepEqual(h.state.ledger, [])
})

test('a revoke before approval stops the directive; a revoke after execution changes nothing', async () => {
  const h = await runnerHarness()
  const waiting = openChannel(h.clock.now(), h.bob.publicKey, 400_000, { requiresApproval: true })
  await h.runner.receive(waiting)
  h.drain()
  await h.runner.revoke({ directive: waiting.id, reason: 'cancelled' })
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: waiting.id, outcome: 'revoked', detail: { reason: 'cancelled' } }])
  assert.equal(h.saved(waiting.id)?.status, 'revoked')
  await assert.rejects(h.approve(waiting.id), (e: unknown) => e instanceof StormError && e.code === 'DIRECTIVE_NOT_AWAITING')
  assert.deepEqual(await h.me.getPendingChannels(), [])

  const done = openChannel(h.clock.now(), h.carol.publicKey, 300_000)
  await h.runner.receive(done)
  assert.equal(h.saved(done.id)?.status, 'succeeded')
  h.drain()
  await h.runner.revoke({ directive: done.id, reason: 'expired' })
  await h.runner.revoke({ directive: 'neverseen', reason: 'cancelled' })
  assert.deepEqual(h.drain(), [], 'nothing to say about a finished or unknown directive')
  assert.equal(h.saved(done.id)?.status, 'succeeded')
  assert.equal((await h.me.getPendingChannels()).length, 1)
})

test('a directive past its expiry fails with DIRECTIVE_EXPIRED, on arrival or when approved too late', async () => {
  const h = await runnerHarness()
  const now = h.clock.now()
  const stale = openChannel(now - 7_200_000, h.bob.publicKey, 400_000, { expiresAt: now })
  await h.runner.receive(stale)
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: stale.id, outcome: 'failed', detail: {}, error: { code: 'DIRECTIVE_EXPIRED', params: { id: stale.id } } }])

  const slow = openChannel(now, h.bob.publicKey, 400_000, { requiresApproval: true, expiresAt: now + 600_000 })
  await h.runner.receive(slow)
  h.clock.advance(600_000)
  const rec = await h.approve(slow.id)
  assert.deepEqual({ status: rec.status, error: rec.error?.code }, { status: 'failed', error: 'DIRECTIVE_EXPIRED' })
  assert.deepEqual(await h.me.getPendingChannels(), [], 'the late approval did not open anything')
})

test('a directive beyond the owner\'s limits fails with the limit\'s code and the node is untouched', async () => {
  const h = await runnerHarness({ maxChannelSize: 1_000_000, allowForceClose: false })
  const stranger = fakeNodeKey(7)
  const cases = [
    { d: openChannel(h.clock.now(), h.bob.publicKey, 1_000_001), code: 'LIMIT_CHANNEL_SIZE' },
    { d: openChannel(h.clock.now(), stranger, 100_000), code: 'PEER_NOT_IN_STORM' },
    { d: openChannel(h.clock.now(), h.me.publicKey, 100_000), code: 'PEER_NOT_IN_STORM' },
    { d: closeChannel(h.clock.now(), 'ab'.repeat(32) + ':0', h.bob.publicKey, true), code: 'LIMIT_FORCE_CLOSE' },
    { d: rebalance(h.clock.now(), { amount: 10_000, hops: [h.bob.publicKey, stranger], maxFee: 10 }), code: 'PAYMENT_LEAVES_STORM' }
  ]
  for (const { d, code } of cases) {
    await h.runner.receive(d)
    assert.deepEqual({ status: h.saved(d.id)?.status, code: h.saved(d.id)?.error?.code }, { status: 'failed', code }, code)
  }
  assert.deepEqual(summary(h.drain()), cases.map(() => 'result:failed'), 'refused on arrival: never even received')
  assert.deepEqual(await h.me.getPendingChannels(), [])
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS, unconfirmed: 0 })
  assert.equal(h.reportsAsked, 0)
})

test('the ledger makes the daily limits bite on the next directive, even one approved earlier', async () => {
  const h = await runnerHarness({ maxChannelsPerDay: 1 })
  const first = openChannel(h.clock.now(), h.bob.publicKey, 200_000, { requiresApproval: true })
  const second = openChannel(h.clock.now(), h.carol.publicKey, 200_000, { requiresApproval: true })
  await h.runner.receive(first)
  await h.runner.receive(second)
  assert.equal(h.runner.awaiting().length, 2, 'both were within the limits when they arrived')

  assert.equal((await h.approve(first.id)).status, 'succeeded')
  const refused = await h.approve(second.id)
  assert.deepEqual({ status: refused.status, error: refused.error }, { status: 'failed', error: { code: 'LIMIT_CHANNELS_PER_DAY', params: { max: 1 } } })
  assert.equal((await h.me.getPendingChannels()).length, 1)

  h.clock.advance(86_400_000)
  const tomorrow = openChannel(h.clock.now(), h.carol.publicKey, 200_000)
  await h.runner.receive(tomorrow)
  assert.equal(h.saved(tomorrow.id)?.status, 'succeeded', 'a day later the window has slid')
})

test('a circular rebalance runs on the node, its amount and fee go to the ledger, and the pacing limit bites', async () => {
  const h = await runnerHarness({ minTimeBetweenPayments: 600 })
  const ab = h.network.openChannelNow(h.me.publicKey, h.bob.publicKey, 1_000_000, 800_000)
  h.network.openChannelNow(h.bob.publicKey, h.carol.publicKey, 1_000_000, 800_000)
  h.network.openChannelNow(h.carol.publicKey, h.me.publicKey, 1_000_000, 800_000)
  const circle = () => rebalance(h.clock.now(), { amount: 100_000, outgoingChannel: ab.id, hops: [h.bob.publicKey, h.carol.publicKey], maxFee: 50 })

  const before = h.network.localBalanceMsat(h.me.publicKey)
  const d = circle()
  await h.runner.receive(d)
  const rec = h.saved(d.id)!
  assert.equal(rec.status, 'succeeded', JSON.stringify(rec.error))
  assert.equal(rec.detail?.amount, 100_000)
  assert.equal(rec.detail?.hops, 3, 'bob, carol and back to us')
  const fee = Math.ceil(Number(rec.detail?.feeMsat) / 1000)
  assert.deepEqual(h.state.ledger, [{ at: h.clock.now(), kind: 'rebalance', amount: 100_000, fee }])
  assert.equal(h.network.localBalanceMsat(h.me.publicKey), before - Number(rec.detail?.feeMsat), 'our funds stayed ours, less the routing fee')
  assert.equal((await h.me.getChannels()).find(c => c.id === ab.id)!.localBalance < 700_000, true, 'the payment left by the channel asked for')

  h.clock.advance(599_000)
  const tooSoon = circle()
  await h.runner.receive(tooSoon)
  assert.deepEqual(h.saved(tooSoon.id)?.error, { code: 'LIMIT_PAYMENT_TOO_SOON', params: { seconds: 1 } })
})

test('set_fees touches only the Storm\'s channels; close_channel checks the peer before closing', async () => {
  const h = await runnerHarness()
  const toBob = h.network.openChannelNow(h.me.publicKey, h.bob.publicKey, 500_000)
  const outsider = h.network.addNode('outsider')
  const toOutsider = h.network.openChannelNow(h.me.publicKey, outsider.publicKey, 500_000)

  const fees = setFees(h.clock.now(), '2500', 2250)
  await h.runner.receive(fees)
  assert.deepEqual(h.saved(fees.id)?.detail, { channels: 1, baseFeeMsat: '2500', feeRatePpm: 2250 })
  const policies = Object.fromEntries((await h.me.getChannels()).map(c => [c.channelPoint, c.policy?.feeRatePpm]))
  assert.deepEqual(policies, { [toBob.channelPoint]: 2250, [toOutsider.channelPoint]: 1 })

  const wrongPeer = closeChannel(h.clock.now(), toBob.channelPoint, h.carol.publicKey, false)
  await h.runner.receive(wrongPeer)
  assert.equal(h.saved(wrongPeer.id)?.error?.code, 'CHANNEL_PEER_MISMATCH')
  const close = closeChannel(h.clock.now(), toBob.channelPoint, h.bob.publicKey, false)
  await h.runner.receive(close)
  assert.equal(h.saved(close.id)?.status, 'succeeded')
  assert.deepEqual((await h.me.getChannels()).map(c => c.channelPoint), [toOutsider.channelPoint])
})

test('approval: the owner\'s requireApproval and autoApprove override what the Storm asks', async () => {
  const cases = [
    { config: {}, requiresApproval: false, waits: false },
    { config: {}, requiresApproval: true, waits: true },
    { config: { requireApproval: 'set_fees' }, requiresApproval: false, waits: true },
    { config: { autoApprove: 'set_fees' }, requiresApproval: true, waits: false },
    { config: { autoApprove: 'set_fees', requireApproval: 'set_fees' }, requiresApproval: false, waits: true },
    { config: { requireApproval: 'open_channel' }, requiresApproval: false, waits: false }
  ]
  for (const c of cases) {
    const h = await runnerHarness(c.config)
    const d = setFees(h.clock.now(), '1000', 100, { requiresApproval: c.requiresApproval })
    await h.runner.receive(d)
    assert.equal(h.saved(d.id)?.status, c.waits ? 'awaiting_approval' : 'succeeded', JSON.stringify(c))
  }
})

test('do_not_disconnect stays in effect until the manager lifts it; safe_to_disconnect is told at once', async () => {
  const h = await runnerHarness()
  const stay = doNotDisconnect(h.clock.now(), { requiresApproval: true })
  await h.runner.receive(stay)
  assert.deepEqual(summary(h.drain()), ['status:received', 'status:executing'])
  assert.deepEqual(h.notices.map(n => n.type), ['do_not_disconnect'])

  h.clock.advance(3 * 86_400_000)
  await h.runner.recover()
  assert.equal(h.saved(stay.id)?.status, 'executing', 'days later, and after a restart\'s recovery, still in effect')
  await assert.rejects(h.approve(stay.id), (e: unknown) => e instanceof StormError && e.code === 'DIRECTIVE_NOT_AWAITING')

  await h.runner.revoke({ directive: stay.id, reason: 'lifted' })
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: stay.id, outcome: 'succeeded', detail: { lifted: true } }])
  assert.equal(h.saved(stay.id)?.status, 'succeeded')

  const go = safeToDisconnect(h.clock.now())
  await h.runner.receive(go)
  assert.deepEqual(summary(h.drain()), ['status:received', 'result:succeeded'])
  assert.deepEqual(h.notices.map(n => n.type), ['do_not_disconnect', 'safe_to_disconnect'])
})

test('the owner lists open_channel in localApproval: an approval relayed by the manager (the chat, or a manager that lies) is refused; stormcli approve on the machine runs it', async () => {
  const h = await runnerHarness({ localApproval: 'open_channel' })
  const d = openChannel(h.clock.now(), h.bob.publicKey, 250_000, { requiresApproval: false })
  await h.runner.receive(d)
  assert.equal(h.saved(d.id)?.status, 'awaiting_approval', 'waits even though the Storm did not ask for approval')
  await assert.rejects(h.runner.decide(d.id, 'approve', 'telegram:42', false), (e: unknown) => e instanceof StormError && e.code === 'APPROVAL_LOCAL_ONLY')
  assert.equal(h.saved(d.id)?.status, 'awaiting_approval')
  assert.deepEqual(await h.me.getPendingChannels(), [], 'no channel opened')
  await h.runner.decide(d.id, 'approve', 'stormcli', true)
  assert.equal((await h.me.getPendingChannels()).length, 1)
})

test('the owner lists open_channel in requireApproval only: an approval relayed by the manager does approve it (within the limits)', async () => {
  const h = await runnerHarness({ requireApproval: 'open_channel' })
  const d = openChannel(h.clock.now(), h.bob.publicKey, 250_000, { requiresApproval: false })
  await h.runner.receive(d)
  assert.equal(h.saved(d.id)?.status, 'awaiting_approval')
  await h.runner.decide(d.id, 'approve', 'telegram:42', false)
  assert.equal((await h.me.getPendingChannels()).length, 1)
})

test('the owner lists open_channel in localApproval: a rejection relayed by the manager still counts', async () => {
  const h = await runnerHarness({ localApproval: 'open_channel' })
  const d = openChannel(h.clock.now(), h.bob.publicKey, 250_000)
  await h.runner.receive(d)
  await h.runner.decide(d.id, 'reject', 'telegram:42', false)
  assert.equal(h.saved(d.id)?.status, 'rejected')
})
