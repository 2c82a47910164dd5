/**
 * The channels a directive opens, whether one (`open_channel`) or a batch in one funding
 * transaction (`open_channels`), read the same way by the manager and by stormd; and which
 * channel points its result reports, channel by channel.
 */
import type { DirectiveKind, DirectiveMessage } from './messages.ts'

export interface ChannelOpen {
  peer: string
  /** The member who owns the peer node. */
  peerMember: string
  capacity: number
  socket?: string
}

type Directive = Pick<DirectiveMessage, 'kind' | 'params'>
type Detail = Readonly<Record<string, string | number | boolean>>

/** The channels `d` opens, in order; empty for a directive that opens none. */
export function channelOpens (d: Directive): ChannelOpen[] {
  const x = d as DirectiveMessage
  if (x.kind === 'open_channel') return [x.params]
  if (x.kind === 'open_channels') return x.params.channels
  return []
}

/** True for a directive that opens channels. */
export function opensChannels (d: Directive): boolean {
  return d.kind === 'open_channel' || d.kind === 'open_channels'
}

/** The allocation (`addfunds` request) the channels serve, if any. */
export function openAllocation (d: Directive): string | undefined {
  const x = d as DirectiveMessage
  return x.kind === 'open_channel' || x.kind === 'open_channels' ? x.params.allocation : undefined
}

/** Sats the directive puts into channels. */
export function openedSats (d: Directive): number {
  return channelOpens(d).reduce((s, c) => s + c.capacity, 0)
}

/** The result detail key of the i-th channel of a batch. */
export function batchPointKey (i: number): string {
  return `channelPoint.${i}`
}

/**
 * The channel point each of `d`'s channels got, by its result's detail, aligned with
 * `channelOpens(d)`; `undefined` for a channel the detail does not name.
 */
export function openedPoints (d: Directive, detail: Detail | undefined): Array<string | undefined> {
  const pick = (v: unknown): string | undefined => typeof v === 'string' ? v : undefined
  if (d.kind === 'open_channel') return [pick(detail?.channelPoint)]
  return channelOpens(d).map((_, i) => pick(detail?.[batchPointKey(i)]))
}

/**
 * The kinds an owner's or a Storm's approval list names for `kind`: a batch of opens is governed
 * by whatever governs one open, so listing `open_channel` covers `open_channels` too.
 */
export function approvalKinds (kind: DirectiveKind): DirectiveKind[] {
  return kind === 'open_channels' ? ['open_channel', 'open_channels'] : [kind]
}

/** Whether a list of kinds (requireApproval, autoApprove, ...) covers `kind`. */
export function kindListed (list: readonly DirectiveKind[], kind: DirectiveKind): boolean {
  return approvalKinds(kind).some(k => list.includes(k))
}
