/**
 * The bodies of Storm protocol messages, version 1. Every message travels inside a signed
 * envelope (`envelope.ts`); these schemas validate the `body` for each `type`.
 *
 * Direction: M = manager, A = agent (`stormd`).
 */
import { z } from 'zod'
import { isPrototypeKey } from '../shared/own.ts'

export const PROTOCOL_VERSION = 1

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `expected ${bytes} bytes of lowercase hex`)
export const NodeKeySchema = Hex(33)
export const AgentKeySchema = Hex(32)
export const SatsSchema = z.number().int().nonnegative().max(21e14)
export const PositiveSatsSchema = z.number().int().positive().max(21e14)
export const MsatSchema = z.string().regex(/^\d{1,20}$/, 'expected millisatoshis as a decimal string')
export const ChannelPointSchema = z.string().regex(/^[0-9a-f]{64}:\d{1,5}$/, 'expected txid:vout')
export const ShortChannelIdSchema = z.string().regex(/^\d+x\d+x\d+$/, 'expected BLOCKxTXxOUT')
/** Ids are record keys, so `__proto__` (which a plain object can't hold as a key) is refused. */
export const IdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).refine(s => !isPrototypeKey(s), 'not an id')
const Timestamp = z.number().int().nonnegative()
const Text = (max: number) => z.string().max(max)

export const NetworkSchema = z.enum(['mainnet', 'testnet', 'signet', 'regtest', 'simnet'])

export const NodeSummarySchema = z.object({
  publicKey: NodeKeySchema,
  alias: Text(64),
  network: NetworkSchema,
  uris: z.array(Text(200)).max(8),
  version: Text(64),
  /** Where the node is, as its owner put it in stormd.conf (`region`): placement reads it. */
  region: z.string().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/).optional()
})
export type NodeSummary = z.infer<typeof NodeSummarySchema>

// ---- pairing ------------------------------------------------------------------------------

/** M→A, on a connection made with a pairing key: what the node must sign. */
export const PairChallengeSchema = z.object({
  group: Text(64),
  nonce: Hex(32)
})

/** A→M: the agent's permanent key and the node's proof. */
export const PairRequestSchema = z.object({
  nonce: Hex(32),
  agentKey: AgentKeySchema,
  /** The agent's permanent key signs `pairingProofText(...)` (ed25519, hex). */
  agentSignature: Hex(64),
  node: NodeSummarySchema,
  /** The node signs `pairingProofText(...)` in LND's signmessage format (zbase32). */
  nodeSignature: z.string().min(100).max(140)
})

/** M→A: the outcome. On success the agent reconnects with its permanent key. */
export const PairResultSchema = z.object({
  memberId: IdSchema,
  group: Text(64),
  managerKey: AgentKeySchema
})

/** The exact text both the agent key and the node key sign when pairing. */
export function pairingProofText (group: string, nonce: string, agentKey: string, nodeKey: string): string {
  return `storm-pair v1 group=${group} nonce=${nonce} agent=${agentKey} node=${nodeKey}`
}

// ---- reports --------------------------------------------------------------------------------

export const ChannelReportSchema = z.object({
  id: ShortChannelIdSchema,
  channelPoint: ChannelPointSchema,
  peer: NodeKeySchema,
  capacity: SatsSchema,
  localBalance: SatsSchema,
  remoteBalance: SatsSchema,
  localReserve: SatsSchema,
  remoteReserve: SatsSchema,
  active: z.boolean(),
  initiator: z.boolean(),
  /** Our fees on the channel; both absent when the agent could not read them (unknown, not zero). */
  baseFeeMsat: MsatSchema.optional(),
  feeRatePpm: z.number().int().nonnegative().optional()
})
export type ChannelReport = z.infer<typeof ChannelReportSchema>

export const PendingChannelReportSchema = z.object({
  channelPoint: ChannelPointSchema,
  peer: NodeKeySchema,
  capacity: SatsSchema,
  localBalance: SatsSchema,
  state: z.enum(['opening', 'closing', 'force_closing', 'waiting_close']),
  initiator: z.boolean()
})
export type PendingChannelReport = z.infer<typeof PendingChannelReportSchema>

export const HealthSchema = z.object({
  healthy: z.boolean(),
  /** Why not healthy: an error code such as LN_UNAVAILABLE or LN_NOT_SYNCED. */
  reason: Text(64).optional(),
  blockHeight: z.number().int().nonnegative().optional()
})
export type Health = z.infer<typeof HealthSchema>

/** Forwarding through one channel during a report's window. */
export const ChannelFlowSchema = z.object({
  channel: ShortChannelIdSchema,
  inAmount: SatsSchema,
  outAmount: SatsSchema,
  forwards: z.number().int().nonnegative(),
  feeMsat: MsatSchema
})

export const FlowSchema = z.object({
  from: Timestamp,
  to: Timestamp,
  channels: z.array(ChannelFlowSchema).max(2000)
})
export type Flow = z.infer<typeof FlowSchema>

/** A→M, once per connection: who the agent is and what it has already executed. */
export const HelloSchema = z.object({
  agentVersion: Text(32),
  node: NodeSummarySchema,
  /** Directive ids this agent has finished (recent ones), so the manager can reconcile. */
  finished: z.array(IdSchema).max(1000),
  /**
   * `rosterDigest` of the roster the agent holds: the manager sends the roster back only when
   * its own differs (at 3,000 members a roster is ~340 KB, sent on every connection before).
   */
  rosterDigest: Hex(32).optional()
})

/** A→M: the node's channels, balances, flow and health. */
export const ReportSchema = z.object({
  at: Timestamp,
  health: HealthSchema,
  balance: z.object({ confirmed: SatsSchema, unconfirmed: SatsSchema }),
  channels: z.array(ChannelReportSchema).max(2000),
  pending: z.array(PendingChannelReportSchema).max(2000),
  flow: FlowSchema.optional(),
  /** The owner chose not to report forwarding flow (`reportFlow=false`): `flow` is absent on purpose. */
  flowPrivate: z.literal(true).optional()
})
export type Report = z.infer<typeof ReportSchema>

/** A→M, on a short period: alive, and whether LND is healthy. */
export const HeartbeatSchema = z.object({
  at: Timestamp,
  health: HealthSchema
})

// ---- directives -----------------------------------------------------------------------------

export const DIRECTIVE_KINDS = [
  'open_channel', 'open_channels', 'close_channel', 'rebalance', 'set_fees', 'do_not_disconnect', 'safe_to_disconnect',
  'create_invoice', 'pay_invoice'
] as const
export type DirectiveKind = typeof DIRECTIVE_KINDS[number]

export const OpenChannelParamsSchema = z.object({
  peer: NodeKeySchema,
  /** The member who owns the peer node. */
  peerMember: IdSchema,
  capacity: PositiveSatsSchema,
  socket: Text(200).optional(),
  /** The allocation (`addfunds` request) this channel serves, if any. */
  allocation: IdSchema.optional()
})

/** The most channels one batched funding transaction opens. */
export const MAX_BATCH_CHANNELS = 50

/** One channel of a batch. */
export const BatchChannelSchema = OpenChannelParamsSchema.omit({ allocation: true })

/**
 * Several channels funded by ONE on-chain transaction (LND's batch open): all open or none. The
 * result's detail says `fundingTxid` and, per channel in this order, `channelPoint.<i>`.
 */
export const OpenChannelsParamsSchema = z.object({
  channels: z.array(BatchChannelSchema).min(2).max(MAX_BATCH_CHANNELS)
    .refine(cs => new Set(cs.map(c => c.peer)).size === cs.length, 'a peer appears twice in one batch'),
  /** The allocation (`addfunds` request) these channels serve, if any. */
  allocation: IdSchema.optional()
})

export const CloseChannelParamsSchema = z.object({
  channelPoint: ChannelPointSchema,
  peer: NodeKeySchema,
  force: z.boolean(),
  /** The deallocation (`removefunds` / `disconnect`) this close serves, if any. */
  deallocation: IdSchema.optional()
})

export const RebalanceParamsSchema = z.object({
  amount: PositiveSatsSchema,
  outgoingChannel: ShortChannelIdSchema,
  /** The hops after the agent's node; the payment returns from the last one. */
  hops: z.array(NodeKeySchema).min(1).max(20),
  maxFee: SatsSchema
})

/**
 * Moving sats between two nodes of ONE member (a fleet): the payee node creates a plain invoice,
 * the payer node pays it. Never between members: stormd pays only a node of its own member.
 */
export const CreateInvoiceParamsSchema = z.object({
  amount: PositiveSatsSchema,
  /** The member's node that will pay it (the manager's note; the payee does not act on it). */
  payer: NodeKeySchema,
  /** The most the payment may cost in routing fees. */
  maxFee: SatsSchema
})

export const PayInvoiceParamsSchema = z.object({
  request: Text(2000),
  /** The member's own node the invoice must be payable to, for this amount. */
  payee: NodeKeySchema,
  amount: PositiveSatsSchema,
  maxFee: SatsSchema
})

export const SetFeesParamsSchema = z.object({
  baseFeeMsat: MsatSchema,
  feeRatePpm: z.number().int().nonnegative().max(1_000_000),
  /** Channels to set; every Storm channel of the node when absent. */
  channelPoints: z.array(ChannelPointSchema).max(2000).optional()
})

export const DoNotDisconnectParamsSchema = z.object({
  /** Why the node must stay: e.g. liquidity is being routed around it. */
  until: Timestamp.optional()
})

export const SafeToDisconnectParamsSchema = z.object({
  /** A maintenance window, when the disconnect is planned downtime. */
  windowStart: Timestamp.optional(),
  windowEnd: Timestamp.optional()
})

export const DirectiveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open_channel'), params: OpenChannelParamsSchema }),
  z.object({ kind: z.literal('open_channels'), params: OpenChannelsParamsSchema }),
  z.object({ kind: z.literal('close_channel'), params: CloseChannelParamsSchema }),
  z.object({ kind: z.literal('rebalance'), params: RebalanceParamsSchema }),
  z.object({ kind: z.literal('set_fees'), params: SetFeesParamsSchema }),
  z.object({ kind: z.literal('do_not_disconnect'), params: DoNotDisconnectParamsSchema }),
  z.object({ kind: z.literal('safe_to_disconnect'), params: SafeToDisconnectParamsSchema }),
  z.object({ kind: z.literal('create_invoice'), params: CreateInvoiceParamsSchema }),
  z.object({ kind: z.literal('pay_invoice'), params: PayInvoiceParamsSchema })
]).and(z.object({
  id: IdSchema,
  /** A human reason, shown to the owner when asked to approve. */
  reason: Text(500),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  requiresApproval: z.boolean()
}))
export type DirectiveMessage = z.infer<typeof DirectiveSchema>

/** A→M: the directive has reached a new stage on the agent. */
export const DirectiveStatusSchema = z.object({
  directive: IdSchema,
  status: z.enum(['received', 'awaiting_approval', 'approved', 'executing'])
})

/** M→A (a tap in chat, relayed) or stormcli→A: the owner's decision. */
export const ApprovalSchema = z.object({
  directive: IdSchema,
  decision: z.enum(['approve', 'reject']),
  /** Who decided, for the audit log. */
  by: Text(100)
})

export const ErrorInfoSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
  params: z.record(z.string().max(64), z.union([z.string().max(500), z.number()])).default({})
})
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>

/** M→A: the directive is withdrawn (its request was cancelled, or it expired) — the agent drops
 * it unless it has already started executing it — or, for a standing notice such as
 * `do_not_disconnect`, lifted. */
export const RevokeSchema = z.object({
  directive: IdSchema,
  reason: z.enum(['cancelled', 'expired', 'lifted'])
})

/** A→M: how a directive ended on the agent. */
export const ResultSchema = z.object({
  directive: IdSchema,
  outcome: z.enum(['succeeded', 'failed', 'rejected', 'revoked']),
  /** What was done, e.g. `{ channelPoint }` or `{ fee, hops }`. */
  detail: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
  error: ErrorInfoSchema.optional()
})

/**
 * M→A: the manager has stored this directive's `result` (or had it already, or does not know the
 * directive). stormd keeps a result and sends it again — on every connection and on a timer —
 * until it is acknowledged; the manager takes a result it already has once, and acks it again.
 */
export const ResultAckSchema = z.object({
  directive: IdSchema
})

// ---- commands (stormcli → stormd → manager) --------------------------------------------------

/** A→M: a member command typed into `stormcli`, in the chat command language (`addfunds 2000000`). */
export const CommandSchema = z.object({
  text: Text(500),
  /** The member's language for the reply, e.g. `en`. */
  lang: Text(16)
})

/** M→A: the command's outcome as a locale key with parameters, rendered by stormcli. */
export const CommandReplySchema = z.object({
  command: IdSchema,
  ok: z.boolean(),
  /** Already rendered text in the requested language. */
  text: Text(20000),
  /** Structured data for commands that return data (getinfo). */
  data: z.unknown().optional()
})

/** M→A, on connect and whenever membership changes: the Storm's paired member nodes, so the
 * agent can refuse channels and payments that would leave the Storm. */
export const RosterSchema = z.object({
  group: Text(64),
  members: z.array(z.object({ id: IdSchema, name: Text(200), node: NodeKeySchema })).max(100_000)
})

/** M→A: the agent is cut off (banned, or the member left). The link closes after this. */
export const CutOffSchema = z.object({
  reason: Text(200)
})

// ---- governance ------------------------------------------------------------------------------

/**
 * A→M: the member's fee vote, from `stormd.conf`'s `voteBaseFee` / `voteFeeRate` (sent when stormd
 * connects, so a changed config votes again) or `stormcli vote fee`. Base fee in millisatoshis,
 * rate in parts per million: no unit is left to guess.
 */
export const VoteSchema = z.object({
  baseFeeMsat: MsatSchema,
  feeRatePpm: z.number().int().nonnegative().max(1_000_000)
})

/** M→A: how a `vote` was taken: the member's weight and the round's tally, or why it was refused. */
export const VoteResultSchema = z.object({
  vote: IdSchema,
  ok: z.boolean(),
  /** The member's stake in the round (sats) and whether the vote was already standing. */
  stake: SatsSchema.optional(),
  unchanged: z.boolean().optional(),
  totalStake: SatsSchema.optional(),
  votedStake: SatsSchema.optional(),
  voters: z.number().int().nonnegative().optional(),
  error: ErrorInfoSchema.optional()
})

/** Either side: a typed error reply to a message that could not be accepted. */
export const ErrorMessageSchema = z.object({
  code: z.enum([
    'MALFORMED', 'TOO_LARGE', 'BAD_SIGNATURE', 'EXPIRED', 'REPLAYED', 'UNKNOWN_TYPE',
    'BAD_BODY', 'UNSUPPORTED_VERSION', 'NOT_ALLOWED', 'PAIRING_FAILED', 'INTERNAL'
  ]),
  /** The id of the message this answers, when it could be read. */
  ref: IdSchema.optional(),
  detail: Text(500).optional()
})

/**
 * One entry of the manager's signed history (a Hypercore): an event that concerns the members it
 * names, signed by the manager's key (`history_entry.ts`), so a member can check it came from the
 * manager and was not changed. `index` is its place in the manager's log.
 */
export const HistoryEntrySchema = z.object({
  index: z.number().int().nonnegative(),
  at: Timestamp,
  event: Text(64),
  actor: Text(200).optional(),
  /** The members it concerns. */
  members: z.array(IdSchema).max(200),
  /**
   * For each member it concerns, the index of the previous entry concerning that member (-1: it
   * is the first), so a member's copy is a signed chain in which a left-out entry shows. Absent
   * in entries written before the chain.
   */
  prev: z.record(IdSchema, z.number().int().min(-1)).optional(),
  data: z.record(z.string(), z.unknown()),
  sig: Hex(64)
})
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>

/**
 * The manager's signed word on one member's part of its history at a length: `last` is the
 * index of the newest entry concerning `member` below `length` (-1: none), `treeHash` the
 * Hypercore's tree hash at `length` (two heads of one length with different hashes prove the
 * manager rewrote its history).
 */
export const HistoryHeadSchema = z.object({
  member: IdSchema,
  length: z.number().int().nonnegative(),
  last: z.number().int().min(-1),
  treeHash: Hex(32),
  sig: Hex(64)
})
export type HistoryHead = z.infer<typeof HistoryHeadSchema>

/** Agent → manager: the entries concerning me from index `from` on, please. */
export const HistoryRequestSchema = z.object({
  from: z.number().int().nonnegative()
})

/**
 * Manager → agent: entries concerning the agent's member, in index order, from the `from` asked
 * (or as they are appended). `length`: the manager's history length when sent — every entry
 * concerning the member below it has been sent once the agent has this batch and those before.
 */
export const HistorySchema = z.object({
  from: z.number().int().nonnegative(),
  entries: z.array(HistoryEntrySchema).max(1000),
  length: z.number().int().nonnegative(),
  /** On the last batch of a sync: the head at `length` (see HistoryHeadSchema). */
  head: HistoryHeadSchema.optional()
})

/** Every message type and its body schema. */
export const MESSAGE_BODIES = {
  pair_challenge: PairChallengeSchema,
  pair_request: PairRequestSchema,
  pair_result: PairResultSchema,
  hello: HelloSchema,
  report: ReportSchema,
  heartbeat: HeartbeatSchema,
  directive: DirectiveSchema,
  directive_status: DirectiveStatusSchema,
  approval: ApprovalSchema,
  revoke: RevokeSchema,
  result: ResultSchema,
  result_ack: ResultAckSchema,
  command: CommandSchema,
  command_reply: CommandReplySchema,
  roster: RosterSchema,
  cut_off: CutOffSchema,
  error: ErrorMessageSchema,
  history_request: HistoryRequestSchema,
  history: HistorySchema,
  vote: VoteSchema,
  vote_result: VoteResultSchema
} as const

export type MessageType = keyof typeof MESSAGE_BODIES
export type MessageBody<T extends MessageType> = z.infer<typeof MESSAGE_BODIES[T]>
/** A decoded, verified message. */
export type Message = { [T in MessageType]: { type: T, id: string, from: string, body: MessageBody<T> } }[MessageType]
