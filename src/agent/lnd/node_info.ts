/** Node, wallet and signing queries. */
import { addPeer as lnAddPeer, getChainBalance as lnChainBalance, getPendingChainBalance, getWalletInfo, signMessage as lnSignMessage } from 'lightning'
import type { ChainBalance, NodeInfo } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { nodeInfoFromWalletInfo } from './responses/node_info.ts'
import { assertPublicKey, invalid } from './validate.ts'

/** Errors: `LN_UNAVAILABLE`, `LN_PERMISSION_DENIED`. */
export async function getInfo ({ lnd }: LndContext): Promise<NodeInfo> {
  return nodeInfoFromWalletInfo(await callLnd('getWalletInfo', 'LN_UNAVAILABLE', async () => await getWalletInfo({ lnd })))
}

export async function getChainBalance ({ lnd }: LndContext): Promise<ChainBalance> {
  const [confirmed, pending] = await Promise.all([
    callLnd('getChainBalance', 'LN_UNAVAILABLE', async () => await lnChainBalance({ lnd })),
    callLnd('getPendingChainBalance', 'LN_UNAVAILABLE', async () => await getPendingChainBalance({ lnd }))
  ])
  return { confirmed: confirmed.chain_balance, unconfirmed: pending.pending_chain_balance }
}

/** LND's `signmessage`: zbase32 of a recoverable signature by the node key. */
export async function signMessage ({ lnd }: LndContext, message: string): Promise<string> {
  if (message === '') throw invalid('nothing to sign')
  const { signature } = await callLnd('signMessage', 'LN_UNAVAILABLE', async () => await lnSignMessage({ lnd, message }))
  return signature
}

/** Connects to `peer` at `socket`; succeeds when already connected. Errors: `LN_PEER_UNREACHABLE`. */
export async function addPeer ({ lnd }: LndContext, peer: string, socket: string): Promise<void> {
  assertPublicKey(peer)
  if (!/^[^\s]+:\d{1,5}$/.test(socket)) throw invalid('socket must be host:port', { socket })
  // lightning retries 10 times with a doubling delay by default (~50 s): a directive waits less
  await callLnd('addPeer', 'LN_PEER_UNREACHABLE', async () => await lnAddPeer({ lnd, public_key: peer, socket, retry_count: 2, timeout: 10_000 }))
}
