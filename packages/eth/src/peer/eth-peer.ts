/**
 * One connected eth peer after its Status: requests with random ids and promises, the hashes it
 * is known to have, and bounded queues of transactions and announcements to send it (geth
 * `eth/protocols/eth/peer.go`, `broadcast.go`).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
import { type Clock, checkPositiveInt, type Logger, type Random, safeEmit } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import type { NodeId } from '@ethp2p/enode';
import { nodeIdToHex } from '@ethp2p/enode';
import type { DiscReason, ProtocolPeer, ReportTarget, ReputationChange } from '@ethp2p/server';
import { EventEmitter } from 'eventemitter3';
import type { ChainReader, TxPool } from '../chain/types.ts';
import { EthError } from '../errors.ts';
import type { BlockAnnouncement, HashOrNumber } from '../messages/blocks.ts';
import { CELL_MASK_BYTES, type Cells, cellMaskIsSubset } from '../messages/cells.ts';
import type { Status68, Status69 } from '../messages/status.ts';
import { Broadcaster } from './broadcaster.ts';
import { MAX_KNOWN_BLOCKS, MAX_KNOWN_TXS, MAX_RECEIPT_CONTINUATIONS } from './constants.ts';
import { RequestError } from './errors.ts';
import { KnownSet } from './known-set.ts';
import type { MessageWriter } from './message-writer.ts';
import {
  checkIncompleteReceipts,
  type PartialReceipts,
  type ReceiptBounds,
  receiptBounds,
} from './partial-receipts.ts';
import {
  RequestTracker,
  type ResponseItems,
  type ResponseName,
  type TrackOptions,
} from './request-tracker.ts';
import { pooledTransactionsViolation, txFromWire, txHash } from './tx-wire.ts';
import type {
  BlockRange,
  HeadersRequestOptions,
  PeerHead,
  ReceiptsRequestOptions,
  RequestOptions,
} from './types.ts';

/** Events of {@link EthPeer}; handlers run synchronously inside the peer's read loop. */
export interface EthPeerEvents {
  /** A Transactions broadcast: canonical encodings and their hashes, after the pool saw them. */
  'txs:received': (event: {
    readonly peer: EthPeer;
    readonly txs: readonly Uint8Array[];
    readonly hashes: readonly Uint8Array[];
  }) => void;
  /** A NewPooledTransactionHashes announcement. */
  'txs:announced': (event: {
    readonly peer: EthPeer;
    readonly types: Uint8Array;
    readonly sizes: readonly number[];
    readonly hashes: readonly Uint8Array[];
    /** eth/72: the cells the peer holds for every blob of the announced blob transactions. */
    readonly cellMask?: Uint8Array;
  }) => void;
  /** eth/69: the peer's block range changed (BlockRangeUpdate). */
  'block-range:updated': (event: { readonly peer: EthPeer; readonly range: BlockRange }) => void;
  /** eth/68: NewBlockHashes. */
  'blocks:announced': (event: {
    readonly peer: EthPeer;
    readonly blocks: readonly BlockAnnouncement[];
  }) => void;
  /** eth/68: NewBlock (`block` is the block's RLP). */
  'block:received': (event: {
    readonly peer: EthPeer;
    readonly block: Uint8Array;
    readonly hash: Uint8Array;
    readonly td: bigint;
  }) => void;
}

/** Options of {@link EthPeer}. */
export interface EthPeerOptions {
  /** The p2p peer the protocol runs on. */
  readonly peer: ProtocolPeer;
  /** Writes to the peer in the negotiated version. */
  readonly writer: MessageWriter;
  /** The peer's Status (already checked). */
  readonly status: Status68 | Status69;
  /** Where broadcast and announced transactions are read from. */
  readonly txPool: TxPool;
  /**
   * The local chain. An eth/70 incomplete receipt list of a block it holds is checked against
   * that block's bounds (EIP-7975) when the caller of `requestReceipts` gives none.
   */
  readonly chain?: Pick<ChainReader, 'headerByHash' | 'bodyByHash'>;
  readonly clock: Clock;
  /** Draws request ids. */
  readonly random: Random;
  readonly log?: Logger;
  /** Default response timeout of requests. */
  readonly requestTimeoutMs?: number;
  /** Requests in flight at most. */
  readonly maxPendingRequests?: number;
  /**
   * Where the outcome of each request is reported (normally the server's `reputation`): a
   * response counts as `usefulResponse`, no response in time as `timeout`. Responses that break
   * the protocol end the peer, and the server scores how it ended.
   */
  readonly reputation?: RequestReputation;
}

/** The part of the server's `Reputation` that {@link EthPeer} reports request outcomes to. */
export interface RequestReputation {
  report(change: ReputationChange, target: ReportTarget): void;
}

/**
 * An eth peer. Created by the protocol after a good Status and owned by its read loop: request
 * methods and the `async*` senders may be called from anywhere (they return at once or return
 * promises), while the response and notification entry points are for the protocol handler.
 * Once closed, requests reject with `RequestError` `CLOSED` and queued sends are dropped.
 */
export class EthPeer {
  /** The remote node ID. */
  readonly id: NodeId;
  /** The node ID as 64 hex characters (the PeerSet key). */
  readonly key: string;
  /** The negotiated eth version. */
  readonly version: number;
  /** The Status the peer sent. */
  readonly status: Status68 | Status69;
  /** The p2p peer underneath. */
  readonly protocolPeer: ProtocolPeer;
  readonly events: Pick<EventEmitter<EthPeerEvents>, 'on' | 'once' | 'off'>;
  readonly log: Logger;
  readonly #emitter = new EventEmitter<EthPeerEvents>();
  readonly #listenerFailed = (err: unknown, event: string): void => {
    this.log.warn('eth peer listener failed', { event, err: String(err) });
  };
  readonly #writer: MessageWriter;
  readonly #tracker: RequestTracker;
  readonly #knownTxs: KnownSet;
  readonly #knownBlocks: KnownSet;
  readonly #broadcaster: Broadcaster;
  readonly #reputation: RequestReputation | undefined;
  readonly #chain: EthPeerOptions['chain'];
  #range: BlockRange | undefined;
  #head: PeerHead | undefined;
  #closed = false;

  constructor(options: EthPeerOptions) {
    const { peer, writer, status, txPool } = options;
    this.protocolPeer = peer;
    this.id = peer.id;
    this.key = nodeIdToHex(peer.id);
    this.version = writer.version.version;
    this.status = status;
    this.log = options.log ?? peer.log;
    this.#writer = writer;
    this.#chain = options.chain;
    this.events = this.#emitter;
    // Seeded by the system's CSPRNG, not `options.random`: the request ids drawn from that stay
    // as they were, and a peer cannot predict where its hashes land.
    this.#knownTxs = new KnownSet(MAX_KNOWN_TXS);
    this.#knownBlocks = new KnownSet(MAX_KNOWN_BLOCKS);
    this.#tracker = new RequestTracker({
      clock: options.clock,
      random: options.random,
      timeoutMs: options.requestTimeoutMs,
      maxPending: options.maxPendingRequests,
    });
    if ('latestHash' in status) {
      this.#range = {
        earliest: status.earliest,
        latest: status.latest,
        latestHash: status.latestHash,
      };
      this.#knownBlocks.add(status.latestHash);
    } else {
      this.#head = { hash: status.head, td: status.td };
      this.#knownBlocks.add(status.head);
    }
    this.#broadcaster = new Broadcaster(writer, txPool, this.log);
    this.#reputation = options.reputation;
  }

  /** eth/69: the blocks the peer serves, from its Status and latest BlockRangeUpdate. */
  get blockRange(): BlockRange | undefined {
    return this.#range;
  }

  /** eth/68: the head the peer announced. */
  get head(): PeerHead | undefined {
    return this.#head;
  }

  /** Whether the peer was closed (its protocol run ended). */
  get closed(): boolean {
    return this.#closed;
  }

  /** How many requests wait for their response. */
  get pendingRequests(): number {
    return this.#tracker.pending;
  }

  /** Asks the p2p layer to disconnect the peer with `reason` (asynchronous). */
  disconnect(reason: DiscReason): void {
    this.protocolPeer.disconnect(reason);
  }

  // ---- requests -------------------------------------------------------------------------------

  /**
   * Requests up to `amount` headers starting at block `origin` (GetBlockHeaders).
   * @returns the header RLPs the peer sent (possibly fewer, possibly none)
   * @throws {RequestError} on timeout, too many requests in flight, peer closed, or a response
   *   that breaks the rules; the signal's reason on abort; {RangeError|TypeError} on bad arguments
   */
  async requestHeadersByNumber(
    origin: bigint,
    amount: number,
    options: HeadersRequestOptions = {},
  ): Promise<Uint8Array[]> {
    return this.#requestHeaders({ number: origin }, amount, options);
  }

  /** Like {@link EthPeer.requestHeadersByNumber}, starting at the block with hash `origin`. */
  async requestHeadersByHash(
    origin: Uint8Array,
    amount: number,
    options: HeadersRequestOptions = {},
  ): Promise<Uint8Array[]> {
    return this.#requestHeaders({ hash: origin }, amount, options);
  }

  /** Requests the bodies of `hashes` (GetBlockBodies): body RLPs, a prefix of the request. */
  async requestBodies(
    hashes: readonly Uint8Array[],
    options: RequestOptions = {},
  ): Promise<Uint8Array[]> {
    checkHashes(hashes);
    return this.#request('BlockBodies', hashes.length, options, (requestId) =>
      this.#writer.send('GetBlockBodies', { requestId, hashes }),
    );
  }

  /**
   * Requests the receipts of `hashes` (GetReceipts): one complete list of receipt RLPs per
   * block, a prefix of the request. From eth/70 on, a list the peer sends in parts (its
   * response ends with `lastBlockIncomplete`) is asked for again from where it stopped, until it
   * is complete; each incomplete list is checked against its block's bounds (EIP-7975):
   * `options.bounds`, else those of the block in the local chain (`EthPeerOptions.chain`).
   * @throws {RequestError} as every request; `INCOMPLETE` when a list needs more than
   *   {@link MAX_RECEIPT_CONTINUATIONS} further requests
   */
  async requestReceipts(
    hashes: readonly Uint8Array[],
    options: ReceiptsRequestOptions = {},
  ): Promise<Uint8Array[][]> {
    checkHashes(hashes);
    if (this.version < 70) {
      return this.#request('Receipts', hashes.length, options, (requestId) =>
        this.#writer.send('GetReceipts', { requestId, hashes }),
      );
    }
    const done: Uint8Array[][] = [];
    let partial: PartialReceipts | undefined;
    for (let continuation = 0; ; continuation++) {
      if (continuation > MAX_RECEIPT_CONTINUATIONS) {
        throw new RequestError('INCOMPLETE', `receipts incomplete after ${continuation} requests`);
      }
      const at = done.length;
      const rest = hashes.slice(at);
      const before = partial;
      const { lists, incomplete } = await this.#request(
        'Receipts70',
        rest.length,
        {
          ...options,
          check: (r: ResponseItems['Receipts70']) =>
            checkPage(r, at, before, (i) => this.#receiptBounds(hashes, i, options)),
        },
        (requestId) =>
          this.#writer.send('GetReceipts', {
            requestId,
            firstBlockReceiptIndex: BigInt(before?.receipts.length ?? 0),
            hashes: rest,
          }),
      );
      for (const [i, list] of lists.entries()) {
        const receipts = i === 0 && before !== undefined ? [...before.receipts, ...list] : list;
        if (incomplete && i === lists.length - 1) {
          partial = { receipts, bytes: receipts.reduce((n, r) => n + r.length, 0) };
        } else {
          done.push(receipts);
          partial = undefined;
        }
      }
      // A complete response ends the request: the peer served what it has.
      if (!incomplete || lists.length === 0) return done;
    }
  }

  /** The bounds of the receipts of block `index` of a request: given, or from the local chain. */
  #receiptBounds(
    hashes: readonly Uint8Array[],
    index: number,
    options: ReceiptsRequestOptions,
  ): ReceiptBounds | undefined {
    const given = options.bounds?.[index];
    const hash = hashes[index];
    if (given !== undefined || hash === undefined || this.#chain === undefined) return given;
    const header = this.#chain.headerByHash(hash);
    const body = header === undefined ? undefined : this.#chain.bodyByHash(hash);
    if (header === undefined || body === undefined) return undefined;
    try {
      return receiptBounds(header.rlp, body);
    } catch (err) {
      if (err instanceof EthError) return undefined; // a block our chain cannot read
      throw err;
    }
  }

  /**
   * eth/71: requests the block access lists of `hashes` (GetBlockAccessLists): one entry per
   * block, a prefix of the request; an entry is the access list's RLP, or `0x80` for a block the
   * peer has none for. The caller checks each against its header's `block-access-list-hash`.
   * @throws {RangeError} on a peer below eth/71; {RequestError} as every request
   */
  async requestBlockAccessLists(
    hashes: readonly Uint8Array[],
    options: RequestOptions = {},
  ): Promise<Uint8Array[]> {
    this.#requireAtLeast(71, 'GetBlockAccessLists');
    checkHashes(hashes);
    return this.#request('BlockAccessLists', hashes.length, options, (requestId) =>
      this.#writer.send('GetBlockAccessLists', { requestId, hashes }),
    );
  }

  /**
   * eth/72: requests the cells `cellMask` selects of the blob transactions `hashes` (GetCells).
   * A response whose mask is not within `cellMask`, or that answers a transaction not asked for,
   * ends the peer (EIP-8070).
   * @returns the transactions answered (a subset of `hashes`), their cells and the mask served
   * @throws {RangeError} on a peer below eth/72 or a mask that is not 16 bytes; {RequestError}
   */
  async requestCells(
    hashes: readonly Uint8Array[],
    cellMask: Uint8Array,
    options: RequestOptions = {},
  ): Promise<Omit<Cells, 'requestId'>> {
    this.#requireAtLeast(72, 'GetCells');
    checkHashes(hashes);
    if (!(cellMask instanceof Uint8Array) || cellMask.length !== CELL_MASK_BYTES)
      throw new RangeError(`cellMask: expected ${CELL_MASK_BYTES} bytes`);
    const asked = new Set(hashes.map((h) => bytesToHex(h)));
    const check = (r: ResponseItems['Cells']): void => {
      if (!cellMaskIsSubset(r.cellMask, cellMask))
        throw new RequestError('INVALID_RESPONSE', 'cells: mask beyond the request');
      const seen = new Set<string>();
      for (const h of r.hashes) {
        const key = bytesToHex(h);
        if (!asked.has(key) || seen.has(key))
          throw new RequestError('INVALID_RESPONSE', 'cells: a transaction not asked for');
        seen.add(key);
      }
    };
    return this.#request('Cells', hashes.length, { ...options, check }, (requestId) =>
      this.#writer.send('GetCells', { requestId, hashes, cellMask }),
    );
  }

  /**
   * Requests pooled transactions by hash (GetPooledTransactions).
   * @returns the canonical encodings the peer sent (it may leave out any); they are marked known
   */
  async requestPooledTransactions(
    hashes: readonly Uint8Array[],
    options: RequestOptions = {},
  ): Promise<Uint8Array[]> {
    checkHashes(hashes);
    const version = this.version;
    const check = (wire: ResponseItems['PooledTransactions']): void => {
      const violation = pooledTransactionsViolation(wire.map(txFromWire), version);
      if (violation !== undefined) throw new RequestError('INVALID_RESPONSE', violation);
    };
    const wire = await this.#request(
      'PooledTransactions',
      hashes.length,
      { ...options, check },
      (requestId) => this.#writer.send('GetPooledTransactions', { requestId, hashes }),
    );
    const txs = wire.map(txFromWire);
    this.#knownTxs.add(...txs.map(txHash));
    return txs;
  }

  #requestHeaders(
    origin: HashOrNumber,
    amount: number,
    options: HeadersRequestOptions,
  ): Promise<Uint8Array[]> {
    checkPositiveInt('amount', amount);
    const skip = BigInt(options.skip ?? 0);
    const reverse = options.reverse ?? false;
    return this.#request('BlockHeaders', amount, options, (requestId) =>
      this.#writer.send('GetBlockHeaders', {
        requestId,
        origin,
        amount: BigInt(amount),
        skip,
        reverse,
      }),
    );
  }

  /** Tracks a request, sends it with its id and waits for the response. */
  #request<N extends ResponseName>(
    name: N,
    maxItems: number,
    options: RequestOptions & Pick<TrackOptions, 'check'>,
    send: (requestId: bigint) => Promise<void>,
  ): Promise<ResponseItems[N]> {
    const { id, response } = this.#tracker.track(name, maxItems, options);
    try {
      send(id).catch((err: unknown) => this.#tracker.fail(id, err));
    } catch (err) {
      this.#tracker.fail(id, err); // a bad argument: the encoder threw before anything was sent
    }
    if (this.#reputation !== undefined) this.#reportOutcome(this.#reputation, response);
    return response;
  }

  /** Reports a request's outcome: a response is useful, a missing one a timeout. */
  #reportOutcome(reputation: RequestReputation, response: Promise<unknown>): void {
    const target = { id: this.id };
    response.then(
      () => reputation.report('usefulResponse', target),
      (err: unknown) => {
        if (err instanceof RequestError && err.code === 'TIMEOUT') {
          reputation.report('timeout', target);
        }
      },
    );
  }

  // ---- known hashes ---------------------------------------------------------------------------

  /** Whether the peer is known to have the transaction. */
  knowsTransaction(hash: Uint8Array): boolean {
    return this.#knownTxs.has(hash);
  }

  /** Records that the peer has these transactions (bounded: the oldest are forgotten). */
  markTransactions(...hashes: Uint8Array[]): void {
    this.#knownTxs.add(...hashes);
  }

  /** Whether the peer is known to have the block. */
  knowsBlock(hash: Uint8Array): boolean {
    return this.#knownBlocks.has(hash);
  }

  /** Records that the peer has these blocks (bounded: the oldest are forgotten). */
  markBlocks(...hashes: Uint8Array[]): void {
    this.#knownBlocks.add(...hashes);
  }

  // ---- asynchronous sends ---------------------------------------------------------------------

  /**
   * Queues pool transactions for a full broadcast (Transactions, packs of up to 100 KiB) and
   * marks them known. Returns at once; a full queue drops its oldest entries.
   */
  asyncSendTransactions(hashes: readonly Uint8Array[]): void {
    this.#knownTxs.add(...hashes);
    this.#broadcaster.sendTransactions(hashes);
  }

  /** Queues pool transactions for announcement (NewPooledTransactionHashes); see above. */
  asyncAnnounceTransactions(hashes: readonly Uint8Array[]): void {
    this.#knownTxs.add(...hashes);
    this.#broadcaster.announceTransactions(hashes);
  }

  /**
   * eth/69: queues a BlockRangeUpdate; only the newest unsent one is kept.
   * @throws {RangeError} on an eth/68 peer
   */
  asyncSendBlockRange(range: BlockRange): void {
    this.#requireVersion(69, 'BlockRangeUpdate');
    this.#broadcaster.sendBlockRange(range);
  }

  /** eth/68: queues a NewBlockHashes entry and marks the block known. @throws {RangeError} on eth/69 */
  asyncAnnounceBlock(hash: Uint8Array, number: bigint): void {
    this.#requireVersion(68, 'NewBlockHashes');
    this.#knownBlocks.add(hash);
    this.#broadcaster.announceBlock({ hash, number });
  }

  /** eth/68: queues a NewBlock and marks it known. @throws {RangeError} on eth/69 */
  asyncSendNewBlock(block: Uint8Array, hash: Uint8Array, td: bigint): void {
    this.#requireVersion(68, 'NewBlock');
    this.#knownBlocks.add(hash);
    this.#broadcaster.sendBlock({ block, td });
  }

  #requireAtLeast(version: number, what: string): void {
    if (this.version < version) throw new RangeError(`${what}: not part of eth/${this.version}`);
  }

  #requireVersion(version: 68 | 69, what: string): void {
    const ok = version === 69 ? this.version >= 69 : this.version <= 68;
    if (!ok) throw new RangeError(`${what}: not part of eth/${this.version}`);
  }

  // ---- entry points for the protocol handler --------------------------------------------------

  /**
   * Hands a response to its request (for the protocol handler).
   * @throws {RequestError} `UNKNOWN_REQUEST`, `WRONG_RESPONSE` or `TOO_MANY_ITEMS`: drop the peer
   */
  deliverResponse<N extends ResponseName>(
    name: N,
    requestId: bigint,
    items: ResponseItems[N],
  ): void {
    this.#tracker.fulfil(name, requestId, items);
  }

  /** Records received transactions as known and emits `txs:received` (for the handler). */
  receivedTransactions(txs: readonly Uint8Array[], hashes: readonly Uint8Array[]): void {
    this.#knownTxs.add(...hashes);
    safeEmit(this.#emitter, 'txs:received', { peer: this, txs, hashes }, this.#listenerFailed);
  }

  /** Records announced hashes as known and emits `txs:announced` (for the handler). */
  announcedTransactions(
    types: Uint8Array,
    sizes: readonly number[],
    hashes: readonly Uint8Array[],
    cellMask?: Uint8Array,
  ): void {
    this.#knownTxs.add(...hashes);
    safeEmit(
      this.#emitter,
      'txs:announced',
      { peer: this, types, sizes, hashes, ...(cellMask === undefined ? {} : { cellMask }) },
      this.#listenerFailed,
    );
  }

  /** eth/69: takes a checked BlockRangeUpdate (for the handler). */
  updateBlockRange(range: BlockRange): void {
    this.#range = range;
    this.#knownBlocks.add(range.latestHash);
    safeEmit(this.#emitter, 'block-range:updated', { peer: this, range }, this.#listenerFailed);
  }

  /** eth/68: takes NewBlockHashes (for the handler). */
  announcedBlocks(blocks: readonly BlockAnnouncement[]): void {
    this.#knownBlocks.add(...blocks.map((b) => b.hash));
    let best: BlockAnnouncement | undefined;
    for (const b of blocks) if (best === undefined || b.number > best.number) best = b;
    const head = this.#head;
    if (best !== undefined && head !== undefined && best.number > (head.number ?? -1n)) {
      this.#head = { hash: best.hash, td: head.td, number: best.number };
    }
    safeEmit(this.#emitter, 'blocks:announced', { peer: this, blocks }, this.#listenerFailed);
  }

  /** eth/68: takes NewBlock (for the handler). */
  receivedBlock(block: Uint8Array, hash: Uint8Array, number: bigint, td: bigint): void {
    this.#knownBlocks.add(hash);
    const head = this.#head;
    if (head === undefined || td > head.td || (td === head.td && number > (head.number ?? -1n))) {
      this.#head = { hash, td, number };
    }
    safeEmit(
      this.#emitter,
      'block:received',
      { peer: this, block, hash, td },
      this.#listenerFailed,
    );
  }

  /**
   * Ends the peer's requests (they reject with `RequestError` `CLOSED`) and drops its queues.
   * Called by the protocol when its run ends. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#tracker.close();
    this.#broadcaster.close();
    this.#emitter.removeAllListeners();
  }
}

/**
 * Checks one eth/70 Receipts response of a receipts request whose next block is `at`: an
 * incomplete response must hold a list, and its last list must stay within its block's bounds.
 * @throws {RequestError} `INVALID_RESPONSE`
 */
function checkPage(
  r: ResponseItems['Receipts70'],
  at: number,
  before: PartialReceipts | undefined,
  boundsOf: (index: number) => ReceiptBounds | undefined,
): void {
  if (!r.incomplete) return;
  const last = r.lists.length - 1;
  if (last < 0) throw new RequestError('INVALID_RESPONSE', 'empty receipts marked incomplete');
  const bounds = boundsOf(at + last);
  if (bounds !== undefined) {
    checkIncompleteReceipts(last === 0 ? before : undefined, r.lists[last] as Uint8Array[], bounds);
  }
}

function checkHashes(hashes: readonly Uint8Array[]): void {
  if (!Array.isArray(hashes)) throw new TypeError('hashes: expected an array');
  if (hashes.length === 0) throw new RangeError('hashes: expected at least one hash');
}
