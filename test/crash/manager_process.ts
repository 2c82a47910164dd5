/**
 * The manager as its own process, for the kill -9 harness: `startManagerRuntime` on a data
 * directory (the real SQLite store and signed Hypercore history), its link on the test's DHT
 * testnet, driven by the test over IPC. `STORM_CRASH_AT` arms a crash point (src/shared/crash_point.ts).
 *
 * Env: STORM_CRASH_DIR (data directory), STORM_CRASH_BOOTSTRAP (the testnet's bootstrap, JSON).
 */
import { appendFileSync } from 'node:fs'
import { startManagerRuntime } from '../../src/app/manager_runtime.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { Locales } from '../../src/shared/i18n.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'
import { IpcPeer } from './ipc.ts'

// the test is gone (ended or killed): so is this process, never left running on its own
process.on('disconnect', () => { process.exit(1) })

const dir = process.env.STORM_CRASH_DIR!
const bootstrap = JSON.parse(process.env.STORM_CRASH_BOOTSTRAP!) as Array<{ host: string, port: number }>
const logFile = `${dir}.log`
const log = (event: string, data: Record<string, unknown>): void => {
  appendFileSync(logFile, JSON.stringify({ pid: process.pid, event, ...data }) + '\n')
}

const actor = (name: string): Extract<Actor, { kind: 'chat' }> =>
  ({ kind: 'chat', platform: 'console', userId: name, name: '@' + name, handle: name, isAdmin: name === 'alice' })

const runtime = await startManagerRuntime({
  dataDir: dir,
  rules: defaultRules({ group: 'Supercell', visibility: 'public' }),
  locales: Locales.load(),
  network: { bootstrap, host: '127.0.0.1' },
  backupSchedule: null,
  log
})
const m = runtime.manager
const ok = <T>(r: { ok: true, value: T } | { ok: false, error: Error }): T => {
  if (!r.ok) throw r.error
  return r.value
}

const peer = new IpcPeer(process, {
  key: () => runtime.managerKey,
  connect: async (name: string) => { ok(await m.connect(actor(name))) },
  pair: async (name: string) => runtime.invite(ok(await m.pair(actor(name))).code),
  addFunds: async (name: string, amount: number) => ok(await m.addFunds(actor(name), amount)).channels.map(c => c.directive),
  /** Takes out `amount`, or all that is allocated when that is less. */
  removeFunds: async (name: string, amount: number) => {
    const r = await m.removeFunds(actor(name), amount)
    if (!r.ok && r.error.code === 'REMOVE_MORE_THAN_ALLOCATED') ok(await m.removeFunds(actor(name), Number(r.error.params.allocated)))
    else ok(r)
  },
  approveAll: async (name: string) => { ok(await m.decide(actor(name), 'all', 'approve')) },
  /** What the manager's state says about a member's directives and allocations. */
  snapshot: async (name: string) => {
    await m.whenIdle()
    const member = m.memberOf(actor(name))
    const s = m.state
    return {
      member: member?.id ?? null,
      connected: member?.agentKey !== undefined && runtime.link.isConnected(member.agentKey),
      reported: member === undefined ? false : m.observations.get(member.id).report !== undefined,
      directives: Object.values(s.directives).filter(r => r.target === member?.id).map(r => ({
        id: r.directive.id, kind: r.directive.kind, status: r.status, params: r.directive.params, detail: r.result ?? null, error: r.error ?? null
      })),
      allocations: Object.values(s.allocations).filter(a => a.member === member?.id).map(a => ({
        id: a.id, kind: a.kind, status: a.status, amount: a.amount, channels: a.channels.map(c => ({ state: c.state, channelPoint: c.channelPoint ?? null }))
      }))
    }
  },
  /** The signed history's entries about a member, as stored in the Hypercore. */
  history: async (memberId: string) => (await runtime.history.entriesFor(memberId)).map(e => ({ index: e.index, event: e.event, data: e.data })),
  stop: async () => {
    await runtime.close()
    setImmediate(() => process.exit(0))
  }
})
peer.emit('ready', { key: runtime.managerKey })
