/**
 * Options of a simulated network, with LND's defaults where LND has one.
 */
import type { Clock } from '../shared/clock.ts'
import { SYSTEM_CLOCK } from '../shared/clock.ts'
import type { FeePolicy, Sats } from '../agent/lightning_port.ts'

/** What a `SimNetwork` can be configured with; every field is optional. */
export interface SimNetworkOptions {
  /** Seed of everything random (keys, txids, payment hashes). Default `1`. */
  seed?: number | string
  /** Blocks a funding tx needs before its channels are active. Default 3 (LND's regtest default). */
  confirmations?: number
  /** Time source for forwards' timestamps and auto-mining. Default the system clock. */
  clock?: Clock
  /** When > 0, mine a block every `autoMineMs` while anything waits on blocks. Default 0 (off). */
  autoMineMs?: number
  /** On-chain fee rate in sat/vB. Default 2. */
  feeRate?: number
  /** The fixed virtual size every simulated transaction is charged for. Default 200 vB. */
  txVsize?: number
  /** Blocks a force-closer waits for its own funds (LND's CSV delay). Default 144. */
  toSelfDelay?: number
  /** Allows channels above 16,777,215 sats (up to 10 BTC, LND's wumbo maximum). Default false. */
  wumbo?: boolean
  /** Fee policy of new channels. Default LND's: base 1000 msat, 1 ppm, CLTV delta 80. */
  defaultPolicy?: FeePolicy
  /**
   * Sats the funder sets aside for the commitment transaction (fee and anchors) while a channel
   * is open; returned at close. Default 0 — LND's is roughly 500–3,000 sats; set it for realism.
   */
  commitFee?: Sats
  /** Payment attempts before giving up (mission control). Default 10. */
  maxAttempts?: number
  /** Keep every forward for `getForwards`. Default true; benches may turn it off. */
  recordForwards?: boolean
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  seed: number | string
  confirmations: number
  clock: Clock
  autoMineMs: number
  feeRate: number
  txVsize: number
  toSelfDelay: number
  minChannelSize: Sats
  maxChannelSize: Sats
  defaultBaseMsat: number
  defaultPpm: number
  defaultCltv: number
  commitFee: Sats
  maxAttempts: number
  recordForwards: boolean
}

/** LND's `--minchansize` default. */
export const MIN_CHANNEL_SIZE = 20_000
/** The largest channel without `option_support_large_channel` (2^24 - 1). */
export const MAX_CHANNEL_SIZE = 16_777_215
/** LND's default maximum with wumbo channels enabled: 10 BTC. */
export const MAX_WUMBO_CHANNEL_SIZE = 1_000_000_000
/** LND's default dust limit, the floor of a channel reserve. */
export const DUST_LIMIT = 354

/** Fills in defaults. Throws on nonsense (it is a programming error, not user input). */
export function resolveOptions (options: SimNetworkOptions = {}): ResolvedOptions {
  const policy = options.defaultPolicy ?? { baseFeeMsat: '1000', feeRatePpm: 1, cltvDelta: 80 }
  const resolved: ResolvedOptions = {
    seed: options.seed ?? 1,
    confirmations: options.confirmations ?? 3,
    clock: options.clock ?? SYSTEM_CLOCK,
    autoMineMs: options.autoMineMs ?? 0,
    feeRate: options.feeRate ?? 2,
    txVsize: options.txVsize ?? 200,
    toSelfDelay: options.toSelfDelay ?? 144,
    minChannelSize: MIN_CHANNEL_SIZE,
    maxChannelSize: options.wumbo === true ? MAX_WUMBO_CHANNEL_SIZE : MAX_CHANNEL_SIZE,
    defaultBaseMsat: Number(policy.baseFeeMsat),
    defaultPpm: policy.feeRatePpm,
    defaultCltv: policy.cltvDelta,
    commitFee: options.commitFee ?? 0,
    maxAttempts: options.maxAttempts ?? 10,
    recordForwards: options.recordForwards ?? true
  }
  const counts = [resolved.confirmations, resolved.autoMineMs, resolved.feeRate, resolved.txVsize,
    resolved.toSelfDelay, resolved.defaultBaseMsat, resolved.defaultPpm, resolved.commitFee]
  if (!counts.every(n => Number.isSafeInteger(n) && n >= 0)) throw new Error('simnet: options must be non-negative integers')
  if (resolved.confirmations < 1 || resolved.maxAttempts < 1) throw new Error('simnet: confirmations and maxAttempts must be >= 1')
  return resolved
}
