/**
 * A graceful exit through the manager: carol funded the only channels alice, bob and dave have
 * (a star around her). When she disconnects, the Storm must not close a single one of them
 * before the others have a path without her: it asks members to open channels first, holds carol
 * with do_not_disconnect, closes her channels once those are open, and only then says she may go.
 * A member who goes early is recorded and announced, and the uptime rating counts it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, channelReport, outpoint, type TestMember } from '../support/manager_fixture.ts'
import type { StormEvent } from '../../src/manager/context.ts'
import type { DirectiveMessage } from '../../src/protocol/messages.ts'
import { batchPointKey } from '../../src/protocol/channel_opens.ts'

type Line = ReturnType<typeof channelReport>
let scid = 1
/** The same channel as each end reports it (the graph joins them by short channel id). */
function channel (point: string, from: TestMember, to: TestMember, capacity: number): { from: Line, to: Line } {
  const id = `100x${scid++}x0`
  return {
    from: { ...channelReport(point, to.nodeKey, capacity, capacity, true), id },
    to: { ...channelReport(point, from.nodeKey, capacity, 0, false), id }
  }
}

async function starAroundCarol () {
  const f = await ManagerFixture.start()
  const [alice, bob, carol, dave] = [await f.joinAndPair('alice'), await f.joinAndPair('bob'), await f.joinAndPair('carol'), await f.joinAndPair('dave')]
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))
  const add = await f.manager.addFunds(carol!.actor, 900_000)
  assert.ok(add.ok)
  assert.equal(add.value.channels.length, 3, 'one channel to each of the others')
  await f.manager.decide(carol!.actor, 'all', 'approve')
  const lines = new Map<string, Line[]>([alice, bob, carol, dave].map(m => [m!.id, []]))
  // the three channels are one directive, funded by one transaction: one result names each channel's point
  const batch = add.value.channels[0]!.directive
  assert.ok(add.value.channels.every(c => c.directive === batch))
  const detail = Object.fromEntries(add.value.channels.map((_, i) => [batchPointKey(i), outpoint(i + 1)]))
  await f.fromAgent(carol!.agentKey, 'directive_status', { directive: batch, status: 'executing' })
  await f.fromAgent(carol!.agentKey, 'result', { directive: batch, outcome: 'succeeded', detail })
  for (const [i, c] of add.value.channels.entries()) {
    const point = outpoint(i + 1)
    const peer = [alice, bob, dave].find(m => m!.nodeKey === c.peer)!
    const ch = channel(point, carol!, peer, c.capacity)
    lines.get(carol!.id)!.push(ch.from)
    lines.get(peer.id)!.push(ch.to)
  }
  const all = { alice: alice!, bob: bob!, carol: carol!, dave: dave! }
  const reportAll = async () => {
    for (const m of Object.values(all)) await f.report(m.agentKey, m === all.carol ? 4_090_000 : 5_000_000, lines.get(m.id))
  }
  await reportAll()
  assert.equal(f.stored().allocations[add.value.allocation.id]?.status, 'done')
  return { f, ...all, events, lines, reportAll }
}

const directivesTo = (f: ManagerFixture, m: TestMember, kind: DirectiveMessage['kind']) =>
  f.link.to(m.agentKey, 'directive').filter(d => d.kind === kind)

test('carol leaves a star: capacity is added first, no bridge closes before it is open, then safe_to_disconnect', async () => {
  const { f, alice, bob, carol, dave, events, lines, reportAll } = await starAroundCarol()

  const d = await f.manager.disconnect(carol.actor)
  assert.ok(d.ok)
  const plan = d.value.exit!
  // alice, bob and dave each lose every other member: two new channels join the three pieces
  assert.equal(plan.atRisk.filter(a => a.reason === 'cut_off').length, 2)
  assert.equal(plan.atRisk.length, 2, 'the channels that join them back leave nobody thin')
  assert.equal(plan.reinforcements.length, 2)
  assert.deepEqual(plan.safe, [], 'every one of carol\'s channels is a bridge')
  assert.equal(plan.deferred.length, 3)
  assert.deepEqual(directivesTo(f, carol, 'close_channel'), [], 'nothing closes before the new capacity is open')
  assert.equal(directivesTo(f, carol, 'do_not_disconnect').length, 1, 'carol is held')
  assert.ok(events.some(e => e.type === 'exit_planned'))

  // the openers are asked like for any directive, and approve
  const byKey = new Map([alice, bob, dave].map(m => [m.nodeKey, m]))
  const opens = [alice, bob, dave].flatMap(m => directivesTo(f, m, 'open_channel').map(x => ({ opener: m, d: x })))
  assert.equal(opens.length, 2)
  for (const o of opens) {
    assert.ok(o.d.kind === 'open_channel' && byKey.has(o.d.params.peer) && o.d.params.peer !== o.opener.nodeKey)
    assert.equal(o.d.requiresApproval, true)
  }
  // one reinforcement open, one not yet: still no close
  let n = 50
  const openOne = async (o: typeof opens[number]) => {
    const point = outpoint(n++)
    await f.manager.decide(o.opener.actor, o.d.id, 'approve')
    await f.fromAgent(o.opener.agentKey, 'directive_status', { directive: o.d.id, status: 'executing' })
    await f.fromAgent(o.opener.agentKey, 'result', { directive: o.d.id, outcome: 'succeeded', detail: { channelPoint: point } })
    const to = byKey.get(o.d.kind === 'open_channel' ? o.d.params.peer : '')!
    const ch = channel(point, o.opener, to, o.d.kind === 'open_channel' ? o.d.params.capacity : 0)
    lines.get(o.opener.id)!.push(ch.from)
    lines.get(to.id)!.push(ch.to)
    await reportAll()
  }
  await openOne(opens[0]!)
  assert.deepEqual(directivesTo(f, carol, 'close_channel'), [], 'half the capacity is not enough')
  await openOne(opens[1]!)
  const closes = directivesTo(f, carol, 'close_channel')
  assert.equal(closes.length, 3, 'with both new channels open, carol\'s channels close')
  assert.ok(events.some(e => e.type === 'exit_ready'))
  assert.deepEqual(directivesTo(f, carol, 'safe_to_disconnect'), [], 'not safe before the closes are done')

  for (const c of closes) {
    await f.fromAgent(carol.agentKey, 'result', { directive: c.id, outcome: 'succeeded', detail: { closingTxId: 'ab'.repeat(32) } })
  }
  lines.set(carol.id, [])
  for (const m of [alice, bob, dave]) lines.set(m.id, lines.get(m.id)!.filter(l => l.peer !== carol.nodeKey))
  await reportAll()
  assert.equal(directivesTo(f, carol, 'safe_to_disconnect').length, 1)
  assert.equal(f.stored().members[carol.id]?.status, 'left')
  assert.ok(!events.some(e => e.type === 'left_early'), 'she stayed until she was told')
})

test('a removefunds that strands nobody closes at once, as before', async () => {
  const { f, carol, alice, bob, dave, lines, reportAll } = await starAroundCarol()
  // alice and bob, bob and dave already have channels of their own: carol is no bridge
  let n = 80
  for (const [x, y] of [[alice, bob], [bob, dave], [dave, alice]] as const) {
    const ch = channel(outpoint(n++), x, y, 1_000_000)
    lines.get(x.id)!.push(ch.from)
    lines.get(y.id)!.push(ch.to)
  }
  await reportAll()
  const r = await f.manager.removeFunds(carol.actor, 300_000)
  assert.ok(r.ok)
  assert.deepEqual(r.value.exit?.reinforcements, [])
  assert.equal(directivesTo(f, carol, 'close_channel').length, 1)
})

test('carol goes offline before she is told it is safe: recorded, announced, and counted against her rating', async () => {
  const { f, carol, events } = await starAroundCarol()
  f.clock.advance(10 * 60_000)
  await f.manager.whenIdle()
  assert.equal(f.manager.uptimeOf(carol.id).rating, 100)
  const d = await f.manager.disconnect(carol.actor)
  assert.ok(d.ok)
  f.link.connected.delete(carol.agentKey)
  await f.manager.onDisconnected(carol.agentKey)
  const early = events.filter(e => e.type === 'left_early')
  assert.equal(early.length, 1)
  assert.ok(f.audit.entries.some(e => e.event === 'left_early'))
  await f.manager.onDisconnected(carol.agentKey)
  assert.equal(events.filter(e => e.type === 'left_early').length, 1, 'once per exit')
  for (let i = 0; i < 30; i++) { f.clock.advance(60_000); await f.manager.whenIdle() }
  assert.ok(f.manager.uptimeOf(carol.id).rating < 100, `rating ${f.manager.uptimeOf(carol.id).rating}`)
})

test('bad input changes nothing: removefunds of nothing, of more than allocated, twice', async () => {
  const { f, carol, alice } = await starAroundCarol()
  const before = JSON.stringify(f.stored())
  const zero = await f.manager.removeFunds(carol.actor, 0)
  assert.equal(zero.ok ? '' : zero.error.code, 'AMOUNT_NOT_POSITIVE')
  const more = await f.manager.removeFunds(carol.actor, 5_000_000)
  assert.equal(more.ok ? '' : more.error.code, 'REMOVE_MORE_THAN_ALLOCATED')
  const none = await f.manager.removeFunds(alice.actor, 100_000)
  assert.equal(none.ok ? '' : none.error.code, 'NOTHING_ALLOCATED')
  assert.equal(JSON.stringify(f.stored()), before)
  assert.ok((await f.manager.disconnect(carol.actor)).ok)
  const again = await f.manager.disconnect(carol.actor)
  assert.equal(again.ok ? '' : again.error.code, 'LEAVING')
})

test('an opener declines its reinforcement: another member is asked, and the bridges still wait', async () => {
  const { f, alice, bob, carol, dave, events } = await starAroundCarol()
  const d = await f.manager.disconnect(carol.actor)
  assert.ok(d.ok)
  const members = [alice, bob, dave]
  const first = members.flatMap(m => directivesTo(f, m, 'open_channel').map(x => ({ opener: m, d: x })))
  assert.equal(first.length, 2)
  const declined = first[0]!
  assert.ok((await f.manager.decide(declined.opener.actor, declined.d.id, 'reject')).ok)
  const asked = members.flatMap(m => directivesTo(f, m, 'open_channel').map(x => ({ opener: m, d: x })))
    .filter(x => !first.some(y => y.d.id === x.d.id))
  assert.equal(asked.length, 1, 'one new request')
  assert.notEqual(asked[0]!.opener.id, declined.opener.id, 'not the member who declined')
  assert.ok(asked[0]!.d.kind === 'open_channel' && asked[0]!.d.params.peer !== asked[0]!.opener.nodeKey)
  assert.deepEqual(directivesTo(f, carol, 'close_channel'), [], 'still nothing closes')
  assert.equal(events.filter(e => e.type === 'exit_planned').length, 2, 'the new plan is announced')
})

test('nobody can pay for a channel to the members at risk: the closes go anyway, and the chat is told', async () => {
  const { f, alice, bob, carol, dave, events, lines } = await starAroundCarol()
  for (const m of [alice, bob, dave]) await f.report(m.agentKey, 0, lines.get(m.id))
  const d = await f.manager.disconnect(carol.actor)
  assert.ok(d.ok)
  assert.ok(d.value.exit!.unhelped.length > 0)
  assert.deepEqual(d.value.exit!.reinforcements, [])
  assert.equal(directivesTo(f, carol, 'close_channel').length, 3, 'carol may not be held forever')
  const ready = events.find(e => e.type === 'exit_ready')
  assert.ok(ready?.type === 'exit_ready' && ready.unhelped > 0)
})
