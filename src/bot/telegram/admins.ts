/**
 * Who is an admin: the group's creator and administrators, as Telegram's `getChatMember` says,
 * remembered for a while (five minutes by default) so a busy group does not ask on every command.
 */
import type { Clock } from '../../shared/clock.ts'

/** Asks Telegram for one member's status in a chat (`creator`, `administrator`, `member`, …). */
export type MemberStatusOf = (chatId: number, userId: number) => Promise<string>

export const ADMIN_TTL_MS = 5 * 60_000

export class AdminCache {
  readonly #statusOf: MemberStatusOf
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #known = new Map<string, { admin: boolean, until: number }>()

  constructor (statusOf: MemberStatusOf, clock: Clock, ttlMs: number = ADMIN_TTL_MS) {
    this.#statusOf = statusOf
    this.#clock = clock
    this.#ttlMs = ttlMs
  }

  /** Whether the user is the chat's creator or an administrator. A failed look-up means no. */
  async isAdmin (chatId: number, userId: number): Promise<boolean> {
    const key = `${chatId}:${userId}`
    const now = this.#clock.now()
    const known = this.#known.get(key)
    if (known !== undefined && known.until > now) return known.admin
    let admin = false
    try {
      const status = await this.#statusOf(chatId, userId)
      admin = status === 'creator' || status === 'administrator'
    } catch {
      // not in the chat, or Telegram unreachable: no admin rights, and ask again next time
      return false
    }
    if (this.#known.size > 10_000) this.#known.clear()
    this.#known.set(key, { admin, until: now + this.#ttlMs })
    return admin
  }
}
