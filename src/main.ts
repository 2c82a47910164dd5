/**
 * `npm start`. Without configuration: the demo Storm on the console. With a configuration
 * (`STORM_CONFIG`, or `config/storm.json`, or just `TELEGRAM_BOT_TOKEN`): the manager with the
 * chat front ends it names.
 */
import { runDemo } from './demo/run_demo.ts'
import { runManager, chooseStartMode } from './app/run_manager.ts'
import { Locales } from './shared/i18n.ts'
import { StormError } from './shared/errors.ts'
import { demoFunds } from './demo/demo_funds.ts'

const start = chooseStartMode(process.env)
try {
  if (start.mode === 'demo') {
    const funds = demoFunds(process.env.STORM_DEMO_FUNDS)
    await runDemo({ input: process.stdin, output: process.stdout, interactive: process.stdin.isTTY === true, lang: process.env.LANG, ...(funds === undefined ? {} : { yourFunds: funds }) })
    process.exit(0)
  } else {
    await runManager(start.configPath, process.env)
  }
} catch (e) {
  if (!(e instanceof StormError)) throw e
  const t = Locales.load().translator(process.env.LANG)
  process.stderr.write(t.error(e) + '\n')
  process.exit(1)
}
