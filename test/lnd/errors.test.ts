/**
 * How LND's failures, as `lightning` reports them, become the port's error codes. The shapes
 * below are the ones LND 0.21 and lightning 12 produced on the regtest network.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StormError } from '../../src/shared/errors.ts'
import { lndError } from '../../src/agent/lnd/index.ts'

const grpc = (code: number, details: string): { err: { code: number, details: string, message: string } } =>
  ({ err: { code, details, message: `${code} ${details}` } })

const CASES: Array<{ description: string, error: unknown, method?: string, fallback?: Parameters<typeof lndError>[2], expected: string }> = [
  { description: 'LND stopped', error: [503, 'GetWalletInfoErr', grpc(14, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:29731.')], expected: 'LN_UNAVAILABLE' },
  { description: 'LND starting up', error: [503, 'GetWalletInfoErr', grpc(2, 'the RPC server is in the process of starting up, but not yet ready to accept calls')], expected: 'LN_UNAVAILABLE' },
  { description: 'a macaroon of another node', error: [503, 'GetWalletInfoErr', grpc(2, 'verification failed: signature mismatch after caveat verification')], expected: 'LN_PERMISSION_DENIED' },
  { description: 'a macaroon without the permission', error: [503, 'UnexpectedSignMessageError', grpc(2, 'permission denied')], expected: 'LN_PERMISSION_DENIED' },
  { description: 'channel below the minimum', error: [400, 'ExpectedLargerChannelSizeForChannelOpen'], expected: 'LN_CHANNEL_TOO_SMALL' },
  { description: 'channel above the maximum', error: [503, 'FailedToOpenChannel', { err: 'funding amount is too large, the max channel size is: 0.16777215 BTC' }], expected: 'LN_CHANNEL_TOO_LARGE' },
  { description: 'wallet too poor', error: [503, 'FailedToOpenChannel', { err: 'not enough witness outputs to create funding transaction, need 1.00 BTC only have 0.10 BTC available' }], expected: 'LN_INSUFFICIENT_FUNDS' },
  { description: 'peer not connected', error: [503, 'PeerIsNotOnline'], expected: 'LN_PEER_UNREACHABLE' },
  { description: 'peer not reachable', error: [503, 'FailedToSuccessfullyConnectToRemotePeer'], expected: 'LN_PEER_UNREACHABLE' },
  { description: 'closing an unknown channel', error: [503, 'UnexpectedCloseChannelError', grpc(2, 'channel not found')], expected: 'LN_CHANNEL_NOT_FOUND' },
  { description: 'no channel out to the first hop', error: [503, 'CannotFindOutboundChannel', grpc(2, 'no matching outgoing channel available for node index 0')], expected: 'LN_NO_ROUTE' },
  { description: 'pathfinding found nothing', error: [503, 'InsufficientBalanceToAttemptPayment'], expected: 'LN_NO_ROUTE' },
  { description: 'a hop without liquidity', error: [503, 'TemporaryChannelFailure', { failures: [[503, 'TemporaryChannelFailure', {}]] }], expected: 'LN_NO_ROUTE' },
  { description: 'the fee limit', error: [503, 'MaxFeeLimitTooLow'], expected: 'LN_FEE_TOO_HIGH' },
  { description: 'an invoice already paid', error: [503, 'PaymentRejectedByDestination'], expected: 'LN_PAYMENT_FAILED' },
  { description: "lightning's own argument check", error: [400, 'ExpectedPublicKeyOfPeerToAdd'], expected: 'LN_INVALID_REQUEST' },
  { description: 'a raw gRPC error (BatchOpenChannel)', error: { code: 14, details: 'failed to connect to all addresses' }, expected: 'LN_UNAVAILABLE' },
  { description: 'an LND error no rule knows takes the fallback', error: [503, 'SomethingNew', grpc(2, 'odd')], fallback: 'LN_PAYMENT_FAILED', expected: 'LN_PAYMENT_FAILED' }
]

test('LND errors map to the port codes', async t => {
  for (const c of CASES) {
    await t.test(c.description, () => {
      const mapped = lndError(c.error, c.method ?? 'someCall', c.fallback ?? 'LN_INVALID_REQUEST')
      assert.ok(mapped instanceof StormError)
      assert.equal(mapped.code, c.expected)
      assert.equal(mapped.params.method, c.method ?? 'someCall')
      assert.equal(mapped.params.lndError, Array.isArray(c.error) ? c.error[1] : 'GrpcError')
    })
  }
})

test('the detail is kept for logs, cut short', () => {
  const mapped = lndError([503, 'UnexpectedCloseChannelError', grpc(2, 'channel not found ' + 'x'.repeat(1000))], 'closeChannel', 'LN_INVALID_REQUEST') as StormError
  assert.match(String(mapped.params.detail), /^channel not found x+$/)
  assert.equal(String(mapped.params.detail).length, 300)
  assert.ok(Array.isArray(mapped.cause))
})

test('what is not an LND error is a bug, passed through unchanged', () => {
  const bug = new TypeError('cannot read properties of undefined')
  assert.equal(lndError(bug, 'getChannels', 'LN_UNAVAILABLE'), bug)
  const storm = new StormError('LN_FEE_TOO_HIGH', { maxFee: 1 })
  assert.equal(lndError(storm, 'payCircular', 'LN_PAYMENT_FAILED'), storm)
})
