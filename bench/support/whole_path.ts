/**
 * The directive round trip along its whole path, as in production: a `StormManager` on its
 * SQLite store and signed history, holding a synthetic Storm of N members, on a real
 * `ManagerLink`; one member's real `stormd` (agent runtime) on a simulated Lightning node, over
 * Hyperswarm on the local DHT testnet. A trip: `addFunds` for that member → the planner's
 * `open_channel` directive stored, appended to the history, sent → stormd checks its limits, opens
 * the channel on the simulated node, stores it, answers → the manager stores the result (and its
 * history entry). Peers are fresh members with simulated nodes, so each trip opens a new channel.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SimNetwork } from '../../src/simnet/index.ts'
import { StormManager } from '../../src/manager/storm_manager.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { HypercoreHistory } from '../../src/manager/history.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import type { Member } from '../../src/manager/state/schema.ts'
import { ManagerLink, generateKeyPair, publicKeyHex, saveKeyPair, type LinkNetwork } from '../../src/protocol/index.ts'
import { writeFileDurable } from '../../src/shared/durable_file.ts'
import { SYSTEM_CLOCK } from '../../src/shared/clock.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState } from '../../src/agent/agent_state.ts'
import { startAgentRuntime } from '../../src/app/agent_runtime.ts'
import { MAX_MESSAGE_BYTES } from '../../src/app/manager_runtime.ts'
import { syntheticStorm } from './synthetic_storm.ts'

export interface WholePath {
  /** One trip; milliseconds from `addFunds` to the result stored, and from the directive handed to the link to it. */
  trip (): Promise<{ total: number, directive: number }>
  close (): Promise<void>
}

const AMOUNT = 100_000

export async function wholePath (network: LinkNetwork, members: number, trips: number): Promise<WholePath> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-bench-path-'))
  const closers: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })]
  const close = async (): Promise<void> => { for (const c of closers.reverse()) await c().catch(() => {}) }
  try {
    const syn = syntheticStorm({ members, channelsPerMember: 8 })
    const state = syn.state
    // the synthetic members' nodes exist only on paper: marked leaving, they stay in the state
    // (its size is what a save and a load cost) but the planner opens to simulated peers only
    for (const m of Object.values(state.members)) m.status = 'leaving'
    const sim = SimNetwork.create({ seed: 'roundtrip' })
    const rules = defaultRules({ group: state.group, visibility: 'public', approvalRequired: [], minChannelSize: AMOUNT, maxChannelsPerAllocation: 1 })
    const now = Date.now()
    const member = (id: string, agentKey: string, nodeKey: string, alias: string): Member => ({
      id, chat: { platform: 'bench', userId: id, name: '@' + id }, status: 'active', requestedAt: now, joinedAt: now, pairedAt: now, rating: 100,
      agentKey, node: { publicKey: nodeKey, alias, network: 'simnet', uris: [], version: 'simnet' }
    })
    // fresh peers with nothing pointing at them: the planner prefers them, one per trip
    for (let k = 0; k < trips + 4; k++) {
      const node = sim.addNode('peer' + k)
      state.members['peer' + k] = member('peer' + k, publicKeyHex(generateKeyPair()), node.publicKey, 'peer' + k)
    }
    const you = sim.addNode('you', { onchain: 1_000_000_000_000 })
    const agentKeys = generateKeyPair()
    state.members.you = member('you', publicKeyHex(agentKeys), you.publicKey, 'you')

    const managerKeys = generateKeyPair()
    const managerKey = publicKeyHex(managerKeys)
    const store = new SqliteStateStore({ path: join(dir, 'manager', 'state.db'), create: () => state })
    closers.push(async () => store.close())
    const history = new HypercoreHistory({ dir: join(dir, 'manager', 'history'), keyPair: managerKeys, outbox: store })
    closers.push(() => history.close())
    let link: ManagerLink | null = null
    // when the last directive left the manager (its envelope handed to the link)
    let directiveSentAt = 0n
    const manager = new StormManager({
      store,
      audit: history,
      link: { send: (k, t, b) => { const id = link!.send(k, t, b); if (t === 'directive') directiveSentAt = process.hrtime.bigint(); return id }, isConnected: k => link?.isConnected(k) ?? false, drop: k => link?.drop(k) },
      clock: SYSTEM_CLOCK,
      rules,
      managerKey,
      pairingKeyOf: () => { throw new Error('the bench does not pair') },
      verifySignature: () => false
    })
    await manager.start()
    closers.push(async () => { manager.stop(); await manager.whenIdle() })
    await history.open()
    link = new ManagerLink({ keyPair: managerKeys, admit: k => manager.admit(k), clock: SYSTEM_CLOCK, maxEnvelopeBytes: MAX_MESSAGE_BYTES, network })
    const l = link
    closers.push(() => l.close())
    l.on('connected', (k, kind) => { void manager.onConnected(k, kind) })
    l.on('message', (k, msg, kind, envelope) => { void manager.onMessage(k, msg, kind, envelope).catch(() => {}) })
    await l.listen()

    // your stormd, paired already: its key and its state as `stormd pair` leaves them
    const agentDir = join(dir, 'you')
    await saveKeyPair(join(agentDir, 'agent.key'), agentKeys)
    await writeFileDurable(join(agentDir, 'state.json'), JSON.stringify({ ...emptyAgentState(), pairing: { managerKey, memberId: 'you', group: state.group, node: you.publicKey, pairedAt: now } }))
    const config = parseAgentConfig({
      node: 'simnet', network: 'simnet', dataDir: agentDir, autoApprove: 'open_channel',
      maxChannelsPerDay: String(trips * 10 + 100), maxOnchainSpendPerDay: String(AMOUNT * (trips * 10 + 100)), reportInterval: '3600', heartbeatInterval: '3600'
    })
    const agent = await startAgentRuntime({ config, lightning: you, network, backupSchedule: null })
    closers.push(() => agent.close())
    await agent.agent.start()
    const deadline = Date.now() + 60_000
    while (manager.observations.get('you').report === undefined) {
      if (Date.now() > deadline) throw new Error('roundtrip: your stormd did not report')
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const actor = { kind: 'chat' as const, platform: 'bench', userId: 'you', name: '@you', isAdmin: false }
    return {
      async trip () {
        const t0 = process.hrtime.bigint()
        const done = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('roundtrip: no result within 30 s')), 30_000)
          const onEvent = (e: { type: string, record?: { directive: { id: string }, status: string } }): void => {
            if (e.type !== 'directive_changed' || e.record === undefined || ids === null || !ids.includes(e.record.directive.id)) return
            if (e.record.status === 'failed') { clearTimeout(timer); manager.off('event', onEvent); reject(new Error(`roundtrip: the directive failed: ${JSON.stringify((e.record as { error?: unknown }).error)}`)) }
            if (ids.every(id => manager.state.directives[id]?.status === 'succeeded')) { clearTimeout(timer); manager.off('event', onEvent); resolve() }
          }
          manager.on('event', onEvent)
        })
        let ids: string[] | null = null
        const r = await manager.addFunds(actor, AMOUNT)
        if (!r.ok) throw new Error(`roundtrip: addFunds refused: ${r.error.code}`)
        ids = r.value.channels.map(c => c.directive)
        if (ids.every(id => manager.state.directives[id]?.status === 'succeeded')) manager.emit('event', { type: 'directive_changed', record: manager.state.directives[ids[0]!]!, member: manager.state.members.you! })
        await done
        const t2 = process.hrtime.bigint()
        return { total: Number(t2 - t0) / 1e6, directive: Number(t2 - directiveSentAt) / 1e6 }
      },
      close
    }
  } catch (e) {
    await close()
    throw e
  }
}
