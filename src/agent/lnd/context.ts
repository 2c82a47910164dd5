/** What every LND use case gets: the `lightning` connection and our own node key. */
import type { AuthenticatedLnd } from 'lightning'
import type { Clock } from '../../shared/clock.ts'

export interface LndContext {
  lnd: AuthenticatedLnd
  /** Our node's public key (asked once, then remembered). */
  selfKey: () => Promise<string>
  clock: Clock
}
