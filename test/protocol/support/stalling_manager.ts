/**
 * A manager's end of the link in its own process, for `link_stall.test.ts`: listens on the
 * testnet given in argv[2] (JSON bootstrap), tells its key to the parent, counts the messages its
 * agents send, and on the parent's word blocks its own event loop for that many ms (a busy wait,
 * as a long collection or a starved core would), then answers with what it had received.
 */
import { ManagerLink, generateKeyPair } from '../../../src/protocol/index.ts'
import { CONNECTION_READ_BUFFER_BYTES } from '../../../src/app/manager_runtime.ts'

const bootstrap = JSON.parse(process.argv[2]!) as Array<{ host: string, port: number }>
const link = new ManagerLink({
  keyPair: generateKeyPair(),
  network: { bootstrap, host: '127.0.0.1' },
  admit: () => 'member',
  readBufferBytes: CONNECTION_READ_BUFFER_BYTES
})
let received = 0
link.on('message', () => { received++ })
link.on('connected', (key) => { link.send(key, 'roster', { group: 'test', members: [] }) })
await link.listen()
process.on('message', (m: { stall?: number, count?: true }) => {
  if (m.stall !== undefined) {
    const until = performance.now() + m.stall
    while (performance.now() < until) { /* stalled on purpose */ }
  }
  process.send!({ received, connected: link.connectedAgents().length })
})
process.send!({ key: link.publicKey })
