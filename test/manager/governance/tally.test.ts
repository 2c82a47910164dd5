/**
 * The arithmetic of a vote, as tables: the stake-weighted median (ties, zero stake, a single
 * voter), the quorum, and a member who leaves while the vote is open.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { weightedMedian } from '../../../src/manager/governance/weighted_median.ts'
import { tallyFeeVotes, tallyBanVotes } from '../../../src/manager/governance/tally_votes.ts'
import type { BanProposal, FeeProposal } from '../../../src/manager/governance/schema.ts'
import type { State } from '../../../src/manager/state/schema.ts'
import { parseBaseFee, parseFeeRate } from '../../../src/shared/fee_units.ts'

test('weighted median: the value at which half the stake is at or below it', () => {
  const cases: Array<{ description: string, votes: Array<[number, number]>, expected: number | undefined }> = [
    { description: 'a single voter decides', votes: [[700, 5]], expected: 700 },
    { description: 'the bigger stake wins over more voters', votes: [[100, 1], [200, 1], [900, 3]], expected: 900 },
    { description: 'more voters win over one big stake when together they hold more', votes: [[100, 2], [200, 2], [900, 3]], expected: 200 },
    { description: 'a tie (exactly half at or below) takes the lower value', votes: [[1000, 5], [2000, 5]], expected: 1000 },
    { description: 'a three-way tie in stake: the middle value', votes: [[1, 1], [2, 1], [3, 1]], expected: 2 },
    { description: 'zero-stake votes weigh nothing', votes: [[1, 0], [5, 0], [9, 10]], expected: 9 },
    { description: 'nobody with stake: no median', votes: [[1, 0], [2, 0]], expected: undefined },
    { description: 'no votes: no median', votes: [], expected: undefined },
    { description: 'order of votes does not matter', votes: [[900, 3], [100, 2], [200, 2]], expected: 200 },
    { description: 'equal values add up', votes: [[50, 1], [50, 1], [10, 1]], expected: 50 }
  ]
  for (const c of cases) {
    assert.equal(weightedMedian(c.votes.map(([value, weight]) => ({ value, weight }))), c.expected, c.description)
  }
  // millisatoshis as bigint, beyond a double's exact range
  assert.equal(weightedMedian([{ value: 2n ** 60n, weight: 2 }, { value: 3n, weight: 1 }]), 2n ** 60n)
})

function members (...ids: Array<[string, 'active' | 'left' | 'banned']>): Pick<State, 'members'> {
  const out: State['members'] = {}
  for (const [id, status] of ids) out[id] = { id, chat: { platform: 't', userId: id, name: '@' + id }, status, requestedAt: 0, rating: 100 }
  return { members: out }
}

function feeRound (stakes: Record<string, number>, votes: Record<string, [string, number]>): FeeProposal {
  return {
    kind: 'fee', id: 'p', openedAt: 0, deadline: 100, status: 'open', stakes,
    votes: Object.fromEntries(Object.entries(votes).map(([id, [baseFeeMsat, feeRatePpm]]) => [id, { baseFeeMsat, feeRatePpm, at: 0 }]))
  }
}

test('fee tally: the quorum is a share of the stake, and each parameter has its own median', () => {
  const all = members(['a', 'active'], ['b', 'active'], ['c', 'active'])
  const stakes = { a: 5_000_000, b: 3_000_000, c: 2_000_000 }
  const cases: Array<{ description: string, votes: Record<string, [string, number]>, quorum: number, quorate: boolean, outcome?: { baseFeeMsat: string, feeRatePpm: number } }> = [
    { description: 'quorum not reached: 40% of the stake voted, 50% needed', votes: { b: ['1', 1] as [string, number] }, quorum: 0.5, quorate: false },
    {
      description: 'a and c vote: 70% of the stake; base and rate are separate medians',
      votes: { a: ['1000', 100] as [string, number], c: ['3000', 10] as [string, number] },
      quorum: 0.5,
      quorate: true,
      outcome: { baseFeeMsat: '1000', feeRatePpm: 100 }
    },
    {
      description: 'everyone votes: a holds exactly half the stake, so the lower median is a\'s rate; the base is a\'s too',
      votes: { a: ['2000', 1] as [string, number], b: ['1000', 500] as [string, number], c: ['9000', 50] as [string, number] },
      quorum: 0.5,
      quorate: true,
      outcome: { baseFeeMsat: '2000', feeRatePpm: 1 }
    },
    { description: 'exactly at the quorum counts', votes: { a: ['7', 7] as [string, number] }, quorum: 0.5, quorate: true, outcome: { baseFeeMsat: '7', feeRatePpm: 7 } }
  ]
  for (const c of cases) {
    const r = tallyFeeVotes(all, feeRound(stakes, c.votes), c.quorum)
    assert.equal(r.quorate, c.quorate, c.description)
    assert.deepEqual(r.outcome, c.outcome, c.description)
    assert.equal(r.tally.totalStake, 10_000_000)
  }
})

test('fee tally: zero total stake never reaches a quorum, however many vote', () => {
  const r = tallyFeeVotes(members(['a', 'active'], ['b', 'active']), feeRound({ a: 0, b: 0 }, { a: ['1', 1], b: ['2', 2] }), 0.5)
  assert.equal(r.quorate, false)
  assert.equal(r.outcome, undefined)
  assert.deepEqual(r.tally, { totalStake: 0, votedStake: 0, voters: 2 })
})

test('fee tally: a member who leaves mid-vote neither votes nor counts in the total', () => {
  const stakes = { a: 4_000_000, b: 4_000_000, c: 2_000_000 }
  const votes = { a: ['1000', 100] as [string, number], b: ['5000', 900] as [string, number] }
  const before = tallyFeeVotes(members(['a', 'active'], ['b', 'active'], ['c', 'active']), feeRound(stakes, votes), 0.5)
  assert.deepEqual(before.outcome, { baseFeeMsat: '1000', feeRatePpm: 100 })
  // a leaves: b alone has 4 of the remaining 6 million
  const after = tallyFeeVotes(members(['a', 'left'], ['b', 'active'], ['c', 'active']), feeRound(stakes, votes), 0.5)
  assert.deepEqual(after.tally, { totalStake: 6_000_000, votedStake: 4_000_000, voters: 1 })
  assert.deepEqual(after.outcome, { baseFeeMsat: '5000', feeRatePpm: 900 })
  // a banned voter is gone the same way
  const banned = tallyFeeVotes(members(['a', 'banned'], ['b', 'left'], ['c', 'active']), feeRound(stakes, votes), 0.5)
  assert.equal(banned.quorate, false)
})

function banVote (stakes: Record<string, number>, votes: Record<string, 'yes' | 'no'>): BanProposal {
  return {
    kind: 'ban', id: 'b', openedAt: 0, deadline: 100, status: 'open', stakes, target: 'm', reason: 'spam', proposer: 'x',
    votes: Object.fromEntries(Object.entries(votes).map(([id, choice]) => [id, { choice, at: 0 }]))
  }
}

test('ban tally: decided early only when the rest cannot change it, else at the deadline', () => {
  const all = members(['a', 'active'], ['b', 'active'], ['c', 'active'], ['m', 'active'])
  const stakes = { a: 5, b: 3, c: 2 }
  const cases: Array<{ description: string, votes: Record<string, 'yes' | 'no'>, now: number, verdict: string }> = [
    { description: 'more than half the stake says yes: passed at once', votes: { a: 'yes' as const, c: 'yes' as const }, now: 0, verdict: 'passed' },
    { description: 'exactly half yes is not yet a majority', votes: { a: 'yes' as const }, now: 0, verdict: 'open' },
    { description: 'half the stake says no: rejected at once', votes: { a: 'no' as const }, now: 0, verdict: 'rejected' },
    { description: 'at the deadline, quorum met and yes outweighs no', votes: { b: 'yes' as const, c: 'no' as const }, now: 100, verdict: 'passed' },
    { description: 'at the deadline, below the quorum: lapsed', votes: { c: 'yes' as const }, now: 100, verdict: 'lapsed' },
    { description: 'at the deadline, a tie in stake: not banned', votes: { b: 'no' as const, c: 'yes' as const }, now: 100, verdict: 'rejected' }
  ]
  for (const c of cases) {
    assert.equal(tallyBanVotes(all, banVote(stakes, c.votes), 0.5, c.now).verdict, c.verdict, c.description)
  }
  // nobody has stake: a vote can only lapse
  assert.equal(tallyBanVotes(all, banVote({ a: 0, b: 0 }, { a: 'yes', b: 'yes' }), 0.5, 100).verdict, 'lapsed')
})

test('fee units: the seed\'s fraction and ppm, with no ambiguity', () => {
  const rates: Array<[string, number | string]> = [
    ['0.000001', 1], ['0.0001', 100], ['0.006932', 6932], ['100ppm', 100], ['100 PPM', 100], ['0', 0], ['0ppm', 0], ['1.0', 1_000_000], ['.5', 500_000],
    ['100', 'FEE_RATE_AMBIGUOUS'], ['1', 'FEE_RATE_AMBIGUOUS'], ['0.0000001', 'BAD_FEE_RATE'], ['1.5', 'BAD_FEE_RATE'], ['2000000ppm', 'BAD_FEE_RATE'],
    ['-0.1', 'BAD_FEE_RATE'], ['abc', 'BAD_FEE_RATE'], ['', 'BAD_FEE_RATE'], ['1e-6', 'BAD_FEE_RATE']
  ]
  for (const [input, expected] of rates) {
    const r = parseFeeRate(input)
    if (typeof expected === 'number') assert.deepEqual(r, { ok: true, value: expected }, input)
    else assert.equal(r.ok ? 'ok' : r.error.code, expected, input)
  }
  const ambiguous = parseFeeRate('100')
  assert.ok(!ambiguous.ok)
  assert.deepEqual(ambiguous.error.params, { value: '100', ppm: '100ppm', fraction: '0.000100' })
  const bases: Array<[string, bigint | string]> = [['1000', 1000n], ['1,000', 1000n], ['2500msat', 2500n], ['0', 0n], ['-1', 'BAD_BASE_FEE'], ['1.5', 'BAD_BASE_FEE'], ['1sat', 'BAD_BASE_FEE'], ['99999999999999', 'BAD_BASE_FEE']]
  for (const [input, expected] of bases) {
    const r = parseBaseFee(input)
    if (typeof expected === 'bigint') assert.deepEqual(r, { ok: true, value: expected }, input)
    else assert.equal(r.ok ? 'ok' : r.error.code, expected, input)
  }
})
