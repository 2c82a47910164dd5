/**
 * The LND adapter: the Lightning port on a real LND, through the `lightning` package. Nothing
 * from LND's response shapes leaves this folder.
 */
export { connectLnd } from './connect_lnd.ts'
export type { ConnectOptions } from './connect_lnd.ts'
export { LndConfigSchema, lndCredentials, DEFAULT_TLS_CERT } from './config.ts'
export type { LndConfig, LndCredentials } from './config.ts'
export { parseLndConnectUri, lndConnectUri } from './lndconnect.ts'
export { lndError } from './errors.ts'
export { STORMD_MACAROON_PERMISSIONS, STORMD_MACAROON_URIS, bakeMacaroonCommand } from './permissions.ts'
