/**
 * Setting a node's outgoing fee policy on one channel or on all its open channels, within the
 * channel_update field limits (u32 base and rate, u16 CLTV delta no lower than LND's 18).
 */
import type { SetFeesRequest } from '../agent/lightning_port.ts'
import { StormError } from '../shared/errors.ts'
import type { SimCore } from './core.ts'

const U32_MAX = 4_294_967_295
const MIN_CLTV_DELTA = 18

/**
 * Sets `me`'s policy. Throws `StormError`: `LN_INVALID_REQUEST` (a value out of range) or
 * `LN_CHANNEL_NOT_FOUND` (the channel point is not an open channel of ours).
 */
export function setFees (core: SimCore, me: number, request: SetFeesRequest): void {
  const base = /^\d{1,10}$/.test(String(request.baseFeeMsat)) ? Number(request.baseFeeMsat) : -1
  const ppm = request.feeRatePpm
  const cltv = request.cltvDelta
  if (base < 0 || base > U32_MAX) throw new StormError('LN_INVALID_REQUEST', { field: 'baseFeeMsat' })
  if (!Number.isSafeInteger(ppm) || ppm < 0 || ppm > U32_MAX) throw new StormError('LN_INVALID_REQUEST', { field: 'feeRatePpm' })
  if (cltv !== undefined && (!Number.isSafeInteger(cltv) || cltv < MIN_CLTV_DELTA || cltv > 65535)) {
    throw new StormError('LN_INVALID_REQUEST', { field: 'cltvDelta' })
  }
  let targets: number[]
  if (request.channelPoint === undefined) {
    targets = core.nodes[me]!.chans.filter(c => core.channels[c]!.status === 'open')
  } else {
    const idx = core.byPoint.get(request.channelPoint)
    const ch = idx === undefined ? undefined : core.channels[idx]
    if (ch === undefined || ch.status !== 'open' || (ch.a !== me && ch.b !== me)) {
      throw new StormError('LN_CHANNEL_NOT_FOUND', { channelPoint: String(request.channelPoint) })
    }
    targets = [ch.idx]
  }
  for (const c of targets) {
    const ch = core.channels[c]!
    if (ch.a === me) {
      ch.baseA = base
      ch.ppmA = ppm
      if (cltv !== undefined) ch.cltvA = cltv
    } else {
      ch.baseB = base
      ch.ppmB = ppm
      if (cltv !== undefined) ch.cltvB = cltv
    }
  }
}
