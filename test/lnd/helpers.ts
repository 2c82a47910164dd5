/**
 * Shared by the real-LND tests: the regtest network that `npm run test:lnd` brought up, and
 * Storm's LND adapter connected to one of its nodes the way stormd connects (stormd.conf keys).
 */
import { connectLnd } from '../../src/agent/lnd/index.ts'
import type { ConnectOptions } from '../../src/agent/lnd/index.ts'
import type { CircularPaymentRequest, LightningNode, PaymentOutcome } from '../../src/agent/lightning_port.ts'
import { isNetworkUp, loadNetwork } from '../../scripts/regtest/regtest.ts'
import type { RegtestNetwork } from '../../scripts/regtest/regtest.ts'

const MACAROON = process.env.STORM_LND_MACAROON ?? 'uri'

/** Why the suite is skipped, or false when a network is up. */
export const SKIP = isNetworkUp() ? false : 'no regtest network is up: run `npm run test:lnd` (or `npm run regtest:up` first)'

/** The running network (call only when not skipped). */
export function network (): RegtestNetwork {
  return loadNetwork()
}

/**
 * Storm's adapter on node `alias`, configured with stormd.conf's keys and the scoped macaroon
 * docs/lnd.md describes, so every test also checks that list of permissions: by RPC method, or
 * by entity with `STORM_LND_MACAROON=entity`.
 */
export function adapter (net: RegtestNetwork, alias: string, options: ConnectOptions = {}): LightningNode {
  return connectLnd(net.stormdConf(alias, MACAROON === 'entity' ? 'entity' : 'uri'), options)
}

/** Resolves with the first value `probe` returns that is not undefined (polling a real node). */
export async function eventually<T> (probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`, { cause: last })
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

/** Rejects `promise` must, with a StormError of `code`; returns the error for more checks. */
export async function rejectsWith (promise: Promise<unknown>, code: string): Promise<{ code: string, params: Record<string, string | number> }> {
  try {
    await promise
  } catch (e) {
    const error = e as { code?: string, params?: Record<string, string | number>, message?: string }
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code ?? error.message}`, { cause: e })
    return { code, params: error.params ?? {} }
  }
  throw new Error(`expected ${code}, but it succeeded`)
}

/** Readies and sends a circular payment, as stormd does (the hash first, then the payment). */
export async function payCircular (node: LightningNode, request: CircularPaymentRequest): Promise<PaymentOutcome> {
  return await node.payCircular(await node.prepareCircular(request))
}
