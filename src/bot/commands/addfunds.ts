/**
 * `addfunds AMOUNT [NODE]`: put sats in; the planner answers with the channels it will open. A
 * member with several nodes may name the one that funds (alias or start of its key); without it
 * the manager picks one that can, and the answer says which.
 */
import { defineCommand } from './define_command.ts'
import { amountWords } from './arguments.ts'
import { parseAmount } from '../parse_amount.ts'
import { answer } from './replies.ts'
import { ok, type Result } from '../../shared/errors.ts'

/**
 * The amount (several words where a language groups digits with spaces), then perhaps a node: a
 * last word that is no amount itself, or the start of a node key (8 hex characters or more).
 * `addfunds 1 2` stays too many words, never 1 sat from a node called 2.
 */
function amountAndNode (words: string[], lang: string): Result<{ amount: number, node?: string }> {
  const whole = amountWords('addfunds', words, lang)
  if (whole.ok || words.length < 2) return whole
  const last = words.at(-1)!
  if (parseAmount(last, lang).ok && !/^[0-9a-f]{8,66}$/i.test(last)) return whole
  const amount = amountWords('addfunds', words.slice(0, -1), lang)
  return amount.ok ? ok({ amount: amount.value.amount, node: last }) : whole
}

export const addfunds = defineCommand({
  name: 'addfunds',
  // more words are one amount only where a language groups digits with spaces
  words: { required: 1, optional: Infinity },
  parse: amountAndNode,
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t, p }, { amount, node }) =>
    answer(t, await manager.addFunds(actor, amount, node), o => [
      t.t('addfunds-submitted', { amount, id: o.allocation.id, p }),
      ...o.node === undefined ? [] : [t.t('addfunds-from-node', { node: o.node.alias !== '' ? o.node.alias : o.node.publicKey.slice(0, 12) })],
      ...o.channels.map(ch => t.t('addfunds-planned-channel', { amount: ch.capacity, peer: ch.peerName, directive: ch.directive })),
      ...o.channels.length > 1 ? [t.t('addfunds-one-transaction', { count: o.channels.length })] : []
    ].join('\n'))
})
