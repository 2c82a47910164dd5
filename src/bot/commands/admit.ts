/** `admit MEMBER`: an admin admits a membership request (also the [Admit] button). */
import { membershipDecision } from './decide_membership.ts'

export const admit = membershipDecision('admit')
