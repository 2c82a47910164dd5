/**
 * stormd stopped (crash, power cut, upgrade) in the middle of things. On the next start the
 * runner finds out from the node how each interrupted directive ended, instead of doing it again;
 * and a directive it already handled, delivered again after the restart, is not run twice.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runnerHarness, stored, summary, FUNDS } from './runner_harness.ts'
import { closeChannel, doNotDisconnect, openChannel, rebalance, setFees } from './helpers.ts'
import type { DirectiveMessage } from '../../src/protocol/messages.ts'

const FEE = 400

test('an open_channel stored as executing whose channel is on the node: succeeded, recovered, not opened again, counted', async () => {
  let d!: DirectiveMessage
  let channelPoint = ''
  const h = await runnerHarness({ maxChannelsPerDay: 1 }, async ({ clock, me, bob, state }) => {
    d = openChannel(clock.now(), bob.publicKey, 500_000)
    state.directives[d.id] = stored(d, 'executing', clock.now())
    // the node opened it, then stormd died before storing the outcome
    channelPoint = (await me.openChannels([{ peer: bob.publicKey, capacity: 500_000 }]))[0]!.channelPoint
  })

  await h.runner.recover()
  assert.deepEqual(h.saved(d.id)?.status, 'succeeded')
  assert.deepEqual(h.saved(d.id)?.detail, { channelPoint, capacity: 500_000, recovered: true })
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'succeeded', detail: { channelPoint, capacity: 500_000, recovered: true } }])
  assert.equal((await h.me.getPendingChannels()).length, 1, 'no second channel')
  assert.deepEqual(await h.me.getChainBalance(), { confirmed: FUNDS - 500_000 - FEE, unconfirmed: 0 })

  // the channel was spent on-chain today, so it counts against today's limits
  assert.deepEqual(h.store.snapshot()?.ledger.map(e => [e.kind, e.amount]), [['open', 500_000]])
  const next = openChannel(h.clock.now(), h.carol.publicKey, 100_000)
  await h.runner.receive(next)
  assert.equal(h.saved(next.id)?.error?.code, 'LIMIT_CHANNELS_PER_DAY')
})

test('an open_channel stored as executing whose channel is not on the node: failed INTERRUPTED, nothing opened', async () => {
  let d!: DirectiveMessage
  const h = await runnerHarness({}, ({ clock, bob, state }) => {
    d = openChannel(clock.now(), bob.publicKey, 500_000)
    state.directives[d.id] = stored(d, 'executing', clock.now())
  })
  await h.runner.recover()
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'failed', detail: {}, error: { code: 'INTERRUPTED', params: { kind: 'open_channel' } } }])
  assert.deepEqual(await h.me.getPendingChannels(), [])
  assert.deepEqual(await h.me.getChannels(), [])
  assert.deepEqual(h.state.ledger, [])
})

test('a same-sized channel to the same peer that an earlier directive opened is not taken for the interrupted one', async () => {
  let earlier!: DirectiveMessage
  let interrupted!: DirectiveMessage
  const h = await runnerHarness({}, async ({ clock, me, bob, state }) => {
    earlier = openChannel(clock.now(), bob.publicKey, 500_000)
    const opened = await me.openChannels([{ peer: bob.publicKey, capacity: 500_000 }])
    state.directives[earlier.id] = { ...stored(earlier, 'succeeded', clock.now()), detail: { channelPoint: opened[0]!.channelPoint, capacity: 500_000 } }
    state.ledger.push({ at: clock.now(), kind: 'open', amount: 500_000, fee: 0 })
    // the planner asked for a second channel of the same size to bob; stormd died before opening it
    interrupted = openChannel(clock.now(), bob.publicKey, 500_000)
    state.directives[interrupted.id] = stored(interrupted, 'executing', clock.now())
  })
  await h.runner.recover()
  assert.deepEqual({ status: h.saved(interrupted.id)?.status, error: h.saved(interrupted.id)?.error?.code }, { status: 'failed', error: 'INTERRUPTED' })
  assert.equal((await h.me.getPendingChannels()).length, 1)
})

test('set_fees stored as executing is simply run again (setting a fee twice is harmless)', async () => {
  let d!: DirectiveMessage
  const h = await runnerHarness({}, ({ clock, network, me, bob, state }) => {
    network.openChannelNow(me.publicKey, bob.publicKey, 500_000)
    d = setFees(clock.now(), '2500', 2250)
    state.directives[d.id] = stored(d, 'executing', clock.now())
  })
  await h.runner.recover()
  assert.deepEqual(summary(h.drain()), ['status:executing', 'result:succeeded'])
  assert.deepEqual(h.saved(d.id)?.detail, { channels: 1, baseFeeMsat: '2500', feeRatePpm: 2250 })
  assert.deepEqual((await h.me.getChannels()).map(c => c.policy?.feeRatePpm), [2250])
})

test('a directive the owner approved but stormd never started is executed on recovery, within the limits', async () => {
  let approved!: DirectiveMessage
  let tooBig!: DirectiveMessage
  const h = await runnerHarness({ maxChannelSize: 1_000_000 }, ({ clock, bob, carol, state }) => {
    approved = openChannel(clock.now(), bob.publicKey, 300_000, { requiresApproval: true })
    state.directives[approved.id] = stored(approved, 'approved', clock.now())
    // the owner lowered maxChannelSize while stormd was stopped
    tooBig = openChannel(clock.now(), carol.publicKey, 2_000_000, { requiresApproval: true })
    state.directives[tooBig.id] = stored(tooBig, 'approved', clock.now())
  })
  await h.runner.recover()
  assert.equal(h.saved(approved.id)?.status, 'succeeded')
  assert.equal(h.saved(tooBig.id)?.error?.code, 'LIMIT_CHANNEL_SIZE')
  assert.deepEqual((await h.me.getPendingChannels()).map(c => [c.peer, c.capacity]), [[h.bob.publicKey, 300_000]])
})

test('a directive stored only as received (stormd stopped right after) takes its next step on recovery', async () => {
  let run!: DirectiveMessage
  let ask!: DirectiveMessage
  let stale!: DirectiveMessage
  const h = await runnerHarness({}, ({ clock, bob, carol, state }) => {
    run = openChannel(clock.now(), bob.publicKey, 300_000)
    ask = openChannel(clock.now(), carol.publicKey, 300_000, { requiresApproval: true })
    stale = openChannel(clock.now(), carol.publicKey, 300_000, { expiresAt: clock.now() + 60_000 })
    for (const d of [run, ask, stale]) state.directives[d.id] = stored(d, 'received', clock.now())
  })
  h.clock.advance(60_000)
  await h.runner.recover()
  assert.equal(h.saved(run.id)?.status, 'succeeded')
  assert.equal(h.saved(ask.id)?.status, 'awaiting_approval')
  assert.deepEqual(h.notices.filter(n => n.type === 'approval_needed').map(n => n.directive.directive.id), [ask.id])
  assert.equal(h.saved(stale.id)?.error?.code, 'DIRECTIVE_EXPIRED')
  assert.deepEqual((await h.me.getPendingChannels()).map(c => c.peer), [h.bob.publicKey])

  // delivered again after that, each is answered with where it now stands
  h.drain()
  for (const d of [run, ask]) await h.runner.receive(d)
  assert.deepEqual(summary(h.drain()), ['result:succeeded', 'status:awaiting_approval'])
})

test('a rebalance stored as executing without a payment hash (an older stormd), or a close, is not retried: it is reported as it stands', async () => {
  let pay!: DirectiveMessage
  let closedOne!: DirectiveMessage
  let openOne!: DirectiveMessage
  const h = await runnerHarness({}, async ({ clock, network, me, bob, carol, state }) => {
    const ab = network.openChannelNow(me.publicKey, bob.publicKey, 1_000_000, 600_000)
    const ac = network.openChannelNow(me.publicKey, carol.publicKey, 1_000_000, 600_000)
    pay = rebalance(clock.now(), { amount: 10_000, outgoingChannel: ab.id, hops: [bob.publicKey, carol.publicKey], maxFee: 10 })
    state.directives[pay.id] = stored(pay, 'executing', clock.now())
    closedOne = closeChannel(clock.now(), ab.channelPoint, bob.publicKey, false)
    state.directives[closedOne.id] = stored(closedOne, 'executing', clock.now())
    await me.closeChannel({ channelPoint: ab.channelPoint })
    openOne = closeChannel(clock.now(), ac.channelPoint, carol.publicKey, false)
    state.directives[openOne.id] = stored(openOne, 'executing', clock.now())
  })
  const before = h.network.localBalanceMsat(h.me.publicKey)
  await h.runner.recover()
  assert.deepEqual(h.saved(pay.id)?.error, { code: 'INTERRUPTED', params: { kind: 'rebalance' } })
  assert.equal(h.network.localBalanceMsat(h.me.publicKey), before, 'no payment was made')
  assert.deepEqual({ status: h.saved(closedOne.id)?.status, recovered: h.saved(closedOne.id)?.detail?.recovered }, { status: 'succeeded', recovered: true })
  assert.equal(h.saved(openOne.id)?.error?.code, 'INTERRUPTED')
  assert.equal((await h.me.getChannels()).length, 1, 'the channel whose close never started is still open')
})

test('when the node does not answer at recovery, the directive stays executing until the next start', async () => {
  let d!: DirectiveMessage
  let channelPoint = ''
  const h = await runnerHarness({}, async ({ clock, me, bob, state }) => {
    d = openChannel(clock.now(), bob.publicKey, 500_000)
    state.directives[d.id] = stored(d, 'executing', clock.now())
    channelPoint = (await me.openChannels([{ peer: bob.publicKey, capacity: 500_000 }]))[0]!.channelPoint
  })
  h.network.setOnline(h.me.publicKey, false)
  await h.runner.recover()
  assert.equal(h.saved(d.id)?.status, 'executing')
  assert.deepEqual(h.drain(), [])

  h.network.setOnline(h.me.publicKey, true)
  await h.restart()
  await h.runner.recover()
  assert.deepEqual(h.saved(d.id)?.detail, { channelPoint, capacity: 500_000, recovered: true })
})

test('after a restart, a directive delivered again is answered from the store and not run again', async () => {
  const h = await runnerHarness()
  const done = openChannel(h.clock.now(), h.bob.publicKey, 400_000)
  const waiting = openChannel(h.clock.now(), h.carol.publicKey, 300_000, { requiresApproval: true })
  const stay = doNotDisconnect(h.clock.now())
  for (const d of [done, waiting, stay]) await h.runner.receive(d)
  const result = h.drain().find(m => m.type === 'result' && m.body.directive === done.id)!

  await h.restart()
  await h.runner.recover()
  assert.deepEqual(h.drain(), [], 'recovery has nothing to redo')
  for (const d of [done, waiting, stay]) await h.runner.receive(d)
  assert.deepEqual(h.drain(), [
    result,
    { type: 'directive_status', body: { directive: waiting.id, status: 'awaiting_approval' } },
    { type: 'directive_status', body: { directive: stay.id, status: 'executing' } }
  ])
  assert.deepEqual(h.notices, [], 'the owner is not asked again')
  assert.equal((await h.me.getPendingChannels()).length, 1)
  assert.deepEqual(h.runner.finishedIds(), [done.id])

  // the waiting one survived the restart and can still be approved
  assert.equal((await h.approve(waiting.id)).status, 'succeeded')
  assert.equal((await h.me.getPendingChannels()).length, 2)
})
