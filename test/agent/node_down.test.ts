/**
 * A node that does not answer holds approved directives instead of failing them (the owner would
 * have to start over), and LND's brief "not synced" as each block arrives is not downtime.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runnerHarness } from './runner_harness.ts'
import { openChannel } from './helpers.ts'
import { steadyHealth, UNSYNCED_GRACE_MS } from '../../src/agent/stormd.ts'

test('approved while the node is down: held, then run exactly once when the node is back', async () => {
  const h = await runnerHarness()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 500_000, { requiresApproval: true })
  await h.runner.receive(d)
  h.drain()
  h.network.setOnline(h.me.publicKey, false)

  const held = await h.approve(d.id)
  assert.equal(held.status, 'approved', 'held, not failed')
  assert.equal(h.saved(d.id)?.status, 'approved')
  assert.deepEqual(h.notices.map(n => n.type).slice(-1), ['waiting_for_node'])
  assert.ok(h.runner.hasWaiting())
  assert.ok(!h.drain().some(m => m.type === 'result'), 'no result yet')

  h.network.setOnline(h.me.publicKey, true)
  await h.runner.resume()
  await h.runner.resume()
  assert.equal(h.saved(d.id)?.status, 'succeeded')
  assert.equal((await h.me.getPendingChannels()).length, 1, 'one channel, not two')
  assert.deepEqual(h.drain().filter(m => m.type === 'result').map(m => m.body.outcome), ['succeeded'])
  assert.equal(h.runner.hasWaiting(), false)
})

test('a held directive that expires meanwhile is not run', async () => {
  const h = await runnerHarness()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 500_000, { requiresApproval: true, expiresAt: h.clock.now() + 60_000 })
  await h.runner.receive(d)
  h.network.setOnline(h.me.publicKey, false)
  await h.approve(d.id)
  h.clock.advance(120_000)
  h.network.setOnline(h.me.publicKey, true)
  await h.runner.resume()
  assert.equal(h.saved(d.id)?.status, 'failed')
  assert.equal(h.saved(d.id)?.error?.code, 'DIRECTIVE_EXPIRED')
  assert.deepEqual(await h.me.getPendingChannels(), [])
})

test('"not synced" counts only when it lasts', () => {
  const unsynced = { healthy: false, reason: 'LN_NOT_SYNCED', blockHeight: 800 }
  assert.deepEqual(steadyHealth(unsynced, 1000, 1000), { healthy: true, blockHeight: 800 })
  assert.deepEqual(steadyHealth(unsynced, 1000, 1000 + UNSYNCED_GRACE_MS - 1), { healthy: true, blockHeight: 800 })
  assert.deepEqual(steadyHealth(unsynced, 1000, 1000 + UNSYNCED_GRACE_MS), unsynced)
  const down = { healthy: false, reason: 'LN_UNAVAILABLE' }
  assert.deepEqual(steadyHealth(down, null, 5), down, 'a node that does not answer is down at once')
  assert.deepEqual(steadyHealth({ healthy: true, blockHeight: 1 }, null, 5), { healthy: true, blockHeight: 1 })
})

test('a directive that would stay valid longer than stormd remembers ids is refused', async () => {
  const h = await runnerHarness()
  const d = openChannel(h.clock.now(), h.bob.publicKey, 500_000, { expiresAt: h.clock.now() + 8 * 86_400_000 })
  await h.runner.receive(d)
  assert.equal(h.saved(d.id)?.error?.code, 'DIRECTIVE_LIFETIME_TOO_LONG')
  assert.deepEqual(await h.me.getPendingChannels(), [])
})
