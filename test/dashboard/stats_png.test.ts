/**
 * `/stats` as a picture: a real PNG (decoded here by pngjs, an independent decoder) of the
 * Storm's stake, channel balance and flow, made without any native module.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PNG } from 'pngjs'
import { ManagerFixture, channelReport, outpoint, LOCALES } from '../support/manager_fixture.ts'
import { FlowHistory } from '../../src/manager/flow_history.ts'
import { statsPicture } from '../../src/app/stats_picture.ts'
import type { FlowRecorder } from '../../src/manager/flow_recorder.ts'
import type { Report } from '../../src/protocol/messages.ts'

const BLUE = [53, 102, 200]

function count (png: PNG, rgb: number[], box: { x0: number, y0: number, x1: number, y1: number }): number {
  let n = 0
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * png.width + x) * 4
      if (png.data[i] === rgb[0] && png.data[i + 1] === rgb[1] && png.data[i + 2] === rgb[2]) n++
    }
  }
  return n
}

test('the stats picture decodes as a PNG and draws stake and flow where there are some', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const ab = { ...channelReport(outpoint(1), bob.nodeKey, 1_000_000, 600_000), id: '100x1x0' }
  await f.report(alice.agentKey, 0, [ab])
  const history = new FlowHistory()
  const now = f.clock.now()
  const flow = (from: number, to: number): Report => ({
    at: to, health: { healthy: true }, balance: { confirmed: 0, unconfirmed: 0 }, channels: [ab], pending: [],
    flow: { from, to, channels: [{ channel: ab.id, inAmount: 0, outAmount: 250_000, forwards: 5, feeMsat: '40000' }] }
  })
  history.record(alice.id, flow(now - 3 * 3_600_000, now - 2 * 3_600_000), new Set([bob.nodeKey]))
  const runtime = { manager: f.manager, clock: f.clock, flow: { history } as unknown as FlowRecorder }

  const { png, caption } = statsPicture(runtime, LOCALES.translator('es'))
  assert.equal(caption, 'Supercell: liquidez y flujo')
  const image = PNG.sync.read(png)
  assert.equal(image.width, 800)
  assert.equal(image.height, 480)
  assert.ok(count(image, BLUE, { x0: 110, y0: 100, x1: 400, y1: 260 }) > 50, 'alice\'s stake bar')
  assert.ok(count(image, BLUE, { x0: 20, y0: 290, x1: 780, y1: 450 }) > 20, 'a flow bar')

  // without flow, no bars: the picture says none was reported
  const empty = PNG.sync.read(statsPicture({ ...runtime, flow: { history: new FlowHistory() } as unknown as FlowRecorder }, LOCALES.translator('en')).png)
  assert.equal(count(empty, BLUE, { x0: 20, y0: 290, x1: 780, y1: 450 }), 0)
})
