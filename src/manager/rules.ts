/**
 * A Storm's rules: the manager's configuration section that governs planning and membership.
 * Defaults live here; `config/storm.sample.json` and the README table are generated from the
 * `.describe()` texts.
 */
import { z } from 'zod'
import { DIRECTIVE_KINDS } from '../protocol/messages.ts'
import { RebalanceRulesSchema } from './planning/rebalance_rules.ts'
import { GovernanceRulesSchema } from './governance/rules.ts'
import { DowntimeRulesSchema } from './liveness/rules.ts'
import { ExitRulesSchema, OnboardingRulesSchema } from './planning/movement_rules.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

export const StormRulesSchema = z.object({
  group: z.string().min(1).max(64).default('Supercell').describe('The Storm\'s name, shown in chat and in getinfo.'),
  visibility: z.enum(['public', 'private']).default('private')
    .describe('public: anyone who /connects is admitted; private: an admin approves each request.'),
  minChannelSize: z.number().int().min(20_000).default(100_000).describe('Smallest channel the planner opens, in sats.'),
  maxChannelSize: z.number().int().max(100_000_000).default(16_777_215).describe('Largest channel the planner opens, in sats.'),
  maxChannelsPerAllocation: z.number().int().min(1).max(50).default(4)
    .describe('How many channels one addfunds request is spread over, at most.'),
  onchainFeeReserve: z.number().int().nonnegative().default(10_000)
    .describe('Sats kept aside in a member\'s wallet for funding fees when checking addfunds.'),
  directiveTtlMs: z.number().int().min(MINUTE).max(7 * 24 * HOUR).default(24 * HOUR).describe('How long a directive stays valid (at most 7 days: agents refuse longer).'),
  pairingCodeTtlMs: z.number().int().min(MINUTE).default(10 * MINUTE).describe('How long a pairing code works.'),
  approvalRequired: z.array(z.enum(DIRECTIVE_KINDS)).default(['open_channel', 'close_channel', 'rebalance'])
    .describe('Directive kinds that wait for the owner\'s approval (an agent may require more; open_channel covers open_channels, a batch in one transaction).'),
  defaultBaseFeeMsat: z.string().regex(/^\d+$/).default('1000').describe('Base fee until members vote, in millisatoshis.'),
  defaultFeeRatePpm: z.number().int().nonnegative().default(100).describe('Fee rate until members vote, in parts per million.'),
  heartbeatIntervalMs: z.number().int().min(1000).default(30_000).describe('How often agents send heartbeats.'),
  rebalancing: RebalanceRulesSchema.prefault({}).describe('Circular rebalancing: Tightrope\'s settings (see the rebalancing table).'),
  governance: GovernanceRulesSchema.prefault({}).describe('Fee votes, bans, admission and the uptime rating: see the governance table.'),
  downtime: DowntimeRulesSchema.prefault({}).describe('Planned downtime: how long, how often, how many at once: see the downtime table.'),
  exit: ExitRulesSchema.prefault({}).describe('Graceful removefunds / disconnect: see the exit table.'),
  onboarding: OnboardingRulesSchema.prefault({}).describe('Lifting newcomers with no funds: see the onboarding table.')
}).strict()

export type StormRules = z.infer<typeof StormRulesSchema>

/** The rules with every default applied. */
export function defaultRules (overrides: Partial<StormRules> = {}): StormRules {
  return StormRulesSchema.parse(overrides)
}
