/**
 * The owner's hard limits. Whatever a directive says, stormd refuses what lies outside them and
 * says why. Pure: a function of the directive, the limits, the ledger, the roster and the time.
 */
import type { DirectiveMessage } from '../protocol/messages.ts'
import type { AgentLimits } from './config.ts'
import type { LedgerEntry } from './agent_state.ts'
import { err, ok, type Result } from '../shared/errors.ts'
import { channelOpens } from '../protocol/channel_opens.ts'

const DAY_MS = 86_400_000

export interface LimitContext {
  limits: AgentLimits
  ledger: readonly LedgerEntry[]
  now: number
  /** Node keys of the Storm's paired members. */
  stormNodes: ReadonlySet<string>
  /** Our own node's key. */
  self: string
  /** The other nodes of our own member (its fleet): the only ones a plain invoice may pay. */
  ownNodes: ReadonlySet<string>
}

/**
 * Errors: `PEER_NOT_IN_STORM` {peer}, `LIMIT_CHANNEL_SIZE` {capacity, min, max},
 * `LIMIT_CHANNELS_PER_DAY` {max}, `LIMIT_ONCHAIN_SPEND` {max, used, capacity},
 * `LIMIT_FORCE_CLOSE`, `PAYMENT_LEAVES_STORM` {hop}, `LIMIT_TRANSACTION_SIZE` {amount, max},
 * `LIMIT_PAYMENT_TOO_SOON` {seconds}, `LIMIT_TRANSACTIONS_PER_PERIOD` {max},
 * `LIMIT_AMOUNT_PER_PERIOD` {max, used}, `LIMIT_FEE_PER_PERIOD` {max, used}, `PAYEE_NOT_OWN_NODE` {node}.
 */
export function checkLimits (d: DirectiveMessage, c: LimitContext): Result<void> {
  const { limits: l, now } = c
  switch (d.kind) {
    case 'open_channel':
    case 'open_channels': {
      // a batch is checked as a whole: every channel, and what they spend together
      const opens = channelOpens(d)
      for (const { peer, capacity } of opens) {
        if (peer === c.self || !c.stormNodes.has(peer)) return err('PEER_NOT_IN_STORM', { peer: short(peer) })
        if (capacity < l.minChannelSize || capacity > l.maxChannelSize) {
          return err('LIMIT_CHANNEL_SIZE', { capacity, min: l.minChannelSize, max: l.maxChannelSize })
        }
      }
      const done = since(c.ledger, 'open', now - DAY_MS)
      if (done.length + opens.length > l.maxChannelsPerDay) return err('LIMIT_CHANNELS_PER_DAY', { max: l.maxChannelsPerDay })
      const used = sum(done, 'amount')
      const capacity = opens.reduce((s, o) => s + o.capacity, 0)
      if (used + capacity > l.maxOnchainSpendPerDay) return err('LIMIT_ONCHAIN_SPEND', { max: l.maxOnchainSpendPerDay, used, capacity })
      return ok(undefined)
    }
    case 'close_channel':
      return d.params.force && !l.allowForceClose ? err('LIMIT_FORCE_CLOSE') : ok(undefined)
    case 'rebalance': {
      const { amount, hops, maxFee } = d.params
      const outside = hops.find(h => h === c.self || !c.stormNodes.has(h))
      if (outside !== undefined) return err('PAYMENT_LEAVES_STORM', { hop: short(outside) })
      return paymentLimits(amount, maxFee, c)
    }
    case 'pay_invoice': {
      // invoice-and-pay only between nodes of the same member: never to another member
      const { payee, amount, maxFee } = d.params
      if (payee === c.self || !c.ownNodes.has(payee)) return err('PAYEE_NOT_OWN_NODE', { node: short(payee) })
      return paymentLimits(amount, maxFee, c)
    }
    case 'create_invoice':
    case 'set_fees':
    case 'do_not_disconnect':
    case 'safe_to_disconnect':
      return ok(undefined)
  }
}

/** The payment limits a rebalance and a payment between own nodes share (the same ledger). */
function paymentLimits (amount: number, maxFee: number, c: LimitContext): Result<void> {
  const { limits: l, now } = c
  if (amount > l.maxTransactionSize) return err('LIMIT_TRANSACTION_SIZE', { amount, max: l.maxTransactionSize })
  const all = since(c.ledger, 'rebalance', 0)
  const last = all.reduce((m, e) => Math.max(m, e.at), -Infinity)
  const wait = last + l.minTimeBetweenPayments * 1000 - now
  if (wait > 0) return err('LIMIT_PAYMENT_TOO_SOON', { seconds: Math.ceil(wait / 1000) })
  if (since(c.ledger, 'rebalance', now - l.maxTransactionsPeriod * 1000).length >= l.maxTransactionsPerPeriod) {
    return err('LIMIT_TRANSACTIONS_PER_PERIOD', { max: l.maxTransactionsPerPeriod })
  }
  const inPeriod = since(c.ledger, 'rebalance', now - l.maxAmountPeriod * 1000)
  const moved = sum(inPeriod, 'amount')
  if (moved + amount > l.maxAmountPerPeriod) return err('LIMIT_AMOUNT_PER_PERIOD', { max: l.maxAmountPerPeriod, used: moved })
  const fees = sum(inPeriod, 'fee')
  if (fees + maxFee > l.maxFeePerPeriod) return err('LIMIT_FEE_PER_PERIOD', { max: l.maxFeePerPeriod, used: fees })
  return ok(undefined)
}

function since (ledger: readonly LedgerEntry[], kind: LedgerEntry['kind'], from: number): LedgerEntry[] {
  return ledger.filter(e => e.kind === kind && e.at > from)
}

function sum (entries: LedgerEntry[], key: 'amount' | 'fee'): number {
  return entries.reduce((s, e) => s + e[key], 0)
}

function short (key: string): string {
  return key.slice(0, 12) + '…'
}
