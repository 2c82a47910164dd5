/** Shared setup for the simulated network's tests. */
import type { CircularPaymentRequest, LightningEvent, LightningNode, PaymentOutcome } from '../../src/agent/lightning_port.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import type { SimNetworkOptions, SimNode } from '../../src/simnet/index.ts'

/** A network on a manual clock. */
export function makeNetwork (options: SimNetworkOptions = {}): { network: SimNetwork, clock: ManualClock } {
  const clock = new ManualClock()
  return { network: SimNetwork.create({ seed: 'test', clock, ...options }), clock }
}

/** Records a node's events. */
export function record (node: SimNode): LightningEvent[] {
  const events: LightningEvent[] = []
  node.subscribe(e => { events.push(e) })
  return events
}

/** The channel between two nodes, from `from`'s side. */
export function channelTo (network: SimNetwork, from: SimNode, to: SimNode) {
  const found = network.channelsOf(from.publicKey).filter(c => c.peer === to.publicKey)
  if (found.length !== 1) throw new Error(`expected one channel ${from.alias}→${to.alias}, got ${found.length}`)
  return found[0]!
}

/** Every node's channel views, for "nothing moved" comparisons. */
export function snapshot (network: SimNetwork) {
  return network.nodes().map(n => ({ alias: n.alias, channels: network.channelsOf(n.publicKey), chain: network.chainBalanceOf(n.publicKey) }))
}

/**
 * A triangle A→B→C→A of instant channels, 1,000,000 sats each, `local` on the opener's side,
 * with every node's policy set to `fees`.
 */
export async function triangle (options: { local?: number, baseFeeMsat?: string, feeRatePpm?: number } = {}) {
  const { network, clock } = makeNetwork()
  const a = network.addNode('A')
  const b = network.addNode('B')
  const c = network.addNode('C')
  const local = options.local ?? 500_000
  const ab = network.openChannelNow(a.publicKey, b.publicKey, 1_000_000, local)
  const bc = network.openChannelNow(b.publicKey, c.publicKey, 1_000_000, local)
  const ca = network.openChannelNow(c.publicKey, a.publicKey, 1_000_000, local)
  for (const n of [a, b, c]) await n.setFees({ baseFeeMsat: options.baseFeeMsat ?? '1000', feeRatePpm: options.feeRatePpm ?? 1000 })
  return { network, clock, a, b, c, ab, bc, ca }
}

/** Readies and sends a circular payment, as stormd does (the hash first, then the payment). */
export async function payCircular (node: LightningNode, request: CircularPaymentRequest): Promise<PaymentOutcome> {
  return await node.payCircular(await node.prepareCircular(request))
}
