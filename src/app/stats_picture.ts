/**
 * What `/stats` sends: the Storm's liquidity and flow as a PNG with a caption, from the read model
 * (the chat command that sends it is wired with the command registry).
 */
import type { Translator } from '../shared/i18n.ts'
import { stormView } from '../manager/queries/index.ts'
import { renderStatsPng } from '../dashboard/stats_png.ts'
import type { ManagerRuntime } from './manager_runtime.ts'

/** The picture and its caption in the reader's language. */
export function statsPicture (runtime: Pick<ManagerRuntime, 'manager' | 'flow' | 'clock'>, tr: Translator, flowPeriodMs?: number): { png: Buffer, caption: string } {
  const m = runtime.manager
  const view = stormView({ state: m.state, observations: m.observations, rules: m.rules, now: runtime.clock.now(), flow: runtime.flow.history }, flowPeriodMs === undefined ? {} : { flowPeriodMs })
  return { png: renderStatsPng(view, tr), caption: tr.t('stats-caption', { group: view.group }) }
}
