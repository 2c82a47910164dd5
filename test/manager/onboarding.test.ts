/**
 * Onboarding through the manager: erin pairs a node with no funds; the Storm asks members to open
 * channels to her (bob, who said `lift on`, first), inside the rules' budget per newcomer and per
 * day; the openers approve like any directive. When the day's budget is used up, the next
 * newcomer hears why and nothing is opened; the next day, `lift` works again.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture } from '../support/manager_fixture.ts'
import type { StormEvent } from '../../src/manager/context.ts'
import { OnboardingRulesSchema } from '../../src/manager/planning/movement_rules.ts'

async function storm () {
  const f = await ManagerFixture.start({ onboarding: OnboardingRulesSchema.parse({ satsPerNewcomer: 400_000, satsPerDay: 500_000, channelsPerNewcomer: 2 }) })
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const carol = await f.joinAndPair('carol', 150_000)
  return { f, events, alice, bob, carol }
}

const opens = (f: ManagerFixture, agentKey: string) => f.link.to(agentKey, 'directive').filter(d => d.kind === 'open_channel')

test('a newcomer with no funds is lifted by the willing member first, then by others, inside the budget', async () => {
  const { f, events, alice, bob } = await storm()
  assert.deepEqual(events.filter(e => e.type === 'newcomer_lifted'), [], 'members who have funds are not lifted')
  assert.ok((await f.manager.setWillingToLift(bob.actor, true)).ok)

  const erin = await f.joinAndPair('erin', 0)
  const lifted = events.filter(e => e.type === 'newcomer_lifted')
  assert.equal(lifted.length, 1)
  const e = lifted[0]!
  assert.equal(e.type === 'newcomer_lifted' && e.newcomer.id, erin.id)
  const by = e.type === 'newcomer_lifted' ? e.openers.map(o => [o.member.id, o.capacity]) : []
  // bob volunteered and can carry all 400,000: only he is asked
  assert.deepEqual(by, [[bob.id, 400_000]])
  assert.equal(e.type === 'newcomer_lifted' && e.leftToday, 100_000)
  const d = opens(f, bob.agentKey)
  assert.equal(d.length, 1)
  assert.ok(d[0]!.kind === 'open_channel' && d[0]!.params.peer === erin.nodeKey, 'opened TO the newcomer')
  assert.equal(d[0]!.requiresApproval, true, 'the opener approves like any directive')
  assert.deepEqual(opens(f, alice.agentKey), [], 'alice did not volunteer and was not needed')
  assert.deepEqual(opens(f, erin.agentKey), [], 'the newcomer pays nothing')

  // bob steps back; frank gets what is left of the day, 100,000, from the others (placement order)
  assert.ok((await f.manager.setWillingToLift(bob.actor, false)).ok)
  const frank = await f.joinAndPair('frank', 0)
  const second = events.filter(x => x.type === 'newcomer_lifted').at(-1)!
  assert.ok(second.type === 'newcomer_lifted' && second.newcomer.id === frank.id)
  assert.deepEqual(second.type === 'newcomer_lifted' ? second.openers.map(o => o.capacity) : [], [100_000])

  // gina: the day's budget is used up → a clear message, nothing opened
  const directivesBefore = Object.keys(f.stored().directives).length
  const gina = await f.joinAndPair('gina', 0)
  const refused = events.filter(x => x.type === 'lift_refused')
  assert.equal(refused.length, 1)
  assert.ok(refused[0]!.type === 'lift_refused' && refused[0]!.newcomer.id === gina.id && refused[0]!.code === 'ONBOARDING_BUDGET_EXHAUSTED')
  assert.deepEqual(refused[0]!.type === 'lift_refused' && refused[0]!.params, { left: 0, min: 100_000, day: 500_000 })
  assert.equal(Object.keys(f.stored().directives).length, directivesBefore, 'nothing opened')
  const again = await f.manager.lift(gina.actor)
  assert.equal(again.ok ? '' : again.error.code, 'ONBOARDING_BUDGET_EXHAUSTED')

  // a day later the budget is back
  f.clock.advance(24 * 3_600_000 + 1)
  await f.manager.whenIdle()
  const tomorrow = await f.manager.lift(gina.actor)
  assert.ok(tomorrow.ok)
  assert.equal(tomorrow.value.plan.amount, 400_000)
})

test('a declined lift gives its sats back to the budget', async () => {
  const { f, alice, bob } = await storm()
  await f.joinAndPair('erin', 0)
  for (const m of [alice, bob]) {
    for (const d of opens(f, m.agentKey)) await f.manager.decide(m.actor, d.id, 'reject')
  }
  const frank = await f.joinAndPair('frank', 0)
  const lifted = Object.values(f.stored().allocations).filter(a => a.purpose?.kind === 'onboard' && a.purpose.newcomer === frank.id)
  assert.equal(lifted.reduce((s, a) => s + a.amount, 0), 400_000, 'erin\'s declined 400,000 do not count against the day')
})

test('bad input: lift with funds, a member who is not one, and a newcomer lifted twice', async () => {
  const { f, alice } = await storm()
  const before = JSON.stringify(f.stored())
  const rich = await f.manager.lift(alice.actor)
  assert.equal(rich.ok ? '' : rich.error.code, 'LIFT_NOT_NEEDED')
  const stranger = await f.manager.lift(f.chatActor('zed'))
  assert.equal(stranger.ok ? '' : stranger.error.code, 'NOT_A_MEMBER')
  const willing = await f.manager.setWillingToLift(f.chatActor('zed'), true)
  assert.equal(willing.ok ? '' : willing.error.code, 'NOT_A_MEMBER')
  assert.equal(JSON.stringify(f.stored()), before)
  const erin = await f.joinAndPair('erin', 0)
  const twice = await f.manager.lift(erin.actor)
  assert.equal(twice.ok ? '' : twice.error.code, 'ONBOARDING_NEWCOMER_BUDGET_USED')
})
