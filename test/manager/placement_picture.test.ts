/**
 * What placement sees for an addfunds: the members who can take a channel and the Storm channels
 * between them, each once, from the members' reports. The picture resolves each report once and
 * keeps it while the members stay the same; a member reporting again, or a member leaving, must
 * show in the next picture exactly as a picture built from scratch would show it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { syntheticStorm } from '../../bench/support/synthetic_storm.ts'
import { Observations } from '../../src/manager/observations.ts'
import { emptyEffects, type Ctx } from '../../src/manager/context.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { placementPicture } from '../../src/manager/use_cases/placement_picture.ts'
import type { Report } from '../../src/protocol/messages.ts'

function setup () {
  const syn = syntheticStorm({ members: 40, channelsPerMember: 6, seed: 4 })
  const reports: Report[] = syn.members.map((_, i) => syn.reportOf(i))
  const ctxOf = (rs: readonly Report[]): Ctx => {
    const observations = new Observations()
    syn.members.forEach((m, i) => observations.reported(m.id, rs[i]!, syn.now))
    return { state: syn.state, now: syn.now, rules: defaultRules(), observations, random: () => 0, effects: emptyEffects(), isConnected: () => false }
  }
  return { syn, reports, ctx: ctxOf(reports), ctxOf }
}

test('every Storm channel is in the picture once, with both ends\' balances, and each member\'s figures add up', () => {
  const { syn, ctx } = setup()
  const { candidates, channels } = placementPicture(ctx)
  assert.equal(candidates.length, syn.members.length)
  assert.equal(channels.length, syn.channels.length, 'reported by both ends, counted once')
  const byPair = new Map(syn.channels.map(c => [`${Math.min(c.funder, c.peer)}-${Math.max(c.funder, c.peer)}`, c]))
  for (const e of channels) {
    const c = byPair.get(`${Math.min(e.a, e.b)}-${Math.max(e.a, e.b)}`)
    assert.ok(c !== undefined, `m${e.a}–m${e.b} is a Storm channel`)
    const funderSide = c.funder === e.a ? e.balA : e.balB
    assert.equal(funderSide, c.funderBalance, 'the funder\'s balance on the funder\'s side')
  }
  const degree = new Array<number>(syn.members.length).fill(0)
  for (const c of syn.channels) { degree[c.funder]!++; degree[c.peer]!++ }
  assert.deepEqual(candidates.map(c => c.channels), degree)
  const inbound = new Array<number>(syn.members.length).fill(0)
  for (const c of syn.channels) inbound[c.peer]! += c.capacity
  assert.deepEqual(candidates.map(c => c.inbound), inbound, 'liquidity others opened toward each member')
})

test('a member reports again between two addfunds: the next picture shows the new balances, as a fresh picture would', () => {
  const { syn, reports, ctx, ctxOf } = setup()
  const before = placementPicture(ctx)
  // member 3's channels: every sat moved to the far side (it paid out all it had)
  const old = reports[3]!
  const moved: Report = { ...old, channels: old.channels.map(c => ({ ...c, localBalance: 0, remoteBalance: c.localBalance + c.remoteBalance })) }
  ctx.observations.reported(syn.members[3]!.id, moved, syn.now + 60_000)
  const after = placementPicture(ctx)
  const fresh = placementPicture(ctxOf(reports.map((r, i) => i === 3 ? moved : r)))
  assert.deepEqual(after, fresh)
  assert.notDeepEqual(after.candidates[3], before.candidates[3], 'its flow changed')
  assert.ok(after.candidates[3]!.received! < before.candidates[3]!.received!, 'it sent: less received')
})

test('a member who leaves drops out of the next picture, and its channels with it', () => {
  const { syn, reports, ctx, ctxOf } = setup()
  placementPicture(ctx)
  const gone = syn.members[5]!.id
  syn.state.members[gone]!.status = 'left'
  const after = placementPicture(ctx)
  assert.ok(!after.candidates.some(c => c.member === gone))
  assert.deepEqual(after, placementPicture(ctxOf(reports)), 'the same as a picture built from scratch')
  assert.equal(after.channels.length, syn.channels.filter(c => c.funder !== 5 && c.peer !== 5).length)
})

test('a member\'s region, as its stormd said hello with it, is what placement sees', () => {
  const { syn, ctx } = setup()
  syn.state.members[syn.members[2]!.id]!.node!.region = 'eu-west'
  const { candidates } = placementPicture(ctx)
  assert.equal(candidates[2]!.region, 'eu-west')
  assert.equal(candidates[3]!.region, undefined, 'no region given: none assumed')
})
