/**
 * The pairing proof and what stormd reads about its node, on a real LND: the signature LND
 * makes must verify with the same code the manager uses, and bad credentials must say so.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { recoverNodePublicKey } from '../../src/protocol/node_signature.ts'
import { connectLnd, lndConnectUri } from '../../src/agent/lnd/index.ts'
import { adapter, network, rejectsWith, SKIP } from './helpers.ts'

test('an LND node as stormd sees it', { skip: SKIP }, async t => {
  const net = network()
  const alice = adapter(net, 'alice')

  await t.test('the pairing proof: LND signs a challenge and the manager recovers its key', async () => {
    const challenge = 'storm-pair:Supercell:9f2c1e7a:2026-01-01T00:00:00Z ⚡'
    const signature = await alice.signMessage(challenge)
    assert.equal(recoverNodePublicKey(challenge, signature), net.node('alice').publicKey)
    // a proof for one challenge proves nothing about another
    assert.notEqual(recoverNodePublicKey(challenge + '!', signature), net.node('alice').publicKey)
  })

  await t.test('getInfo names the node, its network and LND version', async () => {
    const info = await alice.getInfo()
    assert.equal(info.publicKey, net.node('alice').publicKey)
    assert.equal(info.alias, 'alice')
    assert.equal(info.network, 'regtest')
    assert.equal(info.version, `lnd ${net.file.versions.lnd.replace(/^v/, '')}`)
    assert.equal(info.syncedToChain, true)
    assert.equal(info.blockHeight, await net.height())
    assert.deepEqual(info.uris, [`${net.node('alice').publicKey}@${net.node('alice').p2pSocket}`])
  })

  await t.test('the wallet holds the mined coins, confirmed', async () => {
    const balance = await alice.getChainBalance()
    assert.ok(Number.isSafeInteger(balance.confirmed) && balance.confirmed > 100_000_000, `confirmed ${balance.confirmed}`)
    assert.ok(Number.isSafeInteger(balance.unconfirmed) && balance.unconfirmed >= 0)
  })

  await t.test('an lndconnect URI reaches the same node', async () => {
    const node = net.node('alice')
    const uri = lndConnectUri(node.grpcSocket, readFileSync(node.tlsCertPath, 'utf8'), readFileSync(node.stormMacaroonPath))
    const viaUri = connectLnd({ node: 'lnd', lndconnect: uri })
    assert.equal((await viaUri.getInfo()).publicKey, node.publicKey)
  })

  await t.test("another node's macaroon is refused: LN_PERMISSION_DENIED", async () => {
    const node = net.node('alice')
    const wrong = connectLnd({ node: 'lnd', nodeRpcPort: node.grpcSocket.split(':')[1], nodeTlsCert: node.tlsCertPath, nodeMacaroon: net.node('bob').macaroonPath })
    await rejectsWith(wrong.getInfo(), 'LN_PERMISSION_DENIED')
  })

  await t.test('a read-only macaroon cannot sign the pairing proof: LN_PERMISSION_DENIED', async () => {
    const node = net.node('alice')
    const readOnly = connectLnd({
      node: 'lnd',
      nodeRpcPort: node.grpcSocket.split(':')[1],
      nodeTlsCert: node.tlsCertPath,
      nodeMacaroon: node.macaroonPath.replace('admin.macaroon', 'readonly.macaroon')
    })
    assert.equal((await readOnly.getInfo()).publicKey, node.publicKey)
    await rejectsWith(readOnly.signMessage('challenge'), 'LN_PERMISSION_DENIED')
    await rejectsWith(readOnly.setFees({ baseFeeMsat: '1000', feeRatePpm: 1, cltvDelta: 80 }), 'LN_PERMISSION_DENIED')
  })

  await t.test('nothing listening at the configured port: LN_UNAVAILABLE', async () => {
    const node = net.node('alice')
    const nowhere = connectLnd({ node: 'lnd', nodeRpcPort: net.file.basePort + 9, nodeTlsCert: node.tlsCertPath, nodeMacaroon: node.macaroonPath })
    await rejectsWith(nowhere.getInfo(), 'LN_UNAVAILABLE')
  })
})
