/**
 * The pairing invitation: everything `stormd pair` needs in one string, for a chat message and a
 * QR code — `storm:pair?manager=<key>&code=K7PX-Q2MD&group=Supercell`.
 */
import { StormError } from '../shared/errors.ts'
import { normalizePairingCode } from '../shared/ids.ts'

export function pairingInvite (managerKey: string, code: string, group: string): string {
  return `storm:pair?manager=${managerKey}&code=${code}&group=${encodeURIComponent(group)}`
}

export interface PairingInvite { managerKey?: string, code: string, group?: string }

/**
 * Reads an invitation, or a bare code (then the manager key comes from stormd.conf).
 * Errors: `PAIRING_CODE_MALFORMED` {code}.
 */
export function parsePairingInvite (text: string): PairingInvite {
  const trimmed = text.trim()
  if (!trimmed.startsWith('storm:pair?')) {
    const code = normalizePairingCode(trimmed)
    if (code === null) throw new StormError('PAIRING_CODE_MALFORMED', { code: trimmed.slice(0, 40) })
    return { code }
  }
  const q = new URLSearchParams(trimmed.slice('storm:pair?'.length))
  const code = normalizePairingCode(q.get('code') ?? '')
  const managerKey = q.get('manager') ?? ''
  if (code === null || !/^[0-9a-f]{64}$/.test(managerKey)) throw new StormError('PAIRING_CODE_MALFORMED', { code: trimmed.slice(0, 40) })
  const group = q.get('group')
  return group === null ? { managerKey, code } : { managerKey, code, group }
}
