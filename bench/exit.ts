/**
 * A member leaves, and a newcomer with no funds arrives, on the simulated network.
 *
 * Exit: a seeded Storm (a random spanning tree of member-funded channels plus extra random ones,
 * balanced halfway); the member whose departure would cut the most others off leaves. The same
 * seeded payment workload among the *remaining* members is run before, during and after:
 * - graceful (Storm's `planExit`): the reinforcement channels it plans are opened first (by their
 *   openers, all on the opener's side), the closes that cut nobody off go, and "during" is measured
 *   then, with the bridges still open; then the deferred closes go and the node goes offline;
 * - abrupt (close-all, the old behaviour): every channel the member funded closes at once
 *   ("during"), then the node goes offline ("after").
 * Per seed the two start from the same network and the same workload; min/median/max over seeds.
 *
 * Onboarding: a newcomer with no funds joins the same Storm. With onboarding, the channels
 * `planOnboarding` picks are opened to it (default budget); without, it has none. Then payments
 * from the members to it (receive success), and after that payments from it (send success).
 */
import { SimNetwork } from '../src/simnet/index.ts'
import { createPrng, type Prng } from '../src/simnet/prng.ts'
import { probePayments, successOf } from '../src/simnet/payment_probe.ts'
import { planExit, type ExitEdge, type Opener } from '../src/manager/planning/plan_exit.ts'
import { planOnboarding } from '../src/manager/planning/plan_onboarding.ts'
import { defaultRules } from '../src/manager/rules.ts'
import { percentSpread, sig } from './lib/format.ts'
import { summarize, type Summary } from './lib/stats.ts'
import type { Bench, Table } from './lib/types.ts'

export interface ExitConfig {
  members: number
  /** Extra random channels beyond the spanning tree, per member. */
  extraPerMember: number
  /** Payments per phase. */
  payments: number
  seeds: number[]
}

interface Phases { before: number, during: number, after: number }

export interface ExitFigures {
  graceful: { before: Summary, during: Summary, after: Summary }
  abrupt: { before: Summary, during: Summary, after: Summary }
  /** Members cut off by the leaving one (without reinforcement), and channels added first, per seed. */
  cutOff: Summary
  reinforcements: Summary
  onboarding: { receiveWith: Summary, receiveWithout: Summary, sendAfterReceiving: Summary }
}

const CAPACITY = 1_000_000
const FUNDS = 50_000_000
const AMOUNTS = { minAmount: 5_000, maxAmount: 50_000 }
/** Payments to the newcomer, then from it: about what the default budget (400,000 sats) carries. */
const ONBOARDING_PAYMENTS = 12

export const EXIT: Bench<ExitConfig, ExitFigures> = {
  name: 'exit',
  title: 'a member leaves (graceful vs close-all) and a newcomer with no funds arrives: payment success among the others',
  presets: {
    tiny: { members: 8, extraPerMember: 0.3, payments: 40, seeds: [1, 2] },
    default: { members: 30, extraPerMember: 0.3, payments: 400, seeds: [1, 2, 3, 4, 5, 6, 7] },
    full: { members: 100, extraPerMember: 0.3, payments: 2000, seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }
  },
  async run (config, progress) {
    const started = process.hrtime.bigint()
    const graceful: Phases[] = []
    const abrupt: Phases[] = []
    const cutOff: number[] = []
    const reinforcements: number[] = []
    const receiveWith: number[] = []
    const receiveWithout: number[] = []
    const sendAfter: number[] = []
    for (const seed of config.seeds) {
      progress(`seed ${seed}`)
      const g = await runExit(config, seed, true)
      const a = await runExit(config, seed, false)
      graceful.push(g.phases)
      abrupt.push(a.phases)
      cutOff.push(g.cutOff)
      reinforcements.push(g.reinforcements)
      const o = runOnboarding(config, seed)
      receiveWith.push(o.receiveWith)
      receiveWithout.push(o.receiveWithout)
      sendAfter.push(o.sendAfter)
    }
    const phases = (list: Phases[]) => ({
      before: summarize(list.map(p => p.before)), during: summarize(list.map(p => p.during)), after: summarize(list.map(p => p.after))
    })
    const figures: ExitFigures = {
      graceful: phases(graceful),
      abrupt: phases(abrupt),
      cutOff: summarize(cutOff),
      reinforcements: summarize(reinforcements),
      onboarding: { receiveWith: summarize(receiveWith), receiveWithout: summarize(receiveWithout), sendAfterReceiving: summarize(sendAfter) }
    }
    const row = (name: string, p: ExitFigures['graceful']) => [name, percentSpread(p.before), percentSpread(p.during), percentSpread(p.after)]
    const tables: Table[] = [{
      title: `Payment success among the remaining members (${config.members} members, ${config.payments} payments per phase, ${config.seeds.length} seeds: median (min–max))`,
      columns: ['exit', 'before', 'during', 'after'],
      rows: [row('graceful (Storm: capacity first, safe order)', figures.graceful), row('abrupt (close all at once)', figures.abrupt)],
      notes: [
        `members cut off by the one leaving, per seed: median ${sig(figures.cutOff.median)} (${figures.cutOff.min}–${figures.cutOff.max}); channels the Storm opened first: median ${sig(figures.reinforcements.median)} (${figures.reinforcements.min}–${figures.reinforcements.max})`,
        'during: graceful = reinforcements open, safe closes done, bridges still open; abrupt = every funded channel closed, node still online',
        'after, graceful: what is still lost is the channels others had funded to the leaving node (gone offline with it), and the new channels\' one-sidedness (all on the opener\'s side until payments or the collective rebalancing move some back)'
      ]
    }, {
      title: `A newcomer with no funds: success of ${ONBOARDING_PAYMENTS} payments to it (5,000–50,000 sats), then ${ONBOARDING_PAYMENTS} from it`,
      columns: ['newcomer', 'receives', 'then sends'],
      rows: [
        ['lifted (Storm onboarding, default budget)', percentSpread(figures.onboarding.receiveWith), percentSpread(figures.onboarding.sendAfterReceiving)],
        ['not lifted (no channel until it funds one)', percentSpread(figures.onboarding.receiveWithout), '—']
      ]
    }]
    return {
      name: EXIT.name,
      title: EXIT.title,
      config,
      figures,
      tables,
      notes: ['Payments are one at a time on the simulated network\'s own router (fee limit 1 %); balances move as they go.'],
      seconds: Number(process.hrtime.bigint() - started) / 1e9
    }
  }
}

interface Storm { network: SimNetwork, keys: string[], funded: Array<{ point: string, a: number, b: number, capacity: number }> }

/** The seeded Storm: a random spanning tree of member-funded channels plus extra ones, balanced halfway. */
function buildStorm (config: ExitConfig, seed: number): Storm {
  const network = SimNetwork.create({ seed, confirmations: 1 })
  const prng = createPrng(`exit-storm-${seed}`)
  const keys = Array.from({ length: config.members }, (_, i) => network.addNode(`m${i}`, { onchain: FUNDS }).publicKey)
  const funded: Storm['funded'] = []
  const has = new Set<string>()
  const open = (a: number, b: number) => {
    const k = a < b ? `${a}-${b}` : `${b}-${a}`
    if (a === b || has.has(k)) return
    has.add(k)
    const ch = network.openChannelNow(keys[a]!, keys[b]!, CAPACITY, CAPACITY / 2)
    funded.push({ point: ch.channelPoint, a, b, capacity: CAPACITY })
  }
  // preferential attachment in the tree: a few hubs, as real Storms grow around early members
  const degree = new Array<number>(config.members).fill(1)
  for (let i = 1; i < config.members; i++) {
    const total = degree.slice(0, i).reduce((s, d) => s + d, 0)
    let pick = prng.int(total)
    let j = 0
    while (pick >= degree[j]!) { pick -= degree[j]!; j++ }
    if (prng.int(2) === 0) open(i, j)
    else open(j, i)
    degree[i]!++
    degree[j]!++
  }
  for (let e = 0; e < Math.round(config.extraPerMember * config.members); e++) open(prng.int(config.members), prng.int(config.members))
  return { network, keys, funded }
}

function exitPlanFor (storm: Storm, leaving: number) {
  const names = storm.keys.map((_, i) => `m${i}`)
  const edges: ExitEdge[] = storm.funded.map(f => ({ id: f.point, a: names[f.a]!, b: names[f.b]!, capacity: f.capacity }))
  const rules = defaultRules()
  const openers: Opener[] = names.map((m, i) => ({ member: m, nodeKey: storm.keys[i]!, inbound: 0, channels: 0, available: FUNDS }))
  return planExit({
    leaving: names[leaving]!,
    members: names,
    edges,
    closing: storm.funded.filter(f => f.a === leaving).map(f => f.point),
    leaves: true,
    minMemberCapacity: rules.exit.minMemberCapacity,
    minChannelSize: rules.minChannelSize,
    maxChannelSize: rules.maxChannelSize,
    openers,
    keyOf: new Map(names.map((m, i) => [m, storm.keys[i]!]))
  })
}

async function runExit (config: ExitConfig, seed: number, gracefully: boolean): Promise<{ phases: Phases, cutOff: number, reinforcements: number }> {
  const storm = buildStorm(config, seed)
  const { network, keys } = storm
  // the member whose departure cuts the most others off (ties: the lowest index)
  let leaving = 0
  let worst = -1
  for (let i = 0; i < keys.length; i++) {
    const n = exitPlanFor(storm, i).atRisk.filter(a => a.reason === 'cut_off').length
    if (n > worst) { worst = n; leaving = i }
  }
  const plan = exitPlanFor(storm, leaving)
  const remaining = keys.filter((_, i) => i !== leaving)
  const prng = createPrng(`exit-work-${seed}`)
  const rate = (p: Prng) => successOf(probePayments(network, remaining, p, { count: config.payments, ...AMOUNTS })).rate
  const before = rate(prng)
  const close = async (point: string) => {
    await network.node(keys[leaving]!)!.closeChannel({ channelPoint: point })
  }
  let during: number
  if (gracefully) {
    const index = new Map(keys.map((k, i) => [`m${i}`, k]))
    for (const r of plan.reinforcements) network.openChannelNow(index.get(r.opener)!, index.get(r.to)!, r.capacity, r.capacity)
    for (const p of plan.safe) await close(p)
    network.mine(1)
    during = rate(prng)
    for (const p of plan.deferred) await close(p)
  } else {
    for (const f of storm.funded.filter(x => x.a === leaving)) await close(f.point)
    network.mine(1)
    during = rate(prng)
  }
  network.mine(1)
  network.setOnline(keys[leaving]!, false)
  const after = rate(prng)
  network.stop()
  return { phases: { before, during, after }, cutOff: worst, reinforcements: plan.reinforcements.length }
}

function runOnboarding (config: ExitConfig, seed: number): { receiveWith: number, receiveWithout: number, sendAfter: number } {
  const rules = defaultRules()
  const outcome = (lift: boolean) => {
    const storm = buildStorm(config, seed)
    const { network, keys } = storm
    const newcomer = network.addNode('newcomer', { onchain: 0 }).publicKey
    if (lift) {
      const plan = planOnboarding({
        newcomer: 'newcomer',
        rules: rules.onboarding,
        liftedBefore: 0,
        spentToday: 0,
        openers: keys.map((k, i) => ({ member: `m${i}`, nodeKey: k, inbound: 0, channels: 0, available: FUNDS, willing: false })),
        existingPeers: new Set(),
        minChannelSize: rules.minChannelSize,
        maxChannelSize: rules.maxChannelSize
      })
      if (!plan.ok) throw plan.error
      for (const c of plan.value.channels) network.openChannelNow(c.peer, newcomer, c.capacity, c.capacity)
    }
    const prng = createPrng(`onboard-work-${seed}`)
    const payments = ONBOARDING_PAYMENTS
    let received = 0
    for (let i = 0; i < payments; i++) {
      const amount = AMOUNTS.minAmount + prng.int(AMOUNTS.maxAmount - AMOUNTS.minAmount + 1)
      if (network.pay(keys[prng.int(keys.length)]!, newcomer, amount, { maxFee: Math.ceil(amount / 100) }).ok) received++
    }
    let sent = 0
    if (lift) {
      for (let i = 0; i < payments; i++) {
        const amount = AMOUNTS.minAmount + prng.int(AMOUNTS.maxAmount - AMOUNTS.minAmount + 1)
        if (network.pay(newcomer, keys[prng.int(keys.length)]!, amount, { maxFee: Math.ceil(amount / 100) }).ok) sent++
      }
    }
    network.stop()
    return { received: received / payments, sent: sent / payments }
  }
  const withLift = outcome(true)
  const without = outcome(false)
  return { receiveWith: withLift.received, receiveWithout: without.received, sendAfter: withLift.sent }
}
