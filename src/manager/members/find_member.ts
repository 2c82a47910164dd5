/**
 * Who is acting, and which member that is. A chat user is identified by platform and user id;
 * an agent by its paired key.
 */
import type { State, Member } from '../state/schema.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { memberWithAgent, memberWithChat } from './member_index.ts'

export type Actor =
  | {
    kind: 'chat'
    platform: string
    userId: string
    /** What the user calls themselves: untrusted, shown without a leading `@`. */
    name: string
    isAdmin: boolean
    /** The platform's handle (a Telegram username) without `@`, only when the platform vouches for it. */
    handle?: string
  }
  | { kind: 'agent', agentKey: string }

/** The member an actor is, whatever their status (banned and departed members are found too). */
export function findMemberByActor (state: State, actor: Actor): Member | undefined {
  return actor.kind === 'agent' ? memberWithAgent(state, actor.agentKey) : memberWithChat(state, actor.platform, actor.userId)
}

/** The member whose paired agent key this is, whatever their status. */
export function findMemberByAgent (state: State, agentKey: string): Member | undefined {
  return memberWithAgent(state, agentKey)
}

/** Members who take part: admitted and not gone. */
export function activeMembers (state: Pick<State, 'members'>): Member[] {
  return Object.values(state.members).filter(m => m.status === 'active' || m.status === 'leaving')
}

/** The acting member, if they may act: `NOT_A_MEMBER`, `MEMBERSHIP_PENDING`, `BANNED`, `LEFT` otherwise. */
export function requireMember (state: State, actor: Actor): Result<Member> {
  const m = findMemberByActor(state, actor)
  if (m === undefined) return err('NOT_A_MEMBER', { group: state.group })
  switch (m.status) {
    case 'active':
    case 'leaving':
      return ok(m)
    case 'requested':
      return err('MEMBERSHIP_PENDING', { group: state.group })
    case 'banned':
      return err('BANNED', { group: state.group })
    case 'left':
      return err('NOT_A_MEMBER', { group: state.group })
  }
}

/** The acting member with a paired agent and node: `NOT_PAIRED` otherwise. */
export function requirePairedMember (state: State, actor: Actor): Result<Member & { agentKey: string, node: NonNullable<Member['node']> }> {
  const r = requireMember(state, actor)
  if (!r.ok) return r
  const m = r.value
  if (m.agentKey === undefined || m.node === undefined) return err('NOT_PAIRED')
  return ok(m as Member & { agentKey: string, node: NonNullable<Member['node']> })
}

/** The actor's name for the audit log. */
export function actorName (actor: Actor): string {
  return actor.kind === 'chat' ? `${actor.platform}:${actor.userId}` : `agent:${actor.agentKey.slice(0, 16)}`
}
