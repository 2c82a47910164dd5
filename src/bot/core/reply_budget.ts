/**
 * Per-sender reply budgets: a stranger (or anyone) sending commands in a flood is answered a few
 * times, told once to slow down, then ignored until their budget refills — so the replies of
 * members, and announcements, never wait behind someone else's flood in the chat service's rate
 * limits. Announcements are not replies and have no budget.
 */
import type { Clock } from '../../shared/clock.ts'

/** A token bucket: `burst` answers at once, one more every `refillMs`. */
export interface BudgetRule { burst: number, refillMs: number }

export interface ReplyBudgetRules {
  /** Admitted members (active or leaving). */
  member: BudgetRule
  /** Everyone else: strangers, pending requests, banned and departed members. */
  stranger: BudgetRule
  /** All strangers in one room together (many accounts flooding at once). */
  strangersPerRoom: BudgetRule
}

export const DEFAULT_REPLY_BUDGETS: ReplyBudgetRules = {
  member: { burst: 20, refillMs: 1_000 },
  stranger: { burst: 5, refillMs: 10_000 },
  strangersPerRoom: { burst: 20, refillMs: 3_000 }
}

/** What to do with a sender's command: answer it, answer with the one slow-down notice, or drop it. */
export type BudgetVerdict = 'answer' | 'notice' | 'drop'

const MAX_SENDERS = 10_000

export class ReplyBudgets {
  readonly #rules: ReplyBudgetRules
  readonly #clock: Clock
  readonly #buckets = new Map<string, { tokens: number, at: number, noticed: boolean }>()

  constructor (rules: ReplyBudgetRules, clock: Clock) {
    this.#rules = rules
    this.#clock = clock
  }

  /**
   * Spends one answer of `sender`'s budget (and, for a stranger, of the room's budget for all
   * strangers), if there is one. The first command past the budget gets the one notice.
   */
  take (sender: string, kind: 'member' | 'stranger', room: string): BudgetVerdict {
    const now = this.#clock.now()
    const own = this.#bucket(`u\n${sender}`, this.#rules[kind], now)
    const shared = kind === 'stranger' ? this.#bucket(`r\n${room}`, this.#rules.strangersPerRoom, now) : null
    if (own.tokens >= 1 && (shared === null || shared.tokens >= 1)) {
      own.tokens -= 1
      if (shared !== null) shared.tokens -= 1
      own.noticed = false
      return 'answer'
    }
    if (own.noticed) return 'drop'
    own.noticed = true
    return 'notice'
  }

  #bucket (key: string, rule: BudgetRule, now: number): { tokens: number, at: number, noticed: boolean } {
    let b = this.#buckets.get(key)
    if (b === undefined) {
      if (this.#buckets.size >= MAX_SENDERS) this.#forgetFull(now)
      b = { tokens: rule.burst, at: now, noticed: false }
      this.#buckets.set(key, b)
    }
    const refilled = Math.floor((now - b.at) / rule.refillMs)
    if (refilled > 0) {
      b.tokens = Math.min(rule.burst, b.tokens + refilled)
      b.at = b.tokens === rule.burst ? now : b.at + refilled * rule.refillMs
    }
    // a member's budget may be smaller than the one they had as a stranger: never above the rule
    b.tokens = Math.min(b.tokens, rule.burst)
    return b
  }

  #forgetFull (now: number): void {
    for (const [sender, b] of this.#buckets) {
      if (now - b.at >= this.#rules.stranger.refillMs * this.#rules.stranger.burst) this.#buckets.delete(sender)
    }
    if (this.#buckets.size >= MAX_SENDERS) this.#buckets.clear()
  }
}
