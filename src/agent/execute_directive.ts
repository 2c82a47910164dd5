/**
 * Carries out one approved directive on the Lightning node. Returns what was done (the detail the
 * manager records) or the failure; LND-level failures arrive as `StormError`s from the port.
 */
import type { DirectiveMessage } from '../protocol/messages.ts'
import type { LightningNode, PaymentOutcome, PreparedCircularPayment } from './lightning_port.ts'
import type { LedgerEntry } from './agent_state.ts'
import { StormError, err, ok, type Result } from '../shared/errors.ts'
import { batchPointKey } from '../protocol/channel_opens.ts'

export type Detail = Record<string, string | number | boolean>

export interface Execution {
  detail: Detail
  /** What the execution spent, for the owner's limits: an entry per channel or payment. */
  ledger?: Array<Omit<LedgerEntry, 'at'>>
}

/**
 * A batch's result detail: its funding transaction, and each channel's point in request order
 * (`channelPoint.<i>`; a channel missing from `points` is left out).
 */
export function batchDetail (points: ReadonlyArray<string | undefined>, capacities: readonly number[]): Detail {
  const detail: Detail = { channels: points.filter(p => p !== undefined).length, capacity: 0 }
  let capacity = 0
  points.forEach((p, i) => {
    if (p === undefined) return
    detail[batchPointKey(i)] = p
    detail.fundingTxid ??= p.split(':')[0]!
    capacity += capacities[i] ?? 0
  })
  detail.capacity = capacity
  return detail
}

/** `prepared`: a rebalance's payment, readied (and its hash stored) by the caller before sending. */
export async function executeDirective (d: DirectiveMessage, ln: LightningNode, stormNodes: ReadonlySet<string>, prepared?: PreparedCircularPayment): Promise<Result<Execution>> {
  try {
    return await run(d, ln, stormNodes, prepared)
  } catch (e) {
    if (e instanceof StormError) return { ok: false, error: e }
    throw e
  }
}

/** What a rebalance's payment did: the detail the manager records and what it spent. */
export function rebalanceExecution (paid: PaymentOutcome): Required<Execution> {
  return {
    detail: { paymentId: paid.id, amount: paid.amount, fee: paid.fee, feeMsat: paid.feeMsat, hops: paid.hops.length },
    ledger: [{ kind: 'rebalance', amount: paid.amount, fee: Math.ceil(Number(paid.feeMsat) / 1000) }]
  }
}

async function run (d: DirectiveMessage, ln: LightningNode, stormNodes: ReadonlySet<string>, prepared: PreparedCircularPayment | undefined): Promise<Result<Execution>> {
  switch (d.kind) {
    case 'open_channel': {
      const { peer, capacity, socket } = d.params
      const [opened] = await ln.openChannels([socket === undefined ? { peer, capacity } : { peer, capacity, socket }])
      if (opened === undefined) return err('LN_INVALID_REQUEST')
      return ok({ detail: { channelPoint: opened.channelPoint, capacity }, ledger: [{ kind: 'open', amount: capacity, fee: 0 }] })
    }
    case 'open_channels': {
      // one funding transaction for them all (the port batches several), all or nothing
      const requests = d.params.channels.map(({ peer, capacity, socket }) => socket === undefined ? { peer, capacity } : { peer, capacity, socket })
      const opened = await ln.openChannels(requests)
      if (opened.length !== requests.length) return err('LN_INVALID_REQUEST', { reason: `${opened.length} channels opened of ${requests.length}` })
      return ok({ detail: batchDetail(opened.map(o => o.channelPoint), requests.map(r => r.capacity)), ledger: requests.map(r => ({ kind: 'open' as const, amount: r.capacity, fee: 0 })) })
    }
    case 'close_channel': {
      const { channelPoint, peer, force } = d.params
      const channel = (await ln.getChannels()).find(c => c.channelPoint === channelPoint)
      if (channel === undefined) return err('LN_CHANNEL_NOT_FOUND', { channelPoint })
      if (channel.peer !== peer) return err('CHANNEL_PEER_MISMATCH', { channelPoint })
      const { closingTxId } = await ln.closeChannel({ channelPoint, force })
      return ok({ detail: { channelPoint, closingTxId, force } })
    }
    case 'rebalance': {
      return ok(rebalanceExecution(await ln.payCircular(prepared ?? await ln.prepareCircular(d.params))))
    }
    case 'set_fees': {
      const { baseFeeMsat, feeRatePpm } = d.params
      const wanted = d.params.channelPoints === undefined ? null : new Set(d.params.channelPoints)
      // only Storm channels: the Storm sets one fee on its own channels, never on the owner's others
      const channels = (await ln.getChannels()).filter(c => stormNodes.has(c.peer) && (wanted === null || wanted.has(c.channelPoint)))
      for (const c of channels) await ln.setFees({ channelPoint: c.channelPoint, baseFeeMsat, feeRatePpm })
      return ok({ detail: { channels: channels.length, baseFeeMsat, feeRatePpm } })
    }
    case 'create_invoice': {
      // for our member's other node to pay: moving sats between one owner's nodes
      const invoice = await ln.createInvoice(d.params.amount, `Storm: ${d.params.amount} sats from your node ${d.params.payer.slice(0, 12)}`)
      return ok({ detail: { request: invoice.request, paymentId: invoice.id, amount: invoice.amount } })
    }
    case 'pay_invoice':
      return ok(rebalanceExecution(await ln.payInvoice(d.params.request, d.params.maxFee)))
    case 'do_not_disconnect':
    case 'safe_to_disconnect':
      return ok({ detail: {} })
  }
}
