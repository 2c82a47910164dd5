/**
 * Puts an agent together: its key and state files, the link to the manager, and the StormAgent
 * on a Lightning node (LND or a simulated one, chosen by the caller).
 */
import { join } from 'node:path'
import { JournalStore } from '../shared/journal_store.ts'
import { SYSTEM_CLOCK, type Clock } from '../shared/clock.ts'
import { StormError } from '../shared/errors.ts'
import { AgentLink, loadOrCreateKeyPair, pairingKeyPair, type KeyPair, type LinkNetwork } from '../protocol/index.ts'
import type { LightningNode } from '../agent/lightning_port.ts'
import type { AgentConfig } from '../agent/config.ts'
import { AgentStateSchema, AGENT_STATE_VERSION, emptyAgentState, type AgentState } from '../agent/agent_state.ts'
import { StormAgent, type ConnectToManager } from '../agent/stormd.ts'
import { pairAgent } from '../agent/pair_agent.ts'
import { MemberHistory } from '../agent/member_history.ts'
import { parsePairingInvite } from './pairing_invite.ts'
import { MAX_MESSAGE_BYTES } from './manager_runtime.ts'
import { startBackups, DEFAULT_BACKUP_SCHEDULE } from './backups.ts'

export type AgentLog = (level: 'error' | 'warn' | 'info' | 'debug', event: string, data?: Record<string, unknown>) => void

export interface AgentRuntimeOptions {
  config: AgentConfig
  lightning: LightningNode
  network?: LinkNetwork
  clock?: Clock
  log?: AgentLog
  /** When to back the state up (cron syntax, local time); null for only at start. Default daily, 03:17. */
  backupSchedule?: string | null
}

export interface AgentRuntime {
  agent: StormAgent
  keyPair: KeyPair
  /**
   * Pairs with the invitation (or bare code) from `/pair`, then connects.
   * Errors: those of `pairAgent`, and `MANAGER_KEY_MISSING` for a bare code without `manager=`.
   */
  pair (invite: string): Promise<NonNullable<AgentState['pairing']>>
  close (): Promise<void>
}

export async function startAgentRuntime (o: AgentRuntimeOptions): Promise<AgentRuntime> {
  const clock = o.clock ?? SYSTEM_CLOCK
  const { keyPair } = await loadOrCreateKeyPair(join(o.config.dataDir, 'agent.key'))
  // a journal beside state.json: a directive's step appends what changed, not the whole state
  const store = new JournalStore<AgentState>({
    path: join(o.config.dataDir, 'state.json'),
    schema: AgentStateSchema,
    version: AGENT_STATE_VERSION,
    create: emptyAgentState,
    records: 'directives',
    stable: ['roster', 'rosterMembers']
  })
  const connect: ConnectToManager = (kp, managerKey) => new AgentLink({
    keyPair: kp,
    managerKey,
    clock,
    maxEnvelopeBytes: MAX_MESSAGE_BYTES,
    replayFile: join(o.config.dataDir, 'replay.log'),
    ...(o.network === undefined ? {} : { network: o.network }),
    ...(o.log === undefined ? {} : { log: (event: string, data: object) => o.log!('debug', 'link_' + event, data as Record<string, unknown>) })
  })
  const history = new MemberHistory(join(o.config.dataDir, 'history.jsonl'))
  const agent = new StormAgent({ config: o.config, lightning: o.lightning, store, keyPair, connect, clock, history, ...(o.log === undefined ? {} : { log: o.log }) })
  await agent.load()
  await history.load()
  // stormd's pairing, spending ledger and executed ids: a copy at start, then one a day
  const stopBackups = await startBackups({
    store,
    clock,
    schedule: o.backupSchedule === undefined ? DEFAULT_BACKUP_SCHEDULE : o.backupSchedule,
    keep: o.config.backupsKept,
    ...(o.log === undefined ? {} : { log: (event: string, data: Record<string, unknown>) => o.log!(event === 'backup_failed' ? 'error' : 'info', event, data) })
  })
  return {
    agent,
    keyPair,
    async pair (text) {
      const invite = parsePairingInvite(text)
      const managerKey = invite.managerKey ?? o.config.manager
      if (managerKey === undefined) throw new StormError('MANAGER_KEY_MISSING')
      const group = o.config.group ?? invite.group
      const wasPaired = agent.pairing !== undefined
      if (wasPaired) await agent.stop()
      let pairing: NonNullable<AgentState['pairing']>
      try {
        pairing = await pairAgent({
          code: invite.code,
          managerKey,
          keyPair,
          lightning: o.lightning,
          connect,
          pairingKeyPair: (key, code) => pairingKeyPair(key, code),
          clock,
          ...(group === undefined ? {} : { group })
        })
      } catch (e) {
        // a mistyped or expired code must not cut a paired stormd off from its Storm
        if (wasPaired) await agent.start()
        throw e
      }
      await agent.paired(pairing)
      await agent.start()
      return pairing
    },
    async close () {
      await stopBackups()
      await agent.stop()
      await store.close()
    }
  }
}
