/** Checks an outgoing body once, when it is handed to a link, so a bad one fails at its caller. */
import { StormError } from '../../shared/errors.ts'
import { canonicalJson, NotCanonicalError } from '../canonical_json.ts'
import { describeIssues, ENVELOPE_OVERHEAD_BYTES, MAX_ENVELOPE_BYTES } from '../envelope.ts'
import { MESSAGE_BODIES } from '../messages.ts'
import type { MessageBody, MessageType } from '../messages.ts'

/**
 * The body as it will be sent: validated against its type's schema (defaults applied) and
 * reduced to plain JSON data.
 *
 * Errors (thrown StormError, a bug in the caller): BAD_BODY (schema, or not encodable),
 * TOO_LARGE (the envelope would exceed `maxBytes`).
 */
export function prepareBody<T extends MessageType> (type: T, body: MessageBody<T>, maxBytes = MAX_ENVELOPE_BYTES): unknown {
  if (!Object.hasOwn(MESSAGE_BODIES, type)) throw new Error(`unknown message type ${String(type)}`)
  const parsed = MESSAGE_BODIES[type].safeParse(body)
  if (!parsed.success) throw new StormError('BAD_BODY', { type, detail: describeIssues(parsed.error) })
  const json = JSON.stringify(parsed.data)
  const bytes = Buffer.byteLength(json) + ENVELOPE_OVERHEAD_BYTES
  if (bytes > maxBytes) throw new StormError('TOO_LARGE', { type, bytes, limit: maxBytes })
  const plain: unknown = JSON.parse(json)
  try {
    canonicalJson(plain)
  } catch (e) {
    if (e instanceof NotCanonicalError) throw new StormError('BAD_BODY', { type, detail: e.message })
    throw e
  }
  return plain
}
