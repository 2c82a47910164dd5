/** Shared setup for stormd's tests: directives as the manager would send them, and limits. */
import type { DirectiveMessage } from '../../src/protocol/messages.ts'
import type { AgentLimits } from '../../src/agent/config.ts'

/** Fields every directive carries. */
export interface Envelope { id: string, reason: string, createdAt: number, expiresAt: number, requiresApproval: boolean }

let counter = 0

function envelope (now: number, over: Partial<Envelope>): Envelope {
  return { id: `d${++counter}`, reason: 'the planner says so', createdAt: now, expiresAt: now + 3_600_000, requiresApproval: false, ...over }
}

/** A node key (33 bytes, hex) that no simulated node has: `02` then one byte repeated. */
export function fakeNodeKey (byte: number): string {
  return '02' + byte.toString(16).padStart(2, '0').repeat(32)
}

export function openChannel (now: number, peer: string, capacity: number, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'open_channel', params: { peer, peerMember: 'bob', capacity }, ...envelope(now, over) }
}

/** A batch: every channel in one funding transaction. */
export function openChannels (now: number, channels: Array<{ peer: string, capacity: number }>, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'open_channels', params: { channels: channels.map(c => ({ peerMember: 'm_' + c.peer.slice(2, 8), ...c })) }, ...envelope(now, over) }
}

export function createInvoice (now: number, amount: number, payer: string, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'create_invoice', params: { amount, payer, maxFee: 100 }, ...envelope(now, over) }
}

export function payInvoice (now: number, params: { request: string, payee: string, amount: number, maxFee: number }, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'pay_invoice', params, ...envelope(now, over) }
}

export function closeChannel (now: number, channelPoint: string, peer: string, force: boolean, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'close_channel', params: { channelPoint, peer, force }, ...envelope(now, over) }
}

export function rebalance (now: number, params: { amount: number, hops: string[], maxFee: number, outgoingChannel?: string }, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'rebalance', params: { outgoingChannel: '1x1x0', ...params }, ...envelope(now, over) }
}

export function setFees (now: number, baseFeeMsat: string, feeRatePpm: number, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'set_fees', params: { baseFeeMsat, feeRatePpm }, ...envelope(now, over) }
}

export function doNotDisconnect (now: number, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'do_not_disconnect', params: {}, ...envelope(now, over) }
}

export function safeToDisconnect (now: number, over: Partial<Envelope> = {}): DirectiveMessage {
  return { kind: 'safe_to_disconnect', params: {}, ...envelope(now, over) }
}

/** Small, round limits so the boundaries are easy to read. */
export const LIMITS: AgentLimits = {
  minChannelSize: 20_000,
  maxChannelSize: 1_000_000,
  maxChannelsPerDay: 2,
  maxOnchainSpendPerDay: 1_500_000,
  allowForceClose: false,
  maxTransactionSize: 100_000,
  minTimeBetweenPayments: 60,
  maxTransactionsPerPeriod: 3,
  maxTransactionsPeriod: 3_600,
  maxAmountPerPeriod: 250_000,
  maxAmountPeriod: 7_200,
  maxFeePerPeriod: 500
}
