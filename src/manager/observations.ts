/**
 * What the manager currently knows from agents: the latest report, connection times and health.
 * Held in memory — reports and heartbeats arrive often and are not worth a write each; what
 * matters for accounting (channels opened and closed for allocations) is stored in the state
 * when a report changes it.
 */
import type { Report, Health, ChannelReport } from '../protocol/messages.ts'

export interface MemberObservation {
  report?: Report
  reportReceivedAt?: number
  /** Set while the agent is connected. */
  connectedSince?: number
  lastSeenAt?: number
  health?: Health
}

/** Told of every report as it is observed (the flow history listens). */
export type ReportListener = (member: string, report: Report, now: number) => void

export class Observations {
  readonly #byMember = new Map<string, MemberObservation>()
  readonly #reportListeners = new Set<ReportListener>()
  #reportCount = 0

  /**
   * Reports observed (and members forgotten) so far: what was computed from the reports holds
   * while this is the same. Reports change through `reported` and `forget` only.
   */
  get reportCount (): number {
    return this.#reportCount
  }

  get (member: string): MemberObservation {
    let o = this.#byMember.get(member)
    if (o === undefined) {
      o = {}
      this.#byMember.set(member, o)
    }
    return o
  }

  connected (member: string, now: number): void {
    const o = this.get(member)
    o.connectedSince = now
    o.lastSeenAt = now
  }

  disconnected (member: string, now: number): void {
    const o = this.get(member)
    delete o.connectedSince
    o.lastSeenAt = now
  }

  reported (member: string, report: Report, now: number): void {
    const o = this.get(member)
    o.report = report
    this.#reportCount++
    o.reportReceivedAt = now
    o.health = report.health
    o.lastSeenAt = now
    for (const listener of this.#reportListeners) listener(member, report, now)
  }

  /**
   * A report kept from before a restart: known again, as received then; nobody is told (it was
   * counted when it arrived) and nothing says the agent was seen now.
   */
  restore (member: string, report: Report, receivedAt: number): void {
    const o = this.get(member)
    if (o.reportReceivedAt !== undefined && o.reportReceivedAt >= receivedAt) return
    o.report = report
    o.reportReceivedAt = receivedAt
  }

  /** Calls `listener` with each report from now on; returns a function that stops it. */
  onReport (listener: ReportListener): () => void {
    this.#reportListeners.add(listener)
    return () => { this.#reportListeners.delete(listener) }
  }

  heartbeat (member: string, health: Health, now: number): void {
    const o = this.get(member)
    o.health = health
    o.lastSeenAt = now
  }

  /** The member's reported channels whose peer is one of `stormNodes`. */
  stormChannels (member: string, stormNodes: ReadonlySet<string>): ChannelReport[] {
    return (this.#byMember.get(member)?.report?.channels ?? []).filter(c => stormNodes.has(c.peer))
  }

  forget (member: string): void {
    if (this.#byMember.get(member)?.report !== undefined) this.#reportCount++
    this.#byMember.delete(member)
  }
}
