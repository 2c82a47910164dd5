/** Reaching LND from stormd.conf's keys or an lndconnect URI: parsing and its clear errors. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bakeMacaroonCommand, connectLnd, lndConnectUri, lndCredentials, parseLndConnectUri } from '../../src/agent/lnd/index.ts'

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIQYnVmZmVyIGZvciB0ZXN0cw==\n-----END CERTIFICATE-----\n'
const MACAROON = Buffer.from('0201036c6e640258030a10', 'hex')

test('stormd.conf keys: socket from host and port, files read and base64-encoded', t => {
  const dir = mkdtempSync(join(tmpdir(), 'storm-lnd-config-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'tls.cert'), PEM)
  writeFileSync(join(dir, 'stormd.macaroon'), MACAROON)
  const credentials = lndCredentials({ node: 'lnd', nodeRpcPort: '10019', nodeMacaroon: join(dir, 'stormd.macaroon'), nodeTlsCert: join(dir, 'tls.cert') })
  assert.deepEqual(credentials, { socket: '127.0.0.1:10019', cert: Buffer.from(PEM).toString('base64'), macaroon: MACAROON.toString('base64') })
  assert.equal(lndCredentials({ nodeHost: '::1', nodeMacaroon: join(dir, 'stormd.macaroon'), nodeTlsCert: join(dir, 'tls.cert') }).socket, '[::1]:10009')
  // an AgentConfig carries more keys: they are ignored here
  assert.equal(lndCredentials({ node: 'lnd', group: 'Supercell', nodeMacaroon: join(dir, 'stormd.macaroon'), nodeTlsCert: join(dir, 'tls.cert') }).socket, '127.0.0.1:10009')
  // connecting is lazy: a node that is down shows on the first call, not here
  assert.equal(typeof connectLnd({ nodeMacaroon: join(dir, 'stormd.macaroon'), nodeTlsCert: join(dir, 'tls.cert') }).getInfo, 'function')
})

test('bad configuration names the key and why', async t => {
  const cases: Array<{ description: string, config: unknown, code: string, params: Record<string, string> }> = [
    { description: 'no macaroon', config: { node: 'lnd' }, code: 'CONFIG_INVALID', params: { key: 'nodeMacaroon' } },
    { description: 'port not a number', config: { nodeRpcPort: 'ten', nodeMacaroon: '/x' }, code: 'CONFIG_INVALID', params: { key: 'nodeRpcPort' } },
    { description: 'port out of range', config: { nodeRpcPort: 70000, nodeMacaroon: '/x' }, code: 'CONFIG_INVALID', params: { key: 'nodeRpcPort' } },
    { description: 'another implementation', config: { node: 'cln', nodeMacaroon: '/x' }, code: 'CONFIG_INVALID', params: { key: 'node' } },
    { description: 'macaroon file missing', config: { nodeMacaroon: '/nonexistent/stormd.macaroon', nodeTlsCert: '/nonexistent/tls.cert' }, code: 'CONFIG_UNREADABLE', params: { reason: 'ENOENT' } },
    { description: 'not an lndconnect URI', config: { lndconnect: 'https://example.org' }, code: 'CONFIG_INVALID', params: { key: 'lndconnect' } },
    { description: 'lndconnect without a macaroon', config: { lndconnect: 'lndconnect://127.0.0.1:10009?cert=AAAA' }, code: 'CONFIG_INVALID', params: { key: 'lndconnect', reason: 'no macaroon' } },
    { description: 'lndconnect with garbage', config: { lndconnect: 'lndconnect://127.0.0.1:10009?macaroon=%%%' }, code: 'CONFIG_INVALID', params: { key: 'lndconnect' } }
  ]
  for (const c of cases) {
    await t.test(c.description, () => {
      assert.throws(() => lndCredentials(c.config), (e: { code?: string, params?: Record<string, string> }) => {
        assert.equal(e.code, c.code)
        for (const [k, v] of Object.entries(c.params)) assert.equal(e.params?.[k], v)
        return true
      })
    })
  }
})

test('lndconnect: a URI made from the files parses back to the same credentials', () => {
  const uri = lndConnectUri('node.example:10009', PEM, MACAROON)
  assert.match(uri, /^lndconnect:\/\/node\.example:10009\?cert=[A-Za-z0-9_-]+&macaroon=[A-Za-z0-9_-]+$/)
  const parsed = parseLndConnectUri(uri)
  assert.equal(parsed.socket, 'node.example:10009')
  assert.equal(parsed.macaroon, MACAROON.toString('base64'))
  assert.equal(Buffer.from(parsed.cert!, 'base64').toString(), PEM)
  // without a cert (a publicly signed one) and without a port
  assert.deepEqual(parseLndConnectUri(`lndconnect://node.example?macaroon=${MACAROON.toString('base64url')}`),
    { socket: 'node.example:10009', macaroon: MACAROON.toString('base64') })
})

test('docs/lnd.md gives the exact bakemacaroon lines stormd needs', () => {
  const docs = readFileSync(join(import.meta.dirname, '../../docs/lnd.md'), 'utf8')
  assert.ok(docs.includes(bakeMacaroonCommand('uri')), 'the line by RPC method')
  assert.ok(docs.includes(bakeMacaroonCommand('entity')), 'the line by entity')
})
