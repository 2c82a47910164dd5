/**
 * Puts a manager together: its key, its state file and audit log, the StormManager, and the link
 * agents connect to. Chat front ends are attached by the caller.
 */
import { join } from 'node:path'
import crypto from 'hypercore-crypto'
import { SYSTEM_CLOCK, type Clock } from '../shared/clock.ts'
import type { Locales } from '../shared/i18n.ts'
import type { RandomInt } from '../shared/ids.ts'
import { STATE_MIGRATIONS } from '../manager/state/schema.ts'
import { SqliteStateStore } from '../manager/state/sqlite_state_store.ts'
import { SqliteReportStore } from '../manager/state/sqlite_report_store.ts'
import { StormManager, freshState } from '../manager/storm_manager.ts'
import { HypercoreHistory } from '../manager/history.ts'
import { serveHistory } from './history_service.ts'
import type { StormRules } from '../manager/rules.ts'
import { ManagerLink, loadOrCreateKeyPair, pairingKeyPair, publicKeyHex, type LinkNetwork } from '../protocol/index.ts'
import { answerAgentCommands } from '../bot/agent_commands.ts'
import { pairingInvite } from './pairing_invite.ts'
import { UptimeDocSchema, UPTIME_VERSION, emptyUptime, type UptimeDoc } from '../manager/governance/uptime/uptime_ledger.ts'
import { FlowRecorder } from '../manager/flow_recorder.ts'
import { FlowHistoryDocSchema, FLOW_HISTORY_VERSION, emptyFlowHistory, type FlowHistoryDoc } from '../manager/flow_history.ts'
import { startBackups, DEFAULT_BACKUP_SCHEDULE } from './backups.ts'
import { DEFAULT_BACKUPS_KEPT, JsonFileStore } from '../shared/json_store.ts'

/**
 * Each agent connection's read buffer: a few messages' worth, not udx-native's 66 KiB (which made
 * 3,000 connections cost ~200 MiB of RSS; `npm run bench -- connections`).
 */
export const CONNECTION_READ_BUFFER_BYTES = 8192
/** Reports of nodes with many channels are large; this fits 2,000 channels with flow. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

export interface ManagerRuntime {
  manager: StormManager
  link: ManagerLink
  managerKey: string
  store: SqliteStateStore
  history: HypercoreHistory
  /** The invitation `stormd pair` takes, for a code. */
  invite: (code: string) => string
  /** Flow and fee history in buckets, fed by agents' reports (`flow.json` in the data directory). */
  flow: FlowRecorder
  clock: Clock
  close (): Promise<void>
}

export interface ManagerRuntimeOptions {
  dataDir: string
  rules: StormRules
  locales: Locales
  network?: LinkNetwork
  clock?: Clock
  random?: RandomInt
  log?: (event: string, data: Record<string, unknown>) => void
  /** When to back the state up (cron syntax, local time); null for never. Default daily, 03:17. */
  backupSchedule?: string | null
  /** How many backups to keep (default 14). */
  backupsKept?: number
}

export async function startManagerRuntime (o: ManagerRuntimeOptions): Promise<ManagerRuntime> {
  const clock = o.clock ?? SYSTEM_CLOCK
  const { keyPair } = await loadOrCreateKeyPair(join(o.dataDir, 'manager.key'))
  const managerKey = publicKeyHex(keyPair)
  // one row per record, so a save costs what changed; a manager of before imports its state.json
  const store = new SqliteStateStore({
    path: join(o.dataDir, 'state.db'),
    legacyJsonPath: join(o.dataDir, 'state.json'),
    create: () => freshState(o.rules, clock.now()),
    now: () => clock.now(),
    migrations: STATE_MIGRATIONS
  })
  // the signed history: a Hypercore of the manager's key, fed from the state store's outbox
  const history = new HypercoreHistory({ dir: join(o.dataDir, 'history'), keyPair, outbox: store })
  // agents' latest reports, written in groups: a restart knows every node again at once
  const reports = new SqliteReportStore({
    path: join(o.dataDir, 'reports.db'),
    onError: (e, rows) => { o.log?.('report_store_failed', { rows, error: String(e) }) }
  })
  let link: ManagerLink | null = null
  const manager = new StormManager({
    store,
    audit: history,
    link: {
      send: (key, type, body) => link!.send(key, type, body),
      isConnected: (key) => link?.isConnected(key) ?? false,
      drop: (key) => link?.drop(key)
    },
    clock,
    rules: o.rules,
    managerKey,
    pairingKeyOf: (code) => publicKeyHex(pairingKeyPair(managerKey, code)),
    verifySignature: (message, signature, publicKey) => {
      try {
        return crypto.verify(Buffer.from(message), Buffer.from(signature, 'hex'), Buffer.from(publicKey, 'hex'))
      } catch {
        return false
      }
    },
    ...(o.random === undefined ? {} : { random: o.random }),
    ...(o.log === undefined ? {} : { log: o.log }),
    reports,
    // uptime samples in hourly buckets, in their own small file beside the state
    uptimeStore: new JsonFileStore<UptimeDoc>({
      path: join(o.dataDir, 'uptime.json'),
      schema: UptimeDocSchema,
      version: UPTIME_VERSION,
      create: () => emptyUptime(o.rules.governance.ratingSampleMs)
    })
  })
  try {
    await manager.start()
    // before anything runs: entries stored with the state but not yet in the history go in now
    await history.open()
  } catch (e) {
    manager.stop()
    await history.close().catch(() => {})
    await reports.close().catch(() => {})
    store.close()
    throw e
  }
  const flow = new FlowRecorder({
    store: new JsonFileStore<FlowHistoryDoc>({ path: join(o.dataDir, 'flow.json'), schema: FlowHistoryDocSchema, version: FLOW_HISTORY_VERSION, create: () => emptyFlowHistory() }),
    observations: manager.observations,
    stormNodes: () => manager.stormNodeKeys(),
    ...(o.log === undefined ? {} : { log: o.log })
  })
  await flow.start()
  // a copy of what was there before this process changes anything, then one a day
  const stopBackups = await startBackups({
    store,
    clock,
    schedule: o.backupSchedule === undefined ? DEFAULT_BACKUP_SCHEDULE : o.backupSchedule,
    keep: o.backupsKept ?? DEFAULT_BACKUPS_KEPT,
    settle: () => manager.whenIdle(),
    ...(o.log === undefined ? {} : { log: o.log })
  })
  link = new ManagerLink({
    keyPair,
    admit: (key) => manager.admit(key),
    clock,
    maxEnvelopeBytes: MAX_MESSAGE_BYTES,
    replayFile: join(o.dataDir, 'replay.log'),
    readBufferBytes: CONNECTION_READ_BUFFER_BYTES,
    ...(o.network === undefined ? {} : { network: o.network }),
    ...(o.log === undefined ? {} : { log: (event: string, data: object) => o.log!(event, data as Record<string, unknown>) })
  })
  const l = link
  // whatever a peer sends, a failure stays with that message: logged, never a crash
  const guard = (what: string, p: Promise<unknown>): void => {
    p.catch((e: unknown) => { o.log?.('handler_failed', { what, error: String(e) }) })
  }
  l.on('connected', (key, kind) => guard('connected', manager.onConnected(key, kind)))
  l.on('disconnected', (key) => { historyService.forget(key); guard('disconnected', manager.onDisconnected(key)) })
  const historyService = serveHistory({ manager, history, link: l, log: o.log })
  l.on('message', (key, msg, kind, envelope) => {
    if (msg.type === 'history_request' && kind === 'member') guard(msg.type, historyService.request(key, msg.body.from))
    else guard(msg.type, manager.onMessage(key, msg, kind, envelope))
  })
  await l.listen()
  const invite = (code: string): string => pairingInvite(managerKey, code, manager.state.group)
  answerAgentCommands(manager, o.locales, invite, o.log)
  return {
    manager,
    link: l,
    managerKey,
    store,
    history,
    invite,
    flow,
    clock,
    async close () {
      await stopBackups()
      manager.stop()
      await l.close()
      await manager.whenIdle()
      await manager.saveUptime()
      await history.close()
      await flow.close()
      await reports.close()
      store.close()
    }
  }
}
