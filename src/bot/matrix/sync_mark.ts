/**
 * Where the bot is in each room's timeline, kept across restarts (`matrix-sync.json` in the data
 * folder): the timestamp and id of the last event handled. A restarted bot's first sync (which
 * Synapse may serve from a cache two minutes old) repeats events it already answered; those, and
 * anything from before the bot first started, are skipped. An event is marked before it is
 * answered, so a crash in between leaves it unanswered rather than answered twice.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileDurable } from '../../shared/durable_file.ts'

export const SyncMarkSchema = z.object({
  version: z.literal(1),
  /** When the bot first started: older events in a new room are history, not commands. */
  since: z.number().int(),
  rooms: z.record(z.string(), z.object({ ts: z.number().int(), ids: z.array(z.string()).max(64) }))
}).strict()

export type SyncMarkData = z.infer<typeof SyncMarkSchema>

export class SyncMark {
  readonly #path: string
  readonly #data: SyncMarkData
  #writing: Promise<void> = Promise.resolve()

  private constructor (path: string, data: SyncMarkData) {
    this.#path = path
    this.#data = data
  }

  /** Loads the marks (a fresh set starting now when there is no file yet). */
  static async load (dataDir: string, now: number): Promise<SyncMark> {
    const path = join(dataDir, 'matrix-sync.json')
    let text: string | null = null
    try {
      text = await readFile(path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    const data = text === null ? { version: 1 as const, since: now, rooms: {} } : SyncMarkSchema.parse(JSON.parse(text))
    return new SyncMark(path, data)
  }

  /**
   * Whether an event is new to the bot: after the last one handled in its room (or, same
   * millisecond, not one of those handled), and not from before the bot first started.
   */
  isNew (room: string, ts: number, id: string): boolean {
    if (ts < this.#data.since) return false
    const r = this.#data.rooms[room]
    if (r === undefined) return true
    return ts > r.ts || (ts === r.ts && !r.ids.includes(id))
  }

  /** Marks an event handled and saves the marks durably. */
  async handled (room: string, ts: number, id: string): Promise<void> {
    const r = this.#data.rooms[room]
    this.#data.rooms[room] = r === undefined || ts > r.ts ? { ts, ids: [id] } : { ts: r.ts, ids: [...r.ids, id].slice(-64) }
    const text = JSON.stringify(this.#data)
    this.#writing = this.#writing.then(() => writeFileDurable(this.#path, text))
    await this.#writing
  }
}
