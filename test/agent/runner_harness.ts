/**
 * A DirectiveRunner on a simulated node, a memory store and a manual clock, with everything it
 * sends to the manager and tells the owner recorded. `restart()` builds a new runner on what the
 * store saved, as a fresh stormd process would.
 */
import { ManualClock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { SimNetwork, type SimNode } from '../../src/simnet/index.ts'
import { parseAgentConfig, type AgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState, type AgentState, type AgentDirective } from '../../src/agent/agent_state.ts'
import { DirectiveRunner, type AgentNotice } from '../../src/agent/directive_runner.ts'
import type { MessageType } from '../../src/protocol/messages.ts'

export interface Sent { type: MessageType, body: Record<string, unknown> }

export interface Harness {
  clock: ManualClock
  network: SimNetwork
  me: SimNode
  bob: SimNode
  carol: SimNode
  store: MemoryStore<AgentState>
  config: AgentConfig
  runner: DirectiveRunner
  state: AgentState
  sent: Sent[]
  notices: AgentNotice[]
  reportsAsked: number
  /** The owner approves in chat (relayed by the manager). */
  approve (id: string): Promise<AgentDirective>
  /** Messages sent since the last call (and forgets them). */
  drain (): Sent[]
  /** The stored record of a directive, as a fresh process would read it. */
  saved (id: string): AgentDirective | undefined
  /** A new runner on the store's saved state (a stormd restart); sent and notices start empty. */
  restart (): Promise<void>
}

export const FUNDS = 10_000_000

/** What a test may arrange before the runner starts: the node and the stored state of a stormd that stopped. */
export interface Preset { clock: ManualClock, network: SimNetwork, me: SimNode, bob: SimNode, carol: SimNode, state: AgentState }

/** A stored record of a directive at some stage. */
export function stored (directive: AgentDirective['directive'], status: AgentDirective['status'], at: number): AgentDirective {
  return { directive, status, receivedAt: at, updatedAt: at }
}

export async function runnerHarness (config: Record<string, unknown> = {}, preset?: (h: Preset) => void | Promise<void>): Promise<Harness> {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'directive-runner', confirmations: 3, clock })
  const me = network.addNode('me', { onchain: FUNDS })
  const bob = network.addNode('bob', { onchain: FUNDS })
  const carol = network.addNode('carol', { onchain: FUNDS })
  const store = new MemoryStore<AgentState>(emptyAgentState)
  const initial = await store.load()
  if (preset !== undefined) {
    await preset({ clock, network, me, bob, carol, state: initial })
    await store.save(initial)
  }
  const h = {
    clock,
    network,
    me,
    bob,
    carol,
    store,
    config: parseAgentConfig({ dataDir: '/nonexistent/stormd-test', ...config }),
    sent: [] as Sent[],
    notices: [] as AgentNotice[],
    reportsAsked: 0,
    approve (id: string) {
      return h.runner.decide(id, 'approve', 'alice@telegram', false)
    },
    drain () {
      const out = h.sent
      h.sent = []
      return out
    },
    saved (id: string) {
      return store.snapshot()?.directives[id]
    },
    async restart () {
      h.sent = []
      h.notices = []
      build(await store.load())
    }
  } as Harness
  const build = (state: AgentState): void => {
    h.state = state
    h.runner = new DirectiveRunner({
      state,
      store,
      lightning: me,
      config: h.config,
      clock,
      send: (type, body) => { h.sent.push({ type, body: structuredClone(body) as Record<string, unknown> }) },
      stormNodes: () => new Set([me.publicKey, bob.publicKey, carol.publicKey]),
      // bob's node is another node of our own member (a fleet); carol is another member
      ownNodes: () => new Set([bob.publicKey]),
      self: () => me.publicKey,
      notice: (n) => { h.notices.push(n) },
      reportSoon: () => { h.reportsAsked++ }
    })
  }
  build(await store.load())
  return h
}

/** What a message list says, in short: `directive_status:received`, `result:succeeded`. */
export function summary (sent: Sent[]): string[] {
  return sent.map(m => m.type === 'result' ? `result:${String(m.body.outcome)}` : m.type === 'directive_status' ? `status:${String(m.body.status)}` : m.type)
}
