/**
 * The manager's scheduler of pure ticks: one timer on the injected clock that runs whatever work
 * is due — directive expiry, proposal deadlines, uptime samples — each as a use case. A job runs
 * at most once per tick and ticks never overlap: the next tick is armed once the jobs of this
 * one have run. Tests move a `ManualClock`; nothing sleeps.
 */
import type { Clock } from '../shared/clock.ts'

export interface ScheduledJob {
  name: string
  /** How often it is due. */
  everyMs: number
  run: () => Promise<unknown>
}

/** The jobs due at `now`, given when each last ran (never: due at once). */
export function dueJobs (jobs: readonly ScheduledJob[], lastRun: ReadonlyMap<string, number>, now: number): ScheduledJob[] {
  return jobs.filter(j => {
    const last = lastRun.get(j.name)
    return last === undefined || now - last >= j.everyMs
  })
}

/** When the next job is due, in ms from `now` (at least 1). */
export function nextDueIn (jobs: readonly ScheduledJob[], lastRun: ReadonlyMap<string, number>, now: number): number {
  let next = Infinity
  for (const j of jobs) {
    const last = lastRun.get(j.name)
    next = Math.min(next, last === undefined ? 0 : last + j.everyMs - now)
  }
  return Math.max(1, next)
}

export class Scheduler {
  readonly #clock: Clock
  readonly #jobs: ScheduledJob[]
  readonly #lastRun = new Map<string, number>()
  readonly #onError: (job: string, e: unknown) => void
  #cancel: (() => void) | null = null
  #running = false
  #stopped = true
  #current: Promise<void> = Promise.resolve()

  constructor (clock: Clock, jobs: ScheduledJob[], onError: (job: string, e: unknown) => void) {
    this.#clock = clock
    this.#jobs = jobs
    this.#onError = onError
  }

  /** Starts ticking; the first run of every job is one interval after the start. */
  start (): void {
    this.#stopped = false
    const now = this.#clock.now()
    for (const j of this.#jobs) this.#lastRun.set(j.name, now)
    this.#arm()
  }

  stop (): void {
    this.#stopped = true
    this.#cancel?.()
    this.#cancel = null
  }

  /** Runs what is due now, one job after the other; resolves when they have run. */
  async tick (): Promise<void> {
    if (this.#running) return
    this.#running = true
    try {
      const now = this.#clock.now()
      for (const job of dueJobs(this.#jobs, this.#lastRun, now)) {
        this.#lastRun.set(job.name, now)
        try {
          await job.run()
        } catch (e) {
          this.#onError(job.name, e)
        }
      }
    } finally {
      this.#running = false
    }
  }

  /** Resolves when the tick under way (if any) has run and the next one is armed. */
  idle (): Promise<void> {
    return this.#current
  }

  #arm (): void {
    if (this.#stopped) return
    // armed again only once this tick's jobs have run: ticks never overlap, and a clock moved far
    // ahead fires one tick that runs everything due by then (each job once)
    this.#cancel = this.#clock.schedule(() => {
      this.#current = this.tick().finally(() => this.#arm())
    }, nextDueIn(this.#jobs, this.#lastRun, this.#clock.now()))
  }
}
