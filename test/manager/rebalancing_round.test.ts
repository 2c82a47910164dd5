/**
 * Rebalancing rounds in the manager: the timer on the injected clock plans a round every
 * refreshRate, the round becomes `rebalance` directives carrying the cycle and the max fee, and
 * what comes back (a payment under way, the agent's refusal for its own limits) shapes the next
 * round. Storm members pair through the real protocol and report their channels.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, channelReport, outpoint, type TestMember } from '../support/manager_fixture.ts'
import type { StormRules } from '../../src/manager/rules.ts'
import { defaultRebalanceRules } from '../../src/manager/planning/rebalance_rules.ts'

const CAP = 1_000_000

/** Alice, Bob and Carol with channels A→B, B→C, C→A, each 900,000 of 1,000,000 on the opener's side. */
async function drifted (rules: Partial<StormRules> = {}) {
  const f = await ManagerFixture.start({ approvalRequired: [], ...rules })
  const [a, b, c] = [await f.joinAndPair('alice'), await f.joinAndPair('bob'), await f.joinAndPair('carol')] as [TestMember, TestMember, TestMember]
  const line = (id: string, n: number, peer: TestMember, local: number, initiator: boolean) =>
    ({ ...channelReport(outpoint(n), peer.nodeKey, CAP, local, initiator), id })
  const report = async (local: number) => {
    await f.report(a.agentKey, 0, [line('1x1x0', 1, b, local, true), line('3x1x0', 3, c, CAP - local, false)])
    await f.report(b.agentKey, 0, [line('2x1x0', 2, c, local, true), line('1x1x0', 1, a, CAP - local, false)])
    await f.report(c.agentKey, 0, [line('3x1x0', 3, a, local, true), line('2x1x0', 2, b, CAP - local, false)])
  }
  await report(900_000)
  return { f, a, b, c, report }
}

async function minute (f: ManagerFixture): Promise<void> {
  f.clock.advance(60_000)
  await f.manager.whenIdle()
}

function rebalances (f: ManagerFixture) {
  return f.manager.directives().filter(r => r.directive.kind === 'rebalance')
}

test('every refreshRate the manager plans a round: one circular payment round the drifted cycle, sent to its payer', async () => {
  const { f, a, b, c } = await drifted()
  // the scheduler ticks every minute (directive expiry); time moves a minute at a time
  for (let s = 0; s < 4; s++) await minute(f)
  f.clock.advance(59_000)
  await f.manager.whenIdle()
  assert.equal(rebalances(f).length, 0, 'not before refreshRate (300 s)')
  f.clock.advance(1_000)
  await f.manager.whenIdle()
  const [r] = rebalances(f)
  assert.ok(r !== undefined, 'a round ran on the timer')
  assert.equal(rebalances(f).length, 1)
  assert.equal(r.directive.kind, 'rebalance')
  if (r.directive.kind !== 'rebalance') return
  const { params } = r.directive
  assert.equal(params.amount, 400_000)
  assert.equal(params.hops.length, 2, 'two hops after the payer: the triangle')
  const keys = [a, b, c].map(m => m.nodeKey)
  const payer = [a, b, c].find(m => m.id === r.target)!
  assert.ok(!params.hops.includes(payer.nodeKey) && params.hops.every(h => keys.includes(h)), 'hops are the other two members')
  assert.ok(params.maxFee > 0 && params.maxFee <= 500 * 400_000 / 1e6 + 1, 'max fee within maxFeePpm')
  assert.equal(r.status, 'sent')
  assert.equal(f.link.to(payer.agentKey, 'directive').filter(d => d.kind === 'rebalance').length, 1, 'delivered to the payer\'s agent')
  assert.ok(f.audit.entries.some(e => e.event === 'rebalancing_round'))

  // the next tick: the payment is under way, its channels are not planned again
  f.clock.advance(300_000)
  await f.manager.whenIdle()
  assert.equal(rebalances(f).length, 1, 'no second payment while the first is in flight')
  f.manager.stop()
})

test('a succeeded payment with balanced reports ends the rebalancing; the next round plans nothing', async () => {
  const { f, report } = await drifted()
  const round = await f.manager.rebalance()
  assert.ok(round.ok && round.value.payments.length === 1)
  const r = rebalances(f)[0]!
  const payer = Object.values(f.manager.state.members).find(m => m.id === r.target)!
  await f.fromAgent(payer.agentKey!, 'result', { directive: r.directive.id, outcome: 'succeeded', detail: { amount: 400_000, fee: 82 } })
  assert.equal(rebalances(f)[0]!.status, 'succeeded')
  await report(500_000)
  const next = await f.manager.rebalance()
  assert.ok(next.ok)
  assert.equal(next.value.imbalancedBefore, 0)
  assert.deepEqual(next.value.payments, [])
  f.manager.stop()
})

test('an agent that refuses for its own limits is not asked again; another member on the cycle pays', async () => {
  const { f } = await drifted()
  const first = await f.manager.rebalance()
  assert.ok(first.ok)
  const r = rebalances(f)[0]!
  const payer = f.manager.state.members[r.target]!
  await f.fromAgent(payer.agentKey!, 'result', {
    directive: r.directive.id, outcome: 'rejected', detail: {}, error: { code: 'LIMIT_TRANSACTIONS_PER_PERIOD', params: { max: 1 } }
  })
  f.clock.advance(60_000)
  const again = await f.manager.rebalance()
  assert.ok(again.ok)
  assert.equal(again.value.payments.length, 1)
  assert.notEqual(again.value.payments[0]!.payerMember, payer.id, 'the refusing agent is paused')
  f.manager.stop()
})

test('with rules.rebalancing.enabled false no round runs and nothing is sent', async () => {
  const { f } = await drifted({ rebalancing: defaultRebalanceRules({ enabled: false }) })
  f.clock.advance(3_600_000)
  await f.manager.whenIdle()
  assert.equal(rebalances(f).length, 0)
  const r = await f.manager.rebalance()
  assert.ok(r.ok && !r.value.ran)
  f.manager.stop()
})
