/**
 * A recording stand-in for the agent's end of the link to the manager (the real Hyperswarm link
 * is tested over a HyperDHT testnet in test/protocol). The test plays the manager: it brings the
 * link up or down, delivers messages, and may answer what the agent sends through `onSend`.
 */
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { StormAgent, type ManagerConnection, type KeyPair } from '../../src/agent/stormd.ts'
import type { AgentConfig } from '../../src/agent/config.ts'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import type { Message, MessageBody, MessageType } from '../../src/protocol/messages.ts'

export const MANAGER_KEY = 'ab'.repeat(32)

export interface SentMessage { id: string, type: MessageType, body: unknown }

export class FakeLink extends EventEmitter implements ManagerConnection {
  connected = false
  started = 0
  closed = 0
  sent: SentMessage[] = []
  /** Called on start (the manager's first move, e.g. a pairing challenge). */
  onStart: (link: FakeLink) => void = () => {}
  /** Called after each message the agent sends (the manager's answer). */
  onSend: (message: SentMessage, link: FakeLink) => void = () => {}
  #n = 0
  readonly keyPair: KeyPair
  readonly managerKey: string

  constructor (keyPair: KeyPair, managerKey: string) {
    super()
    this.keyPair = keyPair
    this.managerKey = managerKey
  }

  start (): void {
    this.started++
    this.onStart(this)
  }

  send<T extends MessageType> (type: T, body: MessageBody<T>): string {
    const message = { id: `msg${++this.#n}`, type, body: structuredClone(body) }
    this.sent.push(message)
    this.onSend(message, this)
    return message.id
  }

  async close (): Promise<void> {
    this.closed++
    this.connected = false
  }

  up (): void {
    this.connected = true
    this.emit('connected')
  }

  down (): void {
    this.connected = false
    this.emit('disconnected')
  }

  /** The manager sends a message (asynchronously, as a network would). */
  deliver<T extends MessageType> (type: T, body: MessageBody<T>): void {
    const message = { type, id: `in${++this.#n}`, from: MANAGER_KEY, body } as Message
    queueMicrotask(() => this.emit('message', message))
  }

  /** Bodies the agent sent of one type. */
  of<T extends MessageType> (type: T): Array<MessageBody<T>> {
    return this.sent.filter(m => m.type === type).map(m => m.body as MessageBody<T>)
  }
}

/** Lets the agent's promise chains run until `cond` holds (no time passes on the clock). */
export async function until (cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const done = cond()
    await new Promise(resolve => setImmediate(resolve))
    if (done) return
  }
  assert.fail(`never happened: ${what}`)
}

/**
 * A stormd paired with the test's manager (`MANAGER_KEY`, member `mem1`) and started, its state in
 * memory; the link it opens is `link()` (not up yet: the test brings it up).
 */
export async function pairedAgent (o: { config: AgentConfig, lightning: LightningNode & { publicKey: string }, clock: Clock, keyByte: number }): Promise<{ agent: StormAgent, link: () => FakeLink }> {
  const links: FakeLink[] = []
  const agent = new StormAgent({
    config: o.config,
    lightning: o.lightning,
    store: new MemoryStore<AgentState>(emptyAgentState),
    keyPair: { publicKey: Buffer.alloc(32, o.keyByte), secretKey: Buffer.alloc(64, o.keyByte) },
    clock: o.clock,
    connect: (kp, managerKey) => { const l = new FakeLink(kp, managerKey); links.push(l); return l }
  })
  await agent.load()
  await agent.paired({ managerKey: MANAGER_KEY, memberId: 'mem1', group: 'Supercell', node: o.lightning.publicKey, pairedAt: o.clock.now() })
  await agent.start()
  return { agent, link: () => links.at(-1)! }
}
