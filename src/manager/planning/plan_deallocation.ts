/**
 * Which of a member's funded Storm channels to close to take `amount` sats out (or all of them
 * when the member leaves). Deterministic: ties are broken by channel point.
 */
import { err, ok, type Result } from '../../shared/errors.ts'

export interface ClosableChannel {
  channelPoint: string
  peer: string
  capacity: number
}

/** Errors: `NOTHING_ALLOCATED`, `REMOVE_MORE_THAN_ALLOCATED` {allocated}. */
export function planDeallocation (channels: ClosableChannel[], amount: number | 'all'): Result<ClosableChannel[]> {
  const allocated = channels.reduce((s, c) => s + c.capacity, 0)
  if (channels.length === 0) return err('NOTHING_ALLOCATED')
  if (amount === 'all') return ok([...channels])
  if (amount > allocated) return err('REMOVE_MORE_THAN_ALLOCATED', { allocated })
  // the smallest channel that covers what is left, else the largest and go on: few closes, and
  // little more taken out than asked
  const left = [...channels].sort((a, b) => a.capacity - b.capacity || (a.channelPoint < b.channelPoint ? -1 : 1))
  const chosen: ClosableChannel[] = []
  let remaining = amount
  while (remaining > 0 && left.length > 0) {
    const i = left.findIndex(c => c.capacity >= remaining)
    const [c] = left.splice(i === -1 ? left.length - 1 : i, 1)
    chosen.push(c!)
    remaining -= c!.capacity
  }
  return ok(chosen)
}
