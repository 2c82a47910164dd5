/**
 * lndconnect URIs: `lndconnect://host:port?cert=<base64url DER>&macaroon=<base64url>`, the
 * format node dashboards show as a QR code. `cert` is absent when LND's certificate is signed by
 * a public CA.
 */
import { StormError } from '../../shared/errors.ts'
import type { LndCredentials } from './config.ts'

/** Parses an lndconnect URI. Errors: `CONFIG_INVALID` {key: 'lndconnect', reason}. */
export function parseLndConnectUri (uri: string): LndCredentials {
  let url: URL
  try {
    // URL parses the authority of an unknown scheme only after `//`, as lndconnect has
    url = new URL(uri)
  } catch {
    throw invalid('not a URI')
  }
  if (url.protocol !== 'lndconnect:') throw invalid('expected lndconnect://')
  if (url.hostname === '') throw invalid('no host')
  const port = url.port === '' ? '10009' : url.port
  const macaroon = url.searchParams.get('macaroon')
  if (macaroon === null || macaroon === '') throw invalid('no macaroon')
  const der = url.searchParams.get('cert')
  return {
    socket: `${url.hostname}:${port}`,
    macaroon: fromBase64Url(macaroon, 'macaroon').toString('base64'),
    ...(der === null || der === '' ? {} : { cert: Buffer.from(derAsPem(fromBase64Url(der, 'cert'))).toString('base64') })
  }
}

/** Builds an lndconnect URI (for tests and `stormd` setup screens). */
export function lndConnectUri (socket: string, pemCert: string | undefined, macaroon: Buffer): string {
  const params = new URLSearchParams()
  if (pemCert !== undefined) params.set('cert', pemAsDer(pemCert).toString('base64url'))
  params.set('macaroon', macaroon.toString('base64url'))
  return `lndconnect://${socket}?${params.toString()}`
}

function fromBase64Url (text: string, what: string): Buffer {
  // lndconnect is base64url without padding; some tools pad or use the standard alphabet
  if (!/^[A-Za-z0-9_\-+/]+=*$/.test(text)) throw invalid(`${what} is not base64url`)
  return Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'base64url')
}

function derAsPem (der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

function pemAsDer (pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64')
}

function invalid (reason: string): StormError {
  return new StormError('CONFIG_INVALID', { key: 'lndconnect', reason })
}
