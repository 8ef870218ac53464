/**
 * The seam between the server and the subprotocols it multiplexes: a `Protocol` is what a user
 * registers, a `MsgReadWriter` is what its `run()` talks through. Codes seen by a protocol start
 * at 0; the server adds the offset that capability matching assigned.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import type { NodeId } from '@ethp2p/enode';

/** A capability as announced in Hello: a protocol name and version. */
export interface Cap {
  readonly name: string;
  readonly version: number;
}

/** One message as a protocol sees it. */
export interface Msg {
  /** The code relative to the protocol (0 is the protocol's first message). */
  readonly code: number;
  /** The RLP payload, decompressed. */
  readonly data: Uint8Array;
  /** The payload size in bytes (uncompressed). */
  readonly size: number;
  /** When the message was read, in the server clock's milliseconds. */
  readonly receivedAt: number;
}

/** Reads messages; rejects once the peer or pipe is closed. */
export interface MsgReader {
  readMsg(): Promise<Msg>;
}

/** Writes messages; resolves once the message is handed to the transport. */
export interface MsgWriter {
  writeMsg(code: number, data: Uint8Array): Promise<void>;
}

/** Both directions of one protocol's message stream. */
export interface MsgReadWriter extends MsgReader, MsgWriter {}

/** What a protocol's `run()` may know about and do to its peer. */
export interface ProtocolPeer {
  /** The remote node ID (keccak256 of its public key). */
  readonly id: NodeId;
  /** The remote 64-byte public key. */
  readonly publicKey: Uint8Array;
  /** The remote client name from Hello. */
  readonly name: string;
  /** The remote capabilities from Hello. */
  readonly caps: readonly Cap[];
  /** True when the remote dialed us. */
  readonly inbound: boolean;
  /** `ip:port` of the remote end of the TCP connection. */
  readonly remoteAddress: string;
  /** Asks the peer to disconnect with `reason` (asynchronous; idempotent). */
  disconnect(reason: number): void;
  readonly log: Logger;
}

/** Options passed to a protocol's `run()`. */
export interface RunOptions {
  /** Aborted when the peer is shutting down. */
  readonly signal: AbortSignal;
}

/**
 * A subprotocol. `run()` is called once per connected peer that shares this protocol (at the
 * highest shared version); the peer stays connected while it runs. Returning ends the peer with
 * ClientQuitting; throwing ends it with the reason the error maps to (a `PeerError` keeps its
 * reason, anything else is SubprotocolError).
 */
export interface Protocol {
  readonly name: string;
  readonly version: number;
  /** How many message codes the protocol uses (its code space, starting at 0). */
  readonly length: number;
  run(peer: ProtocolPeer, rw: MsgReadWriter, options: RunOptions): Promise<void>;
  /** Extra data for `Server.nodeInfo().protocols[name]`. */
  nodeInfo?(): unknown;
  /** Extra data for `Server.peersInfo()[i].protocols[name]`, or undefined if not running. */
  peerInfo?(id: NodeId): unknown;
}
