/**
 * The read buffer of each UDX stream (every link connection is one), sized per UDX instance.
 *
 * udx-native gives every stream its own 66 KiB read buffer (`BUFFER_SIZE` in `lib/stream.js`, a
 * module constant with no option): the native side copies each packet it receives into it, and
 * the JavaScript side hands out views of it and allocates a fresh one when less than a packet's
 * room (2 KiB) is left. The pages fill as data arrives, so a manager whose 3,000 agents talk to it
 * holds 3,000 × 66 KiB ≈ 200 MiB of buffers that carry a few hundred bytes each at a time.
 *
 * `setReadBufferBytes(udx, n)` makes the streams of that UDX instance allocate `n` bytes instead
 * (at least two packets' room). It replaces `UDXStream.prototype._reallocData`, the one method
 * that allocates the buffer (the constructor's first buffer and each refill, and the native side's
 * refill callback, all go through it), with one that reads the size from the stream's UDX
 * instance; streams of other instances keep udx-native's size. Received data are unchanged: a
 * smaller buffer only means more, smaller refills (the native side never writes a packet into
 * less room than it has). The replacement checks the method it wraps, so an udx-native that no
 * longer has it fails loudly at start instead of silently keeping the large buffers.
 */
import { createRequire } from 'node:module'

/** The smallest read buffer: room for two of the largest packets udx-native reads (2,048 bytes). */
export const MIN_READ_BUFFER_BYTES = 4096

const SIZE = Symbol.for('storm.udxReadBufferBytes')

interface UdxStreamProto {
  _reallocData: (this: UdxStreamLike) => Uint8Array
  [SIZE]?: true
}
interface UdxStreamLike { udx: Record<symbol, number | undefined>, _buffer: Uint8Array }

let patched: UdxStreamProto | null = null

/** udx-native's stream class, as HyperDHT loads it (hyperdht → dht-rpc → udx-native). */
function udxStreamPrototype (): UdxStreamProto {
  const fromHere = createRequire(import.meta.url)
  const fromHyperdht = createRequire(fromHere.resolve('hyperdht'))
  const fromDhtRpc = createRequire(fromHyperdht.resolve('dht-rpc'))
  const UDXStream = fromDhtRpc('udx-native/lib/stream.js') as { prototype: UdxStreamProto }
  return UDXStream.prototype
}

function patch (): void {
  if (patched !== null) return
  const proto = udxStreamPrototype()
  const original = proto._reallocData
  if (typeof original !== 'function') throw new Error('udx-native: UDXStream.prototype._reallocData is gone; the read buffer size cannot be set (see udx_read_buffer.ts)')
  if (proto[SIZE] !== true) {
    proto._reallocData = function (this: UdxStreamLike): Uint8Array {
      const n = this.udx[SIZE]
      if (n === undefined) return original.call(this)
      // never from Node's shared pool: a slice of it would keep a whole 64 KiB slab alive per stream
      this._buffer = Buffer.allocUnsafeSlow(n)
      return this._buffer
    }
    proto[SIZE] = true
  }
  patched = proto
}

/**
 * Streams created from now on by `udx` (a HyperDHT's `dht.udx`) get read buffers of `bytes`
 * (≥ MIN_READ_BUFFER_BYTES). Throws when udx-native no longer works the way this relies on.
 */
export function setReadBufferBytes (udx: object, bytes: number): void {
  if (!Number.isInteger(bytes) || bytes < MIN_READ_BUFFER_BYTES) throw new Error(`read buffer must be an integer ≥ ${MIN_READ_BUFFER_BYTES} bytes`)
  patch();
  (udx as Record<symbol, number>)[SIZE] = bytes
}
