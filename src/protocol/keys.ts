/**
 * ed25519 key pairs: the manager's and each agent's persistent identity (the same key is the
 * Hyperswarm Noise key and the envelope signing key), kept in a JSON file readable only by its
 * owner; and the one-time *pairing* key pair both sides derive from a pairing code.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import crypto from 'hypercore-crypto'
import { z } from 'zod'
import { StormError } from '../shared/errors.ts'

/** An ed25519 key pair as Hyperswarm uses it: 32-byte public key, 64-byte secret key (seed ‖ public). */
export type KeyPair = { publicKey: Buffer, secretKey: Buffer }

const KEY_FILE_MODE = 0o600
const PAIRING_DOMAIN = Buffer.from('storm-pair-v1')

const KeyFileSchema = z.strictObject({
  publicKey: z.string().regex(/^[0-9a-f]{64}$/),
  secretKey: z.string().regex(/^[0-9a-f]{128}$/)
})

/** A fresh random key pair. */
export function generateKeyPair (): KeyPair {
  return crypto.keyPair()
}

/** The lowercase hex of a key pair's public key, the form used in envelopes and logs. */
export function publicKeyHex (keyPair: { publicKey: Uint8Array }): string {
  return Buffer.from(keyPair.publicKey).toString('hex')
}

/**
 * Loads the key pair at `path`.
 *
 * Errors (StormError): KEY_FILE_NOT_FOUND, KEY_FILE_UNREADABLE, KEY_FILE_CORRUPT (not our JSON,
 * or the halves do not belong together), KEY_FILE_INSECURE (group or others may read it).
 */
export async function loadKeyPair (path: string): Promise<KeyPair> {
  let text: string
  try {
    if (process.platform !== 'win32') {
      const mode = (await stat(path)).mode & 0o777
      if ((mode & 0o077) !== 0) {
        throw new StormError('KEY_FILE_INSECURE', { path, mode: '0' + mode.toString(8), expected: '0600' })
      }
    }
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (e instanceof StormError) throw e
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new StormError('KEY_FILE_NOT_FOUND', { path }, { cause: e })
    throw new StormError('KEY_FILE_UNREADABLE', { path, reason: String(code ?? 'unknown') }, { cause: e })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new StormError('KEY_FILE_CORRUPT', { path, reason: 'not JSON' }, { cause: e })
  }
  const parsed = KeyFileSchema.safeParse(json)
  if (!parsed.success) {
    // the zod message names the field, never the value: the file holds a secret
    const issue = parsed.error.issues[0]
    throw new StormError('KEY_FILE_CORRUPT', { path, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` })
  }
  const keyPair = {
    publicKey: Buffer.from(parsed.data.publicKey, 'hex'),
    secretKey: Buffer.from(parsed.data.secretKey, 'hex')
  }
  if (!crypto.validateKeyPair(keyPair)) {
    throw new StormError('KEY_FILE_CORRUPT', { path, reason: 'the secret key does not match the public key' })
  }
  return keyPair
}

/**
 * Writes `keyPair` to `path` (mode 0600, parent directories created) atomically: a crash leaves
 * either the old file or the new one.
 *
 * Errors (StormError): KEY_FILE_UNWRITABLE.
 */
export async function saveKeyPair (path: string, keyPair: KeyPair): Promise<void> {
  const text = JSON.stringify({
    publicKey: keyPair.publicKey.toString('hex'),
    secretKey: keyPair.secretKey.toString('hex')
  }, null, 2) + '\n'
  const tmp = `${path}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    await writeFile(tmp, text, { mode: KEY_FILE_MODE, flag: 'wx' })
    // the umask may have masked the mode at creation; make sure before it becomes the key file
    await chmod(tmp, KEY_FILE_MODE)
    await rename(tmp, path)
  } catch (e) {
    throw new StormError('KEY_FILE_UNWRITABLE', { path, reason: String((e as NodeJS.ErrnoException).code ?? 'unknown') }, { cause: e })
  }
}

/**
 * Loads the key pair at `path`, or creates and saves a new one when there is no file. A file that
 * exists but is corrupt is an error, never silently replaced: that would change the identity.
 *
 * Errors: as loadKeyPair (except KEY_FILE_NOT_FOUND) and saveKeyPair.
 */
export async function loadOrCreateKeyPair (path: string): Promise<{ keyPair: KeyPair, created: boolean }> {
  try {
    return { keyPair: await loadKeyPair(path), created: false }
  } catch (e) {
    if (!(e instanceof StormError) || e.code !== 'KEY_FILE_NOT_FOUND') throw e
  }
  const keyPair = generateKeyPair()
  await saveKeyPair(path, keyPair)
  return { keyPair, created: true }
}

/**
 * The pairing key pair for `code` with the manager `managerPublicKey` (hex or bytes):
 * `keyPair(BLAKE2b-256('storm-pair-v1' ‖ managerPublicKey ‖ UTF-8(code)))`. The manager computes
 * its public key when it issues the code and admits it (as 'pairing') until the code is used or
 * expires; the agent connects with it to pair. The code is used exactly as given: normalise it
 * (case, spaces) before calling, the same way on both sides.
 *
 * Errors: throws on a manager key that is not 32 bytes (a bug).
 */
export function pairingKeyPair (managerPublicKey: string | Uint8Array, code: string): KeyPair {
  const managerKey = typeof managerPublicKey === 'string' ? Buffer.from(managerPublicKey, 'hex') : Buffer.from(managerPublicKey)
  if (managerKey.length !== 32) throw new Error('pairingKeyPair: the manager key must be 32 bytes')
  if (code.length === 0) throw new Error('pairingKeyPair: empty code')
  return crypto.keyPair(crypto.hash([PAIRING_DOMAIN, managerKey, Buffer.from(code, 'utf8')]))
}
