/**
 * `vote fee BASE RATE`: a member's fee vote, weighed by stake (base in msat; rate as the seed's
 * fraction `0.000001` or `100ppm`, never a bare whole number). `vote yes ID` / `vote no ID`: a
 * member's vote on a ban — also the [Yes] [No] buttons under a ban vote (`vote:ID.yes`).
 */
import { err, ok, type Result } from '../../shared/errors.ts'
import { parseBaseFee, parseFeeRate } from '../../shared/fee_units.ts'
import { defineCommand, type CommandCall, type Reply } from './define_command.ts'
import { idWord } from './arguments.ts'
import { answer } from './replies.ts'

export type VoteArgs =
  | { kind: 'fee', baseFeeMsat: string, feeRatePpm: number }
  | { kind: 'ban', proposal: string, choice: 'yes' | 'no' }

export const vote = defineCommand({
  name: 'vote',
  words: { required: 1, optional: 2 },
  parse: words => parseVote(words),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  button: true,
  run: (call, args) => args.kind === 'fee' ? voteFee(call, args) : voteBan(call, args)
})

/** Errors: `BAD_VOTE`, `BAD_BASE_FEE` {value}, `BAD_FEE_RATE` {value}, `FEE_RATE_AMBIGUOUS` {value, ppm, fraction}, `BAD_ID` {value}. */
export function parseVote (words: string[]): Result<VoteArgs> {
  const first = words[0]!.toLowerCase()
  if (first === 'fee') {
    if (words.length !== 3) return err('BAD_VOTE')
    const base = parseBaseFee(words[1]!)
    if (!base.ok) return base
    const rate = parseFeeRate(words[2]!)
    if (!rate.ok) return rate
    return ok({ kind: 'fee', baseFeeMsat: String(base.value), feeRatePpm: rate.value })
  }
  // typed `vote yes ID`, or a button's one word `ID.yes`
  const [choice, id] = words.length === 1 && words[0]!.includes('.') ? words[0]!.split('.').reverse() as [string, string] : [first, words[1]]
  if ((choice !== 'yes' && choice !== 'no') || id === undefined || words.length > 2) return err('BAD_VOTE')
  const proposal = idWord(id)
  if (!proposal.ok) return proposal
  return ok({ kind: 'ban', proposal: proposal.value.id, choice })
}

async function voteFee ({ manager, actor, t }: CommandCall, v: Extract<VoteArgs, { kind: 'fee' }>): Promise<Reply> {
  return answer(t, await manager.voteFee(actor, { baseFeeMsat: v.baseFeeMsat, feeRatePpm: v.feeRatePpm }), r => {
    const params = { base: v.baseFeeMsat, rate: v.feeRatePpm, stake: r.stake, voted: r.tally.votedStake, total: r.tally.totalStake, quorum: Math.round(manager.rules.governance.quorum * 100) }
    if (r.decided !== undefined) return t.t('vote-fee-decided', { ...params, toBase: r.decided.baseFeeMsat, toRate: r.decided.feeRatePpm })
    return t.t(r.unchanged ? 'vote-fee-unchanged' : 'vote-fee-taken', params)
  })
}

async function voteBan ({ manager, actor, t }: CommandCall, v: Extract<VoteArgs, { kind: 'ban' }>): Promise<Reply> {
  return answer(t, await manager.voteBan(actor, v.proposal, v.choice), r => t.t('vote-ban-taken', {
    id: v.proposal, choice: t.t(`ban-choice-${v.choice}`), stake: r.stake, yes: r.tally.yesStake ?? 0, no: r.tally.noStake ?? 0, total: r.tally.totalStake
  }))
}
