import type { z } from 'zod'
import type { CloseChannelParamsSchema } from '../../../src/protocol/messages.ts'

export type CloseChannelParams = z.infer<typeof CloseChannelParamsSchema>
