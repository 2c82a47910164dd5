/**
 * Who is an admin of a room, as the chat service says (Telegram's creator and administrators,
 * Matrix's power levels), remembered for a while (five minutes by default) so a busy room does
 * not ask on every command.
 */
import type { Clock } from '../../shared/clock.ts'

/** Asks the chat service whether a user is an admin of a room. */
export type IsAdminOf = (room: string, userId: string) => Promise<boolean>

export const ADMIN_TTL_MS = 5 * 60_000

export class AdminCache {
  readonly #isAdmin: IsAdminOf
  readonly #clock: Clock
  readonly #ttlMs: number
  readonly #known = new Map<string, { admin: boolean, until: number }>()

  constructor (isAdmin: IsAdminOf, clock: Clock, ttlMs: number = ADMIN_TTL_MS) {
    this.#isAdmin = isAdmin
    this.#clock = clock
    this.#ttlMs = ttlMs
  }

  /** Whether the user is an admin of the room. A failed look-up means no. */
  async isAdmin (room: string, userId: string): Promise<boolean> {
    const key = `${room}\n${userId}`
    const now = this.#clock.now()
    const known = this.#known.get(key)
    if (known !== undefined && known.until > now) return known.admin
    let admin = false
    try {
      admin = await this.#isAdmin(room, userId)
    } catch {
      // not in the room, or the service unreachable: no admin rights, and ask again next time
      return false
    }
    if (this.#known.size > 10_000) this.#known.clear()
    this.#known.set(key, { admin, until: now + this.#ttlMs })
    return admin
  }
}
