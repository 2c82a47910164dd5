/**
 * Feeds the flow history from agent reports and keeps it in its own small document (the store
 * port): saved when the bucket the reports fall in moves on, and on `close()`. Never once per
 * report. A save that fails is logged and tried again with the next bucket; the history in
 * memory stays whole.
 */
import type { Store } from '../shared/json_store.ts'
import type { Observations } from './observations.ts'
import { FlowHistory, type FlowHistoryDoc, type FlowHistoryOptions } from './flow_history.ts'

export interface FlowRecorderOptions extends FlowHistoryOptions {
  store: Store<FlowHistoryDoc>
  observations: Observations
  /** The members' node keys right now: channels to them are Storm channels. */
  stormNodes: () => ReadonlySet<string>
  log?: (event: string, data: Record<string, unknown>) => void
}

export class FlowRecorder {
  readonly #o: FlowRecorderOptions
  #history: FlowHistory | null = null
  #stop: (() => void) | null = null
  #savedBucket = -1
  #dirty = false
  #saving: Promise<void> = Promise.resolve()

  constructor (o: FlowRecorderOptions) {
    this.#o = o
  }

  /** Loads the stored history and starts listening to reports. */
  async start (): Promise<void> {
    const doc = await this.#o.store.load()
    this.#history = new FlowHistory(doc, this.#o)
    this.#stop = this.#o.observations.onReport((member, report, now) => {
      const history = this.history
      let outcome: ReturnType<FlowHistory['record']>
      try {
        outcome = history.record(member, report, this.#o.stormNodes())
      } catch (e) {
        // a bug here must not fail the report's use case (it runs inside it): logged, not lost
        this.#o.log?.('flow_history_record_failed', { member, error: String(e) })
        return
      }
      if (outcome === 'none') return
      this.#dirty = true
      const bucket = history.bucketStart(now)
      if (this.#savedBucket === -1) this.#savedBucket = bucket
      else if (bucket !== this.#savedBucket) void this.save()
    })
  }

  /** The history (read it through the queries). */
  get history (): FlowHistory {
    if (this.#history === null) throw new Error('FlowRecorder used before start()')
    return this.#history
  }

  /** Stores the history now if it changed; saves never overlap. */
  save (): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      if (!this.#dirty || this.#history === null) return
      this.#dirty = false
      const doc = this.#history.toDoc()
      try {
        await this.#o.store.save(doc)
        this.#savedBucket = -1
      } catch (e) {
        this.#dirty = true
        this.#o.log?.('flow_history_save_failed', { error: String(e) })
      }
    })
    return this.#saving
  }

  /** Stops listening and stores what is left. */
  async close (): Promise<void> {
    this.#stop?.()
    this.#stop = null
    await this.save()
  }
}
