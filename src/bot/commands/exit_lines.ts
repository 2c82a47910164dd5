/** The lines `removefunds` and `disconnect` add when the Storm adds capacity before closing. */
import type { StormManager } from '../../manager/storm_manager.ts'
import type { ExitPlan } from '../../manager/planning/plan_exit.ts'
import type { Translator } from '../../shared/i18n.ts'
import { memberName } from '../../manager/queries/names.ts'

export function exitLines (manager: StormManager, t: Translator, plan: ExitPlan | null): string[] {
  if (plan === null) return []
  const name = (id: string): string => memberName(manager.state, id)
  if (plan.atRisk.length === 0) return [t.t('exit-reply-nobody-at-risk')]
  return [
    ...plan.reinforcements.map(r => t.t('exit-reply-reinforce', { opener: name(r.opener), to: name(r.to), amount: r.capacity, reason: r.reason })),
    ...(plan.deferred.length > 0 ? [t.t('exit-reply-deferred', { later: plan.deferred.length })] : [])
  ]
}
