/** `decline MEMBER`: an admin declines a membership request (also the [Decline] button). */
import { membershipDecision } from './decide_membership.ts'

export const decline = membershipDecision('decline')
