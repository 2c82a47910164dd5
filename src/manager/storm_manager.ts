/**
 * The manager service: runs one use case at a time against the state, stores the result, appends
 * the audit entries, then sends messages to agents and announces events — in that order, so
 * nothing is announced that a crash could forget.
 */
import { EventEmitter } from 'node:events'
import { randomBytes } from 'node:crypto'
import type { Store, WatchedStore } from '../shared/json_store.ts'
import { StormNodeIndex } from './members/storm_node_index.ts'
import { crashPoint } from '../shared/crash_point.ts'
import type { Clock } from '../shared/clock.ts'
import { type RandomInt, CRYPTO_RANDOM } from '../shared/ids.ts'
import { err, ok, type Result } from '../shared/errors.ts'
import { errorText } from '../shared/log.ts'
import type { Message, MessageBody, MessageType } from '../protocol/messages.ts'
import type { State, Member, DirectiveRecord } from './state/schema.ts'
import { emptyState } from './state/schema.ts'
import type { StormRules } from './rules.ts'
import type { AuditLog } from './audit_log.ts'
import { Observations } from './observations.ts'
import type { ReportLog } from './report_log.ts'
import { restoreReports } from './members/restore_reports.ts'
import { emptyEffects, type AuditEntry, type Ctx, type StormEvent } from './context.ts'
import { type Actor, findMemberByAgent, findMemberByActor, requireMember } from './members/find_member.ts'
import { observationKey } from './members/member_nodes.ts'
import { requestMembership, decideMembership } from './use_cases/request_membership.ts'
import { issuePairingCode, challengePairing, completePairing, livePairing, type VerifySignature, type PairingKeyOf } from './use_cases/pairing.ts'
import { addFunds } from './use_cases/add_funds.ts'
import { moveBetweenOwnNodes } from './use_cases/move_between_nodes.ts'
import { removeFunds, disconnect } from './use_cases/remove_funds.ts'
import { cancelRequest } from './use_cases/cancel_request.ts'
import { askLift, setWillingToLift } from './use_cases/lift_newcomer.ts'
import { agentWentAway } from './members/graceful_exit.ts'
import { decideDirective, type Decision } from './use_cases/decide_directive.ts'
import { agentHello, agentReport, agentHeartbeat, directiveProgress, directiveResult } from './use_cases/agent_messages.ts'
import { expireDirectives } from './use_cases/expire_directives.ts'
import { getInfo, type GetInfo } from './use_cases/get_info.ts'
import { Scheduler } from './scheduler.ts'
import type { FeeChoice, BanChoice, Proposal } from './governance/schema.ts'
import { castFeeVote } from './governance/cast_fee_vote.ts'
import { proposeBan } from './governance/propose_ban.ts'
import { castBanVote } from './governance/cast_ban_vote.ts'
import { unbanMember } from './governance/unban_member.ts'
import { closeDueProposals } from './governance/close_due_proposals.ts'
import { excuseDowntime } from './governance/excuse_downtime.ts'
import { stakes } from './governance/stake.ts'
import { sampleUptime } from './governance/uptime/sample_uptime.ts'
import { UptimeLedger, emptyUptime, type UptimeDoc, type Rating } from './governance/uptime/uptime_ledger.ts'
import { archiveFinished } from './state/retention.ts'
import { allocationsOf } from './state/indexes.ts'
import { concernedMembers } from './history.ts'
import { quoteEnvelope, type Envelope } from '../protocol/envelope.ts'
import { planRebalancingRound } from './use_cases/plan_rebalancing.ts'
import type { ReadSource } from './queries/read_source.ts'
import { requestDowntime } from './liveness/request_downtime.ts'
import { cancelDowntime, extendDowntime } from './liveness/change_downtime.ts'
import { watchDowntimes } from './liveness/watch_downtime.ts'

/** What the manager needs from the peer-to-peer link (the Hyperswarm `ManagerLink` has it). */
export interface AgentLinkPort {
  send<T extends MessageType> (agentKey: string, type: T, body: MessageBody<T>): string
  isConnected (agentKey: string): boolean
  drop (agentKey: string): void
}

export interface StormManagerOptions {
  store: Store<State>
  audit: AuditLog
  link: AgentLinkPort
  clock: Clock
  rules: StormRules
  /** The manager's public key (hex), told to agents when they pair. */
  managerKey: string
  pairingKeyOf: PairingKeyOf
  verifySignature: VerifySignature
  random?: RandomInt
  log?: (event: string, data: Record<string, unknown>) => void
  /** Where the uptime buckets are kept (their own small file); in memory only when absent. */
  uptimeStore?: Store<UptimeDoc>
  /**
   * Where agents' latest reports are kept (`SqliteReportStore`): a report's `onMessage` then
   * resolves once it is on disk, and `start()` knows the nodes again. In memory only when absent.
   */
  reports?: ReportLog
}

/** A stormcli command relayed by an agent, for the chat layer to run and answer. */
export interface AgentCommand {
  member: Member
  body: MessageBody<'command'>
  reply: (body: Omit<MessageBody<'command_reply'>, 'command'>) => void
}

const SWEEP_MS = 60_000
/** How often open proposals are checked against their deadlines. */
const PROPOSALS_MS = 60_000
const ARCHIVE_EVERY_MS = 3_600_000
/** Agent messages the history keeps with the agent's signature: those that move a directive, and votes. */
const SIGNED_MESSAGES_KEPT = new Set<string>(['directive_status', 'result', 'vote'])

export class StormManager extends EventEmitter<{ event: [StormEvent], agent_command: [AgentCommand] }> {
  readonly rules: StormRules
  readonly observations = new Observations()
  readonly #opts: StormManagerOptions
  #state: State | null = null
  /**
   * Use cases waiting to run, in two lanes: what members and the Storm ask (commands, pairing,
   * scheduled jobs) and what agents report (hello, reports, heartbeats, results). One runs at a
   * time, the next taken from the first lane before the second, in order within each: 3,000
   * agents reconnecting at once queue 3,000 hellos, each stored before the next, and a member's
   * command waits for the one under way, not for all of them.
   */
  readonly #lanes: { member: Array<() => Promise<void>>, agents: Array<() => Promise<void>> } = { member: [], agents: [] }
  #pumping: Promise<void> | null = null
  #scheduler: Scheduler | null = null
  #uptime: UptimeLedger = new UptimeLedger(emptyUptime(60_000))
  #startedAt = 0
  /** When each channel was last looked at by a rebalancing round (memory: a restart looks again). */
  readonly #rebalanceChecked = new Map<string, number>()
  #dashboardLinks: DashboardLinks | null = null
  /** The Storm's node keys, kept from the members written (not a scan per report). */
  readonly #nodes = new StormNodeIndex()
  /**
   * History appends of entries already in the store's outbox: one under way at a time, and one
   * queued behind it takes every entry that came meanwhile (an append takes the whole outbox).
   */
  #historyChain: Promise<void> = Promise.resolve()
  #historyQueued: Promise<void> | null = null
  #historyWaiting: AuditEntry[] = []
  /** Member records written since start, counted when the store tells its writes (null: it does not). */
  #memberWrites: number | null = null

  constructor (opts: StormManagerOptions) {
    super()
    this.#opts = opts
    this.rules = opts.rules
    const store = opts.store as Partial<WatchedStore>
    if (typeof store.watch === 'function') {
      this.#memberWrites = 0
      store.watch((collection, id) => {
        if (collection !== 'members') return
        this.#nodes.changed(id)
        this.#memberWrites!++
      })
      this.#nodes.watched()
    }
  }

  /** Every node of every active or leaving member, by node key (the index's own set: read-only). */
  stormNodeKeys (): ReadonlySet<string> {
    return this.#nodes.keys(this.state)
  }

  /**
   * Loads the state (a corrupt file stops the start with a clear error) and the uptime buckets,
   * and starts the scheduler: directive expiry, proposal deadlines, uptime samples.
   */
  async start (): Promise<void> {
    this.#state = await this.#opts.store.load()
    if (this.#opts.reports !== undefined) {
      const skipped = restoreReports(this.#state, this.observations, this.#opts.reports.stored())
      if (skipped > 0) this.#log('stored_reports_skipped', { count: skipped })
    }
    const sampleMs = this.rules.governance.ratingSampleMs
    const doc = this.#opts.uptimeStore === undefined ? emptyUptime(sampleMs) : await this.#opts.uptimeStore.load()
    this.#uptime = new UptimeLedger(doc.sampleMs === sampleMs ? doc : emptyUptime(sampleMs))
    this.#startedAt = this.#opts.clock.now()
    this.#scheduler = new Scheduler(this.#opts.clock, [
      { name: 'expire_directives', everyMs: SWEEP_MS, run: () => this.#run(ctx => ok(expireDirectives(ctx))) },
      // finished work leaves the live state once an hour (it is a scan of the whole state)
      { name: 'archive_finished', everyMs: ARCHIVE_EVERY_MS, run: () => this.#run(ctx => { archiveFinished(ctx); return ok(undefined) }) },
      { name: 'proposal_deadlines', everyMs: PROPOSALS_MS, run: () => this.#run(ctx => ok(closeDueProposals(ctx))) },
      { name: 'uptime_sample', everyMs: sampleMs, run: () => this.#sampleUptime() },
      { name: 'downtime_watch', everyMs: SWEEP_MS, run: () => this.watchDowntimes() },
      ...(this.rules.rebalancing.enabled
        ? [{ name: 'rebalancing', everyMs: this.rules.rebalancing.baseSettings.refreshRate * 1000, run: () => this.rebalance() }]
        : [])
    ], (job, e) => { this.#log('scheduled_job_failed', { job, error: errorText(e) }) })
    this.#scheduler.start()
  }

  stop (): void {
    this.#scheduler?.stop()
    this.#scheduler = null
  }

  /**
   * One rebalancing round: plans circular payments over the Storm's channels and issues them as
   * `rebalance` directives. The scheduler runs it every `rules.rebalancing.baseSettings.refreshRate`
   * seconds from `start()`; callable on its own.
   */
  rebalance () { return this.#run(ctx => planRebalancingRound(ctx, this.#rebalanceChecked)) }

  /** What the read model (`queries/`) reads, as of now: chat renderers take their views from it. */
  readSource (): ReadSource {
    return { state: this.state, observations: this.observations, rules: this.rules, now: this.#opts.clock.now() }
  }

  /** The Storm's name. */
  get group (): string {
    return this.state.group
  }

  /** The current state, read-only by contract: front ends read names and directives from it. */
  get state (): State {
    if (this.#state === null) throw new Error('StormManager used before start()')
    return this.#state
  }

  // ---- member commands --------------------------------------------------------------------

  connect (actor: Actor, group?: string) { return this.#run(ctx => requestMembership(ctx, actor, group)) }
  decideMembership (actor: Actor, ref: string, admit: boolean) { return this.#run(ctx => decideMembership(ctx, actor, ref, admit)) }
  pair (actor: Actor) { return this.#run(ctx => issuePairingCode(ctx, actor, this.#opts.pairingKeyOf)) }
  /** `node`: which of the member's nodes funds (alias or key prefix); by default one that can. */
  addFunds (actor: Actor, amount: number, node?: string) { return this.#run(ctx => addFunds(ctx, actor, amount, node)) }
  /** Sats from one of the member's nodes to another, by plain invoice-and-pay (a fleet). */
  moveBetweenNodes (actor: Actor, amount: number, from: string, to: string, maxFee: number) { return this.#run(ctx => moveBetweenOwnNodes(ctx, actor, amount, from, to, maxFee)) }
  removeFunds (actor: Actor, amount: number) { return this.#run(ctx => removeFunds(ctx, actor, amount)) }
  disconnect (actor: Actor) { return this.#run(ctx => disconnect(ctx, actor)) }
  /** `lift`: a member with no funds asks the Storm to open channels to it. */
  lift (actor: Actor) { return this.#run(ctx => askLift(ctx, actor)) }
  /** `lift on|off`: whether the member is willing to open channels to newcomers. */
  setWillingToLift (actor: Actor, willing: boolean) { return this.#run(ctx => setWillingToLift(ctx, actor, willing)) }
  cancel (actor: Actor, id: string) { return this.#run(ctx => cancelRequest(ctx, actor, id)) }
  decide (actor: Actor, id: string | 'all', decision: Decision) { return this.#run(ctx => decideDirective(ctx, actor, id, decision)) }
  /** Sets the member's language for replies and announcements. */
  setLanguage (actor: Actor, lang: string) {
    return this.#run(ctx => {
      const m = findMemberByActor(ctx.state, actor)
      if (m === undefined) return err('NOT_A_MEMBER', { group: ctx.state.group })
      m.lang = lang
      ctx.effects.audit.push({ at: ctx.now, event: 'language_set', data: { member: m.id, lang } })
      return ok(m)
    })
  }

  /** Resolves once every use case queued so far (and a scheduled tick under way) has been stored and announced. */
  async whenIdle (): Promise<void> {
    await this.#scheduler?.idle()
    for (;;) {
      while (this.#pumping !== null) await this.#pumping
      // and the history appends the use cases left under way
      const history = this.#historyChain
      await history
      if (this.#pumping === null && history === this.#historyChain) return
    }
  }

  // ---- governance ---------------------------------------------------------------------------

  /** `vote fee BASE RATE`: the member's fee vote (see `castFeeVote`). */
  voteFee (actor: Actor, choice: FeeChoice) { return this.#run(ctx => castFeeVote(ctx, actor, choice)) }
  /** `ban @member reason [now]`: an admin proposes a ban, or bans outright where the rules allow. */
  ban (actor: Actor, ref: string, reason: string, outright = false) { return this.#run(ctx => proposeBan(ctx, actor, ref, reason, outright)) }
  /** A member's yes / no on a ban vote. */
  voteBan (actor: Actor, proposal: string, choice: BanChoice) { return this.#run(ctx => castBanVote(ctx, actor, proposal, choice)) }
  /** `unban @member`. */
  unban (actor: Actor, ref: string) { return this.#run(ctx => unbanMember(ctx, actor, ref)) }
  /** `downtime 2h`: planned downtime (see `liveness/request_downtime.ts`). */
  downtime (actor: Actor, durationMs: number) { return this.#run(ctx => requestDowntime(ctx, actor, durationMs, this.#rebalanceChecked)) }
  /** `downtime cancel`. */
  cancelDowntime (actor: Actor) { return this.#run(ctx => cancelDowntime(ctx, actor)) }
  /** `downtime extend 1h`. */
  extendDowntime (actor: Actor, byMs: number) { return this.#run(ctx => extendDowntime(ctx, actor, byMs)) }
  /** Moves planned downtime along (the scheduler runs it every minute; callable on its own). */
  watchDowntimes () { return this.#run(ctx => ok(watchDowntimes(ctx))) }
  /** Planned downtime that does not count against `member`'s rating (granted by the downtime flow). */
  excuse (member: string, from: number, to: number, reason: string) { return this.#run(ctx => excuseDowntime(ctx, member, from, to, reason)) }

  /** Proposals still open, oldest first. */
  openProposals (): Proposal[] {
    return Object.values(this.state.governance.proposals).filter(p => p.status === 'open').sort((a, b) => a.openedAt - b.openedAt)
  }

  /** Each active member's stake now (sats in open Storm channels they funded). */
  stakes (): Record<string, number> {
    return stakes({ state: this.state, observations: this.observations })
  }

  /** A member's rolling 7-day uptime rating with the samples behind it. */
  uptimeOf (member: string): Rating {
    return this.#uptime.rating(member, this.#opts.clock.now())
  }

  async #sampleUptime (): Promise<void> {
    const r = await this.#run(ctx => ok(sampleUptime(ctx, this.#uptime, this.#startedAt)))
    if (r.ok && r.value.store) {
      this.#uptime.prune(this.#opts.clock.now())
      await this.#opts.uptimeStore?.save(this.#uptime.doc)
    }
  }

  /** Stores the uptime buckets now (on shutdown: the hour under way is kept). */
  async saveUptime (): Promise<void> {
    await this.#opts.uptimeStore?.save(this.#uptime.doc)
  }

  getInfo (actor: Actor): GetInfo {
    return getInfo({ state: this.state, now: this.#opts.clock.now(), observations: this.observations }, actor)
  }

  memberOf (actor: Actor): Member | undefined {
    return findMemberByActor(this.state, actor)
  }

  /** Directives of one member (all members when absent), newest first. */
  directives (member?: string): DirectiveRecord[] {
    return Object.values(this.state.directives)
      .filter(r => member === undefined || r.target === member)
      .sort((a, b) => b.directive.createdAt - a.directive.createdAt)
  }

  /** The dashboard, when one runs, says how it makes login links (`null` when it stops). */
  setDashboardLinks (make: DashboardLinks | null): void {
    this.#dashboardLinks = make
  }

  /**
   * A one-time, expiring link to the dashboard's member-only view, for the chat to send the member
   * in a direct message. Errors: those of `requireMember` (`NOT_A_MEMBER`, `MEMBERSHIP_PENDING`,
   * `BANNED`, `LEFT`), `DASHBOARD_OFF` when no dashboard runs.
   */
  dashboardLink (actor: Actor): Result<{ url: string, expiresAt: number }> {
    const m = requireMember(this.state, actor)
    if (!m.ok) return m
    if (this.#dashboardLinks === null) return err('DASHBOARD_OFF')
    return ok(this.#dashboardLinks(m.value))
  }

  // ---- the link ---------------------------------------------------------------------------

  /** The link's handshake firewall: paired agents of current members, and live pairing keys. */
  admit (agentKey: string): 'member' | 'pairing' | null {
    if (this.#state === null) return null
    const m = findMemberByAgent(this.#state, agentKey)
    if (m !== undefined) return m.status === 'active' || m.status === 'leaving' ? 'member' : null
    return livePairing({ state: this.#state, now: this.#opts.clock.now() }, agentKey) === undefined ? null : 'pairing'
  }

  async onConnected (agentKey: string, kind: 'member' | 'pairing'): Promise<void> {
    if (kind === 'pairing') {
      await this.#run(ctx => challengePairing(ctx, agentKey, randomBytes(32).toString('hex')))
    }
  }

  async onDisconnected (agentKey: string): Promise<void> {
    const m = this.#state === null ? undefined : findMemberByAgent(this.#state, agentKey)
    if (m === undefined) return
    this.observations.disconnected(observationKey(m, agentKey), this.#opts.clock.now())
    // a member preparing for downtime who goes now left early (its first node: the one its requests run on)
    if (agentKey === m.agentKey && Object.values(this.state.downtimes).some(d => d.member === m.id)) await this.watchDowntimes()
    // a member whose exit is under way and who goes now leaves early: recorded and announced
    if (agentKey === m.agentKey && (m.status === 'leaving' || allocationsOf(this.state, m.id).some(a => a.kind === 'remove' && (a.status === 'pending' || a.status === 'funding')))) {
      await this.#run(ctx => { agentWentAway(ctx, m); return ok(undefined) }, 'agents')
    }
  }

  /**
   * A verified message from an agent (or from a pairing connection). With its `envelope`, the
   * messages that move a directive are kept in the history as the agent signed them.
   */
  async onMessage (agentKey: string, msg: Message, kind: 'member' | 'pairing', envelope?: Envelope): Promise<void> {
    if (kind === 'pairing') {
      if (msg.type === 'pair_request') {
        await this.#run(ctx => completePairing(ctx, agentKey, msg.body, this.#opts.verifySignature, this.#opts.managerKey))
      } else {
        this.#opts.link.send(agentKey, 'error', { code: 'NOT_ALLOWED', ref: msg.id, detail: 'pair first' })
      }
      return
    }
    let kept: Promise<void> | undefined
    const applied = this.#run(ctx => {
      const member = findMemberByAgent(ctx.state, agentKey)
      if (member === undefined) return err('NOT_A_MEMBER', { group: ctx.state.group })
      const r = this.#dispatch(ctx, member, agentKey, msg)
      if (envelope !== undefined && SIGNED_MESSAGES_KEPT.has(msg.type)) {
        // quoted as the agent signed it, so its member can check it (history_entry.ts)
        ctx.effects.audit.push({ at: ctx.now, event: 'agent_message', data: { member: member.id, type: msg.type, envelope: quoteEnvelope(envelope) } })
      }
      if (msg.type === 'report' && this.#opts.reports !== undefined) {
        // queued here, in the order reports are applied; written with the others of this turn
        kept = this.#opts.reports.keep({
          key: observationKey(member, agentKey), member: member.id, agentKey, receivedAt: ctx.now, report: msg.body,
          ...(envelope === undefined ? {} : { envelope: quoteEnvelope(envelope) })
        })
      }
      return r
    }, 'agents')
    try {
      await applied
    } catch (e) {
      kept?.catch(() => {})
      throw e
    }
    // a report is taken once it is on disk (outside the queue: the next use case need not wait)
    if (kept !== undefined) await kept
  }

  #dispatch (ctx: Ctx, member: Member, agentKey: string, msg: Message): Result<unknown> {
    switch (msg.type) {
      case 'hello': {
        const r = agentHello(ctx, member, agentKey, msg.body)
        if (!r.ok) {
          ctx.effects.send.push({ agentKey, type: 'error', body: { code: 'NOT_ALLOWED', ref: msg.id, detail: r.error.code } })
          ctx.effects.drop.push(agentKey)
        }
        return r
      }
      case 'report': agentReport(ctx, member, agentKey, msg.body); return ok(undefined)
      case 'heartbeat': agentHeartbeat(ctx, member, agentKey, msg.body); return ok(undefined)
      case 'directive_status': directiveProgress(ctx, member, agentKey, msg.body); return ok(undefined)
      case 'result':
        directiveResult(ctx, member, agentKey, msg.body)
        // the last rebalance of a downtime's preparation grants its window at once
        watchDowntimes(ctx)
        return ok(undefined)
      case 'vote': {
        const r = castFeeVote(ctx, { kind: 'agent', agentKey }, msg.body)
        ctx.effects.send.push(r.ok
          ? { agentKey, type: 'vote_result', body: { vote: msg.id, ok: true, stake: r.value.stake, unchanged: r.value.unchanged, ...r.value.tally } }
          : { agentKey, type: 'vote_result', body: { vote: msg.id, ok: false, error: { code: r.error.code, params: r.error.params } } })
        return r
      }
      case 'command': {
        const id = msg.id
        const command: AgentCommand = {
          member,
          body: msg.body,
          reply: (body) => { this.#opts.link.send(agentKey, 'command_reply', { ...body, command: id }) }
        }
        // a listener that throws or rejects is logged; it can't fail this use case or the process
        for (const listener of this.listeners('agent_command')) {
          this.#guarded('agent_command_failed', { member: member.id }, () => listener.call(this, command))
        }
        return ok(undefined)
      }
      default:
        ctx.effects.send.push({ agentKey, type: 'error', body: { code: 'NOT_ALLOWED', ref: msg.id, detail: `${msg.type} is not for the manager` } })
        return ok(undefined)
    }
  }

  // ---- the unit of work ---------------------------------------------------------------------

  /**
   * Runs a use case alone: no other use case sees its state half-changed. `lane`: `'agents'` for
   * what agents send, which waits behind what members ask (see `#lanes`).
   */
  #run<T> (useCase: (ctx: Ctx) => Result<T>, lane: 'member' | 'agents' = 'member'): Promise<Result<T>> {
    return new Promise<Result<T>>((resolve, reject) => {
      this.#lanes[lane].push(() => this.#apply(useCase).then(resolve, reject))
      // started on a later tick, as the promise chain it replaces did: a use case never runs
      // inside the call that queued it (nor inside a listener of the one before)
      this.#pumping ??= Promise.resolve().then(() => this.#pump())
    })
  }

  async #pump (): Promise<void> {
    try {
      for (let next = this.#take(); next !== undefined; next = this.#take()) await next()
    } finally {
      this.#pumping = null
    }
  }

  #take (): (() => Promise<void>) | undefined {
    return this.#lanes.member.shift() ?? this.#lanes.agents.shift()
  }

  /**
   * Applies a use case, stores the state, appends the audit entries, then sends and announces —
   * in that order, so nothing leaves the manager that a crash could forget. When the store holds
   * the entries with the state (the history outbox), the append comes after the sends instead,
   * and the next use case does not wait for it (appends are chained, `#appendHistory`).
   *
   * Every use case that changed something is stored before the next one runs: the store writes
   * only the records it changed (`SqliteStateStore`), so a report that moves one channel to
   * `open` costs that allocation's row, not the Storm. (Saves used to be grouped across bursts
   * of reports, because each one wrote the whole document.)
   */
  async #apply<T> (useCase: (ctx: Ctx) => Result<T>): Promise<Result<T>> {
    const link = this.#opts.link
    const ctx: Ctx = {
      state: this.state,
      now: this.#opts.clock.now(),
      rules: this.rules,
      observations: this.observations,
      random: this.#opts.random ?? CRYPTO_RANDOM,
      effects: emptyEffects(),
      isConnected: (key) => link.isConnected(key),
      isStormNode: (key) => this.#nodes.has(this.state, key),
      stormRosterDigest: () => this.#nodes.rosterDigest(this.state),
      ...(this.#memberWrites === null ? {} : { membersVersion: () => this.#memberWrites! })
    }
    let result: Result<T>
    try {
      result = useCase(ctx)
    } catch (e) {
      // a bug, perhaps halfway through a change: forget it and go back to what is stored
      this.#state = await this.#opts.store.load()
      throw e
    }
    const { effects } = ctx
    if (effects.audit.length > 0) {
      // who each entry concerns, while the state that says so is at hand (the history is per member)
      for (const e of effects.audit) e.members ??= concernedMembers(e, ctx.state)
      try {
        await this.#opts.store.save(ctx.state, effects.audit)
      } catch (e) {
        // what is in memory can no longer be trusted: reload what was stored, then fail loudly
        this.#state = await this.#opts.store.load()
        throw e
      }
      crashPoint('manager_stored', effects.audit.map(e => e.event))
      if (this.#opts.audit.storedWithState !== true) {
        await this.#opts.audit.append(effects.audit)
        crashPoint('manager_history', effects.audit.map(e => e.event))
      }
    }
    // what is stored is done: a failure from here on is logged, never reported as the use case's
    for (const m of effects.send) this.#guarded('send_failed', { agent: m.agentKey.slice(0, 16), type: m.type }, () => link.send(m.agentKey, m.type, m.body as never))
    for (const key of effects.drop) this.#guarded('drop_failed', { agent: key.slice(0, 16) }, () => { link.drop(key) })
    for (const e of effects.events) this.#announce(e)
    // the entries are in the store's outbox, as durable as the state: the history's own write
    // follows the sends, and the next use case does not wait for it (`whenIdle` does)
    if (effects.audit.length > 0 && this.#opts.audit.storedWithState === true) this.#appendHistory(effects.audit)
    return result
  }

  /**
   * Appends to the history (with the store's outbox) behind the append under way, if any; entries
   * that come while one is queued go with it. One that fails stays in the outbox for the next
   * append or restart.
   */
  #appendHistory (entries: readonly AuditEntry[]): void {
    this.#historyWaiting.push(...entries)
    if (this.#historyQueued !== null) return
    const run = this.#historyChain.then(async () => {
      this.#historyQueued = null
      const batch = this.#historyWaiting
      this.#historyWaiting = []
      try {
        await this.#opts.audit.append(batch)
        crashPoint('manager_history', batch.map(e => e.event))
      } catch (e) {
        this.#log('history_append_failed', { events: batch.map(a => a.event).join(','), error: errorText(e) })
      }
    })
    this.#historyQueued = run
    this.#historyChain = run
  }

  /**
   * Tells every `event` listener, each on its own: one that throws (or rejects) is logged and the
   * others are still told. `emit` would stop at the first throw and hand it to the use case, which
   * would then report a stored, done command as failed.
   */
  #announce (e: StormEvent): void {
    for (const listener of this.listeners('event')) {
      this.#guarded('announce_failed', { event: e.type }, () => listener.call(this, e))
    }
  }

  #guarded (event: string, data: Record<string, unknown>, fn: () => unknown): void {
    try {
      const r = fn()
      if (r instanceof Promise) r.catch((err: unknown) => { this.#log(event, { ...data, error: errorText(err) }) })
    } catch (err) {
      this.#log(event, { ...data, error: errorText(err) })
    }
  }

  #log (event: string, data: Record<string, unknown>): void {
    try {
      this.#opts.log?.(event, data)
    } catch {
      // a logger that fails must not fail the manager
    }
  }
}

/** Makes a one-time login link to the dashboard for a member. */
export type DashboardLinks = (member: Member) => { url: string, expiresAt: number }

/** A new Storm's state, for `JsonFileStore`'s `create`. */
export function freshState (rules: StormRules, now: number): State {
  return emptyState(rules.group, now, { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm })
}
