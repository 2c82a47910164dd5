/**
 * LND errors as Storm errors. `lightning` rejects with `[httpLikeCode, 'ErrorName', {err}]`,
 * where `err` is often the gRPC error (`{code, details}`); this turns that into a `StormError`
 * whose code is one of the port's `LightningErrorCode`s, with the LND name and detail kept as
 * params for logs (they never hold secrets: LND does not echo macaroons or keys back).
 */
import { StormError } from '../../shared/errors.ts'
import type { LightningErrorCode } from '../lightning_port.ts'

/** gRPC status codes that mean "nobody answers" (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED). */
const GRPC_UNREACHABLE = new Set([1, 4, 14])
/** gRPC status codes for refused credentials (PERMISSION_DENIED, UNAUTHENTICATED). */
const GRPC_DENIED = new Set([7, 16])

/** Rules by LND's message or `lightning`'s error name, first match wins. */
const RULES: Array<[RegExp, LightningErrorCode]> = [
  [/no connection established|failed to connect to all addresses|connect failed|econnrefused|transient_failure|in the process of starting up|waiting to start|wallet locked|wallet is locked|server is shutting down|FailedToConnectToDaemon|LndIsLocked|NotReady/i, 'LN_UNAVAILABLE'],
  [/permission denied|verification failed|macaroon|cannot get macaroon|invalid macaroon|ExpectedPermission|Unauthenticated/i, 'LN_PERMISSION_DENIED'],
  [/not yet synced|is syncing|ChainNotSynced|NotSynced|still syncing/i, 'LN_NOT_SYNCED'],
  [/insufficient funds|not enough witness outputs|InsufficientFunds|InsufficientBalanceToOpen|not enough .* to create funding/i, 'LN_INSUFFICIENT_FUNDS'],
  [/ExpectedLargerChannelSize|below min chan size|ChannelSizeBelowMinimum|BelowMinimum/i, 'LN_CHANNEL_TOO_SMALL'],
  [/funding amount is too large|max channel size|above max chan size|exceeds maximum chan size/i, 'LN_CHANNEL_TOO_LARGE'],
  [/PeerIsNotOnline|not online|FailedToSuccessfullyConnectToRemotePeer|unable to connect|dial tcp|connection refused|PeerNotFound|peer not found|no peer/i, 'LN_PEER_UNREACHABLE'],
  [/channel not found|unable to find channel|unknown channel|FullChannelDetailsNotFound|ChannelNotFound|UnknownChannel|edge not found/i, 'LN_CHANNEL_NOT_FOUND'],
  [/MaxFeeLimitTooLow|FeeLimitExceeded|fee limit/i, 'LN_FEE_TOO_HIGH'],
  [/no route|NoRoute|unable to find a path|PathNotFound|ErrNoPathFound|CannotFindOutboundChannel|no matching outgoing channel|InsufficientBalanceToAttemptPayment|TemporaryChannelFailure|UnknownNextPeer|ChannelDisabled|FeeInsufficient|IncorrectCltvExpiry|ExpiryTooSoon|PaymentPathfindingFailed|RouteNotFound|insufficient local balance|TemporaryNodeFailure/i, 'LN_NO_ROUTE'],
  [/PaymentRejectedByDestination|UnknownPaymentHash|IncorrectPaymentDetails|PaymentTimeout|InvoiceExpired|invoice expired|already paid|AlreadyPaid/i, 'LN_PAYMENT_FAILED']
]

/**
 * Maps what a `lightning` call rejected with to a `StormError`. Anything that is neither a
 * `lightning` error array nor a gRPC error is a bug and is returned unchanged, to be rethrown.
 * `fallback` is the code for an LND error no rule knows (the operation's own failure).
 */
export function lndError (error: unknown, method: string, fallback: LightningErrorCode): StormError | unknown {
  if (error instanceof StormError) return error
  const parts = lndErrorParts(error)
  if (parts === null) return error
  const { status, name, detail, grpcCode } = parts
  const code = classify(status, name, detail, grpcCode) ?? fallback
  return new StormError(code, { method, lndError: name, detail: detail.slice(0, 300) }, { cause: error })
}

/**
 * Runs one `lightning` call, rejecting with a `StormError` for expected failures.
 *
 * @example
 *   const info = await callLnd('getWalletInfo', 'LN_UNAVAILABLE', () => getWalletInfo({ lnd }))
 */
export async function callLnd<T> (method: string, fallback: LightningErrorCode, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    throw lndError(e, method, fallback)
  }
}

interface LndErrorParts {
  status: number
  name: string
  detail: string
  grpcCode: number | undefined
}

function lndErrorParts (error: unknown): LndErrorParts | null {
  if (Array.isArray(error) && typeof error[0] === 'number' && typeof error[1] === 'string') {
    const grpc = grpcParts((error[2] as { err?: unknown } | undefined)?.err)
    const failures = (error[2] as { failures?: unknown[] } | undefined)?.failures
    // payViaRoutes reports the last hop failure as [code, name, details]
    const last = Array.isArray(failures) ? failures.at(-1) : undefined
    const failure = Array.isArray(last) && typeof last[1] === 'string' ? ` ${last[1]}` : ''
    return { status: error[0], name: error[1], detail: (grpc?.detail ?? '') + failure, grpcCode: grpc?.code }
  }
  // a raw gRPC error (calls made without lightning's wrapper) has a numeric status code; a plain
  // Error or TypeError has none and is a bug
  const grpc = grpcParts(error)
  return grpc === null || grpc.code === undefined ? null : { status: 503, name: 'GrpcError', detail: grpc.detail, grpcCode: grpc.code }
}

function grpcParts (err: unknown): { code: number | undefined, detail: string } | null {
  if (typeof err === 'string') return { code: undefined, detail: err }
  if (typeof err !== 'object' || err === null) return null
  const { code, details, message } = err as { code?: unknown, details?: unknown, message?: unknown }
  const detail = typeof details === 'string' && details !== '' ? details : typeof message === 'string' ? message : ''
  if (typeof code !== 'number' && detail === '') return null
  return { code: typeof code === 'number' ? code : undefined, detail }
}

function classify (status: number, name: string, detail: string, grpcCode: number | undefined): LightningErrorCode | undefined {
  if (grpcCode !== undefined && GRPC_UNREACHABLE.has(grpcCode)) return 'LN_UNAVAILABLE'
  if (grpcCode !== undefined && GRPC_DENIED.has(grpcCode)) return 'LN_PERMISSION_DENIED'
  const text = `${name} ${detail}`
  for (const [pattern, code] of RULES) if (pattern.test(text)) return code
  // lightning's own argument checks: `[400, 'Expected…']`
  if (status === 400) return 'LN_INVALID_REQUEST'
  return undefined
}
