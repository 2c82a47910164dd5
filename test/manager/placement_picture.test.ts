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

test('the kept picture and plan equal fresh ones after every change a running Storm sees: new balances, a channel closed, a planned channel, a member leaving, a second node paired', async () => {
  const { planAllocation } = await import('../../src/manager/planning/plan_allocation.ts')
  const { observationKey } = await import('../../src/manager/members/member_nodes.ts')
  const { syn, reports, ctx } = setup()
  // every report observed so far, by where it is observed: what a fresh manager would be told
  const seen = new Map<string, Report>(syn.members.map((m, i) => [m.id, reports[i]!]))
  const tell = (key: string, r: Report): void => { seen.set(key, r); ctx.observations.reported(key, r, syn.now) }
  const fresh = (): Ctx => {
    const observations = new Observations()
    for (const [key, r] of seen) observations.reported(key, r, syn.now)
    return { ...ctx, observations }
  }
  const rules = defaultRules()
  const planFor = (c: Ctx, i: number, withColumns: boolean) => {
    const p = placementPicture(c)
    const m = syn.members[i]!
    return planAllocation({
      member: m.id, amount: 400_000, candidates: p.candidates, channels: p.channels, ...(withColumns ? { columns: p.columns } : {}),
      existingPeers: new Set(seen.get(m.id)!.channels.map(ch => ch.peer)), minChannelSize: rules.minChannelSize,
      maxChannelSize: rules.maxChannelSize, maxChannels: rules.maxChannelsPerAllocation, minRating: rules.governance.ratingWarn
    })
  }
  const check = (what: string): void => {
    placementPicture(ctx) // asked twice: the second answer is the kept one
    const kept = placementPicture(ctx)
    assert.deepEqual(kept.candidates, placementPicture(fresh()).candidates, `${what}: candidates`)
    assert.deepEqual(kept.channels, placementPicture(fresh()).channels, `${what}: channels`)
    assert.deepEqual(kept.columns, placementPicture(fresh()).columns, `${what}: columns`)
    for (const i of [0, 1, 6, 12]) {
      assert.deepEqual(planFor(ctx, i, true), planFor(fresh(), i, false), `${what}: the plan for member ${i}`)
    }
  }
  check('at the start')
  // 1. member 2 reports new balances (no channel opens or closes)
  const r2 = seen.get(syn.members[2]!.id)!
  tell(syn.members[2]!.id, { ...r2, channels: r2.channels.map(c => ({ ...c, localBalance: c.capacity - c.localBalance, remoteBalance: c.localBalance })) })
  check('new balances')
  // 2. member 4 closed a channel: its report no longer lists it, nor does its peer's
  const r4 = seen.get(syn.members[4]!.id)!
  const closed = r4.channels[0]!
  tell(syn.members[4]!.id, { ...r4, channels: r4.channels.slice(1) })
  const peerIndex = syn.members.findIndex(m => m.nodeKey === closed.peer)
  const rp = seen.get(syn.members[peerIndex]!.id)!
  tell(syn.members[peerIndex]!.id, { ...rp, channels: rp.channels.filter(c => c.id !== closed.id) })
  check('a channel closed')
  // 3. a channel planned toward member 9 (an unfinished directive)
  const anyDirective = Object.values(syn.state.directives)[0]!
  syn.state.directives.planned1 = { ...anyDirective, directive: { ...anyDirective.directive, id: 'planned1', kind: 'open_channel', params: { peer: syn.members[9]!.nodeKey, capacity: 250_000 } }, status: 'sent' } as typeof anyDirective
  check('a channel planned')
  // 4. member 5 leaves
  syn.state.members[syn.members[5]!.id]!.status = 'left'
  check('a member left')
  // 5. member 6 pairs member 8's node as its second node (member 8 gone): one member, two nodes
  const m6 = syn.state.members[syn.members[6]!.id]!
  const m8 = syn.state.members[syn.members[8]!.id]!
  m8.status = 'left'
  m6.fleet = [{ agentKey: m8.agentKey!, node: m8.node!, pairedAt: syn.now }]
  seen.delete(m8.id)
  ctx.observations.forget(m8.id)
  tell(observationKey(m6, m8.agentKey!), reports[8]!)
  check('a second node paired')
  const six = placementPicture(ctx).candidates.find(c => c.member === m6.id)!
  assert.deepEqual(six.nodeKeys, [m6.node!.publicKey, m8.node!.publicKey], 'one candidate with both nodes, the first one opened to')
})

test('with the manager counting member writes, the picture skips the scan of the members until one is written: a member leaving still drops out at once', async () => {
  const { mkdtemp, rm } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { SqliteStateStore } = await import('../../src/manager/state/sqlite_state_store.ts')
  const { syn, reports, ctxOf } = setup()
  const dir = await mkdtemp(join(tmpdir(), 'storm-picture-'))
  const store = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => syn.state })
  try {
    // as the manager does: the store tells every member record written, the picture reads the count
    let writes = 0
    store.watch(collection => { if (collection === 'members') writes++ })
    const state = await store.load()
    const ctx: Ctx = { ...ctxOf(reports), state, membersVersion: () => writes }
    const first = placementPicture(ctx)
    assert.deepEqual(placementPicture(ctx), first, 'nothing written: the same picture')
    const gone = syn.members[7]!.id
    state.members[gone]!.status = 'left'
    assert.equal(writes, 1, 'the write was told')
    const after = placementPicture(ctx)
    assert.ok(!after.candidates.some(c => c.member === gone), 'the member who left is no candidate')
    assert.deepEqual(after, placementPicture({ ...ctxOf(reports), state }), 'the same as a picture built from scratch')
    // a rating (read each time, not part of the layout) moves without a scan too
    state.members[syn.members[2]!.id]!.rating = 11
    assert.equal(placementPicture(ctx).candidates.find(c => c.member === syn.members[2]!.id)!.rating, 11)
  } finally {
    store.close()
    await rm(dir, { recursive: true, force: true })
  }
})
