/**
 * After a crash between storing `executing` and hearing back from the node: which of an opening
 * directive's channels the node has (open or pending), so stormd reports what happened instead of
 * opening them again.
 */
import type { DirectiveMessage } from '../protocol/messages.ts'
import { channelOpens } from '../protocol/channel_opens.ts'
import type { LightningNode } from './lightning_port.ts'

interface Candidate { channelPoint: string, peer: string, capacity: number }

/**
 * The channel point of each of `d`'s channels that the node funded, aligned with
 * `channelOpens(d)`; `undefined` where none is found. A channel of the same peer and size that
 * another directive opened (`claimed`) is not this one's. A batch's channels share one funding
 * transaction, so a transaction holding them all is preferred over channels found one by one.
 */
export async function openedOnNode (ln: LightningNode, d: DirectiveMessage, claimed: ReadonlySet<string>): Promise<Array<string | undefined>> {
  const opens = channelOpens(d)
  const candidates: Candidate[] = [...await ln.getChannels(), ...await ln.getPendingChannels()]
    .filter(c => c.initiator && !claimed.has(c.channelPoint))
  if (opens.length > 1) {
    const byTx = new Map<string, Candidate[]>()
    for (const c of candidates) {
      const txid = c.channelPoint.split(':')[0]!
      byTx.set(txid, [...byTx.get(txid) ?? [], c])
    }
    for (const inTx of byTx.values()) {
      const points = match(opens, inTx)
      if (points.every(p => p !== undefined)) return points
    }
  }
  return match(opens, candidates)
}

function match (opens: ReadonlyArray<{ peer: string, capacity: number }>, candidates: readonly Candidate[]): Array<string | undefined> {
  const used = new Set<string>()
  return opens.map(o => {
    const found = candidates.find(c => c.peer === o.peer && c.capacity === o.capacity && !used.has(c.channelPoint))
    if (found !== undefined) used.add(found.channelPoint)
    return found?.channelPoint
  })
}
