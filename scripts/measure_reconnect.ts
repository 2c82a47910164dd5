/**
 * How long a restarted stormd takes to reach the manager on the loopback testnet. The manager's
 * link listens in this process; the agent's link runs in a child process (as stormd does), which
 * connects, is killed with SIGKILL (no goodbye: the manager's side of the old connection is left
 * open, as after a crash or a power cut), and is started again with the same key. The figure is
 * the new child's time from creating its link to `connected`. Real time, several runs;
 * prints min / median / max.
 *
 *   node scripts/measure_reconnect.ts [runs]
 */
import { execSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { generateKeyPair, localTestnet, ManagerLink } from '../src/protocol/index.ts'

const CHILD = fileURLToPath(new URL('./reconnect_child.ts', import.meta.url))

function startAgent (secret: string, managerKey: string, bootstrap: string): { connected: Promise<number>, kill: () => void, pid: number | undefined } {
  const child = spawn(process.execPath, [CHILD, secret, managerKey, bootstrap, ...(PORT === undefined ? [] : [PORT])], { stdio: ['ignore', 'pipe', 'inherit'] })
  const connected = new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /connected (\d+)/.exec(out)
      if (m !== null) resolve(Number(m[1]))
    })
    child.on('exit', code => reject(new Error(`agent exited ${code}`)))
  })
  connected.catch(() => {})
  return { connected, kill: () => child.kill('SIGKILL'), pid: child.pid }
}

const runs = Number(process.argv[2] ?? 5)
/** The UDP port both stormd processes bind (`same-port`), or any free one. */
const PORT = process.argv[3] === 'same-port' ? String(40_000 + Math.floor(Math.random() * 9_000)) : undefined
const testnet = await localTestnet()
const times: number[] = []
try {
  for (let i = 0; i < runs; i++) {
    const managerKey = generateKeyPair()
    const manager = new ManagerLink({ keyPair: managerKey, network: testnet.network, admit: () => 'member' })
    await manager.listen()
    // AGE_MS: let the manager's DHT node run that long first (a manager that has been up a while)
    await new Promise(resolve => setTimeout(resolve, Number(process.env.AGE_MS ?? 0)))
    const secret = generateKeyPair().secretKey.subarray(0, 32).toString('hex')
    const bootstrap = JSON.stringify(testnet.network.bootstrap)
    const first = startAgent(secret, manager.publicKey, bootstrap)
    await first.connected
    if (process.env.VERBOSE !== undefined) console.error(execSync(`ss -ulpn | grep pid=${first.pid} || true`).toString())
    first.kill()
    await new Promise(resolve => setTimeout(resolve, 500))
    const again = startAgent(secret, manager.publicKey, bootstrap)
    const ms = await again.connected
    if (process.env.VERBOSE !== undefined) console.error(execSync(`ss -ulpn | grep pid=${again.pid} || true`).toString())
    again.kill()
    await manager.close()
    times.push(ms)
    console.log(`run ${i + 1}: ${ms} ms`)
  }
} finally {
  await testnet.destroy()
}
times.sort((a, b) => a - b)
console.log(`restarted stormd → connected: min ${times[0]} ms, median ${times[Math.floor(times.length / 2)]} ms, max ${times.at(-1)} ms (${runs} runs)`)
