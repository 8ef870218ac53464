/**
 * The contract between the discv5 transport (`DiscV5Rpc`: packets, sessions, requests) and the
 * service above it (table, lookups, `DiscoveryV5`). The service codes against {@link V5Rpc} and
 * answers the network through {@link V5RequestHandlers}.
 * @module
 */
import type { Node } from '@ethp2p/enode';
import type { DiscV5RpcMetrics } from './metrics.ts';

/** What a PONG told us. */
export interface V5PingResult {
  /** The sequence number of the remote node's record. */
  readonly enrSeq: bigint;
  /** Our IP as the remote node saw it. */
  readonly ip: string;
  /** Our UDP port as the remote node saw it. */
  readonly port: number;
}

/** The sender of a request: its node ID and the UDP endpoint the request came from. */
export interface V5RequestSource {
  readonly id: Uint8Array;
  readonly ip: string;
  readonly port: number;
}

/** Options of the calls that wait on the network. */
export interface V5CallOptions {
  /** Aborting rejects the call with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Calls into the service for requests from the network. */
export interface V5RequestHandlers {
  /**
   * Nodes to answer FINDNODE with, for the distances other than 0 (the rpc adds the local record
   * for distance 0, caps the result and splits it into NODES packets).
   */
  findNodes(distances: readonly number[], from: V5RequestSource): readonly Node[];
  /** TALKREQ: the response payload; an empty payload for unknown protocols. */
  talk(
    protocol: Uint8Array,
    request: Uint8Array,
    from: V5RequestSource,
  ): Promise<Uint8Array> | Uint8Array;
  /** A node completed a handshake with us (either direction) and its record is verified. */
  seen(node: Node): void;
}

/**
 * The discv5 request/response transport. `node` arguments are `@ethp2p/enode` Nodes with a
 * record; the UDP endpoint comes from `node.ip` / `node.udp`.
 */
export interface V5Rpc {
  /** A snapshot of the transport's counters (packets, drops by reason, handshakes, sessions). */
  readonly metrics: DiscV5RpcMetrics;
  /**
   * Sends PING (handshaking first if needed) and resolves with the PONG.
   * @throws {DiscV5RpcError} TIMEOUT, CLOSED; `signal.reason` on abort
   */
  ping(node: Node, options?: V5CallOptions): Promise<V5PingResult>;
  /**
   * FINDNODE with these log distances; resolves with the verified records of every NODES packet,
   * filtered to the requested distances (records at other distances are dropped and counted).
   */
  findNode(node: Node, distances: readonly number[], options?: V5CallOptions): Promise<Node[]>;
  /** TALKREQ; resolves with the TALKRESP payload. */
  talkRequest(
    node: Node,
    protocol: Uint8Array,
    request: Uint8Array,
    options?: V5CallOptions,
  ): Promise<Uint8Array>;
  /** Set once by the service before the first packet arrives. */
  setHandlers(handlers: V5RequestHandlers): void;
  /** Stops: pending calls reject, the socket is closed. Idempotent. */
  close(): Promise<void>;
}
