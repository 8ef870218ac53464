/**
 * The eth peers that finished their Status, by node ID (geth `eth/peerset.go`): the protocol
 * registers a peer after its handshake and unregisters it when its run ends.
 * @module
 */
import { defaultLogger, type Logger, safeEmit } from '@ethp2p/base';
import { type NodeId, nodeIdToHex } from '@ethp2p/enode';
import { DiscReason } from '@ethp2p/server';
import { EventEmitter } from 'eventemitter3';
import { PeerSetError } from '../peer/errors.ts';
import type { EthPeer } from '../peer/eth-peer.ts';

/** Options of {@link PeerSet}. */
export interface PeerSetOptions {
  /** Where a throwing event listener is reported (default: warnings to stderr). */
  readonly logger?: Logger;
}

/**
 * Events of {@link PeerSet}; handlers run synchronously inside `register` / `unregister`. A
 * handler that throws is logged and changes nothing: the peer is registered (or unregistered).
 */
export interface PeerSetEvents {
  /** A peer joined; its messages are handled only after the handlers returned. */
  'peer:registered': (event: { readonly peer: EthPeer }) => void;
  /** A peer left (its run ended); it is already closed. */
  'peer:unregistered': (event: { readonly peer: EthPeer }) => void;
}

/**
 * The registered eth peers. Owned by the node: every method is synchronous. Iterating yields the
 * peers in registration order.
 * @example
 * const peers = new PeerSet();
 * peers.events.on('peer:registered', ({ peer }) => log.info('eth peer', { id: peer.key }));
 * const protocols = createEthProtocols({ backend, peerSet: peers });
 */
export class PeerSet implements Iterable<EthPeer> {
  readonly events: Pick<EventEmitter<PeerSetEvents>, 'on' | 'once' | 'off'>;
  readonly #emitter = new EventEmitter<PeerSetEvents>();
  readonly #peers = new Map<string, EthPeer>();
  readonly #logger: Logger;
  readonly #listenerFailed = (err: unknown, event: string): void => {
    this.#logger.warn('peer set listener failed', { event, err: String(err) });
  };
  #closed = false;

  constructor(options: PeerSetOptions = {}) {
    this.events = this.#emitter;
    this.#logger = options.logger ?? defaultLogger;
  }

  /** How many peers are registered. */
  get len(): number {
    return this.#peers.size;
  }

  /** Whether {@link PeerSet.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Adds `peer` and emits `peer:registered`.
   * @throws {PeerSetError} `CLOSED` after close, `ALREADY_REGISTERED` if its ID is in the set
   */
  register(peer: EthPeer): void {
    if (this.#closed) throw new PeerSetError('CLOSED', 'peer set closed');
    if (this.#peers.has(peer.key)) {
      throw new PeerSetError(
        'ALREADY_REGISTERED',
        `peer ${peer.key.slice(0, 16)} already registered`,
      );
    }
    this.#peers.set(peer.key, peer);
    safeEmit(this.#emitter, 'peer:registered', { peer }, this.#listenerFailed);
  }

  /**
   * Removes the peer with `id` and emits `peer:unregistered`.
   * @returns the removed peer
   * @throws {PeerSetError} `NOT_REGISTERED`
   */
  unregister(id: NodeId | string): EthPeer {
    const key = keyOf(id);
    const peer = this.#peers.get(key);
    if (peer === undefined) {
      throw new PeerSetError('NOT_REGISTERED', `peer ${key.slice(0, 16)} not registered`);
    }
    this.#peers.delete(key);
    safeEmit(this.#emitter, 'peer:unregistered', { peer }, this.#listenerFailed);
    return peer;
  }

  /** The peer with `id` (a node ID or its hex), if registered. */
  peer(id: NodeId | string): EthPeer | undefined {
    return this.#peers.get(keyOf(id));
  }

  [Symbol.iterator](): Iterator<EthPeer> {
    return this.#peers.values();
  }

  /**
   * The peers not known to have the transaction `hash`. Asked for every relayed transaction, so
   * it walks the peers without copying them first.
   */
  peersWithoutTx(hash: Uint8Array): EthPeer[] {
    const out: EthPeer[] = [];
    for (const p of this.#peers.values()) if (!p.knowsTransaction(hash)) out.push(p);
    return out;
  }

  /** The peers not known to have the block `hash`. */
  peersWithoutBlock(hash: Uint8Array): EthPeer[] {
    const out: EthPeer[] = [];
    for (const p of this.#peers.values()) if (!p.knowsBlock(hash)) out.push(p);
    return out;
  }

  /**
   * The peer with the highest announced head: by the latest block of its range (eth/69) or of
   * its announcements (eth/68), then by total difficulty (eth/68); the earliest registered wins
   * a tie. Undefined when the set is empty.
   */
  bestPeer(): EthPeer | undefined {
    let best: EthPeer | undefined;
    for (const peer of this.#peers.values()) {
      if (best === undefined || compareHeads(peer, best) > 0) best = peer;
    }
    return best;
  }

  /**
   * Disconnects every peer with ClientQuitting and refuses new ones. The peers stay until
   * their runs end and unregister them. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.disconnect(DiscReason.ClientQuitting);
  }
}

function keyOf(id: NodeId | string): string {
  return typeof id === 'string' ? id.toLowerCase().replace(/^0x/, '') : nodeIdToHex(id);
}

function headNumber(peer: EthPeer): bigint {
  return peer.blockRange?.latest ?? peer.head?.number ?? -1n;
}

function compareHeads(a: EthPeer, b: EthPeer): number {
  const byNumber = headNumber(a) - headNumber(b);
  if (byNumber !== 0n) return byNumber > 0n ? 1 : -1;
  const byTd = (a.head?.td ?? 0n) - (b.head?.td ?? 0n);
  return byTd > 0n ? 1 : byTd < 0n ? -1 : 0;
}
