/**
 * Every agent's connection reaches the manager through its DHT node's two UDP sockets, so their
 * kernel receive buffer is what absorbs a stall of the manager (`udp_receive_buffer.ts`). What must
 * hold: a manager link asks for the buffer it is given, on both sockets, and the kernel grants up
 * to its `net.core.rmem_max`; when the host caps it lower, the manager says so in a warning that
 * names the setting; a DHT the link did not build is left alone; a link given nothing keeps the
 * kernel's default.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import HyperDHT from 'hyperdht'
import { generateKeyPair, localTestnet, ManagerLink } from '../../src/protocol/index.ts'
import { setReceiveBuffer } from '../../src/protocol/link/udp_receive_buffer.ts'

interface Sockets { serverSocket: { getRecvBufferSize: () => number }, clientSocket: { getRecvBufferSize: () => number } }
const sockets = (dht: unknown): Sockets => (dht as { io: Sockets }).io
/** Linux grants a request capped at rmem_max and reports it doubled. */
const kernel = (name: string): number => Number(readFileSync(`/proc/sys/net/core/${name}`, 'utf8').trim())

async function listening (t: { after: (fn: () => Promise<void>) => void }, receiveBufferBytes?: number) {
  const testnet = await localTestnet()
  const logged: Array<{ event: string, data: Record<string, unknown> }> = []
  const link = new ManagerLink({
    keyPair: generateKeyPair(),
    network: testnet.network,
    admit: () => 'member',
    log: (event, data) => { logged.push({ event, data: data as Record<string, unknown> }) },
    ...(receiveBufferBytes === undefined ? {} : { receiveBufferBytes })
  })
  t.after(async () => { await link.close(); await testnet.destroy() })
  await link.listen()
  return { link, logged }
}

test('a manager link asks the kernel for the receive buffer it is given, on both UDP sockets', { timeout: 60_000 }, async (t) => {
  const max = kernel('rmem_max')
  const asked = 1 << 20
  const { link, logged } = await listening(t, asked)
  const granted = Math.min(asked, max) * 2
  assert.deepEqual(link.receiveBuffer, { requested: asked, server: granted, client: granted, capped: max < asked })
  const said = logged.find(l => l.event === 'receive_buffer')
  assert.deepEqual(said?.data, { requested: asked, server: granted, client: granted, capped: max < asked }, 'the manager says what it got')
})

test('a host whose rmem_max is below the request: granted what it allows, and the manager\'s log names the setting to raise', { timeout: 60_000 }, async (t) => {
  const max = kernel('rmem_max')
  const asked = max * 4 // always above the cap
  const { link, logged } = await listening(t, asked)
  assert.equal(link.receiveBuffer?.server, max * 2)
  assert.equal(link.receiveBuffer?.client, max * 2)
  const said = logged.find(l => l.event === 'receive_buffer')
  assert.ok(said !== undefined, 'the manager says it was capped')
  assert.equal(said.data.capped, true)
  assert.equal(said.data.requested, asked)
  assert.match(String(said.data.hint), /net\.core\.rmem_max/)
})

test('a DHT the link did not build is left alone', { timeout: 60_000 }, async (t) => {
  const testnet = await localTestnet()
  const dht = new HyperDHT({ bootstrap: testnet.network.bootstrap!, host: '127.0.0.1' })
  await dht.ready()
  const before = sockets(dht).serverSocket.getRecvBufferSize()
  const shared = new ManagerLink({ keyPair: generateKeyPair(), network: { dht }, admit: () => 'member', receiveBufferBytes: 1 << 20 })
  t.after(async () => { await shared.close(); await dht.destroy(); await testnet.destroy() })
  await shared.listen()
  assert.equal(shared.receiveBuffer, null)
  assert.equal(sockets(dht).serverSocket.getRecvBufferSize(), before)
})

test('a DHT whose sockets are not bound is refused loudly, not silently left small', () => {
  assert.throws(() => setReceiveBuffer({}, 1 << 20), /not bound/)
  assert.throws(() => setReceiveBuffer({ io: { serverSocket: null, clientSocket: null } }, 0), /positive integer/)
})
