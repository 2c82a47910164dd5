/**
 * The simulated Lightning network: the same `LightningNode` port as the LND adapter, for the demo,
 * the tests and the benchmarks.
 */
export { SimNetwork } from './sim_network.ts'
export type { SimTransaction } from './sim_network.ts'
export { SimNode } from './sim_node.ts'
export type { SimNetworkOptions } from './options.ts'
export { MIN_CHANNEL_SIZE, MAX_CHANNEL_SIZE, MAX_WUMBO_CHANNEL_SIZE, DUST_LIMIT } from './options.ts'
export type { SimPayOptions, SimPayResult } from './pay.ts'
export { createPrng } from './prng.ts'
export type { Prng } from './prng.ts'
export { encodeInvoice, decodeInvoice } from './invoice_codec.ts'
export type { SimInvoice } from './invoice_codec.ts'
export { simReport } from './report.ts'
