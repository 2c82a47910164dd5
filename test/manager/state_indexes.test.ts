/**
 * The state's derived indexes (each member's allocations, the directives not finished) give what
 * a scan of the state gives, in the same order, as requests are made, carried out, cancelled and
 * rolled back.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, agentFunds, channelReport } from '../support/manager_fixture.ts'
import { allocationsOf, putDirective, unfinishedDirectives, unfinishedDirectivesOf } from '../../src/manager/state/indexes.ts'
import { isTerminal } from '../../src/manager/directives/lifecycle.ts'
import { emptyState, type DirectiveRecord, type State } from '../../src/manager/state/schema.ts'

/** Every index answer equals the scan it replaces, for every member. */
function assertMatchesScan (state: State, where: string): void {
  const unfinished = Object.values(state.directives).filter(r => !isTerminal(r.status))
  assert.deepEqual(unfinishedDirectives(state), unfinished, `${where}: unfinished directives`)
  for (const id of Object.keys(state.members)) {
    assert.deepEqual(allocationsOf(state, id), Object.values(state.allocations).filter(a => a.member === id), `${where}: allocations of ${id}`)
    assert.deepEqual(unfinishedDirectivesOf(state, id), unfinished.filter(r => r.target === id), `${where}: unfinished directives of ${id}`)
  }
}

test('the indexes follow requests as they are planned, carried out, cancelled and withdrawn', async () => {
  const f = await ManagerFixture.start()
  const others = [await f.joinAndPair('alice'), await f.joinAndPair('bob'), await f.joinAndPair('carol')]
  const you = await f.joinAndPair('you')
  const state = (): State => f.manager.state
  assertMatchesScan(state(), 'paired')

  const first = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(first.ok)
  assertMatchesScan(state(), 'planned')
  const second = await f.manager.addFunds(others[0]!.actor, 1_000_000)
  assert.ok(second.ok)
  assertMatchesScan(state(), 'second request')

  // yours is carried out; alice's is cancelled
  await f.manager.decide(you.actor, 'all', 'approve')
  const points = await agentFunds(f, you, first.value.channels)
  assertMatchesScan(state(), 'executed')
  const cancelled = await f.manager.cancel(others[0]!.actor, second.value.allocation.id)
  assert.ok(cancelled.ok)
  assertMatchesScan(state(), 'cancelled')
  await f.report(you.agentKey, 3_000_000, first.value.channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity)))
  assert.equal(state().allocations[first.value.allocation.id]?.status, 'done')
  assertMatchesScan(state(), 'channels open')

  const removal = await f.manager.removeFunds(you.actor, 500_000)
  assert.ok(removal.ok)
  assertMatchesScan(state(), 'removefunds')
  assert.deepEqual(f.manager.getInfo(you.actor).pending_directives.map(d => d.action).sort(), unfinishedDirectivesOf(state(), you.id).map(r => r.directive.kind).sort())
})

test('after a request is rolled back, the indexes answer from the state that was stored', async () => {
  const f = await ManagerFixture.start()
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  const you = await f.joinAndPair('you')
  const save = f.store.save.bind(f.store)
  let failing = true
  f.store.save = async (data) => { if (failing) throw new Error('disk full'); await save(data) }

  await assert.rejects(f.manager.addFunds(you.actor, 1_000_000), /disk full/)
  assert.deepEqual(allocationsOf(f.manager.state, you.id), [])
  assert.deepEqual(unfinishedDirectives(f.manager.state), [])
  assert.deepEqual(f.manager.getInfo(you.actor).pending_allocations, [])
  assertMatchesScan(f.manager.state, 'rolled back')

  // nothing forgotten counts against the member: the same request is planned again in full
  failing = false
  const again = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(again.ok)
  assert.deepEqual(allocationsOf(f.manager.state, you.id).map(a => a.id), [again.value.allocation.id])
  assertMatchesScan(f.manager.state, 'planned again')
})

test('lists come in the order a scan of the state gives, integer-like ids first', () => {
  const state = emptyState('Supercell', 0, { baseFeeMsat: '1000', feeRatePpm: 1 })
  const record = (id: string, target: string, status: DirectiveRecord['status'] = 'sent'): DirectiveRecord => ({
    directive: { kind: 'do_not_disconnect', params: {}, id, reason: 'r', createdAt: 0, expiresAt: 1, requiresApproval: false },
    target, status, history: [{ status, at: 0 }]
  })
  putDirective(state, record('bbbbbbb', 'm1'))
  putDirective(state, record('7654321', 'm1'))
  assertMatchesScan(state, 'before the index is built')
  // now built: later directives are added to it, in the state's order
  putDirective(state, record('aaaaaaa', 'm1'))
  putDirective(state, record('1234567', 'm1'))
  putDirective(state, record('0123456', 'm2'))
  putDirective(state, record('ccccccc', 'm2', 'succeeded'))
  state.members.m1 = { id: 'm1', chat: { platform: 't', userId: '1', name: 'a' }, status: 'active', requestedAt: 0, rating: 100 }
  state.members.m2 = { ...state.members.m1, id: 'm2' }
  assert.deepEqual(unfinishedDirectives(state).map(r => r.directive.id), ['1234567', '7654321', 'bbbbbbb', 'aaaaaaa', '0123456'])
  assertMatchesScan(state, 'after additions')
  // a directive that finishes leaves the lists
  state.directives['7654321']!.status = 'expired'
  assertMatchesScan(state, 'after one finished')
})
