/**
 * The owner's hard limits: whatever a directive says, stormd refuses what lies outside them. Each
 * limit is tried at its boundary: allowed at exactly the limit, refused one unit above.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkLimits, type LimitContext } from '../../src/agent/limits.ts'
import type { LedgerEntry } from '../../src/agent/agent_state.ts'
import type { DirectiveMessage } from '../../src/protocol/messages.ts'
import { Locales } from '../../src/shared/i18n.ts'
import { LIMITS, closeChannel, doNotDisconnect, fakeNodeKey, openChannel, rebalance, safeToDisconnect, setFees } from './helpers.ts'

const NOW = Date.UTC(2026, 0, 10, 12)
const DAY = 86_400_000
const SELF = fakeNodeKey(1)
const BOB = fakeNodeKey(2)
const CAROL = fakeNodeKey(3)
const STRANGER = fakeNodeKey(9)
const CHANNEL_POINT = 'ab'.repeat(32) + ':0'

const open = (at: number, amount: number): LedgerEntry => ({ at, kind: 'open', amount, fee: 0 })
const paid = (at: number, amount: number, fee = 0): LedgerEntry => ({ at, kind: 'rebalance', amount, fee })
const circle = (amount: number, maxFee = 10) => rebalance(NOW, { amount, hops: [BOB, CAROL], maxFee })

function context (over: Partial<LimitContext> = {}): LimitContext {
  return { limits: LIMITS, ledger: [], now: NOW, stormNodes: new Set([SELF, BOB, CAROL]), ownNodes: new Set(), self: SELF, ...over }
}

interface Case {
  description: string
  directive: DirectiveMessage
  ctx?: Partial<LimitContext>
  /** The refusal's code and parameters; absent when allowed. */
  refused?: { code: string, params?: Record<string, string | number> }
}

const CASES: Case[] = [
  // channel size
  { description: 'a channel of exactly the minimum size', directive: openChannel(NOW, BOB, 20_000) },
  { description: 'a channel one sat under the minimum', directive: openChannel(NOW, BOB, 19_999), refused: { code: 'LIMIT_CHANNEL_SIZE', params: { capacity: 19_999, min: 20_000, max: 1_000_000 } } },
  { description: 'a channel of exactly the maximum size', directive: openChannel(NOW, BOB, 1_000_000) },
  { description: 'a channel one sat over the maximum', directive: openChannel(NOW, BOB, 1_000_001), refused: { code: 'LIMIT_CHANNEL_SIZE', params: { capacity: 1_000_001, min: 20_000, max: 1_000_000 } } },
  // channels per day
  { description: 'the second channel of the day (limit 2)', directive: openChannel(NOW, BOB, 100_000), ctx: { ledger: [open(NOW - 1000, 100_000)] } },
  { description: 'a third channel within 24 hours', directive: openChannel(NOW, BOB, 100_000), ctx: { ledger: [open(NOW - DAY + 1, 100_000), open(NOW - 1000, 100_000)] }, refused: { code: 'LIMIT_CHANNELS_PER_DAY', params: { max: 2 } } },
  { description: 'a third channel when the first is exactly 24 hours old', directive: openChannel(NOW, BOB, 100_000), ctx: { ledger: [open(NOW - DAY, 100_000), open(NOW - 1000, 100_000)] } },
  // on-chain spend per day
  { description: 'a channel that brings the day\'s spend to exactly the limit', directive: openChannel(NOW, BOB, 1_000_000), ctx: { ledger: [open(NOW - 1000, 500_000)] } },
  { description: 'a channel that passes the day\'s spend by one sat', directive: openChannel(NOW, BOB, 1_000_000), ctx: { ledger: [open(NOW - 1000, 500_001)] }, refused: { code: 'LIMIT_ONCHAIN_SPEND', params: { max: 1_500_000, used: 500_001, capacity: 1_000_000 } } },
  { description: 'rebalances do not count as on-chain spend', directive: openChannel(NOW, BOB, 1_000_000), ctx: { ledger: [paid(NOW - 1000, 900_000)] } },
  // who we open to
  { description: 'a channel to a peer outside the roster', directive: openChannel(NOW, STRANGER, 100_000), refused: { code: 'PEER_NOT_IN_STORM', params: { peer: STRANGER.slice(0, 12) + '…' } } },
  { description: 'a channel to our own node, even though it is in the roster', directive: openChannel(NOW, SELF, 100_000), refused: { code: 'PEER_NOT_IN_STORM' } },
  { description: 'any channel before the roster arrives', directive: openChannel(NOW, BOB, 100_000), ctx: { stormNodes: new Set() }, refused: { code: 'PEER_NOT_IN_STORM' } },
  // closes
  { description: 'a cooperative close', directive: closeChannel(NOW, CHANNEL_POINT, BOB, false) },
  { description: 'a force close the owner does not allow', directive: closeChannel(NOW, CHANNEL_POINT, BOB, true), refused: { code: 'LIMIT_FORCE_CLOSE' } },
  { description: 'a force close the owner allows', directive: closeChannel(NOW, CHANNEL_POINT, BOB, true), ctx: { limits: { ...LIMITS, allowForceClose: true } } },
  // rebalancing: size and route
  { description: 'a payment of exactly the largest size', directive: circle(100_000) },
  { description: 'a payment one sat over the largest size', directive: circle(100_001), refused: { code: 'LIMIT_TRANSACTION_SIZE', params: { amount: 100_001, max: 100_000 } } },
  { description: 'a payment through a node outside the Storm', directive: rebalance(NOW, { amount: 1000, hops: [BOB, STRANGER], maxFee: 10 }), refused: { code: 'PAYMENT_LEAVES_STORM', params: { hop: STRANGER.slice(0, 12) + '…' } } },
  { description: 'a payment that passes through our own node midway', directive: rebalance(NOW, { amount: 1000, hops: [BOB, SELF, CAROL], maxFee: 10 }), refused: { code: 'PAYMENT_LEAVES_STORM' } },
  // rebalancing: Tightrope's pacing
  { description: 'a payment exactly minTimeBetweenPayments after the last', directive: circle(1000), ctx: { ledger: [paid(NOW - 60_000, 1000)] } },
  { description: 'a payment one millisecond too soon', directive: circle(1000), ctx: { ledger: [paid(NOW - 59_999, 1000)] }, refused: { code: 'LIMIT_PAYMENT_TOO_SOON', params: { seconds: 1 } } },
  { description: 'the third payment of the period (limit 3)', directive: circle(1000), ctx: { ledger: [paid(NOW - 600_000, 1000), paid(NOW - 300_000, 1000)] } },
  { description: 'a fourth payment in the period', directive: circle(1000), ctx: { ledger: [paid(NOW - 900_000, 1000), paid(NOW - 600_000, 1000), paid(NOW - 300_000, 1000)] }, refused: { code: 'LIMIT_TRANSACTIONS_PER_PERIOD', params: { max: 3 } } },
  { description: 'a payment that brings the period\'s amount to exactly the limit', directive: circle(100_000), ctx: { ledger: [paid(NOW - 600_000, 100_000), paid(NOW - 300_000, 50_000)] } },
  { description: 'a payment that passes the period\'s amount by one sat', directive: circle(100_000), ctx: { ledger: [paid(NOW - 600_000, 100_000), paid(NOW - 300_000, 50_001)] }, refused: { code: 'LIMIT_AMOUNT_PER_PERIOD', params: { max: 250_000, used: 150_001 } } },
  { description: 'a fee budget that reaches exactly the limit', directive: circle(1000, 100), ctx: { ledger: [paid(NOW - 600_000, 1000, 400)] } },
  { description: 'a fee budget one sat over the limit', directive: circle(1000, 101), ctx: { ledger: [paid(NOW - 600_000, 1000, 400)] }, refused: { code: 'LIMIT_FEE_PER_PERIOD', params: { max: 500, used: 400 } } },
  { description: 'opens do not count against rebalancing', directive: circle(100_000), ctx: { ledger: [open(NOW - 1000, 1_000_000), open(NOW - 2000, 1_000_000)] } },
  // notices and fees carry no spend
  { description: 'set_fees', directive: setFees(NOW, '1000', 100) },
  { description: 'do_not_disconnect', directive: doNotDisconnect(NOW) },
  { description: 'safe_to_disconnect', directive: safeToDisconnect(NOW) }
]

for (const c of CASES) {
  test(`${c.refused === undefined ? 'allowed' : 'refused'}: ${c.description}`, () => {
    const r = checkLimits(c.directive, context(c.ctx))
    if (c.refused === undefined) {
      assert.deepEqual(r, { ok: true, value: undefined })
      return
    }
    assert.equal(r.ok, false)
    if (r.ok) return
    assert.equal(r.error.code, c.refused.code)
    if (c.refused.params !== undefined) assert.deepEqual(r.error.params, c.refused.params)
  })
}

test('Tightrope\'s periods slide: old payments stop counting exactly one period later', () => {
  const t0 = NOW
  // three payments, two minutes apart: the count limit (3 per hour) is reached
  const ledger = [paid(t0, 50_000, 100), paid(t0 + 120_000, 50_000, 100), paid(t0 + 240_000, 50_000, 100)]
  const at = (now: number, amount = 50_000) => {
    const r = checkLimits(rebalance(now, { amount, hops: [BOB, CAROL], maxFee: 100 }), context({ now, ledger }))
    return r.ok ? 'ok' : r.error.code
  }
  assert.equal(at(t0 + 300_000), 'LIMIT_TRANSACTIONS_PER_PERIOD')
  assert.equal(at(t0 + 3_600_000 - 1), 'LIMIT_TRANSACTIONS_PER_PERIOD', 'the first payment is still inside the hour')
  assert.equal(at(t0 + 3_600_000), 'ok', 'the first payment has left the one-hour count window')
  // the amount window is two hours: all 150,000 still count, so 100,000 more just fits
  assert.equal(at(t0 + 3_600_000, 100_000), 'ok')
  const bigLedger = [paid(t0, 100_000, 100), paid(t0 + 120_000, 100_000, 100)]
  const big = (now: number) => {
    const r = checkLimits(rebalance(now, { amount: 100_000, hops: [BOB, CAROL], maxFee: 100 }), context({ now, ledger: bigLedger }))
    return r.ok ? 'ok' : r.error.code
  }
  assert.equal(big(t0 + 3_600_000), 'LIMIT_AMOUNT_PER_PERIOD', 'both payments are inside the two-hour amount window')
  assert.equal(big(t0 + 7_200_000), 'ok', 'the first payment has left the amount window')
})

test('the daily channel window slides the same way', () => {
  const ledger = [open(NOW, 100_000), open(NOW + 3_600_000, 100_000)]
  const at = (now: number) => {
    const r = checkLimits(openChannel(now, BOB, 100_000), context({ now, ledger }))
    return r.ok ? 'ok' : r.error.code
  }
  assert.equal(at(NOW + 3_600_001), 'LIMIT_CHANNELS_PER_DAY')
  assert.equal(at(NOW + DAY - 1), 'LIMIT_CHANNELS_PER_DAY')
  assert.equal(at(NOW + DAY), 'ok')
})

test('every refusal has a sentence in every shipped language', () => {
  const locales = Locales.load()
  const codes = [...new Set(CASES.flatMap(c => c.refused === undefined ? [] : [c.refused.code]))]
  assert.equal(codes.length, 11, 'the table covers each of checkLimits\' eleven codes')
  for (const lang of locales.languages) {
    const keys = new Set(locales.keys(lang))
    const missing = codes.map(c => 'error-' + c.toLowerCase().replace(/_/g, '-')).filter(k => !keys.has(k))
    assert.deepEqual(missing, [], `locales/${lang}`)
  }
})
