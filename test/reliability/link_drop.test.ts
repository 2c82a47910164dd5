/**
 * Fault: the link between the manager and a member's stormd breaks while a directive executes
 * (the manager's side closes the connection at the moment it records "executing"). stormd
 * reconnects on its own; every directive still ends once — one channel per directive, none
 * twice, none lost — over the real Hyperswarm link of the demo Storm.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { youAddFunds } from '../support/demo_you.ts'
import { startDemoStorm } from '../../src/demo/demo_storm.ts'

test('the link drops while your stormd opens a channel: it reconnects, and every directive ends once', async () => {
  const demo = await startDemoStorm({ warmup: false })
  try {
    const { manager } = demo.manager
    const { you, added } = await youAddFunds(demo, 1_000_000)
    let drops = 0
    manager.on('event', e => {
      if (e.type === 'directive_changed' && e.record.status === 'executing' && e.member.id === you.id && drops === 0) {
        drops++
        demo.manager.link.drop(you.agentKey!)
      }
    })
    assert.ok((await manager.decide(demo.you.actor, 'all', 'approve')).ok)
    await demo.settle()
    assert.equal(drops, 1, 'the link was dropped mid-directive')
    const channels = demo.network.channelsOf(demo.you.node.publicKey)
    assert.equal(channels.length, added.channels.length, 'one channel per directive')
    assert.equal(new Set(channels.map(c => c.peer)).size, channels.length, 'none twice')
    for (const c of added.channels) assert.equal(manager.state.directives[c.directive]?.status, 'succeeded', c.directive)
    assert.equal(manager.getInfo(demo.you.actor).total_allocations, 1_000_000)
  } finally {
    await demo.close()
  }
})
