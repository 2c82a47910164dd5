import { readFileSync, readdirSync } from 'node:fs'
const dir = process.argv[2]!
const f = readdirSync(dir).find(x => x.endsWith('.cpuprofile'))!
const p = JSON.parse(readFileSync(dir + '/' + f, 'utf8'))
const self = new Map<string, number>(); const byId = new Map<number, any>()
for (const n of p.nodes) byId.set(n.id, n)
const dt = new Map<number, number>()
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0))
let total = 0
for (const [id, t] of dt) { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + t); total += t }
// inclusive
const parent = new Map<number, number>()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const incl = new Map<string, number>()
for (const [id, t] of dt) { const seen = new Set<string>(); let cur: number | undefined = id; while (cur !== undefined) { const n = byId.get(cur); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + t); seen.add(k) } cur = parent.get(cur) } }
console.log('total ms', (total/1000).toFixed(0))
console.log('--- self'); for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((t / 1000).toFixed(0).padStart(7), k)
console.log('--- inclusive'); for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((t / 1000).toFixed(0).padStart(7), k)
