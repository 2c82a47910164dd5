/**
 * Rules for the Storm moving around a node (issue 11): how much Storm capacity a member must keep
 * when another leaves (`rules.exit`), and the budget for lifting newcomers who have no funds
 * (`rules.onboarding`). Defaults live here; the README tables are generated from `.describe()`.
 */
import { z } from 'zod'

const Sats = z.number().int().nonnegative().max(21e14)

export const ExitRulesSchema = z.object({
  minMemberCapacity: Sats.default(200_000)
    .describe('When a member withdraws or leaves, any other member whose Storm channels would add up to less than this (in sats) gets a channel opened to it first.'),
  reinforce: z.boolean().default(true)
    .describe('Add capacity before a withdrawal would cut a member off (false: close at once, the old behaviour).')
}).strict()
export type ExitRules = z.infer<typeof ExitRulesSchema>

export const OnboardingRulesSchema = z.object({
  enabled: z.boolean().default(true)
    .describe('Lift newly paired members who have no funds: other members open channels to them.'),
  satsPerNewcomer: Sats.default(400_000)
    .describe('Sats of channels opened to one newcomer, at most (in all).'),
  satsPerDay: Sats.default(1_000_000)
    .describe('Sats of channels opened to newcomers by the whole Storm in 24 hours, at most.'),
  channelsPerNewcomer: z.number().int().min(1).max(10).default(2)
    .describe('How many members open a channel to one newcomer, at most.'),
  openers: z.enum(['willing_first', 'willing_only']).default('willing_first')
    .describe('Who is asked to open: members who said `lift on` first, then the others (`willing_first`), or only them.')
}).strict()
export type OnboardingRules = z.infer<typeof OnboardingRulesSchema>
