import { spawn } from 'node:child_process'
import crypto from 'hypercore-crypto'
import { AgentLink, generateKeyPair, localTestnet } from '/work/wt/crashlink/src/protocol/index.ts'
const testnet = await localTestnet()
const bootstrap = JSON.stringify(testnet.network.bootstrap)
const seed = generateKeyPair().secretKey.subarray(0, 32).toString('hex')
const mk = crypto.keyPair(Buffer.from(seed, 'hex')).publicKey.toString('hex')
const t0 = performance.now()
const T = () => Math.round(performance.now() - t0)
const start = () => { const p = spawn(process.execPath, ['/work/wt/crashlink/bench/support/reconnect_manager.ts', seed, bootstrap], { stdio: ['ignore', 'pipe', 'inherit'] }); p.stdout.on('data', b => console.log(T(), 'mgr:', b.toString().trim())); return p }
let m = start()
const agent = new AgentLink({ keyPair: generateKeyPair(), managerKey: mk, network: testnet.network, log: (e, d) => console.log(T(), e, JSON.stringify(d)) })
agent.start()
await new Promise(r => agent.once('connected', r))
await new Promise(r => setTimeout(r, 1000))
console.log(T(), 'KILL')
m.kill(process.env.SIG ?? 'SIGKILL'); await new Promise(r => m.on('exit', r)); console.log(T(), 'exited')
m = start()
await new Promise(r => agent.once('connected', r))
console.log(T(), 'reconnected')
m.kill('SIGKILL'); await agent.close(); await testnet.destroy()
