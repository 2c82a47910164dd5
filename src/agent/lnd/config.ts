/**
 * How stormd reaches LND: the `stormd.conf` keys (`node=lnd`, `nodeHost`, `nodeRpcPort`,
 * `nodeMacaroon`, `nodeTlsCert`) or one `lndconnect` URI. The key names are the agent config's
 * (`src/agent/config.ts`), so an `AgentConfig` can be passed as it is.
 */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { StormError } from '../../shared/errors.ts'
import { parseConfig } from '../../shared/config_file.ts'
import { parseLndConnectUri } from './lndconnect.ts'

export const LndConfigSchema = z.object({
  node: z.literal('lnd').default('lnd'),
  nodeHost: z.string().min(1).default('127.0.0.1').describe('Host of LND\'s gRPC interface.'),
  nodeRpcPort: z.coerce.number().int().min(1).max(65535).default(10009).describe('Port of LND\'s gRPC interface.'),
  nodeMacaroon: z.string().min(1).optional().describe('Path to the macaroon stormd uses.'),
  nodeTlsCert: z.string().min(1).optional().describe('Path to LND\'s tls.cert (default ~/.lnd/tls.cert).'),
  lndconnect: z.string().startsWith('lndconnect://').optional().describe('An lndconnect:// URI, instead of the keys above.')
})

export type LndConfig = z.infer<typeof LndConfigSchema>

/** What `lightning` needs to connect: the socket, and both files base64-encoded. */
export interface LndCredentials {
  socket: string
  /** Base64 of LND's PEM tls.cert; absent when LND's certificate is signed by a public CA. */
  cert?: string
  /** Base64 of the macaroon. */
  macaroon: string
}

/** The default place of LND's TLS certificate. */
export const DEFAULT_TLS_CERT = join(homedir(), '.lnd', 'tls.cert')

/**
 * Reads the credentials `config` points to. Errors: `CONFIG_INVALID` {key, reason} and
 * `CONFIG_UNREADABLE` {path, reason}.
 */
export function lndCredentials (input: unknown): LndCredentials {
  const config = parseConfig(LndConfigSchema, input)
  if (config.lndconnect !== undefined) return parseLndConnectUri(config.lndconnect)
  if (config.nodeMacaroon === undefined) {
    throw new StormError('CONFIG_INVALID', { key: 'nodeMacaroon', reason: 'required: the path to a macaroon (or give lndconnect)' })
  }
  return {
    socket: `${bracketIpv6(config.nodeHost)}:${config.nodeRpcPort}`,
    cert: readBase64(expandHome(config.nodeTlsCert ?? DEFAULT_TLS_CERT)),
    macaroon: readBase64(expandHome(config.nodeMacaroon))
  }
}

function readBase64 (path: string): string {
  try {
    return readFileSync(path).toString('base64')
  } catch (e) {
    throw new StormError('CONFIG_UNREADABLE', { path, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e })
  }
}

function expandHome (path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path
}

function bracketIpv6 (host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}
