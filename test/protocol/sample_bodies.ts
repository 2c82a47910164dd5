/** One valid body for every message type, with defaults spelled out so a round trip is exact. */
import type { MessageBody, MessageType } from '../../src/protocol/index.ts'

const NODE_A = '02' + 'a1'.repeat(32)
const NODE_B = '03' + 'b2'.repeat(32)
const AGENT = 'c3'.repeat(32)
const POINT = 'd4'.repeat(32) + ':1'
const NODE = { publicKey: NODE_A, alias: 'alice', network: 'regtest' as const, uris: [`${NODE_A}@127.0.0.1:9735`], version: '0.18.0-beta' }

export const SAMPLE_BODIES: { [T in MessageType]: MessageBody<T> } = {
  pair_challenge: { group: 'friends', nonce: 'e5'.repeat(32) },
  pair_request: { nonce: 'e5'.repeat(32), agentKey: AGENT, agentSignature: 'f6'.repeat(64), node: NODE, nodeSignature: 'd'.repeat(104) },
  pair_result: { memberId: 'm_alice', group: 'friends', managerKey: 'a7'.repeat(32) },
  hello: { agentVersion: '0.1.0', node: NODE, finished: ['d1', 'd2'] },
  report: {
    at: 1_767_225_600_000,
    health: { healthy: true, blockHeight: 800 },
    balance: { confirmed: 1_000_000, unconfirmed: 0 },
    channels: [{ id: '800x1x0', channelPoint: POINT, peer: NODE_B, capacity: 2_000_000, localBalance: 1_000_000, remoteBalance: 990_000, localReserve: 20_000, remoteReserve: 20_000, active: true, initiator: true, baseFeeMsat: '1000', feeRatePpm: 100 }],
    pending: [{ channelPoint: POINT, peer: NODE_B, capacity: 500_000, localBalance: 0, state: 'opening', initiator: false }],
    flow: { from: 1_767_225_000_000, to: 1_767_225_600_000, channels: [{ channel: '800x1x0', inAmount: 5000, outAmount: 4000, forwards: 3, feeMsat: '1200' }] }
  },
  heartbeat: { at: 1_767_225_600_000, health: { healthy: false, reason: 'LN_NOT_SYNCED' } },
  directive: {
    kind: 'open_channel',
    params: { peer: NODE_B, peerMember: 'm_bob', capacity: 2_000_000, allocation: 'jX78nVt' },
    id: 'dir_1',
    reason: 'addfunds jX78nVt: connect alice to bob',
    createdAt: 1_767_225_600_000,
    expiresAt: 1_767_312_000_000,
    requiresApproval: true
  },
  directive_status: { directive: 'dir_1', status: 'awaiting_approval' },
  approval: { directive: 'dir_1', decision: 'approve', by: 'telegram:42' },
  revoke: { directive: 'dir_1', reason: 'lifted' },
  result: { directive: 'dir_1', outcome: 'failed', detail: { channelPoint: POINT, retried: false, fee: 3 }, error: { code: 'LN_UNAVAILABLE', params: { reason: 'timeout' } } },
  result_ack: { directive: 'd_1' },
  command: { text: 'addfunds 2000000', lang: 'en' },
  command_reply: { command: 'cmd_1', ok: true, text: 'Request jX78nVt: 2 channels will open.', data: { members: 3, nested: [1, 'two', null] } },
  roster: { group: 'friends', members: [{ id: 'm_alice', name: 'Alice', node: NODE_A }, { id: 'm_bob', name: 'Bob', node: NODE_B }] },
  cut_off: { reason: 'banned by vote' },
  error: { code: 'BAD_BODY', ref: 'abc_123', detail: 'params.capacity: too small' },
  history_request: { from: 12 },
  history: {
    from: 12,
    entries: [{ index: 14, at: 1_767_225_600_000, event: 'directive_created', actor: '@alice', members: ['m_alice', 'm_bob'], data: { id: 'dir_1', kind: 'open_channel', params: { capacity: 2_000_000 } }, sig: 'ab'.repeat(64) }],
    length: 20
  },
  vote: { baseFeeMsat: '1000', feeRatePpm: 1 },
  vote_result: { vote: 'v_1', ok: true, stake: 2_000_000, unchanged: false, totalStake: 6_000_000, votedStake: 2_000_000, voters: 1 }
}
