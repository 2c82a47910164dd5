/** Forwards our node made in a time window. */
import { getForwards as lnGetForwards } from 'lightning'
import type { Forward } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { forwardFromLnd } from './responses/forward.ts'
import { invalid } from './validate.ts'

const PAGE = 1000

/** Forwards with `after <= at < before` (ms since the epoch), oldest first. */
export async function getForwards ({ lnd }: LndContext, after: number, before: number): Promise<Forward[]> {
  if (!Number.isFinite(after) || !Number.isFinite(before) || after > before) throw invalid('expected after ≤ before', { after, before })
  if (after === before) return []
  // LND filters by whole seconds: ask for a window that covers ours, then cut it exactly
  const window = { after: new Date(Math.floor(after / 1000) * 1000).toISOString(), before: new Date(Math.ceil(before / 1000) * 1000 + 1000).toISOString() }
  const forwards: Forward[] = []
  let page = await callLnd('getForwards', 'LN_UNAVAILABLE', async () => await lnGetForwards({ lnd, ...window, limit: PAGE }))
  for (;;) {
    forwards.push(...page.forwards.map(forwardFromLnd))
    const token = page.next
    if (token === undefined || page.forwards.length === 0) break
    page = await callLnd('getForwards', 'LN_UNAVAILABLE', async () => await lnGetForwards({ lnd, token }))
  }
  return forwards.filter(f => f.at >= after && f.at < before)
}
