/**
 * Replicates the manager's history to members' stormd over the link: an agent asks for the
 * entries concerning its member from an index (`history_request`, on every connection), gets
 * them in batches (`history`), and from then on gets each new entry concerning it as it is
 * appended, while connected. Batches name where they start, so stormd notices a gap and asks again.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { HypercoreHistory } from '../manager/history.ts'
import type { ManagerLink } from '../protocol/index.ts'
import type { HistoryEntry } from '../protocol/messages.ts'
import { findMemberByAgent } from '../manager/members/find_member.ts'

/** Entries per `history` message: a quoted agent message is ~1 KB, the link's limit 1 MiB. */
const BATCH = 200

export interface HistoryService {
  /** The agent asks from `from`. */
  request (agentKey: string, from: number): Promise<void>
  /** The agent disconnected: nothing is pushed to it until it asks again. */
  forget (agentKey: string): void
}

export function serveHistory (o: { manager: StormManager, history: HypercoreHistory, link: ManagerLink, log?: ((event: string, data: Record<string, unknown>) => void) | undefined }): HistoryService {
  /** Per agent that asked: the history length it has been sent everything below. */
  const sentUpTo = new Map<string, number>()
  const chains = new Map<string, Promise<void>>()

  const sync = (agentKey: string, always: boolean): Promise<void> => {
    const job = async (): Promise<void> => {
      const from = sentUpTo.get(agentKey)
      if (from === undefined) return
      const member = findMemberByAgent(o.manager.state, agentKey)
      if (member === undefined) return
      const upTo = o.history.length
      const entries = (await o.history.entriesFor(member.id, from)).filter(e => e.index < upTo)
      if (entries.length === 0 && !always) {
        sentUpTo.set(agentKey, upTo)
        return
      }
      let start = from
      for (let i = 0; i < entries.length || i === 0; i += BATCH) {
        const batch: HistoryEntry[] = entries.slice(i, i + BATCH)
        const last = i + BATCH >= entries.length
        const length = last ? upTo : batch.at(-1)!.index + 1
        // the last batch carries the manager's signed head, so the member can tell it has all
        const head = last ? await o.history.head(member.id, upTo) : undefined
        o.link.send(agentKey, 'history', { from: start, entries: batch, length, ...(head === undefined ? {} : { head }) })
        start = length
        if (last) break
      }
      sentUpTo.set(agentKey, upTo)
    }
    const next = (chains.get(agentKey) ?? Promise.resolve()).then(job, job)
    chains.set(agentKey, next.catch((e: unknown) => { o.log?.('history_sync_failed', { error: String(e) }) }))
    return next
  }

  o.history.on('appended', (entries) => {
    const members = new Set(entries.flatMap(e => e.members))
    for (const agentKey of sentUpTo.keys()) {
      const m = findMemberByAgent(o.manager.state, agentKey)
      if (m !== undefined && members.has(m.id) && o.link.isConnected(agentKey)) void sync(agentKey, false).catch(() => {})
    }
  })

  return {
    request (agentKey, from) {
      sentUpTo.set(agentKey, Math.min(from, o.history.length))
      return sync(agentKey, true)
    },
    forget (agentKey) {
      sentUpTo.delete(agentKey)
      chains.delete(agentKey)
    }
  }
}
