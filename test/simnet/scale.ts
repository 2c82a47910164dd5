/**
 * Scale measurement of the simulated network (a script, not a test: run it by hand).
 *   node_modules/.bin/node test/simnet/scale.ts [nodes] [channels] [payments]
 * Builds a random network of balanced channels, then runs random payments, and prints timings.
 */
import { SimNetwork, createPrng } from '../../src/simnet/index.ts'

const [nodeCount = 3000, channelCount = 15000, paymentCount = 20000] = process.argv.slice(2).map(Number)
const rng = createPrng('scale')
const heap0 = process.memoryUsage().heapUsed

let t = performance.now()
const network = SimNetwork.create({ seed: 'scale', clock: { now: () => 0, schedule: () => () => {} }, recordForwards: true })
const keys: string[] = []
for (let i = 0; i < nodeCount; i++) keys.push(network.addNode(`n${i}`).publicKey)
const tNodes = performance.now() - t

t = performance.now()
for (let i = 0; i < channelCount; i++) {
  const a = rng.int(nodeCount)
  let b = rng.int(nodeCount - 1)
  if (b >= a) b++
  const capacity = 100_000 + rng.int(4_900_000)
  network.openChannelNow(keys[a]!, keys[b]!, capacity, Math.floor(capacity / 2))
}
const tChannels = performance.now() - t
const heapBuilt = process.memoryUsage().heapUsed

t = performance.now()
const cpu0 = process.cpuUsage()
let ok = 0
let attempts = 0
let fees = 0
const codes = new Map<string, number>()
for (let i = 0; i < paymentCount; i++) {
  const a = rng.int(nodeCount)
  let b = rng.int(nodeCount - 1)
  if (b >= a) b++
  const amount = 1_000 + rng.int(200_000)
  const r = network.pay(keys[a]!, keys[b]!, amount, { maxFee: Math.ceil(amount / 100) })
  attempts += r.attempts
  if (r.ok) { ok++; fees += r.feeMsat } else codes.set(r.code, (codes.get(r.code) ?? 0) + 1)
}
const tPay = performance.now() - t
const cpuPay = process.cpuUsage(cpu0)
const heapEnd = process.memoryUsage().heapUsed

const mb = (n: number): string => (n / 1048576).toFixed(1) + ' MB'
console.log(`nodes ${nodeCount}: ${tNodes.toFixed(0)} ms (secp256k1 keys)`)
console.log(`channels ${channelCount}: ${tChannels.toFixed(0)} ms`)
console.log(`payments ${paymentCount}: ${tPay.toFixed(0)} ms (${(tPay * 1000 / paymentCount).toFixed(0)} µs each, ${(tPay * 1000 / attempts).toFixed(0)} µs per attempt; CPU ${((cpuPay.user + cpuPay.system) / 1000).toFixed(0)} ms)`)
console.log(`success ${(100 * ok / paymentCount).toFixed(2)}%, attempts ${(attempts / paymentCount).toFixed(2)} per payment, fees ${(fees / 1000).toFixed(0)} sats, failures ${JSON.stringify(Object.fromEntries(codes))}`)
console.log(`heap: built ${mb(heapBuilt - heap0)}, after payments ${mb(heapEnd - heap0)}`)
