/**
 * A graceful exit and an onboarding, for real: the demo Storm (manager, simulated members each
 * with a real stormd over real Hyperswarm links, on the simulated network).
 *
 * Exit: carol funded the only channel dave has. She disconnects. The Storm asks a member to open a
 * channel to dave first, closes carol's channel to him only once that one is open, and tells her
 * it is safe to go at the end. Payments among alice, bob and dave are measured before, during and
 * after: the ones toward dave and between alice and bob never stop succeeding.
 *
 * Onboarding: you pair a node with no funds; members open channels to you; you receive a payment
 * in the same test, and then send one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startDemoStorm, type DemoStorm } from '../../src/demo/demo_storm.ts'
import { createPrng } from '../../src/simnet/prng.ts'
import { announcementFor } from '../../src/bot/announcements.ts'
import { probePayments, successOf, type ProbeOutcome, type ProbePayment } from '../../src/simnet/payment_probe.ts'
import type { Prng } from '../../src/simnet/prng.ts'

test('carol leaves: dave gets a channel first, payments among the others keep succeeding, then it is safe to go', async () => {
  const demo = await startDemoStorm({ warmup: false })
  try {
    const { network } = demo
    const { manager } = demo.manager
    const [alice, bob, carol, dave] = demo.members
    const key = (m: typeof alice) => m!.node.publicKey
    // alice and bob have a channel of their own; carol funds one channel to each of the others
    network.openChannelNow(key(alice), key(bob), 2_000_000, 1_000_000)
    const add = await manager.addFunds(carol!.actor, 1_800_000)
    assert.ok(add.ok)
    await demo.settle()
    // carol has paid each of them, so her channels carry payments both ways
    for (const m of [alice, bob, dave]) assert.ok(network.pay(key(carol), key(m), 300_000).ok)
    await reported(demo)

    // what the chat says, as the console would print it (the closing lines of each message)
    const transcript: string[] = []
    const t = demo.locales.translator('en')
    manager.on('event', e => {
      const shown = e.type === 'exit_planned' || e.type === 'exit_ready' || e.type === 'member_left' || e.type === 'left_early' ||
        (e.type === 'allocation_changed' && (e.allocation.kind === 'remove' || e.allocation.purpose?.kind === 'exit')) ||
        (e.type === 'directive_changed' && (e.record.status === 'succeeded' || e.record.directive.kind === 'do_not_disconnect'))
      const a = shown ? announcementFor(e, manager) : null
      if (a !== null) transcript.push('📣 ' + a.render(t).text)
    })
    const others = [alice, bob, dave].map(key)
    const toDave = (p: ProbePayment) => p.to === key(dave) || p.from !== key(dave)
    const prng = createPrng('exit-flow')
    const before = probe(demo, others, prng, toDave)

    // what dave's own node sees, in order: the new channel must open before the bridge closes
    // (events, not samples: a sample every half second can miss a short overlap on a loaded machine)
    const daveSaw: string[] = []
    const unsubscribe = dave!.node.subscribe(e => {
      if (e.type === 'channel_opened' && e.channel.peer !== key(carol)) daveSaw.push('reinforced')
      if (e.type === 'channel_closed' && e.peer === key(carol)) daveSaw.push('bridge closed')
    })
    const d = await manager.disconnect(carol!.actor)
    assert.ok(d.ok)
    const plan = d.value.exit!
    assert.deepEqual(plan.atRisk.map(a => [a.member, a.reason]), [[memberId(demo, key(dave)), 'cut_off']])
    assert.equal(plan.reinforcements.length, 1)
    assert.equal(plan.reinforcements[0]!.to, memberId(demo, key(dave)))
    const closes = Object.values(manager.state.directives).filter(r => r.directive.kind === 'close_channel' && r.target === memberId(demo, key(carol)))
    assert.equal(closes.length, 1, 'one close cuts nobody off: it goes now')
    assert.ok(closes.every(r => r.directive.kind === 'close_channel' && r.directive.params.peer !== key(dave)), 'the bridge to dave is not among the first closes')

    // during: measured every half second until carol has left
    const during: Array<{ all: ProbePayment[], kept: ProbePayment[] }> = []
    const deadline = Date.now() + 90_000
    while (manager.state.members[memberId(demo, key(carol))]!.status !== 'left') {
      if (Date.now() > deadline) throw new Error('the exit did not finish')
      const bridgeOpen = network.channelsOf(key(dave)).some(c => c.peer === key(carol))
      const reinforced = network.channelsOf(key(dave)).some(c => c.peer !== key(carol))
      assert.ok(bridgeOpen || reinforced, 'dave is never without a Storm channel')
      during.push(probe(demo, others, prng, toDave, 6))
      await new Promise(resolve => setTimeout(resolve, 500))
    }
    unsubscribe()
    assert.deepEqual(daveSaw, ['reinforced', 'bridge closed'], 'the new channel was open before the bridge closed')
    network.setOnline(key(carol), false)
    const after = probe(demo, others, prng, toDave)

    console.log(transcript.join('\n'))
    const rate = (x: ProbePayment[]) => successOf(x)
    const duringAll = rate(during.flatMap(x => x.all))
    const duringKept = rate(during.flatMap(x => x.kept))
    console.log(`success among alice, bob, dave — before ${pct(rate(before.all))}, during ${pct(duringAll)}, after ${pct(rate(after.all))}; ` +
      `toward dave and between alice and bob — before ${pct(rate(before.kept))}, during ${pct(duringKept)}, after ${pct(rate(after.kept))}`)
    assert.equal(rate(before.kept).rate, 1)
    assert.ok(duringKept.attempted > 0)
    assert.equal(duringKept.rate, 1, 'toward dave and between alice and bob, nothing failed during the exit')
    assert.equal(rate(after.kept).rate, 1, 'nor after it')
  } finally {
    await demo.close()
  }
})

test('a newcomer with no funds is lifted, receives a payment, then sends one', async () => {
  const demo = await startDemoStorm({ yourFunds: 0 })
  try {
    const { network } = demo
    const { manager } = demo.manager
    const events: string[] = []
    manager.on('event', e => { if (e.type === 'newcomer_lifted') events.push(e.openers.map(o => o.member.chat.name).join(',')) })
    assert.ok((await manager.connect(demo.you.actor)).ok)
    await demo.pairYou()
    await waitFor(() => events.length === 1, 20_000)
    await demo.settle()
    const you = demo.you.node.publicKey
    const lifted = network.channelsOf(you)
    assert.ok(lifted.length >= 1, 'channels were opened to you')
    assert.ok(lifted.every(c => !c.initiator && c.localBalance === 0), 'by others, with their funds')
    const [alice, , carol] = demo.members
    // nothing to send yet: every sat in your channels is the openers'
    const early = await carol!.node.createInvoice(20_000, 'too early')
    await assert.rejects(demo.you.node.payInvoice(early.request, 500))
    // you can receive at once…
    const invoice = await demo.you.node.createInvoice(50_000, 'welcome')
    const paid = await alice!.node.payInvoice(invoice.request, 500)
    assert.equal(paid.amount, 50_000)
    // …and send once you have received
    const back = await carol!.node.createInvoice(20_000, 'first payment')
    const sent = await demo.you.node.payInvoice(back.request, 500)
    assert.equal(sent.amount, 20_000)
  } finally {
    await demo.close()
  }
})

/** Payments among `keys`: all of them, and those `kept` picks (toward dave, or alice ↔ bob). */
function probe (demo: DemoStorm, keys: string[], prng: Prng, kept: (p: ProbePayment) => boolean, count = 30) {
  const payments = probePayments(demo.network, keys, prng, { count, minAmount: 5_000, maxAmount: 20_000 })
  return { all: payments, kept: payments.filter(kept) }
}

const pct = (p: ProbeOutcome) => `${(100 * p.rate).toFixed(0)} % of ${p.attempted}`

function memberId (demo: DemoStorm, key: string): string {
  const m = Object.values(demo.manager.manager.state.members).find(x => x.node?.publicKey === key)
  if (m === undefined) throw new Error('no member for ' + key)
  return m.id
}

/** Waits until every member's stormd has reported the channels its node has. */
async function reported (demo: DemoStorm): Promise<void> {
  const m = demo.manager.manager
  await waitFor(() => demo.members.every(x => {
    const r = m.observations.get(memberId(demo, x.node.publicKey)).report
    const now = demo.network.channelsOf(x.node.publicKey)
    return r !== undefined && r.channels.length === now.length && r.channels.every(c => now.some(n => n.channelPoint === c.channelPoint && n.localBalance === c.localBalance))
  }), 30_000)
}

async function waitFor (condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
