/**
 * A manager on the test implementations of its ports: state in memory (a deep copy, as a file
 * would hold), a manual clock, an audit log in memory and a link double that records what the
 * manager sends. Members pair through the real pairing protocol with real signatures (ed25519
 * agent keys, LND-format node signatures).
 */
import crypto from 'hypercore-crypto'
import { StormManager, freshState } from '../../src/manager/storm_manager.ts'
import type { AgentLinkPort } from '../../src/manager/storm_manager.ts'
import { MemoryStore, type Store } from '../../src/shared/json_store.ts'
import { MemoryAuditLog } from '../../src/manager/audit_log.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { seededRandom } from '../../src/shared/ids.ts'
import { defaultRules, type StormRules } from '../../src/manager/rules.ts'
import type { State } from '../../src/manager/state/schema.ts'
import type { Message, MessageBody, MessageType } from '../../src/protocol/messages.ts'
import { pairingProofText } from '../../src/protocol/messages.ts'
import { newNodeKey, signNodeMessage } from '../../src/protocol/node_signature.ts'
import { pairingKeyPair, publicKeyHex } from '../../src/protocol/keys.ts'
import { Locales } from '../../src/shared/i18n.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'
import { batchDetail } from '../../src/agent/execute_directive.ts'

export interface Sent { agentKey: string, type: MessageType, body: unknown }

/** The link double: records every message and lets a test say who is connected. */
export class RecordingLink implements AgentLinkPort {
  readonly sent: Sent[] = []
  readonly connected = new Set<string>()
  readonly dropped: string[] = []
  send<T extends MessageType> (agentKey: string, type: T, body: MessageBody<T>): string {
    this.sent.push({ agentKey, type, body })
    return `m${this.sent.length}`
  }

  isConnected (agentKey: string): boolean { return this.connected.has(agentKey) }
  drop (agentKey: string): void { this.dropped.push(agentKey); this.connected.delete(agentKey) }

  /** Messages of a type to one agent, in order. */
  to<T extends MessageType> (agentKey: string, type: T): Array<MessageBody<T>> {
    return this.sent.filter(s => s.agentKey === agentKey && s.type === type).map(s => s.body as MessageBody<T>)
  }
}

export interface TestMember {
  name: string
  actor: Extract<Actor, { kind: 'chat' }>
  agentKey: string
  nodeKey: string
  id: string
}

export const MANAGER_KEYPAIR = crypto.keyPair(Buffer.alloc(32, 9))
export const MANAGER_KEY = publicKeyHex(MANAGER_KEYPAIR)
export const LOCALES = Locales.load()

export interface FixtureOptions {
  /** The manager's logger (events and data), to see what it logs. */
  log?: (event: string, data: Record<string, unknown>) => void
  /** A store of the test's own (e.g. SQLite on disk) instead of the in-memory one. */
  store?: (create: () => State) => Store<State>
}

export class ManagerFixture {
  readonly clock = new ManualClock()
  readonly store: MemoryStore<State>
  /** What the manager stores to: `store`, unless another was given (the SQLite store's tests). */
  readonly backing: Store<State>
  readonly audit = new MemoryAuditLog()
  readonly link = new RecordingLink()
  readonly manager: StormManager
  readonly rules: StormRules
  #msg = 0

  constructor (rules: Partial<StormRules> = {}, opts: FixtureOptions = {}) {
    this.rules = defaultRules({ group: 'Supercell', visibility: 'public', ...rules })
    this.store = new MemoryStore(() => freshState(this.rules, this.clock.now()))
    this.backing = opts.store?.(() => freshState(this.rules, this.clock.now())) ?? this.store
    this.manager = new StormManager({
      store: this.backing,
      audit: this.audit,
      link: this.link,
      clock: this.clock,
      rules: this.rules,
      managerKey: MANAGER_KEY,
      pairingKeyOf: (code) => publicKeyHex(pairingKeyPair(MANAGER_KEY, code)),
      verifySignature: (m, s, k) => { try { return crypto.verify(Buffer.from(m), Buffer.from(s, 'hex'), Buffer.from(k, 'hex')) } catch { return false } },
      random: seededRandom(7),
      ...(opts.log === undefined ? {} : { log: opts.log })
    })
  }

  static async start (rules: Partial<StormRules> = {}, opts: FixtureOptions = {}): Promise<ManagerFixture> {
    const f = new ManagerFixture(rules, opts)
    await f.manager.start()
    return f
  }

  chatActor (name: string, isAdmin = false): Extract<Actor, { kind: 'chat' }> {
    return { kind: 'chat', platform: 'test', userId: name, name: '@' + name, handle: name, isAdmin }
  }

  /** A message from an agent, as the link would deliver it. */
  async fromAgent<T extends MessageType> (agentKey: string, type: T, body: MessageBody<T>, kind: 'member' | 'pairing' = 'member'): Promise<void> {
    const msg = { type, id: `a${++this.#msg}`, from: agentKey, body } as Message
    await this.manager.onMessage(agentKey, msg, kind)
  }

  /**
   * A chat user who joins, gets a code, and whose agent pairs through the real protocol; then the
   * agent connects, says hello and reports `onchain` sats. Channels can be given for the report.
   */
  async joinAndPair (name: string, onchain = 5_000_000): Promise<TestMember> {
    const actor = this.chatActor(name)
    const joined = await this.manager.connect(actor)
    if (!joined.ok) throw joined.error
    const { agentKey, nodeKey } = await this.pairNode(actor, name, name.charCodeAt(0))
    await this.report(agentKey, onchain)
    return { name, actor, agentKey, nodeKey, id: joined.value.member.id }
  }

  /**
   * `actor` asks for a code and a stormd (agent key from `agentSeed`) pairs node `alias` with it
   * through the real protocol, connects and says hello. A member's second node joins its fleet.
   */
  async pairNode (actor: Extract<Actor, { kind: 'chat' }>, alias: string, agentSeed: number): Promise<{ agentKey: string, nodeKey: string }> {
    const code = await this.manager.pair(actor)
    if (!code.ok) throw code.error
    const agent = crypto.keyPair(Buffer.alloc(32, agentSeed))
    const agentKey = publicKeyHex(agent)
    const node = newNodeKey(new TextEncoder().encode('node-' + alias))
    const pairingKey = publicKeyHex(pairingKeyPair(MANAGER_KEY, code.value.code))
    if (this.manager.admit(pairingKey) !== 'pairing') throw new Error('pairing key not admitted')
    this.link.connected.add(pairingKey)
    await this.manager.onConnected(pairingKey, 'pairing')
    const challenge = this.link.to(pairingKey, 'pair_challenge').at(-1)!
    const proof = pairingProofText(challenge.group, challenge.nonce, agentKey, node.publicKey)
    await this.fromAgent(pairingKey, 'pair_request', {
      nonce: challenge.nonce,
      agentKey,
      agentSignature: crypto.sign(Buffer.from(proof), agent.secretKey).toString('hex'),
      node: { publicKey: node.publicKey, alias, network: 'simnet', uris: [], version: 'test' },
      nodeSignature: signNodeMessage(node.secretKey, proof)
    }, 'pairing')
    if (this.link.to(pairingKey, 'pair_result').length !== 1) throw new Error('pairing failed: ' + JSON.stringify(this.link.to(pairingKey, 'error')))
    this.link.connected.delete(pairingKey)
    this.link.connected.add(agentKey)
    await this.fromAgent(agentKey, 'hello', { agentVersion: 'test', node: { publicKey: node.publicKey, alias, network: 'simnet', uris: [], version: 'test' }, finished: [] })
    return { agentKey, nodeKey: node.publicKey }
  }

  async report (agentKey: string, onchain: number, channels: MessageBody<'report'>['channels'] = [], pending: MessageBody<'report'>['pending'] = []): Promise<void> {
    await this.fromAgent(agentKey, 'report', {
      at: this.clock.now(),
      health: { healthy: true, blockHeight: 100 },
      balance: { confirmed: onchain, unconfirmed: 0 },
      channels,
      pending
    })
  }

  /** What a fresh process would load: the stored state. */
  stored (): State {
    return this.store.snapshot()!
  }
}

/** A channel report line, for reports. */
export function channelReport (channelPoint: string, peer: string, capacity: number, local: number, initiator = true, active = true) {
  return {
    id: '100x1x0',
    channelPoint,
    peer,
    capacity,
    localBalance: local,
    remoteBalance: capacity - local,
    localReserve: Math.floor(capacity / 100),
    remoteReserve: Math.floor(capacity / 100),
    active,
    initiator
  }
}

/** A valid-looking funding outpoint for a number. */
export function outpoint (n: number): string {
  return n.toString(16).padStart(64, '0') + ':0'
}

/** Output `vout` of funding transaction number `tx`. */
export function txPoint (tx: number, vout: number): string {
  return outpoint(tx).replace(/:0$/, `:${vout}`)
}

/**
 * The agent's side of an `addfunds`: its one directive runs and one transaction (`tx`) funds
 * every channel, reported as stormd reports it (stormd's own `batchDetail`). Returns the channel
 * points, in plan order.
 */
export async function agentFunds (f: ManagerFixture, member: TestMember, channels: ReadonlyArray<{ directive: string, capacity: number }>, tx = 1): Promise<string[]> {
  const id = channels[0]!.directive
  const points = channels.map((_, i) => txPoint(tx, i))
  const detail = channels.length === 1 ? { channelPoint: points[0]!, capacity: channels[0]!.capacity } : batchDetail(points, channels.map(c => c.capacity))
  await f.fromAgent(member.agentKey, 'directive_status', { directive: id, status: 'executing' })
  await f.fromAgent(member.agentKey, 'result', { directive: id, outcome: 'succeeded', detail })
  return points
}
