/**
 * `downtime 2h` plans maintenance: the Storm routes around the member's node, then says when it
 * is safe to go (`liveness/request_downtime.ts`). `downtime extend 1h` makes the window longer,
 * `downtime cancel` ends it (or the preparation) now.
 */
import { err, ok, type Result } from '../../shared/errors.ts'
import { defineCommand, type CommandCall } from './define_command.ts'
import { parseDuration } from './arguments.ts'
import { answer } from './replies.ts'
import { shortDuration } from '../../manager/liveness/away.ts'
import { windowEnd, type Downtime } from '../../manager/liveness/schema.ts'

export type DowntimeArgs =
  | { kind: 'plan', durationMs: number }
  | { kind: 'extend', durationMs: number }
  | { kind: 'cancel' }

export const downtime = defineCommand({
  name: 'downtime',
  words: { required: 1, optional: 1 },
  parse: words => parseDowntime(words),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async (call, args) => {
    const { manager, actor, t } = call
    switch (args.kind) {
      case 'plan':
        return answer(t, await manager.downtime(actor, args.durationMs), d => planned(call, d))
      case 'extend':
        return answer(t, await manager.extendDowntime(actor, args.durationMs), d => {
          const end = windowEnd(d)
          return end === undefined
            ? t.t('downtime-extended', { id: d.id, duration: shortDuration(d.durationMs) })
            : t.t('downtime-extended-until', { id: d.id, duration: shortDuration(d.durationMs), end: utc(end) })
        })
      case 'cancel':
        return answer(t, await manager.cancelDowntime(actor), d => t.t('downtime-cancelled', { id: d.id }))
    }
  }
})

/** Errors: `BAD_DOWNTIME`, and those of `parseDuration` (`BAD_DURATION` {value}, `DURATION_TOO_LONG`). */
export function parseDowntime (words: string[]): Result<DowntimeArgs> {
  const first = words[0]!.toLowerCase()
  if (first === 'cancel') return words.length === 1 ? ok({ kind: 'cancel' }) : err('BAD_DOWNTIME')
  if (first === 'extend') {
    if (words.length !== 2) return err('BAD_DOWNTIME')
    const d = parseDuration(words[1]!)
    return d.ok ? ok({ kind: 'extend', durationMs: d.value }) : d
  }
  if (words.length !== 1) return err('BAD_DOWNTIME')
  const d = parseDuration(words[0]!)
  return d.ok ? ok({ kind: 'plan', durationMs: d.value }) : d
}

function planned ({ t }: CommandCall, d: Downtime): string {
  const end = windowEnd(d)
  return end === undefined
    ? t.t('downtime-preparing', { id: d.id, duration: shortDuration(d.durationMs), rebalances: d.rebalances.length })
    : t.t('downtime-granted-now', { id: d.id, duration: shortDuration(d.durationMs), end: utc(end) })
}

/** `2026-12-02 21:03`, the way the chat writes times (UTC). */
export function utc (at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ')
}
