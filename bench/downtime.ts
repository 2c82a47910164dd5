/**
 * `npm run bench -- downtime`: what planned downtime buys the OTHER members. A Storm on the
 * simulated network where one member (the hub: a channel to everyone, the cheap path between
 * them) goes down for a window. The same seeded workload — payments between the other members
 * only; each member pays about as much as it is paid, some far more often than others — runs
 * before, during and after the window, in four arms built from the same seed:
 *
 * - `hub stays up`: no downtime (the reference for what the workload gets), usual rebalancing;
 * - `unplanned, no rebalancing`: the hub just goes off for the window; nothing is done;
 * - `unplanned, usual rebalancing`: the hub goes off unannounced; the Storm's usual rounds go on
 *   (its channels, reported inactive by its peers, are blocked by the planner);
 * - `Storm downtime`: the flow of `liveness/`: for `prepareTimeoutMs` before the window, rounds
 *   on the graph *without* the hub (as `planRebalancingRound` leaves out a member on downtime),
 *   then the hub goes off and rounds go on without it through the window.
 *
 * Rounds are the manager's planner (`planRebalancing`) on the reports the members would send,
 * every `refreshRate`, each payment made at once by its payer's node within Tightrope's limits.
 * Payments are the simulated network's own (the sender's pathfinding, retries around failures;
 * an offline node's channels carry nothing, and senders know it at once). Nobody rebalances
 * during the `before` phase or the `after` phase, so `before` is the same in every arm and
 * `after` shows what each arm left behind. Success = payments that arrived ÷ payments tried.
 */
import type { Bench, Table } from './lib/types.ts'
import { summarize, type Summary } from './lib/stats.ts'
import { percent, percentSpread, sig, count } from './lib/format.ts'
import { SimNetwork, createPrng, simReport, type Prng } from '../src/simnet/index.ts'
import { defaultRules, type StormRules } from '../src/manager/rules.ts'
import { reconcileGraph } from '../src/manager/planning/storm_graph.ts'
import { planRebalancing, type RebalanceAttempt } from '../src/manager/planning/plan_rebalancing.ts'

export interface DowntimeConfig {
  seeds: number[]
  /** Members, the hub included. */
  members: number
  /** Channels each non-hub member opens to other non-hub members: a ring, then random chords (0: none, a star). */
  ringDegree: number
  capacity: number
  /** Payments per phase (before, during, after). */
  payments: number
  /** Payment sizes, sats. */
  minAmount: number
  maxAmount: number
  windowMs: number
}

const ARMS = ['hub stays up', 'unplanned, no rebalancing', 'unplanned, usual rebalancing', 'Storm downtime'] as const
type Arm = typeof ARMS[number]
const PHASES = ['before', 'during', 'after'] as const
type Phase = typeof PHASES[number]

export interface ArmRun {
  seed: number
  arm: Arm
  success: Record<Phase, number>
  /** Rebalancing payments the Storm made (prepare + window), their success and fees (sats). */
  rebalances: number
  rebalancesFailed: number
  rebalanceFees: number
}

export interface DowntimeFigures {
  runs: ArmRun[]
  summary: Array<{ arm: Arm } & Record<Phase, Summary>>
  /** Per seed: Storm's during-window success ÷ that of doing nothing (unplanned, no rebalancing). */
  duringRatio: Summary
  /** Per seed: Storm's during-window success ÷ that of an unplanned downtime with the usual rebalancing. */
  duringRatioUsual: Summary
}

const FROZEN_CLOCK = { now: () => 0, schedule: () => () => {} }

export const DOWNTIME: Bench<DowntimeConfig, DowntimeFigures> = {
  name: 'downtime',
  title: 'Planned downtime: payment success among the other members before / during / after, Storm vs doing nothing',
  presets: {
    tiny: { seeds: [1, 2], members: 6, ringDegree: 2, capacity: 1_000_000, payments: 40, minAmount: 20_000, maxAmount: 200_000, windowMs: 3_600_000 },
    default: { seeds: [1, 2, 3, 4, 5, 6, 7], members: 12, ringDegree: 2, capacity: 2_000_000, payments: 400, minAmount: 50_000, maxAmount: 500_000, windowMs: 2 * 3_600_000 },
    full: { seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], members: 40, ringDegree: 3, capacity: 2_000_000, payments: 2000, minAmount: 50_000, maxAmount: 500_000, windowMs: 2 * 3_600_000 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const rules = defaultRules()
    const runs: ArmRun[] = []
    for (const seed of config.seeds) {
      for (const arm of ARMS) {
        const r = runArm(seed, arm, config, rules)
        runs.push(r)
        progress(`downtime: seed ${seed}, ${arm}: ${PHASES.map(p => `${p} ${percent(r.success[p])}`).join(', ')}`)
        await new Promise(resolve => setImmediate(resolve))
      }
    }
    const summary = ARMS.map(arm => {
      const mine = runs.filter(r => r.arm === arm)
      return { arm, before: summarize(mine.map(r => r.success.before)), during: summarize(mine.map(r => r.success.during)), after: summarize(mine.map(r => r.success.after)) }
    })
    const duringRatio = summarize(config.seeds.map(seed => {
      const of = (arm: Arm) => runs.find(r => r.seed === seed && r.arm === arm)!.success.during
      return of('Storm downtime') / Math.max(of('unplanned, no rebalancing'), 1e-9)
    }))
    const duringRatioUsual = summarize(config.seeds.map(seed => {
      const of = (arm: Arm) => runs.find(r => r.seed === seed && r.arm === arm)!.success.during
      return of('Storm downtime') / Math.max(of('unplanned, usual rebalancing'), 1e-9)
    }))
    const figures: DowntimeFigures = { runs, summary, duringRatio, duringRatioUsual }
    return {
      name: 'downtime',
      title: DOWNTIME.title,
      config,
      figures,
      tables: tables(config, figures),
      notes: [
        `${config.members} members (member0 is the hub: a ${count(config.capacity)}-sat channel to each other member; each other member also opens ${config.ringDegree} to random others), channels half on each side at the start.`,
        `${config.payments} payments per phase between the other members, ${count(config.minAmount)}–${count(config.maxAmount)} sats, each member drawn with a squared-uniform weight, the same as sender and as receiver (it is paid about as much as it pays); the same payments in every arm of a seed.`,
        `${sig(rules.downtime.prepareTimeoutMs / 60_000)} min pass between "before" and the window (the Storm's prepareTimeoutMs) and the window lasts ${sig(config.windowMs / 3_600_000)} h; arms that rebalance run a round every refreshRate (${rules.rebalancing.baseSettings.refreshRate} s) over both, within the default Tightrope limits; nobody rebalances during "before" or "after".`,
        'The simulated senders know at once that the hub is offline (its channels are skipped by their pathfinding); real senders learn it from failed attempts and channel updates, which this bench does not model.'
      ],
      seconds: Number(process.hrtime.bigint() - start) / 1e9
    }
  }
}

function tables (config: DowntimeConfig, f: DowntimeFigures): Table[] {
  const n = config.seeds.length
  const storm = f.runs.filter(r => r.arm === 'Storm downtime')
  return [
    {
      title: `Payment success among the other members — median (min–max) over ${n} seeds`,
      columns: ['arm', 'before', 'during the window', 'after'],
      rows: f.summary.map(s => [s.arm, percentSpread(s.before), percentSpread(s.during), percentSpread(s.after)]),
      notes: ['Same payments in every arm of a seed; "during" is with the hub actually offline (its channels carry nothing) except in "hub stays up".']
    },
    {
      title: 'Storm vs doing nothing, during the window',
      columns: ['measure', 'median', 'min', 'max'],
      rows: [
        ['success ratio Storm ÷ doing nothing (per seed)', `×${sig(f.duringRatio.median)}`, `×${sig(f.duringRatio.min)}`, `×${sig(f.duringRatio.max)}`],
        ['success ratio Storm ÷ unplanned with usual rebalancing', `×${sig(f.duringRatioUsual.median)}`, `×${sig(f.duringRatioUsual.min)}`, `×${sig(f.duringRatioUsual.max)}`],
        ['rebalancing payments made by the Storm', ...spread(storm.map(r => r.rebalances))],
        ['of which failed', ...spread(storm.map(r => r.rebalancesFailed))],
        ['rebalancing fees paid, sats', ...spread(storm.map(r => r.rebalanceFees))]
      ]
    }
  ]
}

function spread (xs: number[]): string[] {
  const s = summarize(xs)
  return [sig(s.median), sig(s.min), sig(s.max)]
}

interface Payment { from: number, to: number, amount: number }

/** One arm of one seed: the Storm, the workload, and the hub's window. */
export function runArm (seed: number, arm: Arm, config: DowntimeConfig, rules: StormRules): ArmRun {
  const network = SimNetwork.create({
    seed: `downtime-bench:${seed}`,
    clock: FROZEN_CLOCK,
    recordForwards: false,
    defaultPolicy: { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm, cltvDelta: 80 }
  })
  const keys = Array.from({ length: config.members }, (_, i) => network.addNode(`member${i}`).publicKey)
  const rng = createPrng(`downtime-bench-storm:${seed}`)
  topology(network, keys, config, rng)
  // who mostly pays and who mostly gets paid is drawn once: the same members in every phase
  const send = skewed(config.members, rng)
  // each member is paid about as much as it pays (a circulating economy: trade goes round), so
  // channels drift in circles that rebalancing can undo, not towards members who only receive
  const weights = { send, recv: send }
  const [before, during, after] = PHASES.map(() => payments(config, weights, rng)) as [Payment[], Payment[], Payment[]]
  const hub = keys[0]!
  const run: ArmRun = { seed, arm, success: { before: 0, during: 0, after: 0 }, rebalances: 0, rebalancesFailed: 0, rebalanceFees: 0 }
  const history: RebalanceAttempt[] = []
  const fees = { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm }
  const s = rules.rebalancing.baseSettings
  const roundMs = s.refreshRate * 1000
  /**
   * One rebalancing round at `now`, paid at once by each payer's node: without the hub (the
   * Storm's downtime leaves it out), or with it (the usual round; an offline hub's channels are
   * reported inactive by its peers and the planner blocks them).
   */
  const round = (now: number, withHub: boolean): void => {
    const nodes = keys.map((key, i) => ({ member: `m${i}`, key, report: simReport(network, key, now) }))
    const graph = reconcileGraph(withHub ? nodes : nodes.slice(1), fees)
    const keep = now - Math.max(s.maxAmountPeriod, s.maxTransactionsPeriod) * 1000
    while (history.length > 0 && history[0]!.at <= keep) history.shift()
    const plan = planRebalancing({ graph, rules: rules.rebalancing, now, history })
    for (const p of plan.payments) {
      const res = network.payCircular(p.payer, { amount: p.amount, outgoingChannel: p.outgoingChannel, hops: p.hops, maxFee: p.maxFee }, 1)
      const senders = [p.payer, ...p.hops]
      history.push({ at: now, payer: p.payer, amount: p.amount, fee: res.ok ? res.fee : 0, sides: p.channels.map((channel, k) => ({ node: senders[k]!, channel })), outcome: res.ok ? 'succeeded' : 'failed' })
      run.rebalances++
      if (res.ok) run.rebalanceFees += res.feeMsat / 1000
      else run.rebalancesFailed++
    }
  }
  const pay = (list: Payment[]): number => list.filter(p => network.pay(keys[p.from]!, keys[p.to]!, p.amount).ok).length / list.length

  run.success.before = pay(before)
  // the time before the window (the Storm's preparation; the same time passes in every arm)
  const rebalancing = arm !== 'unplanned, no rebalancing'
  const withHub = arm !== 'Storm downtime'
  let now = 0
  if (rebalancing) for (let t = 0; t <= rules.downtime.prepareTimeoutMs; t += roundMs) round(now + t, withHub)
  now += rules.downtime.prepareTimeoutMs
  if (arm !== 'hub stays up') network.setOnline(hub, false)
  // the window: the payments spread over it, a round every refreshRate in the Storm's arm
  const slices = Math.max(1, Math.floor(config.windowMs / roundMs))
  let ok = 0
  for (let k = 0; k < slices; k++) {
    if (rebalancing) round(now + k * roundMs, withHub)
    const part = during.slice(Math.floor(k * during.length / slices), Math.floor((k + 1) * during.length / slices))
    ok += part.filter(p => network.pay(keys[p.from]!, keys[p.to]!, p.amount).ok).length
  }
  run.success.during = ok / during.length
  network.setOnline(hub, true)
  run.success.after = pay(after)
  network.stop()
  return run
}

/** The hub's channel to everyone, then `ringDegree` random channels per other member; all balanced. */
function topology (network: SimNetwork, keys: string[], config: DowntimeConfig, rng: Prng): void {
  const linked = new Set<string>()
  const link = (a: number, b: number): void => {
    const k = a < b ? `${a}:${b}` : `${b}:${a}`
    if (a === b || linked.has(k)) return
    linked.add(k)
    network.openChannelNow(keys[a]!, keys[b]!, config.capacity, config.capacity / 2)
  }
  for (let i = 1; i < keys.length; i++) link(0, i)
  for (let i = 1; i < keys.length && config.ringDegree > 0; i++) {
    // a ring first, so the others stay connected without the hub, then random chords (0: a star)
    link(i, i + 1 < keys.length ? i + 1 : 1)
    for (let d = 1; d < config.ringDegree; d++) link(i, 1 + rng.int(keys.length - 1))
  }
}

/** A weight per member, squared so a few dominate; the hub (0) never pays or gets paid. */
function skewed (n: number, rng: Prng): number[] {
  return Array.from({ length: n }, (_, i) => i === 0 ? 0 : rng.float() ** 2)
}

/** A phase's payments between non-hub members, senders and receivers by their weights. */
function payments (config: DowntimeConfig, { send, recv }: { send: number[], recv: number[] }, rng: Prng): Payment[] {
  const n = config.members
  const pick = (w: number[], not: number): number => {
    const total = w.reduce((s, x, i) => i === not ? s : s + x, 0)
    let r = rng.float() * total
    for (let i = 0; i < n; i++) {
      if (i === not) continue
      r -= w[i]!
      if (r <= 0) return i
    }
    return n - 1 === not ? n - 2 : n - 1
  }
  return Array.from({ length: config.payments }, () => {
    const from = pick(send, 0)
    let to = pick(recv, from)
    if (to === 0) to = from === 1 ? 2 : 1
    return { from, to, amount: config.minAmount + Math.floor(rng.float() * (config.maxAmount - config.minAmount)) }
  })
}
