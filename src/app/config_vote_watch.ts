/**
 * stormd votes again when its owner edits `voteBaseFee` / `voteFeeRate` in stormd.conf, without a
 * restart: the file is watched (polled, so an editor's rename-and-replace is seen too), read and
 * validated as at start; a file that no longer validates is logged and changes nothing (the
 * running stormd keeps its configuration). Other keys take effect at the next start.
 */
import { watchFile, unwatchFile, type Stats } from 'node:fs'
import { loadAgentConfig } from '../agent/config.ts'
import type { StormAgent } from '../agent/stormd.ts'
import { StormError } from '../shared/errors.ts'

export type Watch = (path: string, onChange: () => void) => () => void

/** Node's `fs.watchFile`, every two seconds. */
export const POLL_FILE: Watch = (path, onChange) => {
  const listener = (now: Stats, before: Stats): void => { if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) onChange() }
  watchFile(path, { interval: 2000, persistent: false }, listener)
  return () => unwatchFile(path, listener)
}

/** Starts watching; returns a function that stops. */
export function watchConfigVote (path: string, agent: Pick<StormAgent, 'setConfigVote'>, log: (level: 'warn' | 'info', event: string, data: Record<string, unknown>) => void, watch: Watch = POLL_FILE): () => void {
  return watch(path, () => {
    loadAgentConfig(path).then(config => {
      const sent = agent.setConfigVote(config.voteBaseFee, config.voteFeeRate)
      log('info', sent ? 'config_vote_sent' : 'config_reload_checked', { baseFeeMsat: config.voteBaseFee, feeRatePpm: config.voteFeeRate })
    }, (e: unknown) => {
      log('warn', 'config_reload_refused', e instanceof StormError ? { code: e.code, ...e.params } : { error: String(e) })
    })
  })
}
