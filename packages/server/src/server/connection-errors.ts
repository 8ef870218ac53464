/**
 * Sorts a failed connection into geth's error classes (`markDialError`/`markServeError` in
 * `p2p/metrics.go`): a disconnect reason first, then the stage it failed in.
 * @module
 */
import { RlpxError } from '@ethp2p/rlpx';
import { DialError } from '../dial/errors.ts';
import { PeerError } from '../errors.ts';
import { DiscReason } from '../wire/disc-reason.ts';
import { CONNECTION_ERROR, type ConnectionErrorClass } from './metrics.ts';

/** Where a connection was when it failed: the TCP connect and RLPx handshake, or after. */
export type SetupStage = 'rlpx' | 'hello' | 'checks';

const BY_REASON: ReadonlyMap<DiscReason, ConnectionErrorClass> = new Map([
  [DiscReason.TooManyPeers, CONNECTION_ERROR.SATURATED],
  [DiscReason.AlreadyConnected, CONNECTION_ERROR.KNOWN],
  [DiscReason.Self, CONNECTION_ERROR.SELF],
  [DiscReason.UselessPeer, CONNECTION_ERROR.USELESS],
  [DiscReason.UnexpectedIdentity, CONNECTION_ERROR.UNEXPECTED_IDENTITY],
  [DiscReason.ReadTimeout, CONNECTION_ERROR.TIMEOUT],
]);

/** System calls whose failure means the TCP connection was never made. */
const CONNECT_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'getaddrinfo']);

/**
 * The class of `err`, thrown while the connection was at `stage`: a refusal's reason (ours or
 * the remote's), a timeout, then by stage: a failed TCP connect or RLPx handshake, a failed
 * Hello exchange; anything else (the server stopping) is `other`.
 */
export function connectionErrorClass(err: unknown, stage: SetupStage): ConnectionErrorClass {
  if (err instanceof PeerError) {
    const known = BY_REASON.get(err.reason);
    if (known !== undefined) return known;
  }
  if ((err instanceof DialError || err instanceof RlpxError) && err.code === 'TIMEOUT') {
    return CONNECTION_ERROR.TIMEOUT;
  }
  if (stage === 'rlpx' && err instanceof RlpxError) {
    return isConnectFailure(err) ? CONNECTION_ERROR.CONNECTION : CONNECTION_ERROR.RLPX_ENC;
  }
  const failedHello =
    err instanceof RlpxError ||
    (err instanceof PeerError && err.reason !== DiscReason.ClientQuitting);
  if (stage === 'hello' && failedHello) return CONNECTION_ERROR.RLPX_PROTO;
  return CONNECTION_ERROR.OTHER;
}

function isConnectFailure(err: RlpxError): boolean {
  if (!(err.cause instanceof Error)) return false;
  const syscall = (err.cause as NodeJS.ErrnoException).syscall;
  return syscall !== undefined && CONNECT_SYSCALLS.has(syscall);
}
