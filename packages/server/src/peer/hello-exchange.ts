/**
 * The Hello exchange right after the RLPx handshake: both sides send Hello at once, then each
 * reads and checks the other's (geth `rlpxTransport.doProtoHandshake`).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#hello-0x00
 * @module
 */

import { type Clock, childSignal, systemClock, type Timer } from '@ethp2p/base';
import { equalBytes } from '@ethp2p/crypto';
import type { RlpxConnection, RlpxMessage } from '@ethp2p/rlpx';
import { PeerError } from '../errors.ts';
import {
  BASE_PROTOCOL_MAX_MSG_SIZE,
  BASE_PROTOCOL_VERSION,
  BaseMsgCode,
  HELLO_TIMEOUT_MS,
} from '../wire/constants.ts';
import { DiscReason } from '../wire/disc-reason.ts';
import { decodeDisconnect } from '../wire/disconnect.ts';
import { decodeHello, encodeHello, type Hello } from '../wire/hello.ts';

/** Options of {@link exchangeHello}. */
export interface HelloExchangeOptions {
  /** Runs the timeout (default: the system clock). */
  readonly clock?: Clock;
  /** How long the whole exchange may take (default {@link HELLO_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
  /** Aborts the exchange (it then rejects with `signal.reason`). */
  readonly signal?: AbortSignal;
}

/**
 * Writes our Hello and reads the remote's, concurrently. Checks the remote's (size cap, a
 * Disconnect in its place, the code, the ID against the handshake key) and turns snappy on
 * when both versions are ≥ 5. On failure the connection is left open, so the caller can send
 * the Disconnect the error maps to (`sendDisconnect(conn, discReasonForError(err))`).
 * @throws {PeerError} with the remote's reason (`remoteRequested`) if it sent a Disconnect;
 * `ProtocolError` for a message other than Hello, a Hello over 2 KiB or a malformed one;
 * `InvalidIdentity`; `UnexpectedIdentity` if the ID is not the key of the RLPx handshake;
 * `ReadTimeout` after `timeoutMs`
 * @throws {RlpxError} if the connection fails (maps to `NetworkError`); `signal.reason` on abort
 * @throws {RangeError} if `local` cannot be encoded
 * @example
 * ```ts
 * const remote = await exchangeHello(conn, { version: 5, name, caps, listenPort: 0, id }, { clock });
 * ```
 */
export async function exchangeHello(
  conn: RlpxConnection,
  local: Hello,
  options: HelloExchangeOptions = {},
): Promise<Hello> {
  const { signal } = options;
  signal?.throwIfAborted();
  const payload = encodeHello(local);
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? HELLO_TIMEOUT_MS;
  let settled = false;
  const write = conn.writeMsg(BaseMsgCode.Hello, payload);
  const read = conn.readMsg();
  const work = (async () => {
    const hello = checkRemoteHello(conn, await read);
    if (
      !settled &&
      local.version >= BASE_PROTOCOL_VERSION &&
      hello.version >= BASE_PROTOCOL_VERSION
    ) {
      conn.enableSnappy();
    }
    await write;
    return hello;
  })();
  // Whatever loses the race below settles later; nobody waits for it then.
  work.catch(() => {});
  write.catch(() => {});

  // A child of `signal`: however many exchanges run at once (one per inbound connection under
  // the server's stop signal), the parent carries a single `abort` listener.
  const child = childSignal(signal);
  let timer: Timer | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = clock.schedule(timeoutMs, () =>
      reject(new PeerError(DiscReason.ReadTimeout, `hello timed out after ${timeoutMs} ms`)),
    );
    child.signal.addEventListener('abort', () => reject(child.signal.reason), { once: true });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    settled = true;
    timer?.cancel();
    child.release();
  }
}

/** The remote Hello in `msg`, checked as geth's `readProtocolHandshake` does. */
function checkRemoteHello(conn: RlpxConnection, msg: RlpxMessage): Hello {
  if (msg.data.length > BASE_PROTOCOL_MAX_MSG_SIZE) {
    throw new PeerError(
      DiscReason.ProtocolError,
      `message too big: ${msg.data.length} bytes before hello (limit ${BASE_PROTOCOL_MAX_MSG_SIZE})`,
    );
  }
  if (msg.code === BaseMsgCode.Disconnect) {
    const reason = decodeDisconnect(msg.data);
    throw new PeerError(reason, undefined, { remoteRequested: true });
  }
  if (msg.code !== BaseMsgCode.Hello) {
    throw new PeerError(
      DiscReason.ProtocolError,
      `expected handshake, got message code 0x${msg.code.toString(16)}`,
    );
  }
  const hello = decodeHello(msg.data);
  if (!equalBytes(hello.id, conn.remotePublicKey)) {
    throw new PeerError(
      DiscReason.UnexpectedIdentity,
      'unexpected identity: hello ID is not the key of the handshake',
    );
  }
  return hello;
}
