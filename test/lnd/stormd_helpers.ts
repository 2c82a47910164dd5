/**
 * For the tests of stormd itself on real LND: a stormd put together as `stormd_main` does (its
 * stormd.conf keys, `connectLnd(config)`, `startAgentRuntime`), and a stand-in for the manager's
 * end of the link, for directive kinds no manager use case issues yet (set_fees, rebalance, a
 * close outside removefunds). The stand-in is a real `ManagerLink` on the same DHT testnet and
 * sends `roster`, `directive` and `approval` bodies exactly as the manager does.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { closeChannel, getChannels, getPendingChannels } from 'lightning'
import { connectLnd } from '../../src/agent/lnd/index.ts'
import { parseAgentConfig, type AgentConfig } from '../../src/agent/config.ts'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import { startAgentRuntime, type AgentRuntime } from '../../src/app/agent_runtime.ts'
import { MAX_MESSAGE_BYTES, startManagerRuntime, type ManagerRuntime } from '../../src/app/manager_runtime.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { Locales } from '../../src/shared/i18n.ts'
import { generateKeyPair, localTestnet, ManagerLink, type LinkNetwork } from '../../src/protocol/index.ts'
import type { DirectiveKind, DirectiveMessage, Message, MessageBody, MessageType } from '../../src/protocol/messages.ts'
import type { RegtestNetwork } from '../../scripts/regtest/regtest.ts'

/** Which of stormd's two documented macaroons this pass uses (test_lnd.sh runs both). */
export const MACAROON: 'uri' | 'entity' = process.env.STORM_LND_MACAROON === 'entity' ? 'entity' : 'uri'

/** A scratch directory, removed by `dispose`. */
export async function scratchDir (): Promise<{ path: string, dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'storm-stormd-lnd-'))
  return { path, dispose: () => rm(path, { recursive: true, force: true }) }
}

export interface Stormd {
  config: AgentConfig
  lightning: LightningNode
  runtime: AgentRuntime
  /** The agent's key (hex), what the manager admits. */
  agentKey: string
}

/**
 * A stormd beside node `alias`: stormd.conf's keys with the scoped stormd macaroon, short
 * heartbeat and report intervals, and `overrides` (limits, approvals) on top. `wrap` may tamper
 * with the node stormd sees.
 */
export async function startStormd (
  net: RegtestNetwork, alias: string, dataDir: string, network: LinkNetwork,
  overrides: Record<string, unknown> = {}, wrap: (node: LightningNode) => LightningNode = node => node
): Promise<Stormd> {
  const config = parseAgentConfig({
    network: 'regtest',
    ...net.stormdConf(alias, MACAROON),
    dataDir,
    heartbeatInterval: 1,
    reportInterval: 5,
    ...overrides
  })
  const lightning = wrap(connectLnd(config))
  const runtime = await startAgentRuntime({ config, lightning, network })
  return { config, lightning, runtime, agentKey: runtime.keyPair.publicKey.toString('hex') }
}

/** A message from the agent, with when it arrived. */
export interface Received { msg: Message, at: number }

/**
 * The manager's end of the link, played by the test: admits one agent key, records everything
 * the agent says, and sends what the manager would.
 */
export class TestManager {
  readonly link: ManagerLink
  readonly received: Received[] = []
  readonly group: string
  #agentKey: string | null = null

  constructor (network: LinkNetwork, group = 'Regtest') {
    this.group = group
    this.link = new ManagerLink({
      keyPair: generateKeyPair(),
      network,
      maxEnvelopeBytes: MAX_MESSAGE_BYTES,
      admit: key => key === this.#agentKey ? 'member' : null
    })
    this.link.on('message', (key, msg) => { if (key === this.#agentKey) this.received.push({ msg, at: Date.now() }) })
  }

  get publicKey (): string { return this.link.publicKey }

  /** Listens, admitting `agentKey` as a paired member. */
  async listen (agentKey: string): Promise<void> {
    this.#agentKey = agentKey
    await this.link.listen()
  }

  send<T extends MessageType> (type: T, body: MessageBody<T>): string {
    if (this.#agentKey === null) throw new Error('TestManager: listen first')
    return this.link.send(this.#agentKey, type, body)
  }

  /** The Storm's member nodes, as the manager sends them on connect and on every pairing. */
  roster (nodes: Record<string, string>): void {
    this.send('roster', { group: this.group, members: Object.entries(nodes).map(([name, node]) => ({ id: name, name: '@' + name, node })) })
  }

  /** Sends a directive the way `issueDirective` builds it; returns it. */
  directive<K extends DirectiveKind> (kind: K, params: Extract<DirectiveMessage, { kind: K }>['params'], requiresApproval = false): DirectiveMessage {
    const now = Date.now()
    const d = { kind, params, id: 'd' + randomBytes(6).toString('hex'), reason: `test ${kind}`, createdAt: now, expiresAt: now + 10 * 60_000, requiresApproval } as DirectiveMessage
    this.send('directive', d)
    return d
  }

  approve (directive: string): void {
    this.send('approval', { directive, decision: 'approve', by: '@owner' })
  }

  /** How many messages have arrived so far: a mark for `next(..., from)`. */
  mark (): number {
    return this.received.length
  }

  /** The first message from index `from` on that `match` accepts, waiting for it. */
  async next<T extends MessageType> (type: T, match: (body: MessageBody<T>) => boolean = () => true, what: string = type, from = 0, timeoutMs = 30_000): Promise<MessageBody<T>> {
    return await until(() => {
      for (const { msg } of this.received.slice(from)) if (msg.type === type && match(msg.body as MessageBody<T>)) return msg.body as MessageBody<T>
      return undefined
    }, what, timeoutMs)
  }

  /** The result of directive `id`, waiting for it. */
  async result (id: string, timeoutMs = 60_000): Promise<MessageBody<'result'>> {
    return await this.next('result', r => r.directive === id, `the result of ${id}`, 0, timeoutMs)
  }

  /** The stages directive `id` reported, in order. */
  statuses (id: string): string[] {
    return this.received.flatMap(({ msg }) => msg.type === 'directive_status' && msg.body.directive === id ? [msg.body.status] : [])
  }

  async close (): Promise<void> {
    await this.link.close()
  }
}

/** Resolves with the first value `probe` gives that is not undefined; polls every 50 ms. */
export async function until<T> (probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`, { cause: last })
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/**
 * Closes (cooperatively) every channel between `a` and `b` that an earlier, interrupted run left
 * behind, and mines until they are gone: a test that needs the two without a channel can rerun.
 */
export async function closeChannelsBetween (net: RegtestNetwork, a: string, b: string): Promise<void> {
  const lnd = net.lnd(a)
  const peer = net.node(b).publicKey
  if ((await getPendingChannels({ lnd })).pending_channels.some(c => c.partner_public_key === peer && c.is_opening)) await net.mine(1)
  const { channels } = await getChannels({ lnd, partner_public_key: peer })
  if (channels.length === 0) return
  const points = channels.map(c => `${c.transaction_id}:${c.transaction_vout}`)
  for (const c of channels) await closeChannel({ lnd, transaction_id: c.transaction_id, transaction_vout: c.transaction_vout })
  await net.mine(6)
  await until(async () => (await getPendingChannels({ lnd })).pending_channels
    .some(c => points.includes(`${c.transaction_id}:${c.transaction_vout}`)) ? undefined : true, `the channels ${a}–${b} to close`, 60_000)
}

/**
 * The real manager runtime on a local link testnet, in a scratch directory, for a regtest test:
 * what the test starts after it (stormd processes) goes in `closers`, closed first, newest first.
 */
export async function startRegtestManager (t: { after: (fn: () => Promise<void>) => void }): Promise<{ runtime: ManagerRuntime, locales: Locales, closers: Array<() => Promise<void>>, dir: { path: string }, testnet: { network: LinkNetwork } }> {
  const dir = await scratchDir()
  const testnet = await localTestnet()
  const locales = Locales.load()
  const runtime = await startManagerRuntime({
    dataDir: join(dir.path, 'manager'),
    rules: defaultRules({ group: 'Regtest', visibility: 'public' }),
    locales,
    network: testnet.network
  })
  const closers: Array<() => Promise<void>> = []
  t.after(async () => {
    // stormd's LND subscriptions keep timers: stop it, or the process stays up
    for (const close of closers.reverse()) await close()
    await runtime.close()
    await testnet.destroy()
    await dir.dispose()
  })
  return { runtime, locales, closers, dir, testnet }
}
