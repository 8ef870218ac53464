/**
 * Where the dashboard reads traffic from: one small interface, and an implementation counting
 * the server's `peer:msg` events (needs `enableMsgEvents`, which `FullNode` sets). A server with
 * its own traffic counters can stand in through the same interface.
 * @module
 */
import type { Peer, PeerMessageEvent, Server } from '@ethp2p/server';

/** Subprotocol payload bytes (uncompressed) received and sent. */
export interface TrafficCounts {
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/** Traffic so far, in total and per connected peer. */
export interface TrafficMeter {
  /** Every peer's traffic since the meter started, including peers gone since. */
  total(): TrafficCounts;
  /** `peer`'s traffic since the meter started (zero for a peer it has not seen). */
  peer(peer: Peer): TrafficCounts;
}

interface Counts {
  bytesIn: number;
  bytesOut: number;
}

/**
 * Counts the payload sizes of the server's `peer:msg` events. Per-peer counts are kept in a
 * `WeakMap` keyed by the peer, so a peer that is gone leaves nothing behind.
 */
export class MsgEventTraffic implements TrafficMeter {
  readonly #server: Server;
  readonly #total: Counts = { bytesIn: 0, bytesOut: 0 };
  readonly #peers = new WeakMap<Peer, Counts>();
  readonly #onMsg = ({ peer, direction, size }: PeerMessageEvent): void => {
    let counts = this.#peers.get(peer);
    if (counts === undefined) {
      counts = { bytesIn: 0, bytesOut: 0 };
      this.#peers.set(peer, counts);
    }
    if (direction === 'receive') {
      counts.bytesIn += size;
      this.#total.bytesIn += size;
    } else {
      counts.bytesOut += size;
      this.#total.bytesOut += size;
    }
  };

  /** Starts counting `server`'s messages until {@link MsgEventTraffic.close}. */
  constructor(server: Server) {
    this.#server = server;
    server.events.on('peer:msg', this.#onMsg);
  }

  total(): TrafficCounts {
    return { ...this.#total };
  }

  peer(peer: Peer): TrafficCounts {
    const counts = this.#peers.get(peer);
    return counts === undefined ? { bytesIn: 0, bytesOut: 0 } : { ...counts };
  }

  /** Stops counting. Idempotent. */
  close(): void {
    this.#server.events.off('peer:msg', this.#onMsg);
  }
}
