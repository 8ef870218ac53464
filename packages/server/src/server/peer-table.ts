/**
 * The server's peer map: who is connected, how each connection came about, and the counts the
 * checkpoints need.
 * @module
 */
import type { Node } from '@ethp2p/enode';
import type { RlpxConnection } from '@ethp2p/rlpx';
import type { Peer } from '../peer/peer.ts';
import type { CheckpointState } from './checkpoints.ts';

/** One connected peer and its connection's flags. */
export interface PeerEntry {
  readonly peer: Peer;
  /** The peer's connection (for its byte counts). */
  readonly conn: RlpxConnection;
  /** The node we dialed, or the remote key and TCP address of an inbound connection. */
  readonly node: Node;
  readonly inbound: boolean;
  /** We dialed it as a static node. */
  readonly static: boolean;
  /** Clock time it became a peer, in ms. */
  readonly addedAt: number;
}

/** Limits the checkpoints compare against. */
export interface PeerLimits {
  readonly selfId: string;
  readonly maxPeers: number;
  readonly maxInboundConns: number;
}

/**
 * Connected peers by hex node ID. Owned by the server; every change is synchronous, so a
 * checkpoint and the insertion that follows it see the same state.
 */
export class PeerTable {
  readonly #entries = new Map<string, PeerEntry>();
  readonly #limits: PeerLimits;
  #inbound = 0;

  constructor(limits: PeerLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Connected inbound peers. */
  get inboundCount(): number {
    return this.#inbound;
  }

  get(idHex: string): PeerEntry | undefined {
    return this.#entries.get(idHex);
  }

  entries(): IterableIterator<PeerEntry> {
    return this.#entries.values();
  }

  /** Adds `entry`; the addpeer checkpoint has made sure `idHex` is not connected. */
  add(idHex: string, entry: PeerEntry): void {
    if (this.#entries.has(idHex)) throw new Error(`peer ${idHex} is already in the table`);
    this.#entries.set(idHex, entry);
    if (entry.inbound) this.#inbound++;
  }

  /** Removes the entry of `idHex` if it is `entry` (a newer connection may have replaced it). */
  remove(idHex: string, entry: PeerEntry): void {
    if (this.#entries.get(idHex) !== entry) return;
    this.#entries.delete(idHex);
    if (entry.inbound) this.#inbound--;
  }

  /** The state the checkpoints read, as of now. */
  snapshot(): CheckpointState {
    return {
      selfId: this.#limits.selfId,
      peerCount: this.#entries.size,
      inboundCount: this.#inbound,
      maxPeers: this.#limits.maxPeers,
      maxInboundConns: this.#limits.maxInboundConns,
      hasPeer: (id) => this.#entries.has(id),
    };
  }
}
