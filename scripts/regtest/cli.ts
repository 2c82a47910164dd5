/**
 * The regtest network from the command line.
 *
 *   node scripts/regtest/cli.ts up            # build if needed, start, fund, mine
 *   node scripts/regtest/cli.ts down          # stop every daemon, remove the state directory
 *   node scripts/regtest/cli.ts status        # network.json, and what runs
 *   node scripts/regtest/cli.ts mine N
 *   node scripts/regtest/cli.ts stop ALIAS | start ALIAS
 *
 * State directory: $STORM_REGTEST_DIR (default /tmp/storm-regtest); ports from
 * $STORM_REGTEST_PORT (default 29700).
 */
import { startNetwork, stopNetwork, loadNetwork, regtestDir } from './regtest.ts'

const USAGE = 'usage: cli.ts up | down | status | mine N | stop ALIAS | start ALIAS'

async function main (argv: string[]): Promise<void> {
  const [command, arg] = argv
  const log = (line: string): void => { console.error(`regtest: ${line}`) }
  switch (command) {
    case 'up': {
      const started = Date.now()
      const net = await startNetwork({ log })
      for (const node of net.file.nodes) log(`${node.alias} ${node.publicKey}@${node.p2pSocket} grpc ${node.grpcSocket}`)
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
      return
    }
    case 'down':
      await stopNetwork()
      log(`down: ${regtestDir()} removed`)
      return
    case 'status': {
      const net = loadNetwork()
      console.log(JSON.stringify(net.file, null, 2))
      for (const alias of net.aliases) log(`${alias}: ${net.isLndRunning(alias) ? 'running' : 'stopped'}`)
      return
    }
    case 'mine': {
      const blocks = Number(arg)
      if (!Number.isSafeInteger(blocks) || blocks < 1) throw new Error(USAGE)
      log(`height ${await loadNetwork().mine(blocks)}`)
      return
    }
    case 'stop':
      await loadNetwork().stopLnd(arg ?? '')
      log(`${arg} stopped`)
      return
    case 'start':
      await loadNetwork().startLnd(arg ?? '')
      log(`${arg} started`)
      return
    default:
      throw new Error(USAGE)
  }
}

main(process.argv.slice(2)).then(() => process.exit(0), (e: unknown) => {
  console.error(`regtest: ${(e as Error).message}`)
  process.exit(1)
})
