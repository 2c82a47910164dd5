/**
 * Files that survive a crash or a power cut: written whole to a temporary file, fsynced, renamed
 * over the old one, and the folder fsynced (so the rename itself is on disk). A reader sees the
 * old file or the new one, never half of either. Backups beside a file are kept the same way.
 */
import { open, rename, mkdir, readdir, rm, unlink } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

/** Writes `data` to `path` atomically and durably (temporary file, fsync, rename, fsync the folder). */
export async function writeFileDurable (path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`)
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } catch (e) {
    await fh.close()
    await unlink(tmp).catch(() => {})
    throw e
  }
  await fh.close()
  await rename(tmp, path)
  await syncDir(dir)
}

/** Fsyncs a folder, so that a rename or a new file in it is on disk. */
export async function syncDir (dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } catch {
    // some file systems refuse fsync on a folder; the rename is then as durable as they make it
  } finally {
    await fh.close()
  }
}

/** Where the backups of `path` live: `backups/` beside it. */
export function backupDir (path: string): string {
  return join(dirname(path), 'backups')
}

/** The backups of `path` that exist, oldest first (their names sort by time). */
export async function listBackups (path: string): Promise<string[]> {
  const dir = backupDir(path)
  const prefix = stemOf(path) + '-'
  const ext = extname(path)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  return names.filter(n => n.startsWith(prefix) && n.endsWith(ext) && !n.startsWith('.')).sort().map(n => join(dir, n))
}

/** The newest backup of `path`, or 'none': what an error about a damaged file points at. */
export async function latestBackup (path: string): Promise<string> {
  const all = await listBackups(path)
  return all.at(-1) ?? 'none'
}

/**
 * Writes `data` as a new backup of `path` (`backups/<stem>-<time>.<ext>`) and keeps the newest
 * `keep`. Returns the backup's path.
 */
export async function writeBackup (path: string, data: string | Uint8Array, now: number, keep: number): Promise<string> {
  const target = backupPathFor(path, now)
  await writeFileDurable(target, data)
  await pruneBackups(path, keep)
  return target
}

/** The path a backup of `path` taken at `now` gets. */
export function backupPathFor (path: string, now: number): string {
  return join(backupDir(path), `${stemOf(path)}-${new Date(now).toISOString().replace(/[:.]/g, '-')}${extname(path)}`)
}

/** Deletes all but the newest `keep` backups of `path`. */
export async function pruneBackups (path: string, keep: number): Promise<void> {
  const all = await listBackups(path)
  for (const f of all.slice(0, Math.max(0, all.length - Math.max(1, keep)))) await rm(f, { force: true })
}

function stemOf (path: string): string {
  return basename(path, extname(path))
}
