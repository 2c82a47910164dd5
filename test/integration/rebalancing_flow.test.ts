/**
 * Collective rebalancing end to end, for real: the demo Storm (manager, simulated members each
 * with a real stormd over real Hyperswarm links). Channels drift round a cycle; stormd reports
 * them; a rebalancing round turns the drift into `rebalance` directives; each payer's stormd
 * checks its limits and pays itself round the cycle on the simulated network; the results come
 * back. Then every channel is inside its dead zone and every member's funds are what they were,
 * less the fees the payer paid and plus the fees the others earned.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startDemoStorm } from '../../src/demo/demo_storm.ts'
import { outOfZone } from '../../src/manager/planning/plan_rebalancing.ts'

test('drifted channels → rebalance directives → stormd pays round the cycles → balances back in the dead zone, totals kept less fees', async () => {
  // no payment has earned a fee in this Storm yet, so the fee rules (rebalancing_economics.test)
  // would plan nothing: here it is the path from the round to stormd and back that is tested
  const demo = await startDemoStorm({ warmup: false, rebalancing: { minGainRatio: 0, maxFeeShare: 0 } })
  try {
    const { network } = demo
    const { manager } = demo.manager
    const [alice, bob, carol, dave] = demo.members.map(m => m.node)
    const open = (x: typeof alice, y: typeof alice, local: number) => network.openChannelNow(x!.publicKey, y!.publicKey, 2_000_000, local)
    // payments have drifted every channel of the cycle alice→bob→carol→dave→alice the same way
    const opened = [open(alice, bob, 1_700_000), open(bob, carol, 1_750_000), open(carol, dave, 1_800_000), open(dave, alice, 1_700_000)]
    const nodes = [alice!, bob!, carol!, dave!]
    // wait for every member's stormd to report the new channels
    await waitFor(() => demo.members.every((m, i) => {
      const report = manager.observations.get(memberId(manager, nodes[i]!.publicKey)).report
      return report !== undefined && report.channels.length === network.channelsOf(m.node.publicKey).length
    }), 30_000)
    const before = nodes.map(n => network.localBalanceMsat(n.publicKey))

    const round = await manager.rebalance()
    assert.ok(round.ok)
    assert.equal(round.value.imbalancedBefore, opened.length)
    assert.equal(round.value.payments.length, 1, 'one payment round the cycle fixes its four channels')
    assert.equal(round.value.payments[0]!.fixes, 4)
    await demo.settle()
    const records = round.value.payments.map(p => manager.state.directives[p.directive]!)
    for (const r of records) assert.equal(r.status, 'succeeded', `${r.directive.id}: ${JSON.stringify(r.error)}`)

    const after = nodes.map(n => network.localBalanceMsat(n.publicKey))
    assert.equal(after.reduce((s, x) => s + x, 0), before.reduce((s, x) => s + x, 0), 'not a sat left the Storm')
    const paidBy = new Map<string, number>()
    for (const r of records) paidBy.set(r.target, (paidBy.get(r.target) ?? 0) + Number(r.result!.feeMsat))
    nodes.forEach((n, i) => {
      const paid = paidBy.get(memberId(manager, n.publicKey)) ?? 0
      assert.ok(after[i]! >= before[i]! - paid, `${n.alias} lost only the fees it paid`)
    })
    for (const n of nodes) {
      for (const ch of network.channelsOf(n.publicKey)) {
        assert.ok(!outOfZone(ch.localBalance, ch.capacity, { balancePoint: 0.5, deadzone: 0.1 }), `${n.alias}'s ${ch.id} at ${ch.localBalance}`)
      }
    }
    // once the agents report the new balances, the next round finds nothing to do
    await waitFor(() => nodes.every(n => {
      const report = manager.observations.get(memberId(manager, n.publicKey)).report
      return report !== undefined && report.channels.every(c => !outOfZone(c.localBalance, c.capacity, { balancePoint: 0.5, deadzone: 0.1 }))
    }), 30_000)
    const next = await manager.rebalance()
    assert.ok(next.ok)
    assert.equal(next.value.imbalancedBefore, 0)
    assert.deepEqual(next.value.payments, [])
  } finally {
    await demo.close()
  }
})

function memberId (manager: { state: { members: Record<string, { id: string, node?: { publicKey: string } }> } }, key: string): string {
  const m = Object.values(manager.state.members).find(x => x.node?.publicKey === key)
  if (m === undefined) throw new Error('no member for ' + key)
  return m.id
}

async function waitFor (condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
