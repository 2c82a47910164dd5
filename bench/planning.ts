/**
 * Planning time: the planner alone (`planAllocation`) on the candidates `addFunds` builds from a
 * realistic state, against random placement of the same sizes on the same input; and the whole
 * `StormManager.addFunds` path in memory, with each way of keeping the state.
 */
import { planAllocation, type AllocationPlanInput, type PlannedChannel } from '../src/manager/planning/plan_allocation.ts'
import { placementPicture } from '../src/manager/use_cases/placement_picture.ts'
import { Observations } from '../src/manager/observations.ts'
import { emptyEffects, type Ctx } from '../src/manager/context.ts'
import { defaultRules } from '../src/manager/rules.ts'
import { createPrng, type Prng } from '../src/simnet/index.ts'
import { duration, durationSpread, times } from './lib/format.ts'
import { compareBatches } from './lib/measure.ts'
import { pairedRatio, ratio, summarize, type Summary } from './lib/stats.ts'
import type { Bench, Table } from './lib/types.ts'
import { channelCount, splitEqually } from './liquidity/placement.ts'
import { benchManager, type StoreKind } from './support/bench_manager.ts'
import { syntheticStorm, type SyntheticStorm } from './support/synthetic_storm.ts'
import { reconcileGraph } from '../src/manager/planning/storm_graph.ts'
import { planRebalancing } from '../src/manager/planning/plan_rebalancing.ts'

export interface PlanningConfig {
  sizes: number[]
  channelsPerMember: number
  /** Sats each timed `addfunds` asks for. */
  amount: number
  /** Batches of planner and random placement, interleaved. */
  samples: number
  minBatchMs: number
  /** Timed `addFunds` calls per store kind (each by a different member), after `warmupCalls`. */
  addFundsCalls: number
  warmupCalls: number
  stores: StoreKind[]
  /**
   * Storm channels per member (channels counted at both ends) of the Storm the timed `addFunds`
   * runs on; `channelsPerMember` when absent. 20 makes 30,000 channels at 3,000 members.
   */
  addFundsChannelsPerMember?: number
  /** Storm channels per member for the rebalancing round (20 at 3,000 members: 30,000 channels). */
  rebalanceChannelsPerMember: number
  /** Timed rebalancing rounds per size. */
  rebalanceRounds: number
}

/** One rebalancing round's time at one size. */
export interface RebalanceRoundSize {
  members: number
  channels: number
  /** Reconciling the graph from every member's report, ms. */
  graph: Summary
  /** Planning the round (planRebalancing), ms. */
  plan: Summary
  /** Process CPU time of reconciling and planning, ms (wall time includes waiting for a core). */
  cpu: Summary
  /** Channels outside their zone, and the payments one round plans. */
  imbalanced: number
  payments: number
}

export interface PlanningSize {
  members: number
  channels: number
  /** Time per plan, ms. */
  planner: Summary
  random: Summary
  /** planner ÷ random, paired batches. */
  plannerVsRandom: Summary
  /** Candidate list and graph from the reports (placementPicture) plus the plan, ms, on the addFunds Storm. */
  withCandidates: { channels: number, time: Summary }
  /** Time per `addFunds` call, ms, by store kind. */
  addFunds: Partial<Record<StoreKind, Summary>>
  /** addFunds median ÷ random placement median, by store kind. */
  addFundsVsRandom: Partial<Record<StoreKind, number>>
}

export interface PlanningFigures {
  sizes: PlanningSize[]
  rebalancing: RebalanceRoundSize[]
}

const STORE_LABEL: Record<StoreKind, string> = {
  reference: 'addFunds, state kept by reference (no save cost)',
  copy: 'addFunds, MemoryStore (deep copy per save)',
  file: 'addFunds, JsonFileStore (whole file per save, before)',
  sqlite: 'addFunds, SqliteStateStore (changed rows, fsynced)'
}

export const PLANNING: Bench<PlanningConfig, PlanningFigures> = {
  name: 'planning',
  title: 'Planning: time to plan an allocation',
  presets: {
    tiny: { sizes: [12, 24], channelsPerMember: 2, amount: 400_000, samples: 3, minBatchMs: 1, addFundsCalls: 3, warmupCalls: 1, stores: ['reference', 'copy', 'sqlite'], rebalanceChannelsPerMember: 4, rebalanceRounds: 2 },
    default: { sizes: [50, 500, 3000], channelsPerMember: 8, amount: 400_000, samples: 9, minBatchMs: 20, addFundsCalls: 25, warmupCalls: 5, stores: ['reference', 'copy', 'file', 'sqlite'], addFundsChannelsPerMember: 20, rebalanceChannelsPerMember: 20, rebalanceRounds: 5 },
    // each store kind builds its manager again (10,000 members of reports, then a whole-file save per call): two kinds at full size
    full: { sizes: [50, 500, 3000, 10_000], channelsPerMember: 8, amount: 400_000, samples: 15, minBatchMs: 30, addFundsCalls: 31, warmupCalls: 5, stores: ['reference', 'file', 'sqlite'], addFundsChannelsPerMember: 20, rebalanceChannelsPerMember: 20, rebalanceRounds: 5 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const sizes: PlanningSize[] = []
    const rebalancing: RebalanceRoundSize[] = []
    for (const members of config.sizes) {
      progress(`planning: ${members} members`)
      sizes.push(await measureSize(members, config))
      progress(`planning: a rebalancing round at ${members} members`)
      rebalancing.push(rebalanceRound(members, config))
    }
    return {
      name: 'planning',
      title: PLANNING.title,
      config,
      figures: { sizes, rebalancing },
      tables: [...tables(sizes, config), rebalanceTable(rebalancing, config)],
      notes: [
        `State: members paired to nodes, ~${config.channelsPerMember} Storm channels each, one finished allocation per funded member (80%) with its directives, a report per member; each plan is for ${config.amount.toLocaleString('en-US')} sats.`,
        'Planner and random placement run on the same input (the candidates peerCandidates builds), in alternating batches; random placement keeps the planner\'s sizes and invariants and only draws peers at random.',
        'addFunds is the whole use case through StormManager: checks, candidates, plan, allocation and directives, save, audit; one call per member, each timed alone.' +
          (config.addFundsChannelsPerMember === undefined ? '' : ` Its Storm has ~${config.addFundsChannelsPerMember} Storm channels per member (${(config.addFundsChannelsPerMember / 2).toLocaleString('en-US')}× the members in channels).`),
        `Rebalancing round: the synthetic Storm with ~${config.rebalanceChannelsPerMember} channels per member and its balances (drawn per channel), reconciled from every member's report (reconcileGraph), then planRebalancing with the default rules and no recent history; ${config.rebalanceRounds} rounds per size, each on the same input.`
      ],
      seconds: Number(process.hrtime.bigint() - start) / 1e9
    }
  }
}

async function measureSize (members: number, config: PlanningConfig): Promise<PlanningSize> {
  const rules = defaultRules()
  const syn = syntheticStorm({ members, channelsPerMember: config.channelsPerMember })
  const observations = new Observations()
  syn.members.forEach((m, i) => observations.reported(m.id, syn.reportOf(i), syn.now))
  const ctx: Ctx = { state: syn.state, now: syn.now, rules, observations, random: () => 0, effects: emptyEffects(), isConnected: () => false }
  const { candidates, channels } = placementPicture(ctx)
  // plans for several funded members in turn, so no single input is all the JIT sees
  const inputs: AllocationPlanInput[] = syn.members.filter(m => m.funded).slice(0, 16).map(m => ({
    member: m.id,
    amount: config.amount,
    candidates,
    channels,
    existingPeers: new Set(observations.get(m.id).report?.channels.map(c => c.peer) ?? []),
    minChannelSize: rules.minChannelSize,
    maxChannelSize: rules.maxChannelSize,
    maxChannels: rules.maxChannelsPerAllocation
  }))
  const rng = createPrng('storm-bench-planning')
  let k = 0
  let sink = 0
  const compared = await compareBatches(
    (count) => { for (let i = 0; i < count; i++) sink += planOk(planAllocation(inputs[k++ % inputs.length]!)) },
    (count) => { for (let i = 0; i < count; i++) sink += randomPlan(inputs[k++ % inputs.length]!, rng).length },
    { samples: config.samples, minBatchMs: config.minBatchMs }
  )
  if (sink === 0) throw new Error('planning: no plan was made')
  const random = summarize(compared.baseline)
  const withCandidates = timePictureAndPlan(members, config)
  const addFunds: PlanningSize['addFunds'] = {}
  const addFundsVsRandom: PlanningSize['addFundsVsRandom'] = {}
  for (const kind of config.stores) {
    const s = await timeAddFunds(members, config, kind)
    addFunds[kind] = s
    addFundsVsRandom[kind] = ratio(s.median, random.median)
  }
  return {
    members,
    channels: syn.channels.length,
    planner: summarize(compared.subject),
    random,
    plannerVsRandom: pairedRatio(compared.subject, compared.baseline),
    withCandidates,
    addFunds,
    addFundsVsRandom
  }
}

/**
 * Times what placement costs one `addfunds` before any saving: the candidate list and the Storm
 * graph from every member's report (`placementPicture`: what it kept, brought up to date with the
 * report that arrived since the last request), then the plan; each call alone, for one funded
 * member after another, on the Storm `addFunds` is timed on.
 */
function timePictureAndPlan (members: number, config: PlanningConfig): { channels: number, time: Summary } {
  const rules = defaultRules()
  const syn = syntheticStorm({ members, channelsPerMember: config.addFundsChannelsPerMember ?? config.channelsPerMember })
  const observations = new Observations()
  syn.members.forEach((m, i) => observations.reported(m.id, syn.reportOf(i), syn.now))
  const ctx: Ctx = { state: syn.state, now: syn.now, rules, observations, random: () => 0, effects: emptyEffects(), isConnected: () => false }
  const funded = syn.members.filter(m => m.funded)
  const samples: number[] = []
  const calls = config.warmupCalls + config.addFundsCalls
  for (let c = 0; c < calls; c++) {
    const m = funded[c % funded.length]!
    // as in a running Storm (every member reports each minute): a report arrives between two
    // requests, with balances moved, so what the manager keeps is brought up to date each time
    const who = (c * 7919) % syn.members.length
    const report = syn.reportOf(who)
    observations.reported(syn.members[who]!.id, { ...report, channels: report.channels.map(ch => ({ ...ch, localBalance: ch.remoteBalance, remoteBalance: ch.localBalance })) }, syn.now)
    const t0 = process.hrtime.bigint()
    const { candidates, channels, columns } = placementPicture(ctx)
    const plan = planAllocation({
      member: m.id,
      amount: config.amount,
      candidates,
      channels,
      columns,
      existingPeers: new Set(observations.get(m.id).report?.channels.map(ch => ch.peer) ?? []),
      minChannelSize: rules.minChannelSize,
      maxChannelSize: rules.maxChannelSize,
      maxChannels: rules.maxChannelsPerAllocation,
      minRating: rules.governance.ratingWarn
    })
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    planOk(plan)
    if (c >= config.warmupCalls) samples.push(ms)
  }
  return { channels: syn.channels.length, time: summarize(samples) }
}

/** Times `addFunds` by one funded member after another on a fresh manager; each call alone. */
async function timeAddFunds (members: number, config: PlanningConfig, kind: StoreKind): Promise<Summary> {
  // the Storm addFunds is timed on: ~10 Storm channels per member at default size (30,000 at 3,000)
  const syn: SyntheticStorm = syntheticStorm({ members, channelsPerMember: config.addFundsChannelsPerMember ?? config.channelsPerMember })
  const bm = await benchManager(syn.state, syn.now, kind)
  try {
    await Promise.all(syn.members.map((m, i) => bm.manager.onMessage(m.agentKey, { type: 'report', id: `r${i}`, from: m.agentKey, body: syn.reportOf(i) }, 'member')))
    const funded = syn.members.map((m, i) => ({ m, i })).filter(x => x.m.funded)
    const calls = config.warmupCalls + config.addFundsCalls
    if (funded.length < calls) throw new Error(`planning: ${calls} addFunds calls need as many funded members (have ${funded.length})`)
    const samples: number[] = []
    for (let c = 0; c < calls; c++) {
      const { i } = funded[c]!
      const actor = { kind: 'chat' as const, platform: 'telegram', userId: String(100_000_000 + i), name: `@member${i}`, isAdmin: false }
      const t0 = process.hrtime.bigint()
      const r = await bm.manager.addFunds(actor, config.amount)
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      if (!r.ok) throw new Error(`planning: addFunds failed with ${r.error.code}`)
      if (c >= config.warmupCalls) samples.push(ms)
    }
    return summarize(samples)
  } finally {
    await bm.close()
  }
}

/** Random placement on the planner's input: same eligibility, sizes and split; peers at random. */
export function randomPlan (input: AllocationPlanInput, rng: Prng): PlannedChannel[] {
  const seen = new Set<string>()
  const eligible = input.candidates.filter(c => c.member !== input.member && !input.existingPeers.has(c.nodeKey) && !seen.has(c.nodeKey) && seen.add(c.nodeKey))
  const n = channelCount(input.amount, eligible.length, { minChannelSize: input.minChannelSize, maxChannelSize: input.maxChannelSize, maxChannelsPerAllocation: input.maxChannels })
  if (n === null) return []
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(eligible.length - i)
    const t = eligible[i]!
    eligible[i] = eligible[j]!
    eligible[j] = t
  }
  return splitEqually(input.amount, eligible.slice(0, n).map((_, i) => i)).map(({ peer, capacity }) => {
    const c = eligible[peer]!
    return { peer: c.nodeKey, peerMember: c.member, capacity }
  })
}

function planOk (r: ReturnType<typeof planAllocation>): number {
  if (!r.ok) throw new Error(`planning: the planner refused (${r.error.code})`)
  return r.value.length
}

function tables (sizes: PlanningSize[], config: PlanningConfig): Table[] {
  const rows: string[][] = []
  for (const s of sizes) {
    rows.push([String(s.members), 'planAllocation (Storm planner)', durationSpread(s.planner), times(s.plannerVsRandom)])
    rows.push([String(s.members), 'random placement (baseline)', durationSpread(s.random), '×1'])
    rows.push([String(s.members), `candidate list + graph from the reports (one new since the last request) + plan (${s.withCandidates.channels.toLocaleString('en-US')} channels)`, `${durationSpread(s.withCandidates.time)}, p95 ${duration(s.withCandidates.time.p95)}`, times(ratio(s.withCandidates.time.median, s.random.median))])
    for (const kind of config.stores) {
      const a = s.addFunds[kind]
      if (a !== undefined) rows.push([String(s.members), STORE_LABEL[kind], `${durationSpread(a)}, p95 ${duration(a.p95)}`, times(s.addFundsVsRandom[kind]!)])
    }
  }
  return [{
    title: 'Planning time per allocation — median (min–max)',
    columns: ['members', 'what', 'time per plan', 'vs random placement'],
    rows,
    notes: ['ratios are time ÷ random placement\'s time on the same input (planner: paired batches; addFunds: medians)', 'target (issue 9): placement for one addfunds ≤ 10 ms at 3,000 members / 30,000 channels, candidate list included (the store\'s share is the trust issue\'s)']
  }]
}

/** Times reconciling the graph and planning a rebalancing round on a synthetic Storm of `members`. */
function rebalanceRound (members: number, config: PlanningConfig): RebalanceRoundSize {
  const rules = defaultRules()
  const syn = syntheticStorm({ members, channelsPerMember: config.rebalanceChannelsPerMember })
  const reports = syn.members.map((m, i) => ({ member: m.id, key: m.nodeKey, report: syn.reportOf(i), receivedAt: syn.now }))
  const graphMs: number[] = []
  const planMs: number[] = []
  const cpuMs: number[] = []
  let imbalanced = 0
  let payments = 0
  for (let r = 0; r < config.rebalanceRounds; r++) {
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    const graph = reconcileGraph(reports, syn.state.consensus)
    const t1 = process.hrtime.bigint()
    const plan = planRebalancing({ graph, rules: rules.rebalancing, now: syn.now, history: [] })
    const t2 = process.hrtime.bigint()
    const cpu = process.cpuUsage(c0)
    cpuMs.push((cpu.user + cpu.system) / 1000)
    graphMs.push(Number(t1 - t0) / 1e6)
    planMs.push(Number(t2 - t1) / 1e6)
    imbalanced = plan.imbalancedBefore
    payments = plan.payments.length
  }
  return { members, channels: syn.channels.length, graph: summarize(graphMs), plan: summarize(planMs), cpu: summarize(cpuMs), imbalanced, payments }
}

function rebalanceTable (sizes: RebalanceRoundSize[], config: PlanningConfig): Table {
  return {
    title: `Rebalancing round (~${config.rebalanceChannelsPerMember} channels per member) — median (min–max) of ${config.rebalanceRounds} rounds`,
    columns: ['members', 'channels', 'out of zone', 'payments planned', 'reconcile graph', 'plan round', 'total (medians)', 'CPU, both'],
    rows: sizes.map(s => [String(s.members), s.channels.toLocaleString('en-US'), s.imbalanced.toLocaleString('en-US'), s.payments.toLocaleString('en-US'),
      durationSpread(s.graph), durationSpread(s.plan), duration(s.graph.median + s.plan.median), durationSpread(s.cpu)]),
    notes: ['target (issue 9): one rebalancing round planned in ≤ 1 s at 3,000 members / 30,000 channels']
  }
}
