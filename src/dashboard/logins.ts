/**
 * The member-only view's door: one-time login links that expire, and the sessions they open.
 * A token is 32 random bytes; only its SHA-256 is kept, so the table leaks no working link.
 * Held in memory: a restart logs everyone out and voids unused links (ask for a new one).
 *
 * Errors (as values): `LOGIN_UNKNOWN` (no such link), `LOGIN_USED`, `LOGIN_EXPIRED`.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../shared/clock.ts'
import { err, ok, type Result } from '../shared/errors.ts'

export interface LoginsOptions {
  clock: Clock
  /** How long a login link works, ms. */
  linkTtlMs: number
  /** How long a session lasts, ms. */
  sessionTtlMs: number
  random?: (bytes: number) => Buffer
}

interface Link { member: string, expiresAt: number, usedAt?: number }
interface Session { member: string, expiresAt: number }

export class DashboardLogins {
  readonly #o: LoginsOptions
  readonly #links = new Map<string, Link>()
  readonly #sessions = new Map<string, Session>()

  constructor (o: LoginsOptions) {
    this.#o = o
  }

  /** A new one-time token for a member. */
  issue (member: string): { token: string, expiresAt: number } {
    this.#sweep()
    const token = (this.#o.random ?? randomBytes)(32).toString('base64url')
    const expiresAt = this.#o.clock.now() + this.#o.linkTtlMs
    this.#links.set(hash(token), { member, expiresAt })
    return { token, expiresAt }
  }

  /** Uses a token (once): a new session id for its member. */
  redeem (token: string): Result<{ session: string, member: string, expiresAt: number }> {
    const now = this.#o.clock.now()
    const link = this.#links.get(hash(token))
    if (link === undefined) return err('LOGIN_UNKNOWN')
    if (link.usedAt !== undefined) return err('LOGIN_USED')
    if (now >= link.expiresAt) return err('LOGIN_EXPIRED')
    link.usedAt = now
    const session = (this.#o.random ?? randomBytes)(32).toString('base64url')
    const expiresAt = now + this.#o.sessionTtlMs
    this.#sessions.set(hash(session), { member: link.member, expiresAt })
    return ok({ session, member: link.member, expiresAt })
  }

  /** The member a session belongs to, while it lasts. */
  member (session: string | undefined): string | undefined {
    if (session === undefined || session.length > 100) return undefined
    const s = this.#sessions.get(hash(session))
    if (s === undefined) return undefined
    if (this.#o.clock.now() >= s.expiresAt) {
      this.#sessions.delete(hash(session))
      return undefined
    }
    return s.member
  }

  /** Ends a session. */
  end (session: string | undefined): void {
    if (session !== undefined) this.#sessions.delete(hash(session))
  }

  /** Forgets links and sessions long past their expiry (a used link is kept until it expires). */
  #sweep (): void {
    const now = this.#o.clock.now()
    for (const [k, l] of this.#links) if (now >= l.expiresAt) this.#links.delete(k)
    for (const [k, s] of this.#sessions) if (now >= s.expiresAt) this.#sessions.delete(k)
  }
}

function hash (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
