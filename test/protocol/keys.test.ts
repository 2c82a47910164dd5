import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import crypto from 'hypercore-crypto'
import { generateKeyPair, loadKeyPair, loadOrCreateKeyPair, pairingKeyPair, saveKeyPair } from '../../src/protocol/index.ts'
import { StormError } from '../../src/shared/errors.ts'

async function withDir (fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-keys-'))
  try {
    await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function codeOf (promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'OK'
  } catch (e) {
    assert.ok(e instanceof StormError, `expected a StormError, got ${String(e)}`)
    return e.code
  }
}

test('a key pair is created once with mode 0600, then loaded unchanged', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'nested', 'manager.key.json')
    const first = await loadOrCreateKeyPair(path)
    assert.equal(first.created, true)
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    const second = await loadOrCreateKeyPair(path)
    assert.equal(second.created, false)
    assert.deepEqual(second.keyPair.publicKey, first.keyPair.publicKey)
    assert.deepEqual(second.keyPair.secretKey, first.keyPair.secretKey)
    // it signs as the key it claims to be
    const sig = crypto.sign(Buffer.from('hi'), second.keyPair.secretKey)
    assert.ok(crypto.verify(Buffer.from('hi'), sig, first.keyPair.publicKey))
  })
})

test('save then load gives the same key pair, and the file names no secret outside its field', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'agent.json')
    const keyPair = generateKeyPair()
    await saveKeyPair(path, keyPair)
    const loaded = await loadKeyPair(path)
    assert.equal(loaded.publicKey.toString('hex'), keyPair.publicKey.toString('hex'))
    assert.deepEqual(Object.keys(JSON.parse(await readFile(path, 'utf8')) as object).sort(), ['publicKey', 'secretKey'])
  })
})

const BAD_FILES: Array<{ description: string, content: (good: string) => string, expected: string }> = [
  { description: 'not JSON', content: () => 'garbage', expected: 'KEY_FILE_CORRUPT' },
  { description: 'a missing secret key', content: good => JSON.stringify({ publicKey: JSON.parse(good).publicKey }), expected: 'KEY_FILE_CORRUPT' },
  { description: 'a truncated secret key', content: good => JSON.stringify({ ...JSON.parse(good), secretKey: JSON.parse(good).secretKey.slice(2) }), expected: 'KEY_FILE_CORRUPT' },
  { description: 'halves of two different key pairs', content: good => JSON.stringify({ ...JSON.parse(good), publicKey: generateKeyPair().publicKey.toString('hex') }), expected: 'KEY_FILE_CORRUPT' }
]

for (const { description, content, expected } of BAD_FILES) {
  test(`a key file with ${description} is refused with ${expected} and left alone`, async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'k.json')
      await saveKeyPair(path, generateKeyPair())
      const bad = content(await readFile(path, 'utf8'))
      await writeFile(path, bad, { mode: 0o600 })
      assert.equal(await codeOf(loadKeyPair(path)), expected)
      assert.equal(await codeOf(loadOrCreateKeyPair(path)), expected, 'never replaced by a new identity')
      assert.equal(await readFile(path, 'utf8'), bad)
    })
  })
}

test('a key file others can read is refused; a missing one is KEY_FILE_NOT_FOUND', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'k.json')
    assert.equal(await codeOf(loadKeyPair(path)), 'KEY_FILE_NOT_FOUND')
    await saveKeyPair(path, generateKeyPair())
    await chmod(path, 0o644)
    assert.equal(await codeOf(loadKeyPair(path)), 'KEY_FILE_INSECURE')
  })
})

test('the pairing key pair is the same for the same manager and code, different otherwise', () => {
  const manager = generateKeyPair().publicKey.toString('hex')
  const other = generateKeyPair().publicKey.toString('hex')
  const a = pairingKeyPair(manager, 'K7F-29Q')
  const b = pairingKeyPair(Buffer.from(manager, 'hex'), 'K7F-29Q')
  assert.equal(a.publicKey.toString('hex'), b.publicKey.toString('hex'))
  assert.equal(a.secretKey.toString('hex'), b.secretKey.toString('hex'))
  assert.notEqual(pairingKeyPair(manager, 'K7F-29R').publicKey.toString('hex'), a.publicKey.toString('hex'))
  assert.notEqual(pairingKeyPair(other, 'K7F-29Q').publicKey.toString('hex'), a.publicKey.toString('hex'))
  assert.ok(crypto.validateKeyPair(a))
  assert.throws(() => pairingKeyPair('abcd', 'K7F-29Q'), /32 bytes/)
})
