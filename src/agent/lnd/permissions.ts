/**
 * The macaroon stormd needs, and no more, in two forms. `docs/lnd.md` gives the
 * `lncli bakemacaroon` lines built from these lists, and the regtest harness bakes both, so the
 * real-LND tests check them (`STORM_LND_MACAROON=entity` runs them with the coarser one).
 */

/**
 * The RPC methods stormd calls: the tightest macaroon. Unlike `onchain:write`, it cannot send
 * coins on chain (SendCoins, SendMany) — only open and close channels.
 */
export const STORMD_MACAROON_URIS = [
  '/lnrpc.Lightning/GetInfo', // health, pairing, our node key
  '/verrpc.Versioner/GetVersion', // lightning checks LND's version before some calls
  '/lnrpc.Lightning/WalletBalance',
  '/lnrpc.Lightning/ListChannels',
  '/lnrpc.Lightning/PendingChannels',
  '/lnrpc.Lightning/FeeReport', // our fee rates
  '/lnrpc.Lightning/GetNodeInfo', // our policies' CLTV deltas
  '/lnrpc.Lightning/GetChanInfo',
  '/lnrpc.Lightning/ConnectPeer',
  '/lnrpc.Lightning/ListPeers', // lightning checks the peer list when a connection attempt fails
  '/lnrpc.Lightning/OpenChannel',
  '/lnrpc.Lightning/BatchOpenChannel', // several channels in one funding transaction
  '/lnrpc.Lightning/CloseChannel',
  '/lnrpc.Lightning/UpdateChannelPolicy', // set_fees
  '/lnrpc.Lightning/AddInvoice', // circular payments pay an invoice to ourselves
  '/lnrpc.Lightning/LookupInvoice', // lightning reads back each invoice it creates
  '/invoicesrpc.Invoices/CancelInvoice', // a circular payment given up
  '/routerrpc.Router/BuildRoute', // the route out by one channel and back through the cycle
  '/routerrpc.Router/SendToRouteV2',
  '/routerrpc.Router/SendPaymentV2', // invoices between one owner's nodes
  '/routerrpc.Router/TrackPaymentV2', // a payment looked up by hash (how an interrupted rebalance ended)
  '/lnrpc.Lightning/DecodePayReq',
  '/lnrpc.Lightning/ForwardingHistory',
  '/lnrpc.Lightning/SignMessage', // the pairing proof
  '/lnrpc.Lightning/SubscribeChannelEvents',
  '/routerrpc.Router/SubscribeHtlcEvents', // forwards for the reports
  '/chainrpc.ChainNotifier/RegisterBlockEpochNtfn'
] as const

/** The same by entity and action: simpler to read, but `onchain:write` also allows sending coins. */
export const STORMD_MACAROON_PERMISSIONS = [
  'info:read', // GetInfo, GetNodeInfo, GetChanInfo, GetVersion
  'onchain:read', // WalletBalance, block events
  'onchain:write', // OpenChannel, BatchOpenChannel, CloseChannel
  'offchain:read', // ListChannels, PendingChannels, FeeReport, ForwardingHistory, BuildRoute, DecodePayReq, events
  'offchain:write', // OpenChannel, CloseChannel, UpdateChannelPolicy, SendToRouteV2, SendPaymentV2
  'peers:read', // ListPeers (lightning looks when a connection attempt fails)
  'peers:write', // ConnectPeer
  'invoices:read', // LookupInvoice
  'invoices:write', // AddInvoice, CancelInvoice
  'message:write' // SignMessage
] as const

/** The `lncli bakemacaroon` command for stormd's macaroon (by RPC method, or by entity). */
export function bakeMacaroonCommand (form: 'uri' | 'entity' = 'uri', saveTo = '~/.lnd/stormd.macaroon', lncli = 'lncli'): string {
  const permissions = form === 'uri' ? STORMD_MACAROON_URIS.map(u => `uri:${u}`) : STORMD_MACAROON_PERMISSIONS
  return `${lncli} bakemacaroon --save_to ${saveTo} ${permissions.join(' ')}`
}
