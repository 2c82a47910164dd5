import crypto from 'hypercore-crypto'
import nodeCrypto from 'node:crypto'
import { ReportSchema } from '/work/wt/reports/src/protocol/messages.ts'
import { encode, MAX_TTL_MS, openEnvelope, seal, EnvelopeSchema, jsonDepth } from '/work/wt/reports/src/protocol/envelope.ts'
import { ReplayGuard } from '/work/wt/reports/src/protocol/replay_guard.ts'
import { syntheticStorm } from '/work/wt/reports/bench/support/synthetic_storm.ts'
const syn = syntheticStorm({ members: 3000, channelsPerMember: 8 })
const bodies = syn.members.map((_, i) => syn.reportOf(i))
const signer = crypto.keyPair(Buffer.alloc(32, 7))
const to = crypto.keyPair(Buffer.alloc(32, 8)).publicKey.toString('hex'); const from = signer.publicKey.toString('hex')
const now = Date.now()
const wire = bodies.map((body, i) => encode(seal(signer, { type: 'report', body, to, seq: i + 1, now, ttlMs: MAX_TTL_MS })))
function cpu(name: string, f: () => void, n = 3000) {
  f()
  const t = process.cpuUsage(); const w = performance.now()
  f()
  const u = process.cpuUsage(t)
  console.log(name, ((u.user + u.system) / n).toFixed(1), 'µs cpu/report', ((performance.now() - w) * 1000 / n).toFixed(1), 'µs wall')
}
const dec = new TextDecoder()
cpu('JSON.parse', () => { for (const w of wire) JSON.parse(dec.decode(w)) })
const raws = wire.map(w => JSON.parse(dec.decode(w)))
cpu('jsonDepth', () => { for (const w of wire) jsonDepth(w) })
cpu('EnvelopeSchema', () => { for (const r of raws) EnvelopeSchema.safeParse(r) })
cpu('ReportSchema', () => { for (const r of raws) ReportSchema.safeParse(r.body) })
const sigs = raws.map(r => Buffer.from(r.sig, 'hex'))
const head = Buffer.from('storm-envelope-v2\n{')
const msgs = wire.map(w => Buffer.concat([head, w.subarray(8 + 128 + 2)]))
cpu('hypercore verify', () => { for (let i = 0; i < wire.length; i++) if (!crypto.verify(msgs[i]!, sigs[i]!, signer.publicKey)) throw new Error('x') })
const spki = nodeCrypto.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), signer.publicKey]), format: 'der', type: 'spki' })
cpu('node verify', () => { for (let i = 0; i < wire.length; i++) if (!nodeCrypto.verify(null, msgs[i]!, spki, sigs[i]!)) throw new Error('y') })
cpu('openEnvelope', () => { const replay = new ReplayGuard(); for (const w of wire) { const o = openEnvelope(w, { now, self: to, replay }); if (!o.ok) throw new Error(o.error.code) } })
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
const d = mkdtempSync(tmpdir() + '/rg-')
let k = 0
cpu('openEnvelope+replay file', () => { const replay = new ReplayGuard({ file: d + '/r' + (k++) }); for (const w of wire) { const o = openEnvelope(w, { now, self: to, replay }); if (!o.ok) throw new Error(o.error.code) } })
cpu('replay file alone', () => { const replay = new ReplayGuard({ file: d + '/r' + (k++) }); for (let i = 0; i < wire.length; i++) replay.accept(from, i + 1) })
