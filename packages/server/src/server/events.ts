/**
 * The {@link Server}'s typed events, one payload object each (geth `p2p.PeerEvent`).
 * @module
 */
import type { Node, NodeId } from '@ethp2p/enode';
import type { Peer } from '../peer/peer.ts';
import type { DiscReason } from '../wire/disc-reason.ts';

/** Payload of `peer:added`. */
export interface PeerAddedEvent {
  /** The new peer; its protocols are already running. */
  readonly peer: Peer;
}

/** Payload of `peer:removed`, emitted once the peer has left `peers()` and its socket is closed. */
export interface PeerRemovedEvent {
  readonly peer: Peer;
  /** Why it ended (the reason we sent, or the one the remote sent). */
  readonly reason: DiscReason;
  /** True when the remote sent the Disconnect; false when we ended it. */
  readonly remoteRequested: boolean;
  /** The error behind the end, if any. */
  readonly error?: unknown;
}

/** Payload of `peer:msg` (only with `enableMsgEvents`). */
export interface PeerMessageEvent {
  readonly peer: Peer;
  readonly direction: 'send' | 'receive';
  readonly protocol: string;
  readonly version: number;
  /** The code relative to the protocol. */
  readonly code: number;
  /** The payload size in bytes (uncompressed). */
  readonly size: number;
}

/**
 * Payload of `connection:failed`: a connection whose RLPx handshake succeeded but that did not
 * become a peer, because a checkpoint refused it, the remote refused us, or Hello failed.
 */
export interface ConnectionFailedEvent {
  /** The remote node ID (from the RLPx handshake). */
  readonly id: NodeId;
  readonly inbound: boolean;
  /** `ip:port` of the remote end. */
  readonly remoteAddress: string;
  /** The reason: ours if we refused (and told the remote), the remote's if it refused. */
  readonly reason: DiscReason;
  /** True when the remote sent the Disconnect. */
  readonly remoteRequested: boolean;
  readonly error: unknown;
}

/**
 * Payload of `dial:failed`: a dial task (dynamic or static) that did not end with a peer, after
 * its retry if any; dials aborted by `stop()` are not reported.
 */
export interface DialFailedEvent {
  readonly node: Node;
  /** True for a static node. */
  readonly static: boolean;
  /** Why: the dial's error (connect, handshake, Hello, a checkpoint) or a `DialError`. */
  readonly error: unknown;
}

/** Events of {@link Server}. */
export interface ServerEvents {
  /** A peer passed every checkpoint and runs. */
  'peer:added': (event: PeerAddedEvent) => void;
  /** A peer ended. */
  'peer:removed': (event: PeerRemovedEvent) => void;
  /** A subprotocol message was sent or received (only with `enableMsgEvents`). */
  'peer:msg': (event: PeerMessageEvent) => void;
  /** A handshaken connection was refused before it became a peer. */
  'connection:failed': (event: ConnectionFailedEvent) => void;
  /** A dial ended without a peer (geth logs these as "Dial error" at trace level). */
  'dial:failed': (event: DialFailedEvent) => void;
}
