/**
 * Members vote on the Storm's fee by stake, from chat and from stormd; once the quorum votes, the
 * weighted medians become the fee, every paired member is told to set it, and the chat hears the
 * old and new values with the tally.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { govStorm, governance } from './helpers.ts'
import { ManagerFixture, channelReport, outpoint } from '../../support/manager_fixture.ts'

test('stake is the liquidity a member funded in open Storm channels, from its report', async () => {
  const { f, alice, bob, carol, mallory } = await govStorm()
  assert.deepEqual(f.manager.stakes(), { [alice.id]: 5_000_000, [bob.id]: 3_000_000, [carol.id]: 2_000_000, [mallory.id]: 1_000_000 })
})

test('a fee vote: below the quorum nothing changes; the vote that reaches it sets the medians and issues set_fees', async () => {
  const { f, alice, bob, carol, mallory, events } = await govStorm()
  // carol (2m of 11m) votes: 18% of the stake, 50% needed
  const first = await f.manager.voteFee(carol.actor, { baseFeeMsat: '3000', feeRatePpm: 300 })
  assert.ok(first.ok)
  assert.equal(first.value.stake, 2_000_000)
  assert.deepEqual(first.value.tally, { totalStake: 11_000_000, votedStake: 2_000_000, voters: 1 })
  assert.equal(first.value.decided, undefined)
  assert.equal(f.manager.getInfo(carol.actor).consensus_fee_base, 1000, 'unchanged below the quorum')
  assert.equal(f.link.sent.filter(s => s.type === 'directive').length, 0)

  // bob (3m) follows: 5m of 11m, still short; alice's vote (5m) brings 10m
  const short = await f.manager.voteFee(bob.actor, { baseFeeMsat: '2000', feeRatePpm: 50 })
  assert.ok(short.ok && short.value.decided === undefined)
  const decisive = await f.manager.voteFee(alice.actor, { baseFeeMsat: '1500', feeRatePpm: 200 })
  assert.ok(decisive.ok)
  // bases by stake: 1500 (5m), 2000 (3m), 3000 (2m) → half of the 10m voting reached at 1500
  // rates: 50 (3m), 200 (5m), 300 (2m) → 3m below 200, 8m at or below → 200
  assert.deepEqual(decisive.value.decided, { baseFeeMsat: '1500', feeRatePpm: 200 })

  const info = f.manager.getInfo(alice.actor)
  assert.equal(info.consensus_fee_base, 1500)
  assert.equal(info.consensus_fee_rate, 0.0002)
  const setFees = f.link.sent.filter(s => s.type === 'directive' && (s.body as { kind: string }).kind === 'set_fees')
  assert.equal(setFees.length, 4, 'one set_fees to every paired member')
  for (const s of setFees) assert.deepEqual((s.body as { params: unknown }).params, { baseFeeMsat: '1500', feeRatePpm: 200 })
  // stored before announced
  assert.equal(f.stored().consensus.baseFeeMsat, '1500')

  const consensus = events.find(e => e.type === 'fee_consensus')
  assert.ok(consensus?.type === 'fee_consensus')
  assert.deepEqual(consensus.from, { baseFeeMsat: '1000', feeRatePpm: 100 })
  assert.deepEqual(consensus.to, { baseFeeMsat: '1500', feeRatePpm: 200 })
  assert.deepEqual(consensus.tally, { totalStake: 11_000_000, votedStake: 10_000_000, voters: 3 })
  assert.equal(events.filter(e => e.type === 'fee_vote').length, 3, 'every vote announced with its tally')
  // mallory votes late: a new round with the standing votes, medians unchanged
  const late = await f.manager.voteFee(mallory.actor, { baseFeeMsat: '0', feeRatePpm: 0 })
  assert.ok(late.ok)
  assert.deepEqual(late.value.decided, { baseFeeMsat: '1500', feeRatePpm: 200 })
  assert.equal(f.link.sent.filter(s => s.type === 'directive').length, 4, 'no change, no new directives')
})

test('votes stand: a later vote opens a new round that counts them, and replaces earlier set_fees not yet started', async () => {
  const { f, alice, bob, carol } = await govStorm()
  await f.manager.voteFee(alice.actor, { baseFeeMsat: '1500', feeRatePpm: 200 })
  await f.manager.voteFee(bob.actor, { baseFeeMsat: '1500', feeRatePpm: 200 })
  assert.equal(f.manager.state.consensus.baseFeeMsat, '1500')
  const firstRound = f.manager.directives().filter(r => r.directive.kind === 'set_fees')
  assert.equal(firstRound.length, 4)

  // bob changes his mind: alice's vote stands in the new round, so 8m vote at once
  const r = await f.manager.voteFee(bob.actor, { baseFeeMsat: '500', feeRatePpm: 20 })
  assert.ok(r.ok)
  assert.deepEqual(r.value.tally, { totalStake: 11_000_000, votedStake: 8_000_000, voters: 2 })
  // alice holds 5 of the 8 voting: her vote is the median
  assert.deepEqual(r.value.decided, { baseFeeMsat: '1500', feeRatePpm: 200 })
  assert.equal(f.manager.directives().filter(x => x.directive.kind === 'set_fees').length, 4, 'no change, no new directives')

  // carol (2m) swings it: bases 500 (3m), 1500 (5m), 9000 (2m)... still 1500
  const c = await f.manager.voteFee(carol.actor, { baseFeeMsat: '100', feeRatePpm: 10 })
  assert.ok(c.ok)
  // 100 (2m) + 500 (3m) = 5m of 10m voting: exactly half → the lower, 500
  assert.deepEqual(c.value.decided, { baseFeeMsat: '500', feeRatePpm: 20 })
  const all = f.manager.directives().filter(x => x.directive.kind === 'set_fees')
  assert.equal(all.filter(x => x.status === 'cancelled').length, 4, 'the earlier set_fees, not started, are withdrawn')
  assert.equal(all.filter(x => x.status === 'sent').length, 4)
  assert.equal(f.link.sent.filter(s => s.type === 'revoke').length, 4)
})

test('stormd\'s signed vote message counts like a chat vote; the same vote again changes nothing', async () => {
  const { f, alice } = await govStorm()
  await f.fromAgent(alice.agentKey, 'vote', { baseFeeMsat: '1200', feeRatePpm: 120 })
  const [reply] = f.link.to(alice.agentKey, 'vote_result')
  assert.deepEqual(reply, { vote: 'a' + reply!.vote.slice(1), ok: true, stake: 5_000_000, unchanged: false, totalStake: 11_000_000, votedStake: 5_000_000, voters: 1 })
  const saves = f.store.saves
  // stormd says it again on every connection
  await f.fromAgent(alice.agentKey, 'vote', { baseFeeMsat: '1200', feeRatePpm: 120 })
  assert.equal(f.link.to(alice.agentKey, 'vote_result')[1]?.unchanged, true)
  assert.equal(f.store.saves, saves, 'nothing stored again')
  assert.equal(f.manager.state.members[alice.id]?.feeVote?.baseFeeMsat, '1200')
})

test('a vote above the Storm\'s limits is refused with the limit, and changes nothing', async () => {
  const { f, alice } = await govStorm()
  const r = await f.manager.voteFee(alice.actor, { baseFeeMsat: '100001', feeRatePpm: 1 })
  assert.ok(!r.ok)
  assert.equal(r.error.code, 'BASE_FEE_ABOVE_LIMIT')
  assert.equal(r.error.params.max, 100_000)
  const rate = await f.manager.voteFee(alice.actor, { baseFeeMsat: '1', feeRatePpm: 50_001 })
  assert.ok(!rate.ok)
  assert.equal(rate.error.code, 'FEE_RATE_ABOVE_LIMIT')
  await f.fromAgent(alice.agentKey, 'vote', { baseFeeMsat: '1', feeRatePpm: 60_000 })
  assert.deepEqual(f.link.to(alice.agentKey, 'vote_result')[0]?.error, { code: 'FEE_RATE_ABOVE_LIMIT', params: { max: 50_000 } })
  assert.equal(f.manager.state.members[alice.id]?.feeVote, undefined)
  assert.deepEqual(f.manager.state.governance.proposals, {})
  // a chat user who is not a member cannot vote
  const stranger = await f.manager.voteFee(f.chatActor('zed'), { baseFeeMsat: '1', feeRatePpm: 1 })
  assert.equal(stranger.ok ? '' : stranger.error.code, 'NOT_A_MEMBER')
})

test('a fee round that never reaches the quorum lapses at its deadline; the scheduler decides it with the clock', async () => {
  const { f, carol, events } = await govStorm()
  await f.manager.voteFee(carol.actor, { baseFeeMsat: '3000', feeRatePpm: 300 })
  const round = f.manager.openProposals()[0]!
  for (let t = 0; t < 2 * 24 * 60 + 2; t++) { f.clock.advance(60_000); await f.manager.whenIdle() }
  assert.equal(f.manager.state.governance.proposals[round.id]?.status, 'lapsed')
  const lapsed = events.find(e => e.type === 'proposal_decided')
  assert.ok(lapsed?.type === 'proposal_decided')
  assert.deepEqual(lapsed.tally, { totalStake: 11_000_000, votedStake: 2_000_000, voters: 1 })
  assert.equal(f.manager.state.consensus.baseFeeMsat, '1000')
  assert.equal(f.manager.state.members[carol.id]?.feeVote?.baseFeeMsat, '3000', 'the vote stands')
})

test('a channel opened after the vote, reported with another fee, gets the consensus fee — once, not on every report', async () => {
  const { f, alice, bob, carol } = await govStorm()
  const withFee = (point: string, peer: string, base: string, ppm: number) => ({ ...channelReport(point, peer, 1_000_000, 500_000, true), baseFeeMsat: base, feeRatePpm: ppm })
  // before any vote decides, a channel keeps the fee its owner gave it
  await f.report(carol.agentKey, 1_000_000, [withFee(outpoint(900), alice.nodeKey, '1', 1)])
  assert.equal(f.manager.directives(carol.id).filter(r => r.directive.kind === 'set_fees').length, 0)

  await f.manager.voteFee(alice.actor, { baseFeeMsat: '1500', feeRatePpm: 200 })
  await f.manager.voteFee(bob.actor, { baseFeeMsat: '1500', feeRatePpm: 200 })
  // the vote's own set_fees runs on carol's node
  const first = f.manager.directives(carol.id).find(r => r.directive.kind === 'set_fees')!
  await f.fromAgent(carol.agentKey, 'result', { directive: first.directive.id, outcome: 'succeeded', detail: {} })
  // then she opens a channel whose fee is LND's default
  await f.report(carol.agentKey, 1_000_000, [withFee(outpoint(900), alice.nodeKey, '1500', 200), withFee(outpoint(901), bob.nodeKey, '1000', 1)])
  const again = f.manager.directives(carol.id).filter(r => r.directive.kind === 'set_fees')
  assert.equal(again.length, 2)
  const second = again.find(r => r !== first)!
  assert.deepEqual(second.directive.params, { baseFeeMsat: '1500', feeRatePpm: 200 })
  // the next reports, before or after it ran, ask nothing more
  await f.report(carol.agentKey, 1_000_000, [withFee(outpoint(900), alice.nodeKey, '1500', 200), withFee(outpoint(901), bob.nodeKey, '1000', 1)])
  await f.fromAgent(carol.agentKey, 'result', { directive: second.directive.id, outcome: 'failed', detail: {}, error: { code: 'LN_UNAVAILABLE', params: {} } })
  await f.report(carol.agentKey, 1_000_000, [withFee(outpoint(900), alice.nodeKey, '1500', 200), withFee(outpoint(901), bob.nodeKey, '1000', 1)])
  assert.equal(f.manager.directives(carol.id).filter(r => r.directive.kind === 'set_fees').length, 2)
  // an hour later it is asked again
  f.clock.advance(61 * 60_000)
  await f.manager.whenIdle()
  await f.report(carol.agentKey, 1_000_000, [withFee(outpoint(900), alice.nodeKey, '1500', 200), withFee(outpoint(901), bob.nodeKey, '1000', 1)])
  assert.equal(f.manager.directives(carol.id).filter(r => r.directive.kind === 'set_fees').length, 3)
})

test('votes cast before anyone had stake (stormd votes as it connects) count once stake exists: the stakeless round gives way', async () => {
  const f = await ManagerFixture.start({ governance: governance() })
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  await f.fromAgent(alice.agentKey, 'vote', { baseFeeMsat: '1200', feeRatePpm: 120 })
  const first = f.manager.openProposals()[0]!
  assert.deepEqual(first.stakes, { [alice.id]: 0, [bob.id]: 0 })
  // channels open: alice funded 3m, bob 1m
  await f.report(alice.agentKey, 1_000_000, [channelReport(outpoint(1), bob.nodeKey, 3_000_000, 1_500_000, true)])
  await f.report(bob.agentKey, 1_000_000, [channelReport(outpoint(2), alice.nodeKey, 1_000_000, 500_000, true)])
  const r = await f.manager.voteFee(bob.actor, { baseFeeMsat: '9000', feeRatePpm: 900 })
  assert.ok(r.ok)
  assert.equal(f.manager.state.governance.proposals[first.id]?.status, 'withdrawn')
  assert.notEqual(r.value.proposal.id, first.id)
  assert.deepEqual(r.value.proposal.stakes, { [alice.id]: 3_000_000, [bob.id]: 1_000_000 })
  // alice's standing vote carries 3 of the 4 million
  assert.deepEqual(r.value.decided, { baseFeeMsat: '1200', feeRatePpm: 120 })
})
