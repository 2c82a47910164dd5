/**
 * The local control API between stormcli and stormd: one JSON object per line over a unix socket
 * that only the owner can open (mode 0600 in a 0700 directory).
 */
import { z } from 'zod'
import { ErrorInfoSchema } from '../../protocol/messages.ts'

export const ControlRequestBodySchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('status') }),
  z.object({ op: z.literal('pair'), invite: z.string().min(1).max(300) }),
  z.object({ op: z.literal('command'), text: z.string().min(1).max(500), lang: z.string().max(16) }),
  z.object({ op: z.literal('decide'), directive: z.string().min(1).max(64), decision: z.enum(['approve', 'reject']) }),
  z.object({ op: z.literal('directives') }),
  z.object({ op: z.literal('audit'), verify: z.boolean() }),
  z.object({ op: z.literal('vote'), baseFeeMsat: z.string().regex(/^\d{1,20}$/), feeRatePpm: z.number().int().nonnegative().max(1_000_000) })
])
export type ControlRequestBody = z.infer<typeof ControlRequestBodySchema>

export const ControlRequestSchema = ControlRequestBodySchema.and(z.object({ id: z.number().int() }))
export type ControlRequest = z.infer<typeof ControlRequestSchema>

export const ControlResponseSchema = z.object({
  id: z.number().int(),
  ok: z.boolean(),
  /** Text already rendered (manager replies). */
  text: z.string().optional(),
  data: z.unknown().optional(),
  error: ErrorInfoSchema.optional()
})
export type ControlResponse = z.infer<typeof ControlResponseSchema>

export const MAX_CONTROL_LINE = 1024 * 1024
