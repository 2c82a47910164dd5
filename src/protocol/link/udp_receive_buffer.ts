/**
 * The kernel's receive buffer of the manager's UDP sockets.
 *
 * Every agent's connection reaches the manager through the one pair of UDP sockets its DHT node
 * binds, so the manager's socket buffer is shared by all of them. udx-native asks for 1 MiB (what
 * Linux grants is capped at `net.core.rmem_max`, 208 KiB on many systems): at 3,000 agents, a stall of the manager's
 * event loop of a second or two (a full collection, a slow disk, a busy host) fills it, and the
 * kernel drops every packet that comes after — acknowledgements and retransmissions included, so
 * the connections back off and time out together and 3,000 agents reconnect at once (seen in the
 * load suite on a loaded machine: ~15,000 drops counted by the kernel on the manager's socket).
 *
 * `setReceiveBuffer(dht, bytes)` asks for `bytes` on both sockets, after they are bound. The
 * kernel caps the request at `net.core.rmem_max` (and reports twice what it grants: its own
 * bookkeeping); what it granted is returned so the caller can say when the cap left it short (the
 * manager logs it at start, naming the setting to raise).
 */

/** What the manager asks for: room for a few seconds of 3,000 agents' traffic. */
export const MANAGER_RECEIVE_BUFFER_BYTES = 4 << 20

interface UdxSocket {
  setRecvBufferSize: (size: number) => number
  getRecvBufferSize: () => number
}

/** The receive buffer granted on each socket, bytes as the kernel reports them. */
export interface ReceiveBuffer {
  requested: number
  server: number
  client: number
  /** The kernel granted less than asked (its `net.core.rmem_max` is lower). */
  capped: boolean
}

/**
 * Asks the kernel for `bytes` of receive buffer on the bound sockets of a HyperDHT. Throws when
 * the DHT has no bound sockets the way dht-rpc keeps them (a HyperDHT that changed underneath).
 */
export function setReceiveBuffer (dht: object, bytes: number): ReceiveBuffer {
  if (!Number.isInteger(bytes) || bytes <= 0) throw new Error('receive buffer must be a positive integer of bytes')
  const io = (dht as { io?: { serverSocket?: unknown, clientSocket?: unknown } }).io
  const server = io?.serverSocket
  const client = io?.clientSocket
  if (!isSocket(server) || !isSocket(client)) throw new Error('HyperDHT: its UDP sockets are not bound (or no longer kept as io.serverSocket / io.clientSocket); the receive buffer cannot be set')
  for (const s of [server, client]) s.setRecvBufferSize(bytes)
  const granted = { server: server.getRecvBufferSize(), client: client.getRecvBufferSize() }
  // Linux reports twice the size it accepted; anything below the request means it was capped
  return { requested: bytes, ...granted, capped: Math.min(granted.server, granted.client) < bytes }
}

function isSocket (s: unknown): s is UdxSocket {
  return typeof s === 'object' && s !== null &&
    typeof (s as UdxSocket).setRecvBufferSize === 'function' && typeof (s as UdxSocket).getRecvBufferSize === 'function'
}
