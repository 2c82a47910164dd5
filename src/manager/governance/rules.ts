/**
 * The Storm's governance rules, under `rules.governance` in the manager's configuration: the fee
 * vote and ban votes (quorum, deadline, bounds), who may ban outright, admission, and the uptime
 * rating's thresholds. Defaults live here; the README table is generated from `.describe()`.
 */
import { z } from 'zod'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const GovernanceRulesSchema = z.object({
  quorum: z.number().gt(0).max(1).default(0.5)
    .describe('Share of the Storm\'s stake (liquidity in open Storm channels) that must vote before a fee vote or a ban vote counts.'),
  proposalTtlMs: z.number().int().min(MINUTE).max(30 * DAY).default(2 * DAY)
    .describe('How long a ban vote, or a fee vote that has not reached the quorum, stays open.'),
  maxBaseFeeMsat: z.number().int().nonnegative().max(1_000_000_000).default(100_000)
    .describe('Highest base fee a member may vote for, in millisatoshis.'),
  maxFeeRatePpm: z.number().int().nonnegative().max(1_000_000).default(50_000)
    .describe('Highest fee rate a member may vote for, in parts per million.'),
  outrightBan: z.enum(['nobody', 'admins']).default('nobody')
    .describe('Who may ban without a vote (`ban @member now reason`); otherwise a ban is put to the members.'),
  maxMembers: z.number().int().nonnegative().default(0)
    .describe('A public Storm admits newcomers up to this many members (0: no limit); beyond it they wait for an admin.'),
  rejoinMinRating: z.number().min(0).max(100).default(0)
    .describe('A former member whose rating was below this waits for an admin to rejoin, even in a public Storm.'),
  ratingWarn: z.number().min(0).max(100).default(90)
    .describe('Below this uptime rating (0–100, rolling 7 days) the member is warned in chat.'),
  ratingBan: z.number().min(0).max(100).default(50)
    .describe('Below this uptime rating a ban is proposed to the members automatically.'),
  ratingMinHours: z.number().min(0).max(168).default(24)
    .describe('Hours of counted samples a member needs before its rating warns or proposes a ban.'),
  ratingSampleMs: z.number().int().min(1000).max(HOUR).default(MINUTE)
    .describe('How often the manager samples each member\'s uptime (connected, LND healthy).'),
  blackoutShare: z.number().gt(0).max(1).default(0.5)
    .describe('A sample in which more than this share of members is down is a Storm-wide blackout and counts against nobody.'),
  managerGraceMs: z.number().int().nonnegative().max(HOUR).default(5 * MINUTE)
    .describe('After the manager starts, agents get this long to reconnect before samples count.')
}).strict()

export type GovernanceRules = z.infer<typeof GovernanceRulesSchema>
