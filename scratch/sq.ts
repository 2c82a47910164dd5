import { DatabaseSync } from 'node:sqlite'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const dir = mkdtempSync(join(tmpdir(), 'sq-'))
for (const variant of ['rowid', 'without', 'page8k', 'page16k']) {
  const db = new DatabaseSync(join(dir, variant + '.db'))
  if (variant === 'page8k') db.exec('PRAGMA page_size = 8192')
  if (variant === 'page16k') db.exec('PRAGMA page_size = 16384')
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL')
  db.exec(`CREATE TABLE r (key TEXT PRIMARY KEY, member TEXT, agent TEXT, at INTEGER, signed TEXT, sig TEXT, body TEXT)${variant === 'without' ? ' WITHOUT ROWID' : ''}`)
  const up = db.prepare('INSERT INTO r VALUES (?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET member=excluded.member, agent=excluded.agent, at=excluded.at, signed=excluded.signed, sig=excluded.sig, body=excluded.body')
  const text = 'x'.repeat(3900)
  for (let round = 0; round < 4; round++) {
    const c = process.cpuUsage()
    db.exec('BEGIN IMMEDIATE')
    for (let i = 0; i < 3000; i++) up.run('member' + i, 'm', 'a'.repeat(64), Date.now(), text + round, 's'.repeat(128), null)
    db.exec('COMMIT')
    const u = process.cpuUsage(c)
    if (round === 3) console.log(variant, ((u.user + u.system) / 3000).toFixed(1), 'µs/row')
  }
  db.close()
}
