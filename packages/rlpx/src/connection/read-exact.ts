/**
 * Exact-length reads from a paused `net.Socket`, for the handshake phase. The socket stays in
 * paused mode (no `'data'` listener), so Node buffers at most its high-water mark of unread
 * bytes and TCP pushes back on the peer beyond that; we hold only the bytes of the packet being
 * read (at most the 2050-byte handshake cap), and whatever the peer sent after the handshake is
 * put back in the socket for the connection.
 * @module
 */
import type { Socket } from 'node:net';
import { RlpxError } from '../errors.ts';

/**
 * Reads exactly `n` bytes from `socket`, waiting as needed. Bytes past `n` in the last chunk
 * are put back (`unshift`) for whoever reads next.
 * @throws the `signal`'s reason if it aborts (a deadline's is an `RlpxError` `TIMEOUT`)
 * @throws {RlpxError} `CLOSED` if the peer closes or the socket fails first
 */
export async function readExact(
  socket: Socket,
  n: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let have = 0;
  for (;;) {
    signal.throwIfAborted();
    const chunk = socket.read() as Buffer | null;
    if (chunk !== null) {
      const need = n - have;
      if (chunk.length > need) socket.unshift(chunk.subarray(need));
      const part = chunk.length > need ? chunk.subarray(0, need) : chunk;
      parts.push(part);
      have += part.length;
      if (have === n) return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
      continue;
    }
    if (socket.readableEnded || socket.destroyed) {
      throw new RlpxError('CLOSED', `connection closed after ${have} of ${n} bytes`);
    }
    await readable(socket, signal);
  }
}

/** Resolves when `socket` may have more to read or has ended; rejects on error or abort. */
function readable(socket: Socket, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: unknown): void => {
      socket.off('readable', onReadable);
      socket.off('end', onReadable);
      socket.off('close', onReadable);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onReadable = (): void => done();
    const onError = (err: Error): void =>
      done(new RlpxError('CLOSED', 'socket error during the handshake', { cause: err }));
    const onAbort = (): void => done(signal.reason);
    socket.on('readable', onReadable);
    socket.on('end', onReadable);
    socket.on('close', onReadable);
    socket.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
