import { localTestnet } from '../src/protocol/index.ts'
import { wholePath } from './support/whole_path.ts'
const testnet = await localTestnet()
const path = await wholePath(testnet.network, Number(process.argv[2] ?? 200), 40)
for (let i = 0; i < 5; i++) await path.trip()
console.error('MARK-START')
process.stderr.write('')
const { writeSync } = await import('node:fs')
writeSync(2, 'TRIPS-BEGIN\n')
const ts: number[] = []
for (let i = 0; i < 20; i++) ts.push((await path.trip()).directive)
writeSync(2, 'TRIPS-END\n')
ts.sort((a, b) => a - b)
console.log('directive ms p50', ts[10]!.toFixed(1), 'max', ts[19]!.toFixed(1))
await path.close(); await testnet.destroy()
