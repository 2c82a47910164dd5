/**
 * A member types a command while thousands of agents' messages wait in the manager's queue (a
 * Storm of agents reconnecting at once, each hello stored before the next). What must happen:
 * the member's command runs next, not after every waiting message; the agents' messages all run
 * still, in the order they came; what the command changed is what they see.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture } from '../support/manager_fixture.ts'

test('a member\'s /lang typed behind 600 queued agent messages runs next; the messages all run after, in order', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const done: number[] = []
  const queued: Array<Promise<void>> = []
  for (let i = 0; i < 600; i++) {
    const key = i % 2 === 0 ? alice.agentKey : bob.agentKey
    queued.push(f.fromAgent(key, 'heartbeat', { at: f.clock.now(), health: { healthy: true, blockHeight: 1000 + i } }).then(() => { done.push(i) }))
  }
  const lang = await f.manager.setLanguage(bob.actor, 'es')
  assert.ok(lang.ok)
  assert.ok(done.length <= 1, `the command ran after ${done.length} of 600 queued agent messages`)
  await Promise.all(queued)
  assert.deepEqual(done, Array.from({ length: 600 }, (_, i) => i), 'every agent message ran, in the order it came')
  assert.equal(f.manager.observations.get(alice.id).health?.blockHeight, 1598, 'the last heartbeat is what the manager observed')
  assert.equal(f.manager.state.members[bob.id]!.lang, 'es')
})
