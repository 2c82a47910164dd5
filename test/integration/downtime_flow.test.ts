/**
 * Planned downtime end to end, for real: the demo Storm (manager, simulated members each with a
 * real stormd over real Hyperswarm links, and your own stormd). Your node is the hub — a channel
 * to every other member — and the others' ring has drifted one way round. You ask for two hours:
 * your stormd is told `do_not_disconnect`; the manager rebalances the others' ring with a cycle
 * that never touches your node (their stormds pay it); then your stormd gets `safe_to_disconnect`
 * with the window, which is excused in the rating. Your node then really goes offline, and
 * payments between the OTHER members keep succeeding — measured before, during and after, with
 * the same kind of seeded workload — while nothing can reach you. Going offline inside the window
 * is not "leaving early"; `/downtime cancel` once you are back ends the excused time.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startDemoStorm, type DemoStorm } from '../../src/demo/demo_storm.ts'
import { createPrng } from '../../src/simnet/index.ts'
import type { SimNode } from '../../src/simnet/index.ts'

const HOUR = 3_600_000

test('downtime: held while the others are rebalanced around you, then safe_to_disconnect; the others keep paying each other while your node is off', async () => {
  const demo = await startDemoStorm({ warmup: false })
  try {
    const { network } = demo
    const { manager } = demo.manager
    assert.ok((await manager.connect(demo.you.actor)).ok)
    await demo.pairYou()
    const you = demo.you.node
    const others = demo.members.map(m => m.node)
    const [alice, bob, carol, dave] = others as [SimNode, SimNode, SimNode, SimNode]
    for (const o of others) network.openChannelNow(you.publicKey, o.publicKey, 2_000_000, 1_000_000)
    // the others' ring has drifted one way round: 85% on each sender's side
    network.openChannelNow(alice.publicKey, bob.publicKey, 2_000_000, 1_700_000)
    network.openChannelNow(bob.publicKey, carol.publicKey, 2_000_000, 1_700_000)
    network.openChannelNow(carol.publicKey, dave.publicKey, 2_000_000, 1_700_000)
    network.openChannelNow(dave.publicKey, alice.publicKey, 2_000_000, 1_700_000)
    await waitFor(() => [...demo.members, demo.you].every(m => {
      const id = memberId(demo, m.node.publicKey)
      return manager.observations.get(id).report?.channels.length === network.channelsOf(m.node.publicKey).length
    }), 30_000, 'every stormd reports its channels')

    const prng = createPrng('downtime-integration')
    const workload = (n: number) => Array.from({ length: n }, () => {
      const from = prng.int(others.length)
      const to = (from + 1 + prng.int(others.length - 1)) % others.length
      return { from: others[from]!, to: others[to]!, amount: 50_000 + prng.int(150_000) }
    })
    const success = (list: ReturnType<typeof workload>) => list.filter(p => network.pay(p.from.publicKey, p.to.publicKey, p.amount).ok).length / list.length
    const before = success(workload(40))

    // you ask for two hours
    const asked = await manager.downtime(demo.you.actor, 2 * HOUR)
    assert.ok(asked.ok, JSON.stringify(asked))
    const id = asked.value.id
    const youId = memberId(demo, you.publicKey)
    await demo.settle()
    await waitFor(() => manager.state.downtimes[id]!.status === 'granted', 30_000, 'the window is granted')
    const d = manager.state.downtimes[id]!
    assert.ok(d.rebalances.length >= 1, 'the drifted ring was rebalanced before you went')
    for (const r of d.rebalances.map(x => manager.state.directives[x]!)) {
      assert.equal(r.status, 'succeeded', `${r.directive.id}: ${JSON.stringify(r.error)}`)
      assert.ok(r.directive.kind === 'rebalance' && !r.directive.params.hops.includes(you.publicKey) && r.target !== youId, 'around you, not through you')
    }
    const hold = manager.state.directives[d.hold!]!
    assert.equal(hold.directive.kind, 'do_not_disconnect')
    assert.equal(hold.status, 'succeeded', 'the hold is lifted')
    const safe = manager.state.directives[d.safe[0]!]!
    assert.ok(safe.directive.kind === 'safe_to_disconnect')
    assert.deepEqual(safe.directive.params, { windowStart: d.grantedAt, windowEnd: d.grantedAt! + 2 * HOUR })
    await waitFor(() => manager.state.directives[safe.directive.id]!.status === 'succeeded', 20_000, 'your stormd took safe_to_disconnect')
    assert.deepEqual(manager.state.governance.excused[youId], [{ from: d.grantedAt, to: d.grantedAt! + 2 * HOUR, reason: `downtime ${id}` }])

    // your node goes offline for maintenance: nothing reaches it, the others still pay each other
    you.setOnline(false)
    assert.equal(network.pay(alice.publicKey, you.publicKey, 10_000).ok, false, 'your node really is offline')
    const during = success(workload(40))
    // the manager hears that your node is down and does not call it leaving early: the window is granted
    await waitFor(() => manager.observations.get(youId).health?.healthy === false, 20_000, 'your stormd reports LND down')
    await manager.watchDowntimes()
    assert.equal(manager.state.downtimes[id]!.status, 'granted')

    you.setOnline(true)
    const after = success(workload(40))
    console.log(`# downtime integration: payment success among the other members before ${pct(before)}, during ${pct(during)} (your node offline), after ${pct(after)}`)
    assert.ok(before >= 0.9, `before ${before}`)
    assert.ok(during >= 0.9, `the others keep paying each other during the window: ${during}`)
    assert.ok(after >= 0.9, `after ${after}`)

    // back early: cancel ends the window and its excused time now
    await waitFor(() => manager.observations.get(youId).health?.healthy === true, 20_000, 'your stormd reports LND back')
    const cancelled = await manager.cancelDowntime(demo.you.actor)
    assert.ok(cancelled.ok && cancelled.value.status === 'cancelled')
    const excused = manager.state.governance.excused[youId]![0]!
    assert.ok(excused.to < d.grantedAt! + 2 * HOUR, 'the excused time ends when you are back')
    assert.equal(manager.getInfo(demo.you.actor).downtime, undefined)
  } finally {
    await demo.close()
  }
})

function pct (x: number): string {
  return `${(x * 100).toFixed(1)}%`
}

function memberId (demo: DemoStorm, key: string): string {
  const m = Object.values(demo.manager.manager.state.members).find(x => x.node?.publicKey === key)
  if (m === undefined) throw new Error('no member for ' + key)
  return m.id
}

async function waitFor (condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out: ' + what)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
