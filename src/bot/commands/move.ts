/**
 * `move AMOUNT FROM TO`: sats from one of your nodes to another (a fleet), by plain invoice and
 * payment between them. Nodes are named by alias or the start of their key.
 */
import { defineCommand } from './define_command.ts'
import { amountWords } from './arguments.ts'
import { answer } from './replies.ts'
import { ok } from '../../shared/errors.ts'

/** The routing fee a move may cost: 1 % of it, at least 10 sats (stormd's own fee limits apply too). */
export function moveMaxFee (amount: number): number {
  return Math.max(10, Math.ceil(amount / 100))
}

export const move = defineCommand({
  name: 'move',
  words: { required: 3, optional: 0 },
  parse: (words, lang) => {
    const amount = amountWords('move', words.slice(0, 1), lang)
    return amount.ok ? ok({ amount: amount.value.amount, from: words[1]!, to: words[2]! }) : amount
  },
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t }, { amount, from, to }) =>
    answer(t, await manager.moveBetweenNodes(actor, amount, from, to, moveMaxFee(amount)), o =>
      t.t('move-submitted', { amount, from: o.from.node.alias, to: o.to.node.alias, directive: o.invoice.directive.id, fee: moveMaxFee(amount) }))
})
