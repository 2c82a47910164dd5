/**
 * `lift`: a member with no funds asks the Storm to open channels to it (newcomers are lifted on
 * their own when they pair; this asks again, e.g. once the day's budget is back).
 * `lift on` / `lift off`: whether you are willing to open channels to newcomers (asked first).
 */
import { err, ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { answer } from './replies.ts'

export const lift = defineCommand({
  name: 'lift',
  words: { required: 0, optional: 1 },
  parse: ([word]) => {
    if (word === undefined) return ok({})
    const w = word.toLowerCase()
    if (w === 'on' || w === 'off') return ok({ willing: w === 'on' })
    return err('BAD_LIFT_WORD', { value: word.slice(0, 32) })
  },
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t }, { willing }: { willing?: boolean }) => {
    if (willing !== undefined) {
      return answer(t, await manager.setWillingToLift(actor, willing), () => t.t(willing ? 'lift-willing-on' : 'lift-willing-off'))
    }
    return answer(t, await manager.lift(actor), o => t.t('lift-asked', { amount: o.plan.amount, openers: o.allocations.length }))
  }
})
