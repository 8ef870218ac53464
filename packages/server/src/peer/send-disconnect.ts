/**
 * Ending a connection politely: write a Disconnect with a short deadline, let the socket flush,
 * then close (geth `rlpxTransport.close`).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#disconnect-0x01
 * @module
 */
import { type Clock, systemClock, type Timer } from '@ethp2p/base';
import type { RlpxConnection } from '@ethp2p/rlpx';
import { BaseMsgCode, DISCONNECT_WRITE_TIMEOUT_MS } from '../wire/constants.ts';
import { DiscReason } from '../wire/disc-reason.ts';
import { encodeDisconnect } from '../wire/disconnect.ts';

/** Options of {@link sendDisconnect}. */
export interface SendDisconnectOptions {
  /** Runs the deadline (default: the system clock). */
  readonly clock?: Clock;
  /** How long the write and flush may take (default {@link DISCONNECT_WRITE_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
}

/**
 * Sends Disconnect(`reason`) on `conn` and closes it. The write and the flush of the socket get
 * one deadline together (1 s); the connection is closed whatever happens. Nothing is sent for
 * `NetworkError` (geth never announces it), nor when the connection is already closed. Used by
 * the server on checkpoint failures before a peer exists, and by the peer when it ends. Never
 * throws; resolves once the connection is closed and its timers are gone.
 * @example
 * ```ts
 * await sendDisconnect(conn, DiscReason.TooManyPeers, { clock });
 * ```
 */
export async function sendDisconnect(
  conn: RlpxConnection,
  reason: DiscReason,
  options: SendDisconnectOptions = {},
): Promise<void> {
  if (reason === DiscReason.NetworkError || conn.closed) {
    conn.close();
    return;
  }
  const clock = options.clock ?? systemClock;
  let timer: Timer | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = clock.schedule(options.timeoutMs ?? DISCONNECT_WRITE_TIMEOUT_MS, () => resolve(false));
  });
  let write: Promise<boolean> = Promise.resolve(false);
  try {
    write = conn.writeMsg(BaseMsgCode.Disconnect, encodeDisconnect(reason)).then(
      () => true,
      () => false,
    );
    // Half-close once the Disconnect (and what was queued before it) is out, so close does not
    // drop it.
    if (await Promise.race([write, deadline])) await Promise.race([conn.end(), deadline]);
  } catch {
    // An invalid reason: close without a message.
  } finally {
    timer?.cancel();
    conn.close();
    await write;
  }
}
