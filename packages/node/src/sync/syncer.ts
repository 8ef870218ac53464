/**
 * The syncer: keeps the chain at its peers' head. Post-merge blocks are not gossiped over eth
 * (geth ignores NewBlock and NewBlockHashes), so the syncer learns heads from Status (eth/68:
 * the head hash, whose header it asks the peer for; eth/69: the latest block of the range) and
 * from eth/69 BlockRangeUpdate, syncs to the highest one in rounds ({@link SyncRound}; a target
 * on another branch is followed from the common ancestor, and the chain switches to its branch
 * once it is higher) and announces its own range to eth/69 peers whenever its head moves. A
 * target that stalls a round is picked again once its head moves or
 * {@link SYNC_STALL_RETRY_MS} have passed. A peer that serves a bad header, a bad body or a
 * chain that does not connect is handed to the `ban` callback once (the node binds it to the
 * server's reputation, the one owner of bans: it drops the peer, refuses it when it comes back
 * and never dials it) and left out of sync from then on.
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/downloader/downloader.go
 * @module
 */
import {
  type Clock,
  type Logger,
  safeEmit,
  silentLogger,
  systemClock,
  TaskGroup,
} from '@ethp2p/base';
import { decodeHeader } from '@ethp2p/chain';
import { equalBytes } from '@ethp2p/crypto';
import type { BlockRange, ChainHeader, EthPeer, PeerSet } from '@ethp2p/eth';
import { DiscReason } from '@ethp2p/server';
import { EventEmitter } from 'eventemitter3';
import { SYNC_REQUEST_TIMEOUT_MS, SYNC_STALL_RETRY_MS } from './constants.ts';
import { type RoundEnd, type SyncChain, SyncRound } from './sync-round.ts';

/** Events of {@link Syncer}; handlers run synchronously. */
export interface SyncerEvents {
  /** The chain's head moved: `blocks` were imported. */
  'head:updated': (event: { readonly head: ChainHeader; readonly blocks: number }) => void;
  /** A peer served bad data and was handed to `ban`. */
  'peer:dropped': (event: { readonly peer: EthPeer; readonly why: string }) => void;
  /** A round ended. */
  'round:ended': (event: { readonly target: EthPeer; readonly end: RoundEnd }) => void;
}

/** Options of {@link Syncer}. */
export interface SyncerOptions {
  /** The chain to extend. */
  readonly chain: SyncChain;
  /** The eth peers to follow. */
  readonly peerSet: PeerSet;
  /**
   * Bans a peer that served bad chain data (`why`), called once per peer connection; it must
   * drop the peer and keep it out for at least the session (the node: `reputation.ban`).
   */
  readonly ban: (peer: EthPeer, why: string) => void;
  readonly log?: Logger;
  /** How long a sync request may take before it moves on (default 5 s). */
  readonly requestTimeoutMs?: number;
  /** Blocks fetched and not yet imported, at most (default 2048). */
  readonly maxQueuedBlocks?: number;
  /** Headers per request (default 192). */
  readonly headerBatch?: number;
  /** Bodies per request (default 128). */
  readonly bodyBatch?: number;
  /** The earliest block announced in BlockRangeUpdate (default 0: the chain holds everything). */
  readonly earliestBlock?: () => bigint;
  /** Times the retry of stalled peers (default the system clock). */
  readonly clock?: Clock;
  /**
   * How long a peer that stalled a round waits before it is a target again, its head unchanged
   * (default {@link SYNC_STALL_RETRY_MS}).
   */
  readonly stallRetryMs?: number;
}

/** What the syncer is doing, for the status line. */
export interface SyncProgress {
  /** The chain's head. */
  readonly head: ChainHeader;
  /** The head number of the round's target while a round runs. */
  readonly target: bigint | undefined;
  /** Blocks imported since the start. */
  readonly imported: number;
}

interface KnownHead {
  readonly number: bigint;
  readonly hash: Uint8Array;
}

/**
 * Follows the peers of a {@link PeerSet}. One owner of sync state: peer heads and the current
 * round change only inside its handlers and its loop (bans are the `ban` callback's). `start()` once, `stop()`
 * (idempotent) aborts the round and waits for every request and probe.
 */
export class Syncer {
  readonly events: Pick<EventEmitter<SyncerEvents>, 'on' | 'once' | 'off'>;
  readonly #emitter = new EventEmitter<SyncerEvents>();
  readonly #options: SyncerOptions;
  readonly #log: Logger;
  /** Known heads by peer key. */
  readonly #heads = new Map<string, KnownHead>();
  /** Peers that stalled a round, by key: the head number they had then, and until when. */
  readonly #stalled = new Map<string, { readonly number: bigint; readonly untilMs: number }>();
  readonly #clock: Clock;
  /** Peer connections handed to `ban` (each once; a banned peer does not come back). */
  readonly #dropped = new WeakSet<EthPeer>();
  readonly #tasks: TaskGroup;
  readonly #controller = new AbortController();
  readonly #unsubscribe: (() => void)[] = [];
  #round: { readonly target: bigint; readonly round: SyncRound } | undefined;
  #wake: (() => void) | undefined;
  #dirty = true;
  #imported = 0;
  #started = false;
  #stopping: Promise<void> | undefined;

  constructor(options: SyncerOptions) {
    this.#options = options;
    this.#log = options.log ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    this.#tasks = new TaskGroup({
      onError: (err) => this.#log.warn('sync task failed', { err: String(err) }),
    });
    this.events = this.#emitter;
  }

  /** The chain's head, the target of the running round and the blocks imported so far. */
  progress(): SyncProgress {
    return {
      head: this.#options.chain.head(),
      target: this.#round?.target,
      imported: this.#imported,
    };
  }

  /** Subscribes to the peer set and starts the sync loop. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { peerSet } = this.#options;
    const onRegistered = ({ peer }: { readonly peer: EthPeer }): void => this.#addPeer(peer);
    const onUnregistered = ({ peer }: { readonly peer: EthPeer }): void => {
      this.#heads.delete(peer.key);
      this.#stalled.delete(peer.key);
    };
    peerSet.events.on('peer:registered', onRegistered);
    peerSet.events.on('peer:unregistered', onUnregistered);
    this.#unsubscribe.push(() => {
      peerSet.events.off('peer:registered', onRegistered);
      peerSet.events.off('peer:unregistered', onUnregistered);
    });
    for (const peer of peerSet) this.#addPeer(peer);
    this.#tasks.spawn(this.#loop(this.#controller.signal));
  }

  /** Aborts the running round and waits for the loop and every request to end. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#controller.abort(new Error('syncer stopped'));
      this.#wake?.();
      for (const off of this.#unsubscribe.splice(0)) off();
      await this.#tasks.wait();
    })();
    return this.#stopping;
  }

  #addPeer(peer: EthPeer): void {
    const onRange = ({ range }: { readonly range: BlockRange }): void => {
      this.#setHead(peer, { number: range.latest, hash: range.latestHash });
    };
    peer.events.on('block-range:updated', onRange);
    const range = peer.blockRange;
    if (range !== undefined) {
      this.#setHead(peer, { number: range.latest, hash: range.latestHash });
    } else if (peer.head !== undefined) {
      this.#tasks.spawn(this.#probeHead(peer, peer.head.hash));
    }
  }

  /** eth/68: the Status head is a hash; its header gives the number. */
  async #probeHead(peer: EthPeer, hash: Uint8Array): Promise<void> {
    const known = this.#options.chain.headerByHash(hash);
    if (known !== undefined) {
      this.#setHead(peer, { number: known.number, hash });
      return;
    }
    try {
      const [rlp] = await peer.requestHeadersByHash(hash, 1, {
        signal: this.#controller.signal,
        timeoutMs: this.#timeoutMs(),
      });
      if (rlp === undefined) return; // it does not serve its own head: nothing to sync from it
      const header = decodeHeader(rlp);
      if (!equalBytes(header.hash, hash)) {
        this.#drop(peer, 'served another header for its head');
        return;
      }
      this.#setHead(peer, { number: header.number, hash });
    } catch (err) {
      if (this.#controller.signal.aborted) return;
      this.#log.debug('head probe failed', { peer: peer.key, err: String(err) });
    }
  }

  #setHead(peer: EthPeer, head: KnownHead): void {
    if (peer.closed || this.#dropped.has(peer)) return;
    this.#heads.set(peer.key, head);
    const stalled = this.#stalled.get(peer.key);
    if (stalled !== undefined && head.number > stalled.number) this.#stalled.delete(peer.key);
    // A peer that joins or announces during a round can serve bodies at once.
    this.#round?.round.pump();
    this.#notify();
  }

  #notify(): void {
    this.#dirty = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #timeoutMs(): number {
    return this.#options.requestTimeoutMs ?? SYNC_REQUEST_TIMEOUT_MS;
  }

  /** The peer with the highest known head above ours, not stalled lately and not banned. */
  #pickTarget(): { readonly peer: EthPeer; readonly number: bigint } | undefined {
    const ours = this.#options.chain.head().number;
    const now = this.#clock.now();
    let best: { peer: EthPeer; number: bigint } | undefined;
    for (const peer of this.#options.peerSet) {
      const head = this.#heads.get(peer.key);
      if (head === undefined || head.number <= ours || peer.closed) continue;
      if ((this.#stalled.get(peer.key)?.untilMs ?? 0) > now || this.#dropped.has(peer)) continue;
      if (best === undefined || head.number > best.number) best = { peer, number: head.number };
    }
    return best;
  }

  async #loop(signal: AbortSignal): Promise<void> {
    const o = this.#options;
    while (!signal.aborted) {
      this.#dirty = false;
      const target = this.#pickTarget();
      if (target === undefined) {
        if (!this.#dirty) await this.#idle();
        continue;
      }
      const end = await this.#runRound(target.peer, target.number, signal);
      safeEmit(this.#emitter, 'round:ended', { target: target.peer, end }, (err) =>
        this.#log.warn('syncer listener failed', { err: String(err) }),
      );
      if (end.kind === 'stalled') {
        const untilMs = this.#clock.now() + (o.stallRetryMs ?? SYNC_STALL_RETRY_MS);
        this.#stalled.set(target.peer.key, { number: target.number, untilMs });
      }
    }
  }

  /** Waits for a change (`#notify`) or for the first stalled peer to be due again. */
  #idle(): Promise<void> {
    const now = this.#clock.now();
    let due: number | undefined;
    for (const { untilMs } of this.#stalled.values()) {
      if (untilMs > now && (due === undefined || untilMs < due)) due = untilMs;
    }
    return new Promise<void>((resolve) => {
      const timer =
        due === undefined
          ? undefined
          : this.#clock.schedule(due - now, () => {
              this.#wake = undefined;
              resolve();
            });
      this.#wake = () => {
        timer?.cancel();
        resolve();
      };
    });
  }

  async #runRound(target: EthPeer, number: bigint, signal: AbortSignal): Promise<RoundEnd> {
    const o = this.#options;
    this.#log.debug('sync round', { target: target.key, from: o.chain.head().number, to: number });
    const round = new SyncRound({
      chain: o.chain,
      target,
      targetNumber: number,
      peers: () => this.#bodyPeers(),
      drop: (peer, why) => this.#drop(peer, why),
      imported: (head, blocks) => this.#onImported(head, blocks),
      signal,
      log: this.#log,
      requestTimeoutMs: this.#timeoutMs(),
      ...(o.maxQueuedBlocks === undefined ? {} : { maxQueuedBlocks: o.maxQueuedBlocks }),
      ...(o.headerBatch === undefined ? {} : { headerBatch: o.headerBatch }),
      ...(o.bodyBatch === undefined ? {} : { bodyBatch: o.bodyBatch }),
    });
    this.#round = { target: number, round };
    try {
      return await round.run();
    } finally {
      this.#round = undefined;
    }
  }

  *#bodyPeers(): Iterable<{ readonly peer: EthPeer; readonly head: bigint }> {
    for (const peer of this.#options.peerSet) {
      const head = this.#heads.get(peer.key);
      if (head === undefined || peer.closed || this.#dropped.has(peer)) continue;
      yield { peer, head: head.number };
    }
  }

  #onImported(head: ChainHeader, blocks: number): void {
    this.#imported += blocks;
    this.#announce(head);
    safeEmit(this.#emitter, 'head:updated', { head, blocks }, (err) =>
      this.#log.warn('syncer listener failed', { err: String(err) }),
    );
  }

  /** Sends our new range to every eth/69+ peer (only the newest unsent one is kept per peer). */
  #announce(head: ChainHeader): void {
    const range: BlockRange = {
      earliest: this.#options.earliestBlock?.() ?? 0n,
      latest: head.number,
      latestHash: head.hash,
    };
    for (const peer of this.#options.peerSet) {
      if (peer.version >= 69 && !peer.closed) peer.asyncSendBlockRange(range);
    }
  }

  #drop(peer: EthPeer, why: string): void {
    if (this.#dropped.has(peer)) return;
    this.#dropped.add(peer);
    this.#heads.delete(peer.key);
    this.#log.info('banning peer that served bad chain data', { peer: peer.key, why });
    try {
      this.#options.ban(peer, why);
    } catch (err) {
      this.#log.warn('sync ban failed', { peer: peer.key, err: String(err) });
      peer.disconnect(DiscReason.UselessPeer);
    }
    safeEmit(this.#emitter, 'peer:dropped', { peer, why }, (err) =>
      this.#log.warn('syncer listener failed', { err: String(err) }),
    );
  }
}
