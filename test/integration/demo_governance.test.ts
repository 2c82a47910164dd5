/**
 * The piped demo (`npm start`) shows governance from start to enforcement: the simulated members'
 * stormd.conf votes stand, your /vote reaches the quorum, every node sets the new fee; then you
 * (the demo's admin; the demo's rules allow it) ban dave outright and every channel to his node is
 * closed by the member who held it — yours once you approve.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { runDemo } from '../../src/demo/run_demo.ts'

test('the piped demo: a fee vote sets every node\'s fee; a ban closes every channel to the banned node', { timeout: 240_000 }, async () => {
  const input = new PassThrough()
  const output = new PassThrough()
  let transcript = ''
  output.on('data', (d: Buffer) => { transcript += d.toString() })
  input.end('/connect\n/addfunds 2000000\n/approve all\n/vote fee 1200 150ppm\n/getinfo\n/ban @dave now never online when it matters\n/approve all\n/members\n')
  await runDemo({ input, output, interactive: false, lang: 'en' })

  // alice, bob and carol voted from their stormd.conf (1000/100, 2000/250, 1500/200): with yours,
  // four equal stakes, the lower medians are 1200 msat and 150 ppm
  assert.match(transcript, /💱 The Storm's fee changes \(vote \w{7}\): base 1000 → 1200 msat, rate 100 → 150 ppm\. 4 voters with 8,000,000 of 8,000,000 sats of stake; 5 nodes are told to set it\./)
  assert.equal((transcript.match(/set the Storm's fees: base 1,200 msat, rate 150 ppm — ✅ done/g) ?? []).length, 5)
  const info = JSON.parse(transcript.slice(transcript.indexOf('> /getinfo') + '> /getinfo'.length, transcript.indexOf('> /ban')))
  assert.equal(info.consensus_fee_base, 1200)
  assert.equal(info.consensus_fee_rate, 0.00015)

  const closes = Number(/⛔ @dave is banned: never online when it matters\. Their agent is cut off; (\d+) channels to their node are being closed\./.exec(transcript)?.[1])
  assert.ok(closes >= 2, transcript)
  assert.equal((transcript.match(/close the channel \S+ with @dave — ✅ done/g) ?? []).length, closes, 'every one closed, yours after /approve all')
  assert.match(transcript, /^@dave — banned, node dave, offline/m)
})
