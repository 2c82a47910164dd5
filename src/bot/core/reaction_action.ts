/**
 * A reaction standing for a button, for services where reacting is how people answer (Matrix):
 * ✅ on an announcement is its one approving button (`approve:` / `admit:`), ❌ its one refusing
 * button (`reject:` / `decline:`). A message with several such buttons (a batch) is ambiguous:
 * no action, and the person is asked to use the command instead.
 */
import type { Button } from '../render.ts'

const YES = new Set(['✅', '✔️', '👍'])
const NO = new Set(['❌', '✖️', '👎'])
const YES_ACTIONS = ['approve:', 'admit:']
const NO_ACTIONS = ['reject:', 'decline:']

/** The action a reaction stands for on a message with these buttons; null when none or several. */
export function reactionAction (buttons: Button[][], emoji: string): string | null {
  const prefixes = YES.has(emoji) ? YES_ACTIONS : NO.has(emoji) ? NO_ACTIONS : null
  if (prefixes === null) return null
  const matching = buttons.flat().filter(b => prefixes.some(p => b.action.startsWith(p)))
  return matching.length === 1 ? matching[0]!.action : null
}
