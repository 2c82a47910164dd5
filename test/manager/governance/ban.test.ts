/**
 * An admin proposes a ban, members vote by stake, and a passed ban is enforced: everyone holding
 * a channel to the banned node is told to close it, the banned agent is cut off and refused at the
 * handshake, its pending work is withdrawn, and it cannot come back until an admin unbans it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { govStorm, governance } from './helpers.ts'
import type { CloseChannelParams } from './types.ts'

test('a ban vote passes by stake and is enforced: channels to the banned node close, its agent is cut off and refused', async () => {
  const { f, alice, bob, carol, mallory, events, channels } = await govStorm()
  const admin = { ...alice.actor, isAdmin: true }
  // mallory has an addfunds in flight (to dave, new and without channels): withdrawn with the ban
  const dave = await f.joinAndPair('dave')
  const pending = await f.manager.addFunds(mallory.actor, 300_000)
  assert.ok(pending.ok)

  const proposed = await f.manager.ban(admin, '@mallory', 'force-closes channels')
  assert.ok(proposed.ok && proposed.value.kind === 'proposed')
  const proposal = proposed.value.proposal
  // mallory's own stake is left out of the vote about her
  assert.deepEqual(proposal.stakes, { [alice.id]: 5_000_000, [bob.id]: 3_000_000, [carol.id]: 2_000_000, [dave.id]: 0 })
  assert.equal(f.manager.state.members[mallory.id]?.status, 'active', 'a proposal alone bans nobody')

  // mallory cannot vote on her own ban; carol says no; bob says yes (3m of 10m): still open
  const own = await f.manager.voteBan(mallory.actor, proposal.id, 'no')
  assert.equal(own.ok ? '' : own.error.code, 'CANNOT_VOTE_ON_OWN_BAN')
  assert.equal((await f.manager.voteBan(carol.actor, proposal.id, 'no')).ok, true)
  const b = await f.manager.voteBan(bob.actor, proposal.id, 'yes')
  assert.ok(b.ok && b.value.verdict === 'open')
  // alice's yes makes 8m of 10m: passed at once
  const a = await f.manager.voteBan(alice.actor, proposal.id, 'yes')
  assert.ok(a.ok)
  assert.equal(a.value.verdict, 'passed')
  assert.deepEqual(a.value.tally, { totalStake: 10_000_000, votedStake: 10_000_000, voters: 3, yesStake: 8_000_000, noStake: 2_000_000 })

  const state = f.stored()
  assert.equal(state.members[mallory.id]?.status, 'banned')
  assert.equal(state.governance.bans[mallory.id]?.proposal, proposal.id)
  // every member holding a channel to mallory's node is told to close it — and only those
  const closes = Object.values(state.directives).filter(r => r.directive.kind === 'close_channel')
  // (the channel mallory opened to alice too: alice holds its other end)
  const expected = channels.filter(c => c.peer === mallory || c.holder === mallory).map(c => `${c.holder === mallory ? c.peer.name : c.holder.name} ${c.point}`).sort()
  assert.deepEqual(closes.map(r => `${Object.values(state.members).find(m => m.id === r.target)!.chat.name.slice(1)} ${(r.directive.params as CloseChannelParams).channelPoint}`).sort(), expected)
  assert.equal(closes.length, 4)
  for (const r of closes) assert.equal((r.directive.params as CloseChannelParams).force, false)
  // her own work is withdrawn; her request is cancelled
  assert.equal(state.allocations[pending.value.allocation.id]?.status, 'cancelled')
  for (const c of pending.value.channels) assert.equal(state.directives[c.directive]?.status, 'cancelled')
  // cut off and dropped; the roster no longer lists her node
  assert.deepEqual(f.link.to(mallory.agentKey, 'cut_off').map(c => c.reason), ['banned from Supercell: force-closes channels'])
  assert.ok(f.link.dropped.includes(mallory.agentKey))
  const roster = f.link.to(alice.agentKey, 'roster').at(-1)!
  assert.ok(!roster.members.some(m => m.node === mallory.nodeKey))
  // refused at the handshake, and refused if she asks to join again
  assert.equal(f.manager.admit(mallory.agentKey), null)
  const again = await f.manager.connect(mallory.actor)
  assert.equal(again.ok ? '' : again.error.code, 'BANNED')
  // announced: the proposal, each vote, the outcome with the tally, the ban
  assert.deepEqual(events.filter(e => ['ban_proposed', 'ban_vote', 'proposal_decided', 'member_banned'].includes(e.type)).map(e => e.type),
    ['ban_proposed', 'ban_vote', 'ban_vote', 'ban_vote', 'proposal_decided', 'member_banned'])

  // an admin lifts the ban: she may ask to join again (public Storm: admitted), and her agent is admitted
  const unban = await f.manager.unban(admin, '@mallory')
  assert.ok(unban.ok)
  assert.equal(f.manager.admit(mallory.agentKey), null, 'not before she is a member again')
  assert.ok((await f.manager.connect(mallory.actor)).ok)
  assert.equal(f.manager.admit(mallory.agentKey), 'member')
})

test('a ban vote below the quorum lapses at its deadline, and a rejected one bans nobody', async () => {
  const { f, alice, carol, mallory, bob } = await govStorm()
  const admin = { ...alice.actor, isAdmin: true }
  const p = await f.manager.ban(admin, '@mallory', 'slow')
  assert.ok(p.ok && p.value.kind === 'proposed')
  await f.manager.voteBan(carol.actor, p.value.proposal.id, 'yes')
  for (let t = 0; t < 2 * 24 * 60 + 2; t++) { f.clock.advance(60_000); await f.manager.whenIdle() }
  assert.equal(f.manager.state.governance.proposals[p.value.proposal.id]?.status, 'lapsed')
  assert.equal(f.manager.state.members[mallory.id]?.status, 'active')

  const q = await f.manager.ban(admin, '@mallory', 'slow again')
  assert.ok(q.ok && q.value.kind === 'proposed')
  const no = await f.manager.voteBan(alice.actor, q.value.proposal.id, 'no')
  assert.ok(no.ok && no.value.verdict === 'rejected')
  const late = await f.manager.voteBan(bob.actor, q.value.proposal.id, 'yes')
  assert.equal(late.ok ? '' : late.error.code, 'PROPOSAL_CLOSED')
  assert.equal(f.manager.state.members[mallory.id]?.status, 'active')
  assert.equal(f.manager.directives().filter(r => r.directive.kind === 'close_channel').length, 0)
})

test('bad ban requests get a clear error and change nothing', async () => {
  const { f, alice, bob, mallory } = await govStorm()
  const admin = { ...alice.actor, isAdmin: true }
  const before = JSON.stringify(f.stored())
  const cases: Array<{ description: string, run: () => ReturnType<typeof f.manager.ban>, code: string }> = [
    { description: 'not an admin', run: () => f.manager.ban(bob.actor, '@mallory', 'x'), code: 'NOT_ADMIN' },
    { description: 'an unknown member', run: () => f.manager.ban(admin, '@nobody', 'x'), code: 'UNKNOWN_MEMBER' },
    { description: 'yourself', run: () => f.manager.ban(admin, '@alice', 'x'), code: 'CANNOT_BAN_SELF' },
    { description: 'no reason', run: () => f.manager.ban(admin, '@mallory', '   '), code: 'BAN_REASON_REQUIRED' },
    { description: 'a reason too long', run: () => f.manager.ban(admin, '@mallory', 'x'.repeat(301)), code: 'BAN_REASON_TOO_LONG' },
    { description: 'outright, where the rules put bans to a vote', run: () => f.manager.ban(admin, '@mallory', 'x', true), code: 'OUTRIGHT_BAN_NOT_ALLOWED' }
  ]
  for (const c of cases) {
    const r = await c.run()
    assert.equal(r.ok ? 'ok' : r.error.code, c.code, c.description)
  }
  assert.equal(JSON.stringify(f.stored()), before)
  const unknownVote = await f.manager.voteBan(bob.actor, 'nope123', 'yes')
  assert.equal(unknownVote.ok ? '' : unknownVote.error.code, 'UNKNOWN_PROPOSAL')
  const notBanned = await f.manager.unban(admin, '@mallory')
  assert.equal(notBanned.ok ? '' : notBanned.error.code, 'NOT_BANNED')
  assert.equal(f.manager.state.members[mallory.id]?.status, 'active')
})

test('where the rules let admins ban outright, the ban is enforced at once, without a vote', async () => {
  const { f, alice, mallory, channels } = await govStorm({ governance: governance({ outrightBan: 'admins' }) })
  const r = await f.manager.ban({ ...alice.actor, isAdmin: true }, '@mallory', 'stole the snacks', true)
  assert.ok(r.ok && r.value.kind === 'banned')
  assert.equal(r.value.closes, channels.filter(c => c.peer === mallory || c.holder === mallory).length)
  assert.equal(f.manager.state.members[mallory.id]?.status, 'banned')
  assert.deepEqual(f.manager.openProposals(), [])
})

test('decided votes leave the live state a week later; the audit log keeps them', async () => {
  const { f, alice, carol } = await govStorm()
  const p = await f.manager.ban({ ...alice.actor, isAdmin: true }, '@mallory', 'slow')
  assert.ok(p.ok && p.value.kind === 'proposed')
  const id = p.value.proposal.id
  await f.manager.voteBan(alice.actor, id, 'no')
  await f.manager.voteBan(carol.actor, id, 'no')
  for (let day = 0; day < 6; day++) { f.clock.advance(86_400_000); await f.manager.whenIdle() }
  assert.ok(f.manager.state.governance.proposals[id], 'six days on, still there')
  for (let day = 0; day < 2; day++) { f.clock.advance(86_400_000); await f.manager.whenIdle() }
  assert.equal(f.manager.state.governance.proposals[id], undefined)
  assert.equal(f.stored().governance.proposals[id], undefined)
  assert.ok(f.audit.entries.some(e => e.event === 'proposal_archived' && e.data.proposal === id))
})
