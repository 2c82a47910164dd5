/**
 * What a rebalancing payment is worth: the routing fees the liquidity it restores is expected to
 * earn, against the fee it costs. Pure.
 *
 * A channel drifted to u's side (u holds more than its zone allows) because v forwarded out over it
 * (or paid over it). A circular payment that sends `amount` u→v gives v that much to forward again.
 * What v is expected to earn with it: over the next `horizon` (the base `maxAmountPeriod`), v keeps
 * forwarding out over that channel at the rate it did in the observed window, at the fee it earned
 * per sat then — but the restored `amount` can be forwarded only once before the channel has
 * drifted back:
 *
 *     gain(v on channel) = min(amount, forwarded × horizon ÷ window) × earned ÷ forwarded
 *
 * A side that forwarded nothing in the window, or whose node does not report its flow, is expected
 * to earn nothing. A cycle's gain is the sum over the channels it brings back into their zone.
 *
 * Two rules use it (`rules.rebalancing`): `minGainRatio` — a payment is planned only when its gain
 * is at least that many times its fee; `maxFeeShare` — the fees of the rebalancing payments made in
 * the window (the history) and planned in the round stay within that share of the routing fees the
 * members earned in it. Rebalancing fees are themselves forwards members earn: they are taken out
 * of the earned fees first, so rebalancing cannot pay for itself.
 */

/** Forwarding observed on the Storm's channel sides over a window (from the members' reports). */
export interface ObservedFlow {
  /** How long the figures cover, ms. */
  windowMs: number
  /** Forwarding out of one node over one channel: `sideKey(node, channel)` → sats out and fees earned (msat). */
  sides: ReadonlyMap<string, { amount: number, feeMsat: number }>
}

/** The key of a channel side in `ObservedFlow.sides`. */
export function sideKey (nodeKey: string, channelId: string): string {
  return `${nodeKey}:${channelId}`
}

/** Per arc of the round: sats it forwarded over the horizon (scaled) and msat earned per sat. */
export class Earnings {
  /** Fees the members earned in the window forwarding out over the round's channels, msat. */
  readonly earnedMsat: number
  readonly windowMs: number
  readonly #volume: Float64Array
  readonly #perSat: Float64Array

  /**
   * `arcSide(arc)` names arc's sending side (`sideKey`); `horizonMs` is how far ahead the gain
   * counts.
   */
  constructor (flow: ObservedFlow, arcs: number, arcSide: (arc: number) => string, horizonMs: number) {
    this.windowMs = flow.windowMs
    this.#volume = new Float64Array(arcs)
    this.#perSat = new Float64Array(arcs)
    let earned = 0
    const scale = flow.windowMs > 0 ? horizonMs / flow.windowMs : 0
    for (let arc = 0; arc < arcs; arc++) {
      const s = flow.sides.get(arcSide(arc))
      if (s === undefined || s.amount <= 0 || s.feeMsat <= 0) continue
      earned += s.feeMsat
      this.#volume[arc] = s.amount * scale
      this.#perSat[arc] = s.feeMsat / s.amount
    }
    this.earnedMsat = earned
  }

  /** Msat the sender of `arc` is expected to earn with `amount` more to send over it. */
  gain (arc: number, amount: number): number {
    return Math.min(amount, this.#volume[arc]!) * this.#perSat[arc]!
  }
}
