/**
 * Node events for the reports: channels opened, closed, going active or inactive, settled
 * forwards and new blocks. When LND goes away the streams fail; we subscribe again with a
 * doubling delay (on the injected clock) until it is back.
 */
import type { EventEmitter } from 'node:events'
import { subscribeToBlocks, subscribeToChannels, subscribeToForwards } from 'lightning'
import type { Forward, LightningEvent } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { channelFromLnd, channelPoint } from './responses/channel.ts'

const RETRY_FIRST_MS = 1000
const RETRY_MAX_MS = 60_000
/** Forwards seen but not yet settled, at most (LND may never tell us of some outcomes). */
const MAX_IN_FLIGHT = 10_000

interface LndForwardEvent {
  at: string
  is_confirmed: boolean
  is_failed: boolean
  is_receive: boolean
  is_send: boolean
  in_channel?: string
  in_payment?: number
  out_channel?: string
  tokens?: number
  fee_mtokens?: string
}

/** Subscribes `listener` to node events; returns the unsubscribe function. */
export function subscribe (ctx: LndContext, listener: (event: LightningEvent) => void): () => void {
  let streams: EventEmitter[] = []
  let cancelRetry: (() => void) | undefined
  let retries = 0
  let stopped = false
  const inFlight = new Map<string, Omit<Forward, 'at'>>()

  const emit = (event: LightningEvent): void => {
    retries = 0 // LND answers again
    listener(event)
  }
  const close = (): void => {
    for (const stream of streams) stream.removeAllListeners() // lightning cancels a stream left without listeners
    streams = []
  }
  const retry = (): void => {
    if (stopped || cancelRetry !== undefined) return
    close()
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** retries++)
    cancelRetry = ctx.clock.schedule(() => { cancelRetry = undefined; open() }, delay)
  }
  const open = (): void => {
    if (stopped) return
    try {
      streams = [channelStream(ctx, emit), forwardStream(ctx, inFlight, emit), blockStream(ctx, emit)]
      for (const stream of streams) stream.on('error', retry)
    } catch {
      retry()
    }
  }

  open()
  return () => {
    stopped = true
    cancelRetry?.()
    close()
  }
}

function channelStream ({ lnd }: LndContext, emit: (event: LightningEvent) => void): EventEmitter {
  const stream = subscribeToChannels({ lnd })
  stream.on('channel_opened', c => { emit({ type: 'channel_opened', channel: channelFromLnd(c, undefined) }) })
  stream.on('channel_closed', c => { emit({ type: 'channel_closed', channelPoint: channelPoint(c), peer: c.partner_public_key }) })
  stream.on('channel_active_changed', c => { emit({ type: 'channel_active_changed', channelPoint: channelPoint(c), active: c.is_active }) })
  return stream
}

/** LND tells the amounts when a forward starts and only "settled" when it ends: join the two. */
function forwardStream ({ lnd }: LndContext, inFlight: Map<string, Omit<Forward, 'at'>>, emit: (event: LightningEvent) => void): EventEmitter {
  const stream = subscribeToForwards({ lnd })
  stream.on('forward', (f: LndForwardEvent) => {
    if (f.is_send || f.is_receive || f.in_channel === undefined || f.in_payment === undefined) return
    const key = `${f.in_channel}:${f.in_payment}`
    if (f.is_failed) {
      inFlight.delete(key)
    } else if (!f.is_confirmed && f.out_channel !== undefined && f.tokens !== undefined && f.fee_mtokens !== undefined) {
      if (inFlight.size >= MAX_IN_FLIGHT) inFlight.delete(inFlight.keys().next().value!)
      inFlight.set(key, { inChannel: f.in_channel, outChannel: f.out_channel, amount: f.tokens, feeMsat: f.fee_mtokens })
    } else if (f.is_confirmed) {
      const started = inFlight.get(key)
      inFlight.delete(key)
      if (started !== undefined) emit({ type: 'forward', forward: { at: Date.parse(f.at), ...started } })
    }
  })
  return stream
}

function blockStream ({ lnd }: LndContext, emit: (event: LightningEvent) => void): EventEmitter {
  const stream = subscribeToBlocks({ lnd })
  stream.on('block', (b: { height: number }) => { emit({ type: 'block', height: b.height }) })
  return stream
}
