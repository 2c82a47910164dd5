/**
 * Scheduled backups of a state store, for the manager and for stormd: one as soon as the state
 * has loaded (a copy of what was there before this process changed anything), then one on a
 * schedule (daily by default), keeping the newest few. A failed backup is logged, never fatal.
 */
import cron from 'node-cron'
import type { BackedUpStore } from '../shared/json_store.ts'
import type { Clock } from '../shared/clock.ts'

/** Daily at 03:17 local time: off the hour, when chats are quiet. */
export const DEFAULT_BACKUP_SCHEDULE = '17 3 * * *'

export interface BackupScheduleOptions {
  store: BackedUpStore
  clock: Clock
  /** Cron syntax, local time; null for only the backup at start. */
  schedule: string | null
  keep: number
  /** Waits for what is under way to be stored first (the manager's `whenIdle`). */
  settle?: () => Promise<void>
  log?: (event: string, data: Record<string, unknown>) => void
}

/** Takes the backup at start, then schedules the others; returns how to stop them. */
export async function startBackups (o: BackupScheduleOptions): Promise<() => Promise<void>> {
  const take = async (): Promise<void> => {
    try {
      await o.settle?.()
      const path = await o.store.backup(o.clock.now(), o.keep)
      if (path !== null) o.log?.('backup_written', { path })
    } catch (e) {
      o.log?.('backup_failed', { store: o.store.path, error: String(e) })
    }
  }
  await take()
  if (o.schedule === null) return async () => {}
  const task = cron.schedule(o.schedule, take, { noOverlap: true })
  return async () => { await task.destroy() }
}
