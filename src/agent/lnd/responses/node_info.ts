/** `getWalletInfo` → `NodeInfo`. */
import type { GetWalletInfoResult } from 'lightning'
import type { Network, NodeInfo } from '../../lightning_port.ts'
import { own } from '../../../shared/own.ts'

/** Genesis block hashes, in the byte order `lightning` reports `chains` in. */
const CHAINS: Record<string, Network> = {
  '6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000': 'mainnet',
  '43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000': 'testnet',
  '43f08bdab050e35b567c864b91f47f50ae725ae2de53bcfbbaf284da00000000': 'testnet',
  f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000: 'signet',
  '06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f': 'regtest',
  f67ad7695d9b662a72ff3d8edbbb2de0bfa67b13974bb9910d116d5cbd863e68: 'simnet'
}

/** The network of a chain hash; undefined for a chain Storm does not know. */
export function networkOfChain (chain: string | undefined): Network | undefined {
  return chain === undefined ? undefined : own(CHAINS, chain)
}

export function nodeInfoFromWalletInfo (info: GetWalletInfoResult): NodeInfo {
  return {
    publicKey: info.public_key,
    alias: info.alias,
    // an unknown chain (a signet of its own…) is still a test network, never mainnet
    network: networkOfChain(info.chains[0]) ?? 'signet',
    blockHeight: info.current_block_height,
    syncedToChain: info.is_synced_to_chain,
    activeChannels: info.active_channels_count,
    pendingChannels: info.pending_channels_count,
    peers: info.peers_count,
    uris: info.uris ?? [],
    // lnd reports `0.21.3-beta commit=v0.21.3-beta`
    version: `lnd ${info.version.split(' ')[0] ?? info.version}`
  }
}
