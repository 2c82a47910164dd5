/**
 * A payment looked up by hash on LND, with fakes of `lightning`'s getPayment (no LND here): each
 * answer shape becomes the port's succeeded / failed / in flight / never sent, and an answer that
 * cannot be had is "no answer" (an error), never "failed". Two cases run `lightning`'s own
 * getPayment on a faked TrackPaymentV2 stream, to pin what LND's "payment isn't initiated" and a
 * FAILED payment turn into.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import type { AuthenticatedLnd, GetPaymentResult } from 'lightning'
import { getPayment, GET_PAYMENT_TIMEOUT_MS, type PaymentCalls } from '../../src/agent/lnd/get_payment.ts'
import type { LndContext } from '../../src/agent/lnd/context.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { isStormError } from '../../src/shared/errors.ts'

const SELF = '02' + 'aa'.repeat(32)
const BOB = '03' + 'bb'.repeat(32)
const CAROL = '03' + 'cc'.repeat(32)
const HASH = 'ab'.repeat(32)

const hop = (publicKey: string, fee: number) => ({
  channel: '700x1x0', fee: Math.floor(fee / 1000), fee_mtokens: String(fee), forward: 10_000, forward_mtokens: '10000000', public_key: publicKey, timeout: 900
})

/** What getPayment gives for a settled circular payment of 10,000 sats that cost 2,020 msat. */
const CONFIRMED: GetPaymentResult = {
  is_confirmed: true,
  is_failed: false,
  is_pending: false,
  payment: {
    confirmed_at: '2026-01-01T00:00:01.000Z',
    created_at: '2026-01-01T00:00:00.000Z',
    destination: SELF,
    fee: 2,
    fee_mtokens: '2020',
    hops: [hop(BOB, 1010), hop(CAROL, 1010), hop(SELF, 0)],
    id: HASH,
    mtokens: '10002020',
    paths: [],
    safe_fee: 3,
    safe_tokens: 10_003,
    secret: 'cd'.repeat(32),
    timeout: 900,
    tokens: 10_002
  }
}

const FAILED: GetPaymentResult = {
  failed: { is_insufficient_balance: false, is_invalid_payment: false, is_pathfinding_timeout: false, is_route_not_found: true },
  is_confirmed: false,
  is_failed: true,
  is_pending: false
}

const PENDING: GetPaymentResult = {
  is_confirmed: false,
  is_failed: false,
  is_pending: true,
  pending: { created_at: '2026-01-01T00:00:00.000Z', destination: SELF, id: HASH, mtokens: '10002020', paths: [], safe_tokens: 10_003, secret: '', tokens: 10_002 }
}

function ctx (clock = new ManualClock(0), lnd = {} as AuthenticatedLnd): LndContext {
  return { lnd, clock, selfKey: async () => SELF }
}

/** A fake of the `lightning` call: answers with `answer`, or rejects with it when `throws`. */
function calls (answer: unknown, throws = false): PaymentCalls & { asked: string[] } {
  const asked: string[] = []
  const getPayment = async ({ id }: { id: string }) => {
    asked.push(id)
    if (throws) throw answer
    return answer
  }
  return { asked, getPayment } as unknown as PaymentCalls & { asked: string[] }
}

test('a settled payment: succeeded, with the amount (fees excluded), the fee and the route', async () => {
  const c = calls(CONFIRMED)
  assert.deepEqual(await getPayment(ctx(), HASH, c), {
    state: 'succeeded',
    outcome: { id: HASH, amount: 10_000, fee: 2, feeMsat: '2020', hops: [BOB, CAROL, SELF] }
  })
  assert.deepEqual(c.asked, [HASH])
})

test('a failed payment: failed', async () => {
  assert.deepEqual(await getPayment(ctx(), HASH, calls(FAILED)), { state: 'failed' })
})

test('a payment with HTLCs out: in flight', async () => {
  assert.deepEqual(await getPayment(ctx(), HASH, calls(PENDING)), { state: 'in_flight' })
})

test('[404, SentPaymentNotFound]: never sent', async () => {
  assert.deepEqual(await getPayment(ctx(), HASH, calls([404, 'SentPaymentNotFound'], true)), { state: 'not_found' })
})

test('LND not answering, or a status stream that ends without one: an error (no answer), not a payment state', async () => {
  const cases: Array<[unknown, string]> = [
    [[503, 'UnexpectedGetPaymentError', { err: { code: 14, details: 'connection refused' } }], 'LN_UNAVAILABLE'],
    [[503, 'UnknownStatusOfPayment'], 'LN_UNAVAILABLE'],
    [[503, 'UnexpectedGetPaymentError', { err: { code: 7, details: 'permission denied' } }], 'LN_PERMISSION_DENIED']
  ]
  for (const [thrown, code] of cases) {
    await assert.rejects(getPayment(ctx(), HASH, calls(thrown, true)), (e: unknown) => isStormError(e) && e.code === code, JSON.stringify(thrown))
  }
})

test('no answer in time (LND sends no status until the payment changes): LN_UNAVAILABLE, not in flight or failed', async () => {
  const clock = new ManualClock(0)
  const never = { getPayment: async () => await new Promise(() => {}) } as unknown as PaymentCalls
  const asked = getPayment(ctx(clock), HASH, never)
  clock.advance(GET_PAYMENT_TIMEOUT_MS)
  await assert.rejects(asked, (e: unknown) => isStormError(e) && e.code === 'LN_UNAVAILABLE')
})

test('not a payment hash: LN_INVALID_REQUEST, LND not asked', async () => {
  const c = calls(CONFIRMED)
  await assert.rejects(getPayment(ctx(), 'AB'.repeat(32), c), (e: unknown) => isStormError(e) && e.code === 'LN_INVALID_REQUEST')
  assert.deepEqual(c.asked, [])
})

/** An `lnd` whose router's TrackPaymentV2 stream says one thing, for `lightning`'s real getPayment. */
function trackingLnd (say: (stream: EventEmitter) => void): AuthenticatedLnd {
  const trackPaymentV2 = () => {
    const stream = Object.assign(new EventEmitter(), { cancel: () => {} })
    setImmediate(() => { say(stream) })
    return stream
  }
  return { router: { trackPaymentV2 } } as unknown as AuthenticatedLnd
}

test('through lightning itself: LND\'s "payment isn\'t initiated" is never sent', async () => {
  const lnd = trackingLnd(s => s.emit('error', { code: 5, details: 'payment isn\'t initiated' }))
  assert.deepEqual(await getPayment(ctx(undefined, lnd), HASH), { state: 'not_found' })
})

test('through lightning itself: a FAILED payment is failed, and a broken stream is no answer', async () => {
  const failed = trackingLnd(s => s.emit('data', { status: 'FAILED', payment_hash: HASH, failure_reason: 'FAILURE_REASON_NO_ROUTE' }))
  assert.deepEqual(await getPayment(ctx(undefined, failed), HASH), { state: 'failed' })
  const broken = trackingLnd(s => s.emit('error', { code: 14, details: 'transport is closing' }))
  await assert.rejects(getPayment(ctx(undefined, broken), HASH), (e: unknown) => isStormError(e) && e.code === 'LN_UNAVAILABLE')
})
