/**
 * The two checkpoints every connection passes, inbound or outbound, as pure functions over a
 * snapshot of the server's state (geth `Server.postHandshakeChecks`, `addPeerChecks`):
 * `posthandshake` right after the RLPx handshake, and `addpeer` after the Hello exchange.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#disconnect-0x01
 * @module
 */
import type { Protocol } from '../protocol.ts';
import { DiscReason } from '../wire/disc-reason.ts';

/** How a connection came about, and what it is allowed. */
export interface ConnFlags {
  /** The remote dialed us. */
  readonly inbound: boolean;
  /** The remote is in the trusted set: no peer limit applies. */
  readonly trusted: boolean;
  /** We dialed the remote because it is a static node: the peer limit does not apply. */
  readonly static: boolean;
}

/** What the checkpoints need to know about the server at the time of the check. */
export interface CheckpointState {
  /** Our node ID in hex. */
  readonly selfId: string;
  /** Connected peers (not counting the one being checked). */
  readonly peerCount: number;
  /** Connected inbound peers. */
  readonly inboundCount: number;
  readonly maxPeers: number;
  /** The inbound share of maxPeers (maxPeers − maxDialedConns). */
  readonly maxInboundConns: number;
  /** Whether a peer with this hex ID is connected. */
  hasPeer(idHex: string): boolean;
}

/**
 * The `posthandshake` checkpoint: the reason to refuse the connection with `idHex`, or null.
 * In geth's order: the peer limit (unless trusted or static-dialed), the inbound share
 * (unless trusted), then already connected, then self. The issue asks for static dials to
 * bypass the limit as well (geth did until 2020; today only trusted nodes do).
 */
export function postHandshakeCheck(
  state: CheckpointState,
  idHex: string,
  flags: ConnFlags,
): DiscReason | null {
  const privileged = flags.trusted || flags.static;
  if (!privileged && state.peerCount >= state.maxPeers) return DiscReason.TooManyPeers;
  if (!flags.trusted && flags.inbound && state.inboundCount >= state.maxInboundConns) {
    return DiscReason.TooManyPeers;
  }
  if (state.hasPeer(idHex)) return DiscReason.AlreadyConnected;
  if (idHex === state.selfId) return DiscReason.Self;
  return null;
}

/**
 * The `addpeer` checkpoint, after Hello: `UselessPeer` when we run protocols and none matches
 * the remote's caps (`matched` is how many did), then `posthandshake` again, since the state
 * may have changed while Hello was exchanged.
 */
export function addPeerCheck(
  state: CheckpointState,
  idHex: string,
  flags: ConnFlags,
  protocols: readonly Protocol[],
  matched: number,
): DiscReason | null {
  if (protocols.length > 0 && matched === 0) return DiscReason.UselessPeer;
  return postHandshakeCheck(state, idHex, flags);
}
