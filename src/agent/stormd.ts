/**
 * stormd: the member's agent. It pairs with the manager, keeps a signed link to it, runs the
 * directives it receives on the Lightning node (within the owner's limits, after the owner's
 * approval where needed), and reports channels, balances, flow and health.
 */
import { EventEmitter } from 'node:events'
import type { Health, Message, MessageBody, MessageType, NodeSummary } from '../protocol/messages.ts'
import type { LightningNode } from './lightning_port.ts'
import type { AgentStore } from './runner_deps.ts'
import type { MemberHistory } from './member_history.ts'
import { SYSTEM_CLOCK, type Clock } from '../shared/clock.ts'
import { StormError } from '../shared/errors.ts'
import type { AgentConfig } from './config.ts'
import { ownNodesOf, type AgentState, type AgentDirective } from './agent_state.ts'
import { DirectiveRunner, type AgentNotice } from './directive_runner.ts'
import { buildReport, checkHealth } from './build_report.ts'
import { rosterDigest } from '../protocol/roster_digest.ts'
import { background } from '../shared/log.ts'
import { ResultDelivery } from './result_delivery.ts'

export const AGENT_VERSION = 'stormd 0.1.0'

export interface KeyPair { publicKey: Buffer, secretKey: Buffer }

/** The agent's end of the link to the manager (the Hyperswarm `AgentLink` has this shape). */
export interface ManagerConnection extends EventEmitter {
  start (): void
  send<T extends MessageType> (type: T, body: MessageBody<T>): string
  readonly connected: boolean
  close (): Promise<void>
}

export type ConnectToManager = (keyPair: KeyPair, managerKey: string) => ManagerConnection

export interface StormAgentOptions {
  config: AgentConfig
  lightning: LightningNode
  store: AgentStore
  keyPair: KeyPair
  connect: ConnectToManager
  /** The copy of the manager's history about this member (replicated while connected). */
  history?: MemberHistory
  clock?: Clock
  log?: (level: 'error' | 'warn' | 'info' | 'debug', event: string, data?: Record<string, unknown>) => void
}

export interface CommandReply { ok: boolean, text: string, data?: unknown }

/** The manager's answer to a fee vote. */
export type VoteReply = MessageBody<'vote_result'>

const COMMAND_TIMEOUT_MS = 30_000
const REPORT_SOON_MS = 500

export class StormAgent extends EventEmitter<{ notice: [AgentNotice], connected: [], disconnected: [], cut_off: [string] }> {
  readonly #o: StormAgentOptions
  readonly #clock: Clock
  #state: AgentState | null = null
  #runner: DirectiveRunner | null = null
  #results: ResultDelivery | null = null
  #link: ManagerConnection | null = null
  #stormNodes: ReadonlySet<string> = new Set()
  /**
   * Our member's nodes, from the roster (stored with its member ids, so known at once after a
   * restart). Until they are known no plain invoice is paid, and the hello carries no roster
   * digest, so the manager sends the roster again (a state stored before the ids were kept).
   */
  #ownNodes: ReadonlySet<string> = new Set()
  #node: NodeSummary | null = null
  #timers: Array<() => void> = []
  #reportPending: (() => void) | null = null
  #lastReportAt = 0
  #commands = new Map<string, (reply: CommandReply) => void>()
  #votes = new Map<string, (reply: VoteReply) => void>()
  /** stormd.conf's `voteBaseFee` / `voteFeeRate`, sent on every connection (null: none). */
  #configVote: MessageBody<'vote'> | null = null
  /** Since when LND has said it is not synced to the chain, if it says so now. */
  #unsynced: number | null = null

  constructor (opts: StormAgentOptions) {
    super()
    this.#o = opts
    this.#clock = opts.clock ?? SYSTEM_CLOCK
    this.#configVote = configVote(opts.config.voteBaseFee, opts.config.voteFeeRate)
  }

  /**
   * stormd.conf's vote changed while stormd runs: the new one is sent at once (and on every
   * connection from now on); the same vote again, or none, sends nothing. Returns whether it sent.
   */
  setConfigVote (voteBaseFee: number | undefined, voteFeeRate: number | undefined): boolean {
    const next = configVote(voteBaseFee, voteFeeRate)
    const same = next === null ? this.#configVote === null : this.#configVote !== null && next.baseFeeMsat === this.#configVote.baseFeeMsat && next.feeRatePpm === this.#configVote.feeRatePpm
    this.#configVote = next
    if (same || next === null || this.#link === null || !this.#link.connected) return false
    this.#link.send('vote', next)
    return true
  }

  /** Loads the agent's state. */
  async load (): Promise<void> {
    this.#state = await this.#o.store.load()
  }

  get state (): AgentState {
    if (this.#state === null) throw new Error('StormAgent used before load()')
    return this.#state
  }

  get pairing (): AgentState['pairing'] { return this.state.pairing }
  get connected (): boolean { return this.#link?.connected ?? false }
  get publicKey (): string { return this.#o.keyPair.publicKey.toString('hex') }

  /** Records a pairing made by `pairAgent`. */
  async paired (pairing: NonNullable<AgentState['pairing']>): Promise<void> {
    this.state.pairing = pairing
    await this.#o.store.save(this.state)
  }

  /** Connects to the manager and starts heartbeats and reports. Errors: `NOT_PAIRED`. */
  async start (): Promise<void> {
    const pairing = this.state.pairing
    if (pairing === undefined) throw new StormError('NOT_PAIRED')
    this.#stormNodes = new Set(this.state.roster)
    this.#ownNodes = ownNodesOf(this.state)
    this.#runner = new DirectiveRunner({
      state: this.state,
      store: this.#o.store,
      lightning: this.#o.lightning,
      config: this.#o.config,
      clock: this.#clock,
      send: (type, body) => { this.#link?.send(type, body) },
      stormNodes: () => this.#stormNodes,
      ownNodes: () => this.#ownNodes,
      self: () => pairing.node,
      notice: (n) => this.emit('notice', n),
      reportSoon: () => this.#reportSoon()
    })
    const link = this.#o.connect(this.#o.keyPair, pairing.managerKey)
    this.#link = link
    const runner = this.#runner
    this.#results = new ResultDelivery({
      state: this.state,
      store: this.#o.store,
      clock: this.#clock,
      send: (type, body) => { link.send(type, body) },
      connected: () => link.connected,
      // a result is sent once its outcome is stored: not while the state cannot be saved
      held: () => runner.saveFailing,
      serial: fn => runner.serial(fn),
      log: (level, event, data) => this.#log(level, event, data)
    })
    link.on('connected', () => {
      // results the manager has not acknowledged go first, not after the hello and a redelivery
      this.#results?.resendAll()
      this.#background('hello_failed', this.#hello())
      this.#askHistory()
      this.emit('connected')
    })
    link.on('disconnected', () => this.emit('disconnected'))
    link.on('message', (msg: Message) => { void this.#onMessage(msg).catch(e => this.#log('error', 'message_failed', { type: msg.type, error: String(e) })) })
    // recovery's results go out on the link (queued until it connects): without one they were lost
    await this.#runner.recover()
    link.start()
    // channel changes are worth telling the manager at once; forwards wait for the next report
    const unsubscribe = this.#o.lightning.subscribe((e) => {
      if (e.type === 'channel_opened' || e.type === 'channel_closed' || e.type === 'channel_active_changed') this.#reportSoon()
    })
    this.#timers.push(unsubscribe)
    this.#results.start()
    this.#every(this.#o.config.heartbeatInterval * 1000, () => this.#heartbeat())
    this.#every(this.#o.config.reportInterval * 1000, () => this.#report())
  }

  async stop (): Promise<void> {
    for (const cancel of this.#timers) cancel()
    this.#timers = []
    this.#results?.stop()
    this.#reportPending?.()
    // forget the cancelled one, or #reportSoon would wait for it forever after the next start
    this.#reportPending = null
    await this.#link?.close()
    this.#link = null
  }

  /** The owner approves or rejects from stormcli. Errors: `UNKNOWN_DIRECTIVE`, `DIRECTIVE_NOT_AWAITING`. */
  decide (id: string, decision: 'approve' | 'reject'): Promise<AgentDirective> {
    if (this.#runner === null) throw new StormError('NOT_PAIRED')
    return this.#runner.decide(id, decision, 'stormcli', true)
  }

  /** Directives waiting for the owner. */
  awaiting (): AgentDirective[] {
    return this.#runner?.awaiting() ?? []
  }

  /**
   * Relays a member command (`addfunds 2000000`) to the manager and waits for its answer.
   * Errors: `NOT_PAIRED`, `MANAGER_UNREACHABLE`, `COMMAND_TIMEOUT`.
   */
  command (text: string, lang: string): Promise<CommandReply> {
    const link = this.#link
    if (link === null) return Promise.reject(new StormError('NOT_PAIRED'))
    if (!link.connected) return Promise.reject(new StormError('MANAGER_UNREACHABLE'))
    return new Promise((resolve, reject) => {
      const id = link.send('command', { text, lang })
      const cancel = this.#clock.schedule(() => {
        this.#commands.delete(id)
        reject(new StormError('COMMAND_TIMEOUT'))
      }, COMMAND_TIMEOUT_MS)
      this.#commands.set(id, (reply) => { cancel(); resolve(reply) })
    })
  }

  /**
   * Sends the owner's fee vote (base fee in msat, rate in ppm) as a signed `vote` message and
   * waits for the manager's answer. Errors: `NOT_PAIRED`, `MANAGER_UNREACHABLE`, `COMMAND_TIMEOUT`.
   */
  vote (baseFeeMsat: string, feeRatePpm: number): Promise<VoteReply> {
    const link = this.#link
    if (link === null) return Promise.reject(new StormError('NOT_PAIRED'))
    if (!link.connected) return Promise.reject(new StormError('MANAGER_UNREACHABLE'))
    return new Promise((resolve, reject) => {
      const id = link.send('vote', { baseFeeMsat, feeRatePpm })
      const cancel = this.#clock.schedule(() => {
        this.#votes.delete(id)
        reject(new StormError('COMMAND_TIMEOUT'))
      }, COMMAND_TIMEOUT_MS)
      this.#votes.set(id, (reply) => { cancel(); resolve(reply) })
    })
  }

  // ---- the link -------------------------------------------------------------------------------

  async #hello (): Promise<void> {
    const node = await this.#nodeSummary()
    this.#link?.send('hello', { agentVersion: AGENT_VERSION, node, finished: this.#runner?.finishedIds() ?? [], ...this.#ownNodes.size === 0 ? {} : { rosterDigest: rosterDigest(this.state.roster) } })
    // stormd.conf's vote, on every connection: a changed config votes again after a restart, and
    // the manager counts a vote it already has once
    if (this.#configVote !== null) this.#link?.send('vote', this.#configVote)
    await this.#report()
  }

  async #onMessage (msg: Message): Promise<void> {
    const runner = this.#runner
    if (runner === null) return
    switch (msg.type) {
      case 'roster':
        await runner.serial(async () => {
          this.state.roster = msg.body.members.map(m => m.node)
          this.state.rosterMembers = msg.body.members.map(m => m.id)
          this.#stormNodes = new Set(this.state.roster)
          // our member's other nodes (its fleet): the only ones a plain invoice may pay
          this.#ownNodes = ownNodesOf(this.state)
          await this.#o.store.save(this.state)
        })
        return
      case 'directive':
        return runner.receive(msg.body)
      case 'approval':
        await runner.decide(msg.body.directive, msg.body.decision, msg.body.by, false).catch((e: unknown) => {
          if (!(e instanceof StormError)) throw e
          // a relayed approval the owner's localApproval refuses is worth a warning: it may be a manager that lies
          this.#log(e.code === 'APPROVAL_LOCAL_ONLY' ? 'warn' : 'debug', 'approval_ignored', { directive: msg.body.directive, code: e.code, by: msg.body.by })
        })
        return
      case 'revoke':
        return runner.revoke(msg.body)
      case 'result_ack':
        return this.#results?.acked(msg.body.directive)
      case 'command_reply': {
        const done = this.#commands.get(msg.body.command)
        this.#commands.delete(msg.body.command)
        done?.({ ok: msg.body.ok, text: msg.body.text, data: msg.body.data })
        return
      }
      case 'vote_result': {
        const done = this.#votes.get(msg.body.vote)
        this.#votes.delete(msg.body.vote)
        if (done !== undefined) done(msg.body)
        else this.#log(msg.body.ok ? 'info' : 'warn', 'config_vote', { ok: msg.body.ok, error: msg.body.error?.code, stake: msg.body.stake, unchanged: msg.body.unchanged })
        return
      }
      case 'cut_off':
        this.#log('warn', 'cut_off', { reason: msg.body.reason })
        this.emit('cut_off', msg.body.reason)
        await this.stop()
        return
      case 'history': {
        const history = this.#o.history
        if (history === undefined) return
        // a batch that does not follow on from what is held: ask again from there
        if (!await history.accept(msg.body)) this.#askHistory()
        return
      }
      case 'error':
        this.#log('warn', 'manager_error', { code: msg.body.code, detail: msg.body.detail })
        return
      default:
        this.#log('debug', 'unexpected_message', { type: msg.type })
    }
  }

  #askHistory (): void {
    if (this.#o.history !== undefined) this.#link?.send('history_request', { from: this.#o.history.from })
  }

  /** The copy of the manager's history about this member, when kept. */
  get history (): MemberHistory | undefined { return this.#o.history }

  async #nodeSummary (): Promise<NodeSummary> {
    try {
      const info = await this.#o.lightning.getInfo()
      this.#node = { publicKey: info.publicKey, alias: info.alias.slice(0, 64), network: info.network, uris: info.uris.slice(0, 8), version: info.version.slice(0, 64) }
      if (this.#o.config.region !== undefined) this.#node.region = this.#o.config.region
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      // the node is down: say hello with what we knew; the heartbeat tells the manager it is unhealthy
      this.#node ??= { publicKey: this.state.pairing!.node, alias: '', network: this.#o.config.network, uris: [], version: '', ...(this.#o.config.region === undefined ? {} : { region: this.#o.config.region }) }
    }
    return this.#node
  }

  async #heartbeat (): Promise<void> {
    const now = this.#clock.now()
    await this.#saveAgain()
    const raw = await checkHealth(this.#o.lightning)
    this.#unsynced = raw.reason === 'LN_NOT_SYNCED' ? (this.#unsynced ?? now) : null
    // a state that cannot be stored stops stormd acting: the manager (and the owner) see it unhealthy
    const health: Health = this.#runner?.saveFailing === true ? { healthy: false, reason: 'STATE_SAVE_FAILED' } : steadyHealth(raw, this.#unsynced, now)
    // directives that waited for the node run as soon as it answers again
    if (health.healthy && this.#runner !== null && this.#runner.hasWaiting()) this.#background('resume_failed', this.#runner.resume())
    // and rebalances whose payment was in flight are asked about again until it ends
    if (health.healthy && this.#runner !== null && this.#runner.hasInFlight()) this.#background('payment_check_failed', this.#runner.checkPayments())
    if (this.connected) this.#link?.send('heartbeat', { at: now, health })
  }

  /** After a failed save: stores the state again, then sends the results that waited for it. */
  async #saveAgain (): Promise<void> {
    const runner = this.#runner
    if (runner === null || !runner.saveFailing) return
    try {
      await runner.saveAgain()
      this.#log('info', 'state_saved_again')
      this.#results?.resendAll()
    } catch (e) {
      this.#log('error', 'state_save_failed', { error: String(e) })
    }
  }

  async #report (): Promise<void> {
    if (!this.connected) return
    const now = this.#clock.now()
    try {
      const report = await buildReport(this.#o.lightning, this.#lastReportAt, now, this.#o.config.reportFlow)
      this.#lastReportAt = now
      this.#link?.send('report', report)
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      this.#link?.send('heartbeat', { at: now, health: { healthy: false, reason: e.code } })
    }
  }

  /** A task nobody awaits: its failure is logged as `event`, never an unhandled rejection. */
  #background (event: string, p: Promise<unknown>): void {
    background(p, error => this.#log('error', event, { error }))
  }

  #reportSoon (): void {
    if (this.#reportPending !== null) return
    this.#reportPending = this.#clock.schedule(() => {
      this.#reportPending = null
      this.#background('report_failed', this.#report())
    }, REPORT_SOON_MS)
  }

  #every (ms: number, fn: () => Promise<void>): void {
    // each job knows it was stopped: a run still in flight across a stop() and start() must not
    // re-arm itself beside the new job (two heartbeats per interval, forever)
    const job = { cancel: () => {}, stopped: false }
    const tick = (): void => {
      if (job.stopped) return
      job.cancel = this.#clock.schedule(() => {
        void fn().catch(e => this.#log('error', 'periodic_failed', { error: String(e) })).finally(tick)
      }, ms)
    }
    tick()
    this.#timers.push(() => { job.stopped = true; job.cancel() })
  }

  #log (level: 'error' | 'warn' | 'info' | 'debug', event: string, data?: Record<string, unknown>): void {
    this.#o.log?.(level, event, data)
  }
}

/** How long LND may say "not synced" (it does, briefly, as each block arrives) before it counts. */
export const UNSYNCED_GRACE_MS = 120_000

/**
 * LND reports itself unsynced for a moment whenever a block arrives; that is not downtime. Only an
 * unsynced state that lasts longer than the grace counts as unhealthy.
 */
export function steadyHealth (health: Health, unsyncedSince: number | null, now: number): Health {
  if (health.healthy || health.reason !== 'LN_NOT_SYNCED') return health
  if (unsyncedSince === null || now - unsyncedSince < UNSYNCED_GRACE_MS) {
    return health.blockHeight === undefined ? { healthy: true } : { healthy: true, blockHeight: health.blockHeight }
  }
  return health
}

function configVote (base: number | undefined, ratePpm: number | undefined): MessageBody<'vote'> | null {
  return base === undefined || ratePpm === undefined ? null : { baseFeeMsat: String(base), feeRatePpm: ratePpm }
}
