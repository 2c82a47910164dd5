/**
 * Running a directive on the node, and finding out how one ended: it is marked `executing` in the
 * store (durably) before the node is touched, so after a crash stormd asks the node what happened
 * instead of doing it again. A payment's hash is stored with `executing` before the payment is
 * sent, so the node can be asked how it ended.
 */
import type { PaymentStatus, PreparedCircularPayment } from './lightning_port.ts'
import { StormError } from '../shared/errors.ts'
import { crashPoint } from '../shared/crash_point.ts'
import type { AgentDirective } from './agent_state.ts'
import { batchDetail, executeDirective, rebalanceExecution } from './execute_directive.ts'
import { openedOnNode } from './opened_on_node.ts'
import { channelOpens, openedPoints, opensChannels } from '../protocol/channel_opens.ts'
import { checkHealth } from './build_report.ts'
import type { DirectiveSteps } from './directive_steps.ts'

/** Checks again, marks it `executing`, runs it on the node and stores the outcome. */
export async function execute (s: DirectiveSteps, rec: AgentDirective): Promise<void> {
  const { d } = s
  const refusal = s.refusal(rec.directive)
  if (refusal !== null) {
    await s.finish(rec, 'failed', undefined, refusal)
    return
  }
  // a node that does not answer cannot run it now: keep it approved and run it when the node is
  // back (resume), unless it expires first — failing it would make the owner start over
  const health = await checkHealth(d.lightning)
  if (!health.healthy && health.reason === 'LN_UNAVAILABLE') {
    if (rec.status !== 'approved') await s.set(rec, 'approved')
    d.notice({ type: 'waiting_for_node', directive: rec })
    return
  }
  let prepared: PreparedCircularPayment | undefined
  if (rec.directive.kind === 'rebalance') {
    try {
      prepared = await d.lightning.prepareCircular(rec.directive.params)
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      await s.finish(rec, 'failed', undefined, e)
      return
    }
    // stored with `executing`, in the same save, before the payment is sent: after a crash the
    // node is asked how the payment with this hash ended
    rec.paymentHash = prepared.id
  } else if (rec.directive.kind === 'pay_invoice') {
    const { request, payee, amount } = rec.directive.params
    try {
      // the invoice must be what the directive says: to our own node, for that amount
      const invoice = await d.lightning.decodeInvoice(request)
      if (invoice.destination !== payee || invoice.amount !== amount) throw new StormError('INVOICE_MISMATCH', { amount: invoice.amount })
      rec.paymentHash = invoice.id
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      await s.finish(rec, 'failed', undefined, e)
      return
    }
  }
  try {
    await s.set(rec, 'executing')
  } catch (e) {
    // nothing was done on the node: it stays approved in memory (as stored, or as it would be
    // on the automatic path), so the next heartbeat's `resume` tries again — never left idle
    delete rec.paymentHash
    rec.status = 'approved'
    d.notice({ type: 'save_failed', directive: rec, error: String(e) })
    throw e
  }
  d.notice({ type: 'executing', directive: rec })
  crashPoint('stormd_executing')
  const r = await executeDirective(rec.directive, d.lightning, d.stormNodes(), prepared)
  crashPoint('stormd_executed')
  if (r.ok) {
    for (const entry of r.value.ledger ?? []) d.state.ledger.push({ at: s.now(), ...entry })
    await s.finish(rec, 'succeeded', r.value.detail)
  } else if (rec.paymentHash !== undefined) {
    // the payment call failed, which need not mean the payment did (the node may have stopped
    // answering with HTLCs out): the node's record of the hash decides
    await paymentEnded(s, rec, r.error)
  } else {
    await s.finish(rec, 'failed', undefined, r.error)
  }
  d.reportSoon()
}

/**
 * How a rebalance whose hash was stored ended, by the node's record of the payment: succeeded
 * (reported with the real amount and fee, and counted against the limits), failed or never sent
 * (reported failed), or in flight (stays `executing`, asked again by `checkPayments`). A node
 * that does not answer leaves it `executing` too. `sendError`: what the payment call rejected
 * with, when it did (the failure reported if the payment failed or never left).
 */
export async function paymentEnded (s: DirectiveSteps, rec: AgentDirective, sendError?: StormError): Promise<void> {
  const d = rec.directive
  if ((d.kind !== 'rebalance' && d.kind !== 'pay_invoice') || rec.paymentHash === undefined) return
  let status: PaymentStatus
  try {
    status = await s.d.lightning.getPayment(rec.paymentHash)
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    return
  }
  switch (status.state) {
    case 'succeeded': {
      const { detail, ledger } = rebalanceExecution(status.outcome)
      // spent when it was sent (`executing` was stored just before): the limits count it there
      for (const entry of ledger) s.d.state.ledger.push({ at: rec.updatedAt, ...entry })
      await s.finish(rec, 'succeeded', sendError === undefined ? { ...detail, recovered: true } : detail)
      break
    }
    case 'failed':
      await s.finish(rec, 'failed', undefined, sendError ?? new StormError('LN_PAYMENT_FAILED', { paymentId: rec.paymentHash }))
      break
    case 'not_found':
      // Never sent: stormd stopped after storing the hash and before sending. It is reported
      // failed rather than sent now, though sending now would not pay twice (the node pays a
      // hash once): the invoice to self behind that hash lives only minutes, so a late run
      // would need a new one; and the manager planned this payment on balances that a restart
      // later may no longer hold — it plans again from the next report.
      await s.finish(rec, 'failed', undefined, sendError ?? new StormError('INTERRUPTED_NOT_SENT', { kind: d.kind }))
      break
    case 'in_flight':
      if (d.expiresAt <= s.now() && !s.toldInFlight.has(d.id)) {
        s.toldInFlight.add(d.id)
        s.d.notice({ type: 'payment_in_flight', directive: rec })
      }
      break
  }
}

/** After a restart, a directive found `executing`: how it ended, from the node, without running it again. */
export async function reconcile (s: DirectiveSteps, rec: AgentDirective): Promise<void> {
  const d = rec.directive
  // its hash was stored before sending: the node knows how it ended
  if ((d.kind === 'rebalance' || d.kind === 'pay_invoice') && rec.paymentHash !== undefined) return await paymentEnded(s, rec)
  try {
    if (opensChannels(d)) {
      // a channel of the same peer and size that another directive opened is not this one's
      const claimed = new Set(Object.values(s.d.state.directives)
        .filter(r => r !== rec && opensChannels(r.directive))
        .flatMap(r => openedPoints(r.directive, r.detail).filter(p => p !== undefined)))
      const points = await openedOnNode(s.d.lightning, d, claimed)
      if (points.some(p => p !== undefined)) {
        const opens = channelOpens(d)
        // opened and paid for just after `executing` was stored: they count against the limits
        points.forEach((p, i) => { if (p !== undefined) s.d.state.ledger.push({ at: rec.updatedAt, kind: 'open', amount: opens[i]!.capacity, fee: 0 }) })
        const detail = d.kind === 'open_channel'
          ? { channelPoint: points[0]!, capacity: d.params.capacity }
          : batchDetail(points, opens.map(o => o.capacity))
        return await s.finish(rec, 'succeeded', { ...detail, recovered: true })
      }
    } else if (d.kind === 'close_channel') {
      const open = (await s.d.lightning.getChannels()).some(c => c.channelPoint === d.params.channelPoint)
      if (!open) return await s.finish(rec, 'succeeded', { channelPoint: d.params.channelPoint, recovered: true })
    } else if (d.kind === 'set_fees') {
      // setting a fee twice is harmless: finish the job
      rec.status = 'approved'
      return
    }
    await s.finish(rec, 'failed', undefined, new StormError('INTERRUPTED', { kind: d.kind }))
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    // the node is not answering yet: leave it executing, try again on the next start
  }
}
