/**
 * `npm start`. Without configuration: the demo Storm on the console. With a configuration
 * (`STORM_CONFIG`, or `config/storm.json`): the manager with the chat front ends it names.
 */
import { runDemo } from './demo/run_demo.ts'
import { runManager, findManagerConfig } from './app/run_manager.ts'
import { Locales } from './shared/i18n.ts'
import { StormError } from './shared/errors.ts'

const configPath = findManagerConfig(process.env)
try {
  if (configPath === null) {
    await runDemo({ input: process.stdin, output: process.stdout, interactive: process.stdin.isTTY === true, lang: process.env.LANG })
    process.exit(0)
  } else {
    await runManager(configPath, process.env)
  }
} catch (e) {
  if (!(e instanceof StormError)) throw e
  const t = Locales.load().translator(process.env.LANG)
  process.stderr.write(t.error(e) + '\n')
  process.exit(1)
}
