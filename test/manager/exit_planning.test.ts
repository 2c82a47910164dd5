/**
 * The graceful exit planner and the onboarding planner, on small graphs: who would be cut off,
 * who opens capacity to them, which closes may go now and which must wait; the newcomer budget.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planExit, type ExitEdge, type ExitPlanInput, type Opener } from '../../src/manager/planning/plan_exit.ts'
import { planOnboarding, type OnboardingInput, type OnboardingOpener } from '../../src/manager/planning/plan_onboarding.ts'
import { OnboardingRulesSchema } from '../../src/manager/planning/movement_rules.ts'

const edge = (id: string, a: string, b: string, capacity = 1_000_000): ExitEdge => ({ id, a, b, capacity })
const opener = (member: string, available = 5_000_000, extra: Partial<Opener> = {}): Opener =>
  ({ member, nodeKey: 'key-' + member, inbound: 0, channels: 1, available, ...extra })

function input (o: Partial<ExitPlanInput> & Pick<ExitPlanInput, 'edges' | 'closing'>): ExitPlanInput {
  const members = o.members ?? ['alice', 'bob', 'carol', 'dave']
  return {
    leaving: 'carol',
    members,
    leaves: true,
    minMemberCapacity: 0,
    minChannelSize: 100_000,
    maxChannelSize: 16_000_000,
    openers: members.map(m => opener(m)),
    keyOf: new Map(members.map(m => [m, 'key-' + m])),
    ...o
  }
}

test('carol leaves a ring: nobody is cut off, every close goes now, nothing is added', () => {
  // alice—bob—carol—dave—alice: without carol, bob still reaches dave through alice
  const edges = [edge('ab', 'alice', 'bob'), edge('bc', 'bob', 'carol'), edge('cd', 'carol', 'dave'), edge('da', 'dave', 'alice')]
  const plan = planExit(input({ edges, closing: ['bc', 'cd'] }))
  assert.deepEqual(plan.atRisk, [])
  assert.deepEqual(plan.reinforcements, [])
  assert.deepEqual(plan.safe.sort(), ['bc', 'cd'])
  assert.deepEqual(plan.deferred, [])
})

test('carol is the only bridge to dave: a channel to dave is opened first, and the bridge closes last', () => {
  // alice—bob—carol—dave, plus alice—carol: carol's close to dave would strand dave
  const edges = [edge('ab', 'alice', 'bob'), edge('bc', 'bob', 'carol', 500_000), edge('ac', 'alice', 'carol', 700_000), edge('cd', 'carol', 'dave', 2_000_000)]
  const plan = planExit(input({ edges, closing: ['bc', 'ac', 'cd'] }))
  assert.deepEqual(plan.atRisk.map(a => [a.member, a.reason]), [['dave', 'cut_off']])
  assert.equal(plan.reinforcements.length, 1)
  const r = plan.reinforcements[0]!
  assert.equal(r.to, 'dave')
  assert.ok(['alice', 'bob'].includes(r.opener), 'a member on the other side of the cut opens it')
  assert.equal(r.capacity, 100_000, 'the smallest channel when the rules ask for no minimum capacity')
  assert.ok(!plan.safe.includes('cd'), 'the bridge to dave never goes first')
  // once bc is closed, ac is the last way from alice and bob to carol and dave: it waits too
  assert.deepEqual(plan.safe, ['bc'], 'the close that cuts nobody off goes now')
  assert.deepEqual(plan.deferred, ['ac', 'cd'])
})

test('two members cut off together get one channel between them and the rest, not two', () => {
  const edges = [edge('ab', 'alice', 'bob'), edge('bc', 'bob', 'carol'), edge('cd', 'carol', 'dave'), edge('de', 'dave', 'erin')]
  const members = ['alice', 'bob', 'carol', 'dave', 'erin']
  const plan = planExit(input({ members, edges, closing: ['bc', 'cd'], openers: members.map(m => opener(m)) }))
  assert.equal(plan.reinforcements.length, 1)
  assert.ok(['dave', 'erin'].includes(plan.reinforcements[0]!.to))
  assert.ok(['alice', 'bob'].includes(plan.reinforcements[0]!.opener))
})

test('a removefunds that leaves a member thin gets it capacity up to the minimum', () => {
  // carol keeps her node (removefunds) but closes the big channel to dave; dave keeps 150k with alice
  const edges = [edge('ca', 'carol', 'alice'), edge('cd', 'carol', 'dave', 3_000_000), edge('ad', 'alice', 'dave', 150_000), edge('ab', 'alice', 'bob')]
  const plan = planExit(input({ edges, closing: ['cd'], leaves: false, minMemberCapacity: 500_000 }))
  assert.deepEqual(plan.atRisk.map(a => [a.member, a.reason, a.capacityAfter]), [['dave', 'thin', 150_000]])
  assert.equal(plan.reinforcements[0]!.capacity, 350_000, 'what dave lacks of the minimum')
  assert.notEqual(plan.reinforcements[0]!.opener, 'alice', 'not a peer it already has')
  assert.notEqual(plan.reinforcements[0]!.opener, 'carol', 'never the member taking funds out')
  assert.deepEqual(plan.safe, ['cd'], 'not a bridge: it goes now')
})

test('nobody has the funds: the member at risk is named as unhelped and the bridge still waits', () => {
  const edges = [edge('ab', 'alice', 'bob'), edge('bc', 'bob', 'carol'), edge('cd', 'carol', 'dave')]
  const plan = planExit(input({ edges, closing: ['bc', 'cd'], openers: ['alice', 'bob', 'carol', 'dave'].map(m => opener(m, 50_000)) }))
  assert.deepEqual(plan.unhelped, ['dave'])
  assert.deepEqual(plan.reinforcements, [])
  assert.ok(plan.deferred.length > 0)
})

test('a close the graph does not know (an inactive channel) carries nobody and goes first', () => {
  const edges = [edge('ab', 'alice', 'bob'), edge('bc', 'bob', 'carol')]
  const plan = planExit(input({ edges, closing: ['gone', 'bc'] }))
  assert.equal(plan.safe[0], 'gone')
})

const rules = OnboardingRulesSchema.parse({ satsPerNewcomer: 400_000, satsPerDay: 1_000_000, channelsPerNewcomer: 2 })
const lifter = (member: string, available: number, willing: boolean): OnboardingOpener =>
  ({ member, nodeKey: 'key-' + member, inbound: 0, channels: 1, available, willing })
function onboarding (o: Partial<OnboardingInput> = {}): OnboardingInput {
  return {
    newcomer: 'erin',
    rules,
    liftedBefore: 0,
    spentToday: 0,
    openers: [lifter('alice', 5_000_000, false), lifter('bob', 5_000_000, true), lifter('carol', 5_000_000, true)],
    existingPeers: new Set(),
    minChannelSize: 100_000,
    maxChannelSize: 16_000_000,
    ...o
  }
}

test('onboarding: the newcomer budget is split over willing members first', () => {
  const r = planOnboarding(onboarding())
  assert.ok(r.ok)
  assert.equal(r.value.amount, 400_000)
  assert.deepEqual(r.value.channels.map(c => [c.peerMember, c.capacity]).sort(), [['bob', 200_000], ['carol', 200_000]])
  assert.equal(r.value.leftToday, 600_000)
})

test('onboarding budget arithmetic: per newcomer, then per day, and an exhausted day opens nothing', () => {
  const partly = planOnboarding(onboarding({ liftedBefore: 250_000 }))
  assert.ok(partly.ok)
  assert.equal(partly.value.amount, 150_000, 'what is left of the newcomer\'s own budget')
  const dayShort = planOnboarding(onboarding({ spentToday: 780_000 }))
  assert.ok(dayShort.ok)
  assert.equal(dayShort.value.amount, 220_000, 'what is left of the day, below the newcomer\'s budget')
  assert.equal(dayShort.value.leftToday, 0)
  const exhausted = planOnboarding(onboarding({ spentToday: 950_000 }))
  assert.ok(!exhausted.ok)
  assert.equal(exhausted.error.code, 'ONBOARDING_BUDGET_EXHAUSTED')
  assert.deepEqual(exhausted.error.params, { left: 50_000, min: 100_000, day: 1_000_000 })
  const used = planOnboarding(onboarding({ liftedBefore: 400_000 }))
  assert.ok(!used.ok)
  assert.equal(used.error.code, 'ONBOARDING_NEWCOMER_BUDGET_USED')
})

test('onboarding: an opener never opens more than it can pay for; no willing one → the others, or none with willing_only', () => {
  const poor = planOnboarding(onboarding({ openers: [lifter('bob', 150_000, true), lifter('carol', 5_000_000, true)] }))
  assert.ok(poor.ok)
  for (const c of poor.value.channels) assert.ok(c.peerMember !== 'bob' || c.capacity <= 150_000)
  assert.equal(poor.value.channels.reduce((s, c) => s + c.capacity, 0), 400_000)
  const unwilling = [lifter('alice', 5_000_000, false), lifter('dave', 5_000_000, false)]
  const fallback = planOnboarding(onboarding({ openers: unwilling }))
  assert.ok(fallback.ok, 'willing_first asks the others when nobody volunteered')
  const only = planOnboarding(onboarding({ openers: unwilling, rules: { ...rules, openers: 'willing_only' } }))
  assert.ok(!only.ok)
  assert.equal(only.error.code, 'ONBOARDING_NO_OPENERS')
  const off = planOnboarding(onboarding({ rules: { ...rules, enabled: false } }))
  assert.equal(off.ok ? '' : off.error.code, 'ONBOARDING_OFF')
})
