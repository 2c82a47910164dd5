/**
 * `npm start` without configuration: the demo Storm on the console. Interactive on a terminal;
 * with piped input it runs the commands one by one and exits at the end.
 */
import type { Readable, Writable } from 'node:stream'
import { startDemoStorm } from './demo_storm.ts'
import { ConsoleChat } from '../bot/console/console_chat.ts'
import { createLogger, eventLog, levelFromEnv } from '../shared/log.ts'
import { startDashboard } from '../app/start_dashboard.ts'
import { statsPicture } from '../app/stats_picture.ts'
import { dashboardConfig } from '../dashboard/index.ts'

export interface RunDemoOptions {
  input: Readable
  output: Writable
  interactive: boolean
  lang?: string
  seed?: number
  /** Your node's sats on chain (`STORM_DEMO_FUNDS`; 0 shows a newcomer being lifted). */
  yourFunds?: number
}

export async function runDemo (o: RunDemoOptions): Promise<void> {
  // the demo's console is the conversation: only warnings and errors go to standard error
  const log = eventLog(createLogger(levelFromEnv(process.env, 'warn')))
  const demo = await startDemoStorm({ log, ...(o.seed === undefined ? {} : { seed: o.seed }), ...(o.yourFunds === undefined ? {} : { yourFunds: o.yourFunds }) })
  // the dashboard on its usual loopback address, or any free port when another demo has that
  const dashboard = await startDashboard(demo.manager, dashboardConfig(), demo.locales, { anyPortIfTaken: true }).catch(async (e: unknown) => { await demo.close(); throw e })
  try {
    const lang = demo.locales.negotiate(o.lang)
    const t = demo.locales.translator(lang)
    const you = await demo.you.node.getChainBalance()
    const channels = demo.members.reduce((n, m) => n + demo.network.channelsOf(m.node.publicKey).length, 0) / 2
    const chat = new ConsoleChat({
      manager: demo.manager.manager,
      locales: demo.locales,
      actor: demo.you.actor,
      lang,
      input: o.input,
      output: o.output,
      interactive: o.interactive,
      pairingInvite: demo.manager.invite,
      statsPicture: t => statsPicture(demo.manager, t),
      settle: () => demo.settle(),
      afterCommand: async (name) => {
        if (name === 'connect' && demo.you.runtime.agent.pairing === undefined) {
          const code = await demo.pairYou()
          chat.say(t.t('demo-paired', { code }))
          const link = demo.manager.manager.dashboardLink(demo.you.actor)
          if (link.ok) chat.say(t.t('demo-dashboard-login', { url: link.value.url }))
        }
      }
    })
    chat.say(t.t('demo-banner', {
      group: demo.manager.manager.state.group,
      members: demo.members.map(m => '@' + m.name).join(', '),
      channels,
      funds: you.confirmed,
      socket: demo.you.socket
    }))
    if (dashboard !== null) chat.say(t.t('demo-dashboard', { url: dashboard.url }))
    await chat.run()
  } finally {
    await dashboard?.close()
    await demo.close()
  }
}
