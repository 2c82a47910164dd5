/**
 * A manager with thousands of agents gives each connection a small UDX read buffer instead of
 * udx-native's 66 KiB (`setReadBufferBytes`, `ManagerLinkOptions.readBufferBytes`). What must
 * hold: the streams of that DHT get the small buffer, streams of another DHT keep udx-native's, and
 * what the peer sends — messages much larger than the buffer, many of them — arrives whole and in
 * order; a size below two packets' room is refused.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import HyperDHT from 'hyperdht'
import { localTestnet } from '../../src/protocol/index.ts'
import { MIN_READ_BUFFER_BYTES, setReadBufferBytes } from '../../src/protocol/link/udx_read_buffer.ts'

interface Raw { _buffer: Uint8Array }

test('a DHT whose read buffers are 4 KiB receives 4 MB in messages up to 250 KB whole and in order; another DHT keeps udx-native\'s buffers', { timeout: 120_000 }, async (t) => {
  const testnet = await localTestnet()
  const bootstrap = testnet.network.bootstrap!
  const server = new HyperDHT({ bootstrap, host: '127.0.0.1' })
  const client = new HyperDHT({ bootstrap, host: '127.0.0.1' })
  t.after(async () => { await client.destroy(); await server.destroy(); await testnet.destroy() })
  setReadBufferBytes(server.udx, 4096)

  const keyPair = HyperDHT.keyPair()
  // messages from 1 byte to 250 KB: many in one buffer's worth, or each far larger than it
  const sizes = [1, 100, 1500, 4096, 9000, 65_536, 200_000, ...Array.from({ length: 300 }, (_, i) => 1 + (i * 7919) % 9000), ...Array.from({ length: 10 }, () => 250_000)]
  const messages = sizes.map(n => randomBytes(n))
  const expected = sizes.reduce((a, b) => a + b, 0)

  const received: Buffer[] = []
  const server_: { raw: Raw | null } = { raw: null }
  let done: () => void = () => {}
  const got = new Promise<void>(resolve => { done = resolve })
  const s = server.createServer({}, (conn) => {
    server_.raw = (conn as unknown as { rawStream: Raw }).rawStream
    let total = 0
    conn.on('data', (d: Buffer) => { received.push(d); total += d.byteLength; if (total >= expected) done() })
    conn.on('error', () => {})
  })
  t.after(() => s.close())
  await s.listen(keyPair)
  const conn = client.connect(keyPair.publicKey)
  conn.on('error', () => {})
  await new Promise<void>((resolve, reject) => { conn.once('open', () => resolve()); conn.once('error', reject) })
  for (const m of messages) conn.write(m)
  await got

  const sent = createHash('sha256').update(Buffer.concat(messages)).digest('hex')
  const arrived = createHash('sha256').update(Buffer.concat(received)).digest('hex')
  assert.equal(arrived, sent, 'every byte arrived, in order')
  const serverRaw = server_.raw
  assert.ok(serverRaw !== null)
  assert.ok(serverRaw._buffer.byteLength <= 4096, `the server's stream reads into ${serverRaw._buffer.byteLength} bytes`)
  const clientRaw = (conn as unknown as { rawStream: Raw }).rawStream
  assert.ok(clientRaw._buffer.byteLength > 60_000, 'the other DHT keeps udx-native\'s buffer')
  conn.destroy()
})

test('a read buffer below two packets\' room is refused', () => {
  assert.throws(() => setReadBufferBytes({}, MIN_READ_BUFFER_BYTES - 1), /≥ 4096/)
  assert.throws(() => setReadBufferBytes({}, 5000.5), /integer/)
})
