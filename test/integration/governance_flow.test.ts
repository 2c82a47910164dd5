/**
 * Governance for real: the demo Storm (a manager, simulated members each running a real stormd
 * over Hyperswarm on a local DHT testnet, a simulated Lightning network). Members vote on the fee
 * — one through stormd's signed vote message — and every Storm channel on the network ends up with
 * the consensus fee; then an admin proposes a ban, the members vote it through, and the members
 * who held channels to the banned node close them on the network, while the banned agent is cut
 * off and refused. What the chat was told is printed as a transcript.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startDemoStorm, type DemoMember } from '../../src/demo/demo_storm.ts'
import { announcementFor } from '../../src/bot/announcements.ts'
import type { StormEvent } from '../../src/manager/context.ts'

async function until (what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

test('a fee vote sets every Storm channel\'s fee; a ban vote closes every channel to the banned node', { timeout: 240_000 }, async (t) => {
  const demo = await startDemoStorm()
  const transcript: string[] = []
  const en = demo.locales.translator('en')
  const m = demo.manager.manager
  m.on('event', (e: StormEvent) => {
    if (e.type === 'directive_changed' || e.type === 'allocation_changed') return
    const a = announcementFor(e, m)
    if (a !== null) transcript.push('📣 ' + a.render(en).text)
  })
  try {
    const [alice, bob, carol, dave] = demo.members as [DemoMember, DemoMember, DemoMember, DemoMember]
    const id = (x: DemoMember): string => m.memberOf(x.actor)!.id
    // the warm-up opened channels; wait until reports show each funder's stake
    await until('stakes from reports', () => [alice, bob, carol].every(x => (m.stakes()[id(x)] ?? 0) > 0))
    const stakes = m.stakes()
    transcript.push(`stakes: ${demo.members.map(x => `${x.name} ${stakes[id(x)] ?? 0}`).join(', ')}`)

    // ---- the fee vote: alice through her stormd (signed `vote` message), bob and carol in chat
    const reply = await alice.runtime.agent.vote('2000', 250)
    assert.equal(reply.ok, true)
    assert.equal(reply.stake, stakes[id(alice)])
    transcript.push(`stormcli vote fee 2000 250ppm → stake ${reply.stake}, ${reply.votedStake} of ${reply.totalStake} sats voted`)
    const b = await m.voteFee(bob.actor, { baseFeeMsat: '2000', feeRatePpm: 250 })
    const c = await m.voteFee(carol.actor, { baseFeeMsat: '5000', feeRatePpm: 900 })
    assert.ok(b.ok && c.ok)
    assert.deepEqual(m.getInfo(alice.actor).consensus_fee_base, 2000)
    assert.equal(m.getInfo(alice.actor).consensus_fee_rate, 0.00025)
    await demo.settle(120_000)
    // every Storm channel of every member now carries the consensus fee, on the network itself
    const nodes = new Set(demo.members.map(x => x.node.publicKey))
    for (const x of demo.members) {
      for (const ch of demo.network.channelsOf(x.node.publicKey).filter(ch => nodes.has(ch.peer))) {
        assert.deepEqual(ch.policy && { base: ch.policy.baseFeeMsat, ppm: ch.policy.feeRatePpm }, { base: '2000', ppm: 250 }, `${x.name} ${ch.channelPoint}`)
      }
    }
    const setFees = m.directives().filter(r => r.directive.kind === 'set_fees')
    assert.ok(setFees.length >= 4 && setFees.every(r => r.status === 'succeeded'))

    // ---- the ban: you (an admin) propose; alice, bob and carol vote yes
    assert.ok((await m.connect(demo.you.actor)).ok)
    const daveKey = dave.node.publicKey
    const holders = demo.members.filter(x => x !== dave && demo.network.channelsOf(x.node.publicKey).some(ch => ch.peer === daveKey))
    assert.ok(holders.length >= 1, 'someone holds a channel to dave')
    const proposed = await m.ban(demo.you.actor, '@dave', 'never online when it matters')
    assert.ok(proposed.ok && proposed.value.kind === 'proposed')
    const pid = proposed.value.proposal.id
    for (const x of [alice, bob, carol]) {
      const v = await m.voteBan(x.actor, pid, 'yes')
      assert.ok(v.ok, x.name)
      if (v.value.verdict === 'passed') break
    }
    assert.equal(m.state.members[id(dave)]?.status, 'banned')
    await until('dave\'s agent to be cut off', () => !dave.runtime.agent.connected)
    await demo.settle(120_000)
    // the members who held channels to dave closed them, on the network
    await until('channels to dave closed on chain', () => demo.members.every(x => x === dave || !demo.network.channelsOf(x.node.publicKey).some(ch => ch.peer === daveKey)))
    const closes = m.directives().filter(r => r.directive.kind === 'close_channel')
    assert.deepEqual(new Set(closes.map(r => r.target)), new Set(holders.map(id)))
    assert.ok(closes.every(r => r.status === 'succeeded'))
    // refused at the handshake from now on
    assert.equal(m.admit(dave.runtime.agent.publicKey), null)
    transcript.push(`closed by: ${holders.map(x => x.name).join(', ')}; dave's agent connected: ${String(dave.runtime.agent.connected)}`)
  } finally {
    t.diagnostic('\n' + transcript.join('\n'))
    await demo.close()
  }
})
