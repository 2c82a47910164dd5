/**
 * The test homeserver from the command line.
 *
 *   node scripts/synapse/cli.ts up                  # install if needed, start, print the address
 *   node scripts/synapse/cli.ts register NAME PASS  # a user, with an access token (prints JSON)
 *   node scripts/synapse/cli.ts down                # stop it and remove its state
 *
 * State directory: $STORM_SYNAPSE_DIR (default /tmp/storm-synapse); port $STORM_SYNAPSE_PORT
 * (default 29800).
 */
import { startSynapse, stopSynapse, synapseDir } from './synapse.ts'

const USAGE = 'usage: cli.ts up | register NAME PASSWORD [--admin] | down'

async function main (argv: string[]): Promise<void> {
  const [command, name, password] = argv
  const log = (line: string): void => { console.error(`synapse: ${line}`) }
  switch (command) {
    case 'up': {
      const started = Date.now()
      const hs = await startSynapse({ log })
      log(`${hs.baseUrl} (server name ${hs.serverName}) ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
      return
    }
    case 'register': {
      if (name === undefined || password === undefined) throw new Error(USAGE)
      const hs = await startSynapse({ log })
      console.log(JSON.stringify(await hs.register(name, password, { admin: argv.includes('--admin') }), null, 2))
      return
    }
    case 'down':
      await stopSynapse({ remove: true })
      log(`down: ${synapseDir()} removed`)
      return
    default:
      throw new Error(USAGE)
  }
}

main(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => {
  console.error(`synapse: ${(e as Error).message}`)
  process.exit(1)
})
