/**
 * Our fee policy per channel, read through `lightning` with fakes of its calls (no LND here): a
 * policy that cannot be read for one channel leaves that channel's fees unknown in the report,
 * and the report still goes out with every other channel — as the manager's schema accepts it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AuthenticatedLnd } from 'lightning'
import { getChannels, type ChannelCalls } from '../../src/agent/lnd/channels.ts'
import type { LndContext } from '../../src/agent/lnd/context.ts'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import { buildReport } from '../../src/agent/build_report.ts'
import { ReportSchema } from '../../src/protocol/messages.ts'
import { ManualClock } from '../../src/shared/clock.ts'

const SELF = '02' + 'aa'.repeat(32)
const PEERS = ['03' + 'bb'.repeat(32), '03' + 'cc'.repeat(32), '03' + 'dd'.repeat(32)]
const IDS = ['700x1x0', '701x2x1', '702x3x0']
const txid = (i: number): string => String(i + 1).repeat(64).slice(0, 64)

/** What `lightning`'s getChannels gives for our three channels (the fields Storm reads). */
const LND_CHANNELS = IDS.map((id, i) => ({
  id,
  transaction_id: txid(i),
  transaction_vout: 0,
  partner_public_key: PEERS[i]!,
  capacity: 1_000_000,
  local_balance: 600_000,
  remote_balance: 390_000,
  local_reserve: 10_000,
  remote_reserve: 10_000,
  is_active: true,
  is_private: false,
  is_partner_initiated: false
}))

const RATES = IDS.map((id, i) => ({ id, base_fee_mtokens: String(1000 * (i + 1)), fee_rate: 100 * (i + 1), transaction_id: txid(i), transaction_vout: 0 }))

/** Our side and the peer's side of a channel in the graph. */
const edge = (id: string, i: number) => ({
  id,
  policies: [
    { public_key: SELF, base_fee_mtokens: String(1000 * (i + 1)), fee_rate: 100 * (i + 1), cltv_delta: 40 + i },
    { public_key: PEERS[i]!, base_fee_mtokens: '1', fee_rate: 1, cltv_delta: 144 }
  ]
})

interface Fake { feeReport: 'ok' | 'rejects'; node: 'ok' | 'rejects'; brokenChannel?: string }

/** Fakes of the `lightning` calls; `getChannel` throws for `brokenChannel`, as LND does for an edge it cannot read. */
function calls (fake: Fake): ChannelCalls & { asked: string[] } {
  const asked: string[] = []
  const f = {
    asked,
    getChannels: async () => ({ channels: LND_CHANNELS }),
    // `lightning` rejects the whole fee report when one channel's entry is malformed
    getFeeRates: async () => {
      if (fake.feeReport === 'rejects') throw [503, 'ExpectedBaseFeeMtokensForChannelFee']
      return { channels: RATES }
    },
    getNode: async () => {
      if (fake.node === 'rejects') throw [404, 'NodeIsUnknown']
      return { channels: IDS.map(edge) }
    },
    getChannel: async ({ id }: { id: string }) => {
      asked.push(id)
      if (id === fake.brokenChannel) throw [503, 'UnexpectedGetChannelInfoError', { err: { details: 'edge not found' } }]
      return edge(id, IDS.indexOf(id))
    }
  }
  return f as unknown as ChannelCalls & { asked: string[] }
}

const CTX: LndContext = { lnd: {} as AuthenticatedLnd, selfKey: async () => SELF, clock: new ManualClock(0) }

const fees = (channels: Array<{ id: string, policy?: { baseFeeMsat: string, feeRatePpm: number, cltvDelta: number } }>) =>
  Object.fromEntries(channels.map(c => [c.id, c.policy === undefined ? 'unknown' : `${c.policy.baseFeeMsat}/${c.policy.feeRatePpm}/${c.policy.cltvDelta}`]))

test('policies from the fee report and our node\'s edges: every channel known, no lookup per channel', async () => {
  const c = calls({ feeReport: 'ok', node: 'ok' })
  assert.deepEqual(fees(await getChannels(CTX, c)), { '700x1x0': '1000/100/40', '701x2x1': '2000/200/41', '702x3x0': '3000/300/42' })
  assert.deepEqual(c.asked, [])
})

test('the fee report rejects and one channel\'s graph lookup throws: that channel is unknown, the others are read one by one', async () => {
  const c = calls({ feeReport: 'rejects', node: 'ok', brokenChannel: '701x2x1' })
  assert.deepEqual(fees(await getChannels(CTX, c)), { '700x1x0': '1000/100/40', '701x2x1': 'unknown', '702x3x0': '3000/300/42' })
})

test('the node query and one channel\'s lookup fail: only that channel\'s fees are unknown', async () => {
  const c = calls({ feeReport: 'ok', node: 'rejects', brokenChannel: '700x1x0' })
  assert.deepEqual(fees(await getChannels(CTX, c)), { '700x1x0': 'unknown', '701x2x1': '2000/200/41', '702x3x0': '3000/300/42' })
  assert.deepEqual(c.asked.sort(), IDS)
})

test('a report still goes out with the broken channel\'s fees absent, and the manager\'s schema accepts it', async () => {
  const c = calls({ feeReport: 'rejects', node: 'rejects', brokenChannel: '702x3x0' })
  const node = {
    getInfo: async () => ({ publicKey: SELF, alias: 'me', blockHeight: 800, syncedToChain: true, activeChannels: 3, pendingChannels: 0, peers: 3, version: 'lnd fake' }),
    getChainBalance: async () => ({ confirmed: 5_000, unconfirmed: 0 }),
    getChannels: async () => await getChannels(CTX, c),
    getPendingChannels: async () => [],
    getForwards: async () => []
  } as unknown as LightningNode
  const report = await buildReport(node, 0, 60_000)
  const parsed = ReportSchema.parse(JSON.parse(JSON.stringify(report)))
  assert.deepEqual(parsed.channels.map(ch => [ch.id, ch.baseFeeMsat ?? 'unknown', ch.feeRatePpm ?? 'unknown']), [
    ['700x1x0', '1000', 100], ['701x2x1', '2000', 200], ['702x3x0', 'unknown', 'unknown']
  ])
  assert.equal('baseFeeMsat' in parsed.channels[2]!, false, 'unknown fees are left out, as the schema has always allowed')
})
