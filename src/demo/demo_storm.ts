/**
 * A whole Storm in one process, for `npm start` without configuration: a manager, a simulated
 * Lightning network, simulated members each running a real stormd over a real Hyperswarm link
 * (on a local DHT testnet), and "you" — a member with a funded node and a stormd of your own.
 * On Telegram several real people try it together: each gets a node like yours (`nodeFor`).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SimNetwork, type SimNode } from '../simnet/index.ts'
import { localTestnet, type LocalTestnet } from '../protocol/index.ts'
import { defaultRules, type StormRules } from '../manager/rules.ts'
import { GovernanceRulesSchema } from '../manager/governance/rules.ts'
import { parseAgentConfig, type AgentConfig } from '../agent/config.ts'
import { DIRECTIVE_KINDS } from '../protocol/messages.ts'
import { Locales } from '../shared/i18n.ts'
import { startManagerRuntime, type ManagerRuntime } from '../app/manager_runtime.ts'
import { startAgentRuntime, type AgentRuntime } from '../app/agent_runtime.ts'
import { isTerminal } from '../manager/directives/lifecycle.ts'
import { StormError } from '../shared/errors.ts'
import { ControlServer } from '../agent/control/control_server.ts'
import { agentControlHandler } from '../app/agent_control.ts'
import type { Actor } from '../manager/members/find_member.ts'
import type { EventLog } from '../shared/log.ts'

export interface DemoMember {
  name: string
  /** The control socket stormcli can talk to (`npx stormcli --socket PATH getinfo`). */
  socket: string
  actor: Extract<Actor, { kind: 'chat' }>
  node: SimNode
  /** The member's stormd configuration (its data directory survives a restart). */
  config: AgentConfig
  runtime: AgentRuntime
}

export interface DemoStorm {
  rules: StormRules
  locales: Locales
  network: SimNetwork
  manager: ManagerRuntime
  members: DemoMember[]
  you: DemoMember
  /** Pairs your stormd the way `stormd pair` would (the demo runs it for you). */
  pairYou (): Promise<string>
  /**
   * A node like yours (the same funds on chain, its own stormd that asks its owner before
   * acting) for another real person, made on first use and theirs from then on; null when the
   * demo has handed out `MAX_GUEST_NODES` already. Named after them (`@yara` → `yara`).
   */
  nodeFor (owner: DemoMember['actor']): Promise<DemoMember | null>
  /**
   * Pairs a member's stormd with the invitation from `/pair`, as `stormd pair` would, and
   * resolves once it has reported its node (so `/addfunds` works at once).
   */
  pairWith (m: DemoMember, invite: string): Promise<void>
  /** The local DHT testnet the links run on. */
  testnet: LocalTestnet
  /** Resolves when nothing is in flight: every directive finished or waiting for its owner. */
  settle (timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

export interface DemoOptions {
  seed?: number
  /** Simulated members besides you. */
  others?: string[]
  /** Your node's on-chain funds. */
  yourFunds?: number
  /** Allocations the simulated members make before you arrive. */
  warmup?: boolean
  /** Rebalancing rules other than the defaults (tests of one part of the flow). */
  rebalancing?: Partial<Pick<StormRules['rebalancing'], 'minGainRatio' | 'maxFeeShare'>>
  /** The manager's log (nothing when absent). */
  log?: EventLog
}

const SIMULATED_FUNDS = 10_000_000
const YOUR_FUNDS = 5_000_000
const BLOCK_MS = 200
/** The simulated members' fee votes, as `voteBaseFee` / `voteFeeRate` in their stormd.conf. */
const DEMO_VOTES: Record<string, { voteBaseFee: string, voteFeeRate: string }> = {
  alice: { voteBaseFee: '1000', voteFeeRate: '100ppm' },
  bob: { voteBaseFee: '2000', voteFeeRate: '0.00025' },
  carol: { voteBaseFee: '1500', voteFeeRate: '200ppm' }
}
/** Nodes the demo makes for people who try it together (each runs a stormd in this process). */
export const MAX_GUEST_NODES = 20

export async function startDemoStorm (o: DemoOptions = {}): Promise<DemoStorm> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-demo-'))
  const locales = Locales.load()
  // an admin may ban outright in the demo (you are its admin), so a ban runs to enforcement alone
  const rules = defaultRules({ group: 'Supercell', visibility: 'public', governance: GovernanceRulesSchema.parse({ outrightBan: 'admins' }) })
  Object.assign(rules.rebalancing, o.rebalancing)
  const network = SimNetwork.create({ seed: o.seed ?? 42, confirmations: 3, autoMineMs: BLOCK_MS })
  let testnet: LocalTestnet | null = null
  const closers: Array<() => Promise<void>> = []
  try {
    testnet = await localTestnet()
    const manager = await startManagerRuntime({ dataDir: join(dir, 'manager'), rules, locales, network: testnet.network, backupSchedule: null, ...(o.log === undefined ? {} : { log: o.log }) })
    closers.push(() => manager.close())
    const addMember = async (name: string, funds: number, approveAll: boolean): Promise<DemoMember> => {
      const node = network.addNode(name, { onchain: funds })
      const config = parseAgentConfig({
        node: 'simnet',
        network: 'simnet',
        dataDir: join(dir, name),
        reportInterval: 5,
        heartbeatInterval: 5,
        autoApprove: approveAll ? DIRECTIVE_KINDS.join(',') : '',
        // the simulated members vote on the fee as a stormd.conf would, when their stormd connects
        ...DEMO_VOTES[name]
      })
      const runtime = await startAgentRuntime({ config, lightning: node, network: testnet!.network, backupSchedule: null })
      closers.push(() => runtime.close())
      const control = new ControlServer(config.controlSocket!, agentControlHandler(runtime))
      await control.listen()
      closers.push(() => control.close())
      const actor = { kind: 'chat' as const, platform: 'console', userId: name, name: '@' + name, handle: name, isAdmin: name === 'you' }
      return { name, socket: config.controlSocket!, actor, node, config, runtime }
    }
    const pairWith = async (m: DemoMember, invite: string): Promise<void> => {
      const { memberId } = await m.runtime.pair(invite)
      // as on a real machine, stormd connects and reports on its own; wait for that
      await waitFor(() => manager.manager.observations.get(memberId).report !== undefined, 20_000, `${m.name}'s first report`)
    }
    const join_ = async (m: DemoMember): Promise<string> => {
      const r = await manager.manager.pair(m.actor)
      if (!r.ok) throw r.error
      await pairWith(m, manager.invite(r.value.code))
      return r.value.code
    }
    const guests = new Map<string, Promise<DemoMember>>()
    const taken = new Set<string>()
    const nodeFor = (owner: DemoMember['actor']): Promise<DemoMember | null> => {
      const key = `${owner.platform}:${owner.userId}`
      let m = guests.get(key)
      if (m === undefined) {
        if (guests.size >= MAX_GUEST_NODES) return Promise.resolve(null)
        const name = freeName(owner, taken)
        taken.add(name)
        m = addMember(name, o.yourFunds ?? YOUR_FUNDS, false).then(x => ({ ...x, actor: owner }))
        // a node that failed to start is not theirs: the next /pair tries again
        m.catch(() => { guests.delete(key) })
        guests.set(key, m)
      }
      return m
    }
    const members: DemoMember[] = []
    for (const name of [...o.others ?? ['alice', 'bob', 'carol', 'dave'], 'you']) taken.add(name)
    for (const name of o.others ?? ['alice', 'bob', 'carol', 'dave']) {
      const m = await addMember(name, SIMULATED_FUNDS, true)
      const joined = await manager.manager.connect(m.actor)
      if (!joined.ok) throw joined.error
      await join_(m)
      members.push(m)
    }
    const demo: DemoStorm = {
      rules,
      locales,
      network,
      testnet,
      manager,
      members,
      you: await addMember('you', o.yourFunds ?? YOUR_FUNDS, false),
      pairYou: () => join_(demo.you),
      nodeFor,
      pairWith,
      settle: (timeoutMs = 60_000) => settle(manager, timeoutMs),
      async close () {
        network.stop()
        for (const c of closers.reverse()) await c().catch(() => {})
        await testnet?.destroy()
        await rm(dir, { recursive: true, force: true })
      }
    }
    if (o.warmup !== false) await warmUp(demo)
    return demo
  } catch (e) {
    network.stop()
    for (const c of closers.reverse()) await c().catch(() => {})
    await testnet?.destroy()
    await rm(dir, { recursive: true, force: true })
    throw e
  }
}

/** The simulated members put funds in, so you arrive in a Storm that already has channels. */
async function warmUp (demo: DemoStorm): Promise<void> {
  for (const m of demo.members.slice(0, 3)) {
    const r = await demo.manager.manager.addFunds(m.actor, 2_000_000)
    if (!r.ok) throw r.error
    await demo.settle()
  }
}

/** A node alias for a chat user, free on this network: `@yara` → `yara`, else `yara-2`, …. */
function freeName (owner: DemoMember['actor'], taken: Set<string>): string {
  const base = owner.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9_]/g, '').slice(0, 24) || `user${owner.userId}`.slice(0, 24)
  let name = base
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`
  return name
}

async function settle (runtime: ManagerRuntime, timeoutMs: number): Promise<void> {
  const m = runtime.manager
  await waitFor(() => {
    // waiting for an owner, or a standing do_not_disconnect, is at rest; anything else is moving
    const busy = Object.values(m.state.directives).some(r =>
      !isTerminal(r.status) && r.status !== 'awaiting_approval' &&
      !(r.directive.kind === 'do_not_disconnect' && r.status === 'executing'))
    // channels whose funding or closing transaction is on its way to the chain
    const onChain = Object.values(m.state.allocations).some(a => a.status === 'funding' && a.channels.some(c =>
      (a.kind === 'add' && c.state === 'opening') ||
      (a.kind === 'remove' && c.state === 'closing' && a.directives.some(id => {
        const r = m.state.directives[id]
        return r?.status === 'succeeded' && r.directive.kind === 'close_channel' && r.directive.params.channelPoint === c.channelPoint
      }))))
    return !busy && !onChain
  }, timeoutMs, 'the Storm to settle')
  // the state changes before its announcements go out; let them go
  await m.whenIdle()
}

async function waitFor (condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new StormError('DEMO_TIMEOUT', { what })
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
