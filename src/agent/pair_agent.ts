/**
 * `stormd pair CODE`: connects to the manager with a key derived from the one-time code, answers
 * its challenge with the agent's permanent key and a signature by the Lightning node (LND's
 * `signmessage`), and learns its member id.
 */
import crypto from 'hypercore-crypto'
import type { Message } from '../protocol/messages.ts'
import { pairingProofText } from '../protocol/messages.ts'
import type { LightningNode } from './lightning_port.ts'
import type { Clock } from '../shared/clock.ts'
import { SYSTEM_CLOCK } from '../shared/clock.ts'
import { normalizePairingCode } from '../shared/ids.ts'
import { StormError } from '../shared/errors.ts'
import type { ConnectToManager, KeyPair } from './stormd.ts'
import type { AgentState } from './agent_state.ts'

export interface PairOptions {
  code: string
  managerKey: string
  keyPair: KeyPair
  lightning: LightningNode
  connect: ConnectToManager
  /** The pairing key pair for (manager key, code): `derivePairingKeyPair` from the protocol. */
  pairingKeyPair: (managerKey: string, code: string) => KeyPair
  /** The Storm the owner means to join (stormd.conf `group`), checked against the manager's. */
  group?: string
  clock?: Clock
  timeoutMs?: number
}

/**
 * Errors: `PAIRING_CODE_MALFORMED`, `PAIRING_NO_ANSWER` (wrong or expired code, or the manager is
 * unreachable: the manager refuses unknown keys at the handshake, so these look alike),
 * `PAIRING_WRONG_GROUP` {group, expected}, `PAIRING_REFUSED` {reason}, and the node's LN_* errors.
 */
export async function pairAgent (o: PairOptions): Promise<NonNullable<AgentState['pairing']>> {
  const code = normalizePairingCode(o.code)
  if (code === null) throw new StormError('PAIRING_CODE_MALFORMED', { code: o.code.slice(0, 40) })
  const clock = o.clock ?? SYSTEM_CLOCK
  const info = await o.lightning.getInfo()
  const link = o.connect(o.pairingKeyPair(o.managerKey, code), o.managerKey)
  try {
    const inbox = waitForMessages(link, clock, o.timeoutMs ?? 20_000)
    link.start()
    const challenge = await inbox.next('pair_challenge')
    if (o.group !== undefined && challenge.body.group.toLowerCase() !== o.group.toLowerCase()) {
      throw new StormError('PAIRING_WRONG_GROUP', { group: challenge.body.group, expected: o.group })
    }
    const agentKey = o.keyPair.publicKey.toString('hex')
    const proof = pairingProofText(challenge.body.group, challenge.body.nonce, agentKey, info.publicKey)
    const nodeSignature = await o.lightning.signMessage(proof)
    const agentSignature = crypto.sign(Buffer.from(proof), o.keyPair.secretKey).toString('hex')
    link.send('pair_request', {
      nonce: challenge.body.nonce,
      agentKey,
      agentSignature,
      node: { publicKey: info.publicKey, alias: info.alias.slice(0, 64), network: info.network, uris: info.uris.slice(0, 8), version: info.version.slice(0, 64) },
      nodeSignature
    })
    const result = await inbox.next('pair_result')
    return { managerKey: result.body.managerKey, memberId: result.body.memberId, group: result.body.group, node: info.publicKey, pairedAt: clock.now() }
  } finally {
    await link.close()
  }
}

/** Collects the link's messages; `next(type)` waits for one of that type, or fails on an error. */
function waitForMessages (link: ReturnType<ConnectToManager>, clock: Clock, timeoutMs: number) {
  const queue: Message[] = []
  let wake: (() => void) | null = null
  link.on('message', (m: Message) => { queue.push(m); wake?.() })
  return {
    async next<T extends Message['type']> (type: T): Promise<Extract<Message, { type: T }>> {
      const deadline = clock.now() + timeoutMs
      for (;;) {
        const i = queue.findIndex(m => m.type === type || m.type === 'error')
        if (i >= 0) {
          const m = queue.splice(i, 1)[0]!
          if (m.type === 'error') throw new StormError('PAIRING_REFUSED', { reason: m.body.detail ?? m.body.code })
          return m as Extract<Message, { type: T }>
        }
        const left = deadline - clock.now()
        if (left <= 0) throw new StormError('PAIRING_NO_ANSWER')
        await new Promise<void>(resolve => {
          const cancel = clock.schedule(() => { wake = null; resolve() }, left)
          wake = () => { cancel(); wake = null; resolve() }
        })
      }
    }
  }
}
