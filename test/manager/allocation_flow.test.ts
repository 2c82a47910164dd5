/**
 * A member puts funds into the Storm, approves, and the channels open: every step of the
 * directive life cycle, stored before it is announced; then cancel, removefunds and disconnect.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, agentFunds, channelReport, outpoint } from '../support/manager_fixture.ts'
import type { StormEvent } from '../../src/manager/context.ts'
import { ExitRulesSchema } from '../../src/manager/planning/movement_rules.ts'

async function storm (rules: Parameters<typeof ManagerFixture.start>[0] = {}) {
  const f = await ManagerFixture.start(rules)
  const others = [await f.joinAndPair('alice'), await f.joinAndPair('bob'), await f.joinAndPair('carol')]
  const you = await f.joinAndPair('you', 5_000_000)
  return { f, others, you }
}

test('addfunds plans channels to other members, funds them in one transaction after one approval, and counts once they are open', async () => {
  const { f, others, you } = await storm()
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))

  const r = await f.manager.addFunds(you.actor, 1_500_000)
  assert.ok(r.ok)
  const { allocation, channels } = r.value
  assert.match(allocation.id, /^[A-Za-z0-9]{7}$/)
  assert.deepEqual(channels.map(c => c.capacity), [500_000, 500_000, 500_000])
  assert.deepEqual(new Set(channels.map(c => c.peer)), new Set(others.map(o => o.nodeKey)))
  // one directive for the whole request: one funding transaction, one approval
  const id = channels[0]!.directive
  assert.ok(channels.every(c => c.directive === id))
  assert.deepEqual(allocation.directives, [id])

  // stored before announced: the stored state already has the directive, sent to the agent
  const stored = f.stored()
  assert.equal(stored.directives[id]?.status, 'sent')
  const sent = f.link.to(you.agentKey, 'directive')
  assert.deepEqual(sent.map(d => d.id), [id])
  assert.equal(sent[0]!.kind, 'open_channels')
  assert.deepEqual(sent[0]!.kind === 'open_channels' && sent[0]!.params.channels.map(c => [c.peer, c.capacity]), channels.map(c => [c.peer, c.capacity]))
  assert.ok(sent[0]!.requiresApproval, 'a batch needs approval as one open does')
  assert.ok(events.some(e => e.type === 'directive_changed'))

  await f.fromAgent(you.agentKey, 'directive_status', { directive: id, status: 'awaiting_approval' })
  assert.deepEqual(f.manager.getInfo(you.actor).pending_directives.map(d => d.status), ['awaiting_approval'])

  const approved = await f.manager.decide(you.actor, 'all', 'approve')
  assert.ok(approved.ok)
  assert.equal(approved.value.length, 1)
  assert.deepEqual(f.link.to(you.agentKey, 'approval').map(a => a.decision), ['approve'])

  const points = await agentFunds(f, you, channels)
  const funding = f.stored().allocations[allocation.id]!
  assert.equal(funding.status, 'funding')
  // each channel of the batch is tracked on its own, all from the one transaction
  assert.deepEqual(funding.channels.map(c => [c.channelPoint, c.peer, c.state]), channels.map((c, i) => [points[i], c.peer, 'opening']))
  assert.equal(new Set(funding.channels.map(c => c.channelPoint.split(':')[0])).size, 1)
  assert.equal(f.manager.getInfo(you.actor).total_allocations, 0, 'not counted before the channels are open')

  // two of three active: still funding, and only they count
  const report = channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity, true, i < 2))
  await f.report(you.agentKey, 3_490_000, report)
  assert.equal(f.stored().allocations[allocation.id]?.status, 'funding')
  assert.equal(f.manager.getInfo(you.actor).total_allocations, 1_000_000)

  await f.report(you.agentKey, 3_490_000, channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity)))
  const info = f.manager.getInfo(you.actor)
  assert.equal(f.stored().allocations[allocation.id]?.status, 'done')
  assert.equal(info.total_allocations, 1_500_000)
  assert.deepEqual(info.pending_allocations, [])
  assert.deepEqual(info.pending_directives, [])
  const history = f.stored().directives[id]!.history.map(h => h.status)
  assert.deepEqual(history, ['created', 'sent', 'awaiting_approval', 'approved', 'executing', 'succeeded'])
})

test('a request the planner answers with one channel is still a single open_channel', async () => {
  // one other member: whatever the planner's split, one peer means one channel
  const f = await ManagerFixture.start()
  await f.joinAndPair('alice')
  const you = await f.joinAndPair('you', 5_000_000)
  const r = await f.manager.addFunds(you.actor, 500_000)
  assert.ok(r.ok)
  assert.equal(r.value.channels.length, 1)
  assert.deepEqual(f.link.to(you.agentKey, 'directive').map(d => d.kind), ['open_channel'])
  await f.manager.decide(you.actor, 'all', 'approve')
  const [point] = await agentFunds(f, you, r.value.channels)
  await f.report(you.agentKey, 4_490_000, [channelReport(point!, r.value.channels[0]!.peer, 500_000, 500_000)])
  assert.equal(f.stored().allocations[r.value.allocation.id]?.status, 'done')
  assert.equal(f.manager.getInfo(you.actor).total_allocations, 500_000)
})

test('a batch that fails funds nothing: the request fails and no channel is tracked', async () => {
  const { f, you } = await storm()
  const r = await f.manager.addFunds(you.actor, 1_500_000)
  assert.ok(r.ok)
  const id = r.value.channels[0]!.directive
  await f.manager.decide(you.actor, 'all', 'approve')
  await f.fromAgent(you.agentKey, 'directive_status', { directive: id, status: 'executing' })
  await f.fromAgent(you.agentKey, 'result', { directive: id, outcome: 'failed', detail: {}, error: { code: 'LN_INSUFFICIENT_FUNDS', params: {} } })
  const a = f.stored().allocations[r.value.allocation.id]!
  assert.equal(a.status, 'failed')
  assert.deepEqual(a.channels, [])
  assert.equal(f.manager.getInfo(you.actor).total_allocations, 0)
})

test('getinfo has exactly the seed\'s keys', async () => {
  const { f, you } = await storm()
  await f.manager.addFunds(you.actor, 1_000_000)
  const info = f.manager.getInfo(you.actor)
  assert.deepEqual(Object.keys(info), ['version', 'group', 'members', 'connected', 'uptime', 'consensus_fee_base', 'consensus_fee_rate',
    'rating', 'total_allocations', 'pending_allocations', 'pending_deallocations', 'pending_directives'])
  assert.equal(info.version, 'Storm release v0.1.0')
  assert.equal(info.group, 'Supercell')
  assert.equal(info.members, 4)
  assert.equal(info.connected, true)
  assert.equal(info.consensus_fee_base, 1000)
  assert.equal(info.consensus_fee_rate, 0.0001)
  assert.equal(info.pending_allocations[0]?.amount, 1_000_000)
  assert.deepEqual(info.pending_directives.map(d => d.action), ['open_channels'], 'one directive funds the whole request')
})

test('cancel withdraws a request that has not executed: its directives are revoked and nothing counts', async () => {
  const { f, you } = await storm()
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(r.ok)
  const cancelled = await f.manager.cancel(you.actor, r.value.allocation.id)
  assert.ok(cancelled.ok)
  const stored = f.stored()
  assert.equal(stored.allocations[r.value.allocation.id]?.status, 'cancelled')
  for (const c of r.value.channels) assert.equal(stored.directives[c.directive]?.status, 'cancelled')
  assert.deepEqual(f.link.to(you.agentKey, 'revoke').map(x => x.reason), ['cancelled'], 'one directive, revoked once')
  // a late answer from the agent changes nothing
  await f.fromAgent(you.agentKey, 'result', { directive: r.value.channels[0]!.directive, outcome: 'succeeded', detail: { channelPoint: outpoint(9) } })
  assert.equal(f.stored().directives[r.value.channels[0]!.directive]?.status, 'cancelled')
  assert.ok(f.audit.entries.some(e => e.event === 'late_result'))
})

test('a request whose channels are opening cannot be cancelled', async () => {
  const { f, you } = await storm()
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(r.ok)
  await f.manager.decide(you.actor, 'all', 'approve')
  await agentFunds(f, you, r.value.channels)
  const before = f.stored()
  const c = await f.manager.cancel(you.actor, r.value.allocation.id)
  assert.equal(c.ok ? '' : c.error.code, 'REQUEST_EXECUTING')
  assert.deepEqual(f.stored(), before)
})

test('removefunds closes funded channels cooperatively, holds the member, and takes the stake down when closed', async () => {
  const { f, you } = await storm()
  const r = await f.manager.addFunds(you.actor, 1_500_000)
  assert.ok(r.ok)
  await f.manager.decide(you.actor, 'all', 'approve')
  const points = await agentFunds(f, you, r.value.channels)
  const open = r.value.channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity))
  await f.report(you.agentKey, 3_490_000, open)

  const rm = await f.manager.removeFunds(you.actor, 400_000)
  assert.ok(rm.ok)
  assert.equal(rm.value.closes.length, 1, 'one 500,000 channel covers 400,000')
  const closes = f.link.to(you.agentKey, 'directive').filter(d => d.kind === 'close_channel')
  assert.equal(closes.length, 1)
  assert.equal(closes[0]!.kind === 'close_channel' && closes[0]!.params.force, false)
  assert.ok(f.link.to(you.agentKey, 'directive').some(d => d.kind === 'do_not_disconnect'))
  assert.equal(f.manager.getInfo(you.actor).pending_deallocations[0]?.amount, 400_000)

  const close = closes[0]!
  await f.fromAgent(you.agentKey, 'result', { directive: close.id, outcome: 'succeeded', detail: { closingTxId: 'ab'.repeat(32) } })
  const closedPoint = close.kind === 'close_channel' ? close.params.channelPoint : ''
  await f.report(you.agentKey, 3_990_000, open.filter(c => c.channelPoint !== closedPoint))
  const info = f.manager.getInfo(you.actor)
  assert.equal(info.total_allocations, 1_000_000)
  assert.deepEqual(info.pending_deallocations, [])
  assert.deepEqual(info.pending_directives, [], 'the do_not_disconnect hold is lifted')
  assert.ok(f.link.to(you.agentKey, 'revoke').some(x => x.reason === 'lifted'))
})

test('disconnect closes everything, then says safe_to_disconnect and the member leaves', async () => {
  // you are the hub of a star here: with the Storm adding capacity first (the default, see
  // graceful_exit.test.ts) nothing would close yet; this is the old close-at-once behaviour
  const { f, you } = await storm({ exit: ExitRulesSchema.parse({ reinforce: false }) })
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(r.ok)
  await f.manager.decide(you.actor, 'all', 'approve')
  const points = await agentFunds(f, you, r.value.channels)
  await f.report(you.agentKey, 3_990_000, r.value.channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity)))

  const d = await f.manager.disconnect(you.actor)
  assert.ok(d.ok)
  assert.equal(f.stored().members[you.id]?.status, 'leaving')
  const again = await f.manager.addFunds(you.actor, 100_000)
  assert.equal(again.ok ? '' : again.error.code, 'LEAVING')
  for (const close of f.link.to(you.agentKey, 'directive').filter(x => x.kind === 'close_channel')) {
    await f.fromAgent(you.agentKey, 'result', { directive: close.id, outcome: 'succeeded', detail: {} })
  }
  await f.report(you.agentKey, 4_990_000, [])
  assert.equal(f.stored().members[you.id]?.status, 'left')
  assert.ok(f.link.to(you.agentKey, 'directive').some(x => x.kind === 'safe_to_disconnect'))
  assert.equal(f.manager.admit(you.agentKey), null, 'a member who left is refused at the handshake')
})

test('directives that wait too long expire and are revoked; a directive is never moved backwards', async () => {
  const { f, you } = await storm()
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(r.ok)
  f.clock.advance(f.rules.directiveTtlMs + 60_000)
  await f.manager.whenIdle()
  const stored = f.stored()
  for (const c of r.value.channels) assert.equal(stored.directives[c.directive]?.status, 'expired')
  assert.equal(stored.allocations[r.value.allocation.id]?.status, 'failed')
  assert.deepEqual(new Set(f.link.to(you.agentKey, 'revoke').map(x => x.reason)), new Set(['expired']))
  const late = await f.manager.decide(you.actor, r.value.channels[0]!.directive, 'approve')
  assert.equal(late.ok ? '' : late.error.code, 'DIRECTIVE_NOT_AWAITING')
})

test('an agent that reconnects gets every directive still in flight again, with the owner\'s decision', async () => {
  const { f, you } = await storm()
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(r.ok)
  await f.manager.decide(you.actor, r.value.channels[0]!.directive, 'approve')
  const before = f.link.to(you.agentKey, 'directive').length
  await f.fromAgent(you.agentKey, 'hello', { agentVersion: 'test', node: { publicKey: you.nodeKey, alias: 'you', network: 'simnet', uris: [], version: 'test' }, finished: [] })
  const resent = f.link.to(you.agentKey, 'directive').slice(before).map(d => d.id)
  assert.deepEqual(new Set(resent), new Set(r.value.channels.map(c => c.directive)))
  assert.equal(f.link.to(you.agentKey, 'approval').filter(a => a.directive === r.value.channels[0]!.directive).length, 2)
})

test('an agent claiming another node than the one it paired is refused and dropped', async () => {
  const { f, you, others } = await storm()
  await f.fromAgent(you.agentKey, 'hello', { agentVersion: 'test', node: { publicKey: others[0]!.nodeKey, alias: 'x', network: 'simnet', uris: [], version: 'test' }, finished: [] })
  assert.deepEqual(f.link.dropped, [you.agentKey])
  assert.equal(f.link.to(you.agentKey, 'error').at(-1)?.detail, 'NODE_MISMATCH')
})

test('a cancel whose revoke never left (the manager stopped after storing it) is revoked again when the agent next says hello, unless the agent lists it finished; a result sent twice is acked twice and counted once', async () => {
  const { f, you } = await storm()
  // two requests, each one batch directive, both cancelled
  const cancelled: string[] = []
  for (let i = 0; i < 2; i++) {
    const r = await f.manager.addFunds(you.actor, 1_000_000)
    assert.ok(r.ok)
    assert.ok((await f.manager.cancel(you.actor, r.value.allocation.id)).ok)
    cancelled.push(r.value.channels[0]!.directive)
  }
  const [first, ...rest] = cancelled
  const hello = (finished: string[]) => f.fromAgent(you.agentKey, 'hello', { agentVersion: 'test', node: { publicKey: you.nodeKey, alias: 'you', network: 'simnet', uris: [], version: 'test' }, finished })
  assert.notEqual(first, rest[0], 'two directives')
  const before = f.link.to(you.agentKey, 'revoke').length
  await hello([first!])
  const again = f.link.to(you.agentKey, 'revoke').slice(before)
  assert.deepEqual(new Set(again.map(x => x.directive)), new Set(rest), 'revoked again: the ones the agent does not list finished')
  assert.ok(again.every(x => x.reason === 'cancelled'))
  // the agent had already started one: its result comes, and again (its ack was lost)
  const late = { directive: first!, outcome: 'succeeded' as const, detail: { channelPoint: outpoint(9) } }
  await f.fromAgent(you.agentKey, 'result', late)
  await f.fromAgent(you.agentKey, 'result', late)
  assert.deepEqual(f.link.to(you.agentKey, 'result_ack').map(a => a.directive), [first, first], 'each copy acknowledged')
  assert.equal(f.audit.entries.filter(e => e.event === 'late_result').length, 1, 'the late outcome recorded once')
  assert.equal(f.stored().directives[first!]?.status, 'cancelled')
})
