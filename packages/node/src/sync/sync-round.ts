/**
 * One sync round: bring the chain from its head up to one peer's announced head. Headers come
 * from that peer (the target) in batches of {@link MAX_HEADER_FETCH}, each checked to continue
 * the previous one (number and parent hash; nothing more: the header rules are checked once, by
 * the chain's import); bodies come from every peer that has the blocks, {@link MAX_BODY_FETCH} at
 * a time and one request per peer; blocks are imported in order as soon as a prefix is complete,
 * and the chain's `importBlocks` checks each header against its parent and each body against its
 * header (a failure names the field, so a bad body is blamed on the peer that served it and
 * fetched again elsewhere, a bad header on the target). Blocks whose header commits to an empty
 * body are not fetched.
 *
 * Everything here runs on the event loop and changes the round's state only between awaits, in
 * {@link SyncRound.pump}; the round owns its queue until it ends.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { encodeList, listItems, readRoot } from '@ethp2p/base/rlp';
import { decodeHeader, emptyBodyOf } from '@ethp2p/chain';
import { equalBytes } from '@ethp2p/crypto';
import {
  type BlockImporter,
  type ChainHeader,
  type ChainReader,
  type EthPeer,
  RequestError,
} from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import {
  MAX_BODY_FETCH,
  MAX_FORK_ANCESTRY,
  MAX_HEADER_FETCH,
  MAX_IMPORT_BATCH,
  MAX_QUEUED_BLOCKS,
} from './constants.ts';

/** A chain the syncer can read and extend. */
export type SyncChain = ChainReader & BlockImporter;

/** How a round ended. */
export type RoundEnd =
  /** The chain reached the target number. */
  | { readonly kind: 'done' }
  /** The target stopped delivering (timeout, empty or short answers): try another peer. */
  | { readonly kind: 'stalled' }
  /** The target was dropped (a bad header chain, or a block that failed to import). */
  | { readonly kind: 'dropped' }
  /** The round's signal aborted. */
  | { readonly kind: 'aborted' };

/** What a round works with (the syncer provides it). */
export interface RoundContext {
  readonly chain: SyncChain;
  /** The peer whose head is synced to. */
  readonly target: EthPeer;
  /** Its head's number. */
  readonly targetNumber: bigint;
  /** The peers bodies may come from, the target included, and their known head numbers. */
  readonly peers: () => Iterable<{ readonly peer: EthPeer; readonly head: bigint }>;
  /** Drops a peer that served bad data (it is not used again). */
  readonly drop: (peer: EthPeer, why: string) => void;
  /** After each successful import. */
  readonly imported: (head: ChainHeader, blocks: number) => void;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly requestTimeoutMs: number;
  readonly maxQueuedBlocks?: number;
  readonly headerBatch?: number;
  readonly bodyBatch?: number;
}

interface Slot {
  readonly header: ChainHeader;
  body: Uint8Array | undefined;
  /** The key of the peer whose body request holds it. */
  assigned: string | undefined;
  /** The peer that served the body (undefined for an empty body made from the header). */
  from: EthPeer | undefined;
}

/** The target stopped answering the ancestor search (not a fault: the round stalls). */
class StalledSearch extends Error {}

/** The body fields an import may fail on: the fault of the peer that served the body. */
const BODY_FIELDS: ReadonlySet<string> = new Set([
  'body',
  'transactionsRoot',
  'ommersHash',
  'withdrawalsRoot',
]);

/** One round; see the module comment. Create, `run()` once. */
export class SyncRound {
  readonly #ctx: RoundContext;
  readonly #maxQueued: number;
  readonly #headerBatch: number;
  readonly #bodyBatch: number;
  /** Fetched blocks not yet imported, in order. */
  readonly #slots: Slot[] = [];
  /** Peers with a body request in flight. */
  readonly #busy = new Set<string>();
  /** Peers that failed a body request this round (timeout, nothing served). */
  readonly #skip = new Set<string>();
  /** The number of the next header to ask for. */
  #nextHeader: bigint;
  /** The last header fetched (or the chain head): the next batch must continue it. */
  #lastHeader: ChainHeader;
  #headerInFlight = false;
  #importing = false;
  #end: ((end: RoundEnd) => void) | undefined;
  #ended = false;

  constructor(ctx: RoundContext) {
    this.#ctx = ctx;
    this.#maxQueued = ctx.maxQueuedBlocks ?? MAX_QUEUED_BLOCKS;
    this.#headerBatch = ctx.headerBatch ?? MAX_HEADER_FETCH;
    this.#bodyBatch = ctx.bodyBatch ?? MAX_BODY_FETCH;
    this.#lastHeader = ctx.chain.head();
    this.#nextHeader = this.#lastHeader.number + 1n;
  }

  /** Runs the round until it ends; never rejects. */
  run(): Promise<RoundEnd> {
    return new Promise((resolve) => {
      this.#end = resolve;
      const onAbort = (): void => this.#finish({ kind: 'aborted' });
      if (this.#ctx.signal.aborted) {
        onAbort();
        return;
      }
      this.#ctx.signal.addEventListener('abort', onAbort, { once: true });
      this.#end = (end) => {
        this.#ctx.signal.removeEventListener('abort', onAbort);
        resolve(end);
      };
      this.pump();
    });
  }

  /** Starts whatever work can start now; ends the round when everything is imported. */
  pump(): void {
    if (this.#ended) return;
    const { targetNumber } = this.#ctx;
    if (
      !this.#headerInFlight &&
      this.#nextHeader <= targetNumber &&
      this.#slots.length < this.#maxQueued
    ) {
      this.#fetchHeaders();
    }
    this.#fetchBodies();
    if (!this.#importing && this.#slots[0]?.body !== undefined) this.#import();
    if (
      this.#slots.length === 0 &&
      this.#nextHeader > targetNumber &&
      !this.#headerInFlight &&
      !this.#importing
    ) {
      this.#finish({ kind: 'done' });
    }
  }

  #finish(end: RoundEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#end?.(end);
  }

  #fetchHeaders(): void {
    const { target, targetNumber, signal, requestTimeoutMs } = this.#ctx;
    const from = this.#nextHeader;
    const room = this.#maxQueued - this.#slots.length;
    const amount = Number(
      [BigInt(this.#headerBatch), targetNumber - from + 1n, BigInt(room)].reduce((a, b) =>
        a < b ? a : b,
      ),
    );
    this.#headerInFlight = true;
    target
      .requestHeadersByNumber(from, amount, { signal, timeoutMs: requestTimeoutMs })
      .then(
        (rlps) => this.#onHeaders(from, rlps),
        (err: unknown) => this.#onRequestFailed('headers', target, err),
      )
      .finally(() => {
        this.#headerInFlight = false;
        this.pump();
      });
  }

  async #onHeaders(from: bigint, rlps: readonly Uint8Array[]): Promise<void> {
    if (this.#ended) return;
    const { target } = this.#ctx;
    if (rlps.length === 0) {
      this.#ctx.log.debug('sync target served no headers', { peer: target.key, from });
      this.#finish({ kind: 'stalled' });
      return;
    }
    if (this.#forksAtHead(rlps[0] as Uint8Array)) {
      await this.#rebase();
      return;
    }
    const headers: ChainHeader[] = [];
    let parent = this.#lastHeader;
    for (const rlp of rlps) {
      let header: ChainHeader;
      try {
        header = decodeHeader(rlp);
        if (header.number !== parent.number + 1n || !equalBytes(header.parentHash, parent.hash)) {
          const where =
            headers.length === 0 && parent === this.#ctx.chain.head()
              ? 'our head'
              : 'the previous header';
          throw new Error(`header ${header.number} does not connect to ${where}`);
        }
      } catch (err) {
        this.#ctx.drop(target, `bad header chain: ${errorText(err)}`);
        this.#finish({ kind: 'dropped' });
        return;
      }
      headers.push(header);
      parent = header;
    }
    this.#lastHeader = parent;
    this.#nextHeader = parent.number + 1n;
    for (const header of headers) {
      this.#slots.push({ header, body: emptyBodyOf(header), assigned: undefined, from: undefined });
    }
  }

  #fetchBodies(): void {
    const { signal, requestTimeoutMs } = this.#ctx;
    for (const { peer, head } of this.#ctx.peers()) {
      if (this.#busy.has(peer.key) || this.#skip.has(peer.key)) continue;
      const slots: Slot[] = [];
      for (const slot of this.#slots) {
        if (slots.length >= this.#bodyBatch || slot.header.number > head) break;
        if (slot.body === undefined && slot.assigned === undefined) slots.push(slot);
      }
      if (slots.length === 0) continue;
      for (const slot of slots) slot.assigned = peer.key;
      this.#busy.add(peer.key);
      const hashes = slots.map((s) => s.header.hash);
      peer
        .requestBodies(hashes, { signal, timeoutMs: requestTimeoutMs })
        .then(
          (bodies) => this.#onBodies(peer, slots, bodies),
          (err: unknown) => this.#onRequestFailed('bodies', peer, err),
        )
        .finally(() => {
          for (const slot of slots) if (slot.assigned === peer.key) slot.assigned = undefined;
          this.#busy.delete(peer.key);
          this.pump();
        });
    }
  }

  #onBodies(peer: EthPeer, slots: readonly Slot[], bodies: readonly Uint8Array[]): void {
    if (this.#ended) return;
    if (bodies.length === 0) this.#skipBodyPeer(peer);
    for (const [i, body] of bodies.entries()) {
      const slot = slots[i] as Slot;
      if (!isBodyShape(body)) {
        this.#dropBodyPeer(peer, `bad body for block ${slot.header.number}: not a body`);
        return;
      }
      slot.body = body;
      slot.from = peer;
    }
  }

  /**
   * Drops a peer that served a bad body and forgets every body it served that is not imported
   * yet; they are fetched again from other peers.
   */
  #dropBodyPeer(peer: EthPeer, why: string): void {
    this.#ctx.drop(peer, why);
    for (const slot of this.#slots) {
      if (slot.from !== peer || emptyBodyOf(slot.header) !== undefined) continue;
      slot.body = undefined;
      slot.from = undefined;
    }
    if (peer === this.#ctx.target) this.#finish({ kind: 'dropped' });
  }

  /**
   * Whether the first header of the round is a child of another block at our head's height:
   * the target is on another branch (not a broken chain: that is a gap or a wrong number).
   */
  #forksAtHead(rlp: Uint8Array): boolean {
    const head = this.#ctx.chain.head();
    if (this.#lastHeader !== head || this.#slots.length > 0) return false;
    try {
      const first = decodeHeader(rlp);
      return first.number === head.number + 1n && !equalBytes(first.parentHash, head.hash);
    } catch {
      return false;
    }
  }

  /**
   * Finds the common ancestor with the target and goes on from there: the round fetches the
   * target's branch from the block after it, and the chain switches to that branch once it is
   * higher than our head. Ends the round when the search fails: stalled when the target stops
   * answering, dropped when its headers are bad or no ancestor is within
   * {@link MAX_FORK_ANCESTRY} blocks.
   */
  async #rebase(): Promise<void> {
    const { target, chain } = this.#ctx;
    let ancestor: ChainHeader | undefined;
    try {
      ancestor = await this.#findAncestor();
    } catch (err) {
      if (this.#ended) return;
      if (err instanceof RequestError || err instanceof StalledSearch) {
        this.#onRequestFailed('headers', target, err);
        return;
      }
      this.#ctx.drop(target, `bad header chain: ${errorText(err)}`);
      this.#finish({ kind: 'dropped' });
      return;
    }
    if (this.#ended) return;
    if (ancestor.number >= chain.head().number) {
      this.#ctx.drop(target, 'bad header chain: its branch leaves ours at our head');
      this.#finish({ kind: 'dropped' });
      return;
    }
    this.#ctx.log.info('sync target is on another branch', {
      peer: target.key,
      ancestor: ancestor.number,
      head: chain.head().number,
    });
    this.#lastHeader = ancestor;
    this.#nextHeader = ancestor.number + 1n;
  }

  /**
   * The highest block of our canonical chain that the target's chain has too (geth
   * `findAncestor`): first among the last `headerBatch` blocks up to our head, in one request,
   * then by binary search with one header per request, at most {@link MAX_FORK_ANCESTRY} below
   * our head. @throws {Error} when there is none or the target serves headers out of order
   */
  async #findAncestor(): Promise<ChainHeader> {
    const { chain } = this.#ctx;
    const head = chain.head().number;
    const count = head + 1n < BigInt(this.#headerBatch) ? head + 1n : BigInt(this.#headerBatch);
    const from = head - count + 1n;
    const span = await this.#targetHeaders(from, Number(count));
    for (let i = span.length - 1; i >= 0; i--) {
      const ours = this.#canonical(span[i] as ChainHeader);
      if (ours !== undefined) return ours;
    }
    const floor = head > MAX_FORK_ANCESTRY ? head - MAX_FORK_ANCESTRY : 0n;
    const noAncestor = new Error(
      `chain does not connect: no common ancestor within ${MAX_FORK_ANCESTRY} blocks`,
    );
    if (from <= floor) throw noAncestor;
    // Binary search: `lo` is common, `hi` is not.
    let lo = this.#canonical(await this.#targetHeader(floor));
    if (lo === undefined) throw noAncestor;
    let hi = from;
    while (hi - lo.number > 1n) {
      const mid = (lo.number + hi) / 2n;
      const ours = this.#canonical(await this.#targetHeader(mid));
      if (ours === undefined) hi = mid;
      else lo = ours;
    }
    return lo;
  }

  /** Our canonical header at the number of `header` if it is that header. */
  #canonical(header: ChainHeader): ChainHeader | undefined {
    const ours = this.#ctx.chain.headerByNumber(header.number);
    return ours !== undefined && equalBytes(ours.hash, header.hash) ? ours : undefined;
  }

  /** The target's headers `from`, `from + 1`, ...: each checked to be at its number. */
  async #targetHeaders(from: bigint, amount: number): Promise<ChainHeader[]> {
    const { target, signal, requestTimeoutMs } = this.#ctx;
    const rlps = await target.requestHeadersByNumber(from, amount, {
      signal,
      timeoutMs: requestTimeoutMs,
    });
    if (rlps.length === 0) throw new StalledSearch(`no headers from ${from}`);
    return rlps.map((rlp, i) => {
      const header = decodeHeader(rlp);
      if (header.number !== from + BigInt(i)) {
        throw new Error(`header ${header.number} served for ${from + BigInt(i)}`);
      }
      return header;
    });
  }

  async #targetHeader(number: bigint): Promise<ChainHeader> {
    return (await this.#targetHeaders(number, 1))[0] as ChainHeader;
  }

  #onRequestFailed(what: string, peer: EthPeer, err: unknown): void {
    if (this.#ended || this.#ctx.signal.aborted) return;
    this.#ctx.log.debug('sync request failed', { what, peer: peer.key, err: errorText(err) });
    if (peer === this.#ctx.target && what === 'headers') {
      this.#finish({ kind: 'stalled' });
      return;
    }
    if (!(err instanceof RequestError) || err.code !== 'TOO_MANY_REQUESTS') {
      this.#skipBodyPeer(peer);
    }
  }

  /**
   * Asks `peer` for no more bodies this round (it timed out or served none); the round ends
   * stalled when that leaves the target and no other peer to ask.
   */
  #skipBodyPeer(peer: EthPeer): void {
    this.#skip.add(peer.key);
    if (peer === this.#ctx.target && !this.#otherBodyPeers(peer)) {
      this.#finish({ kind: 'stalled' });
    }
  }

  #otherBodyPeers(except: EthPeer): boolean {
    for (const { peer } of this.#ctx.peers()) {
      if (peer !== except && !this.#skip.has(peer.key)) return true;
    }
    return false;
  }

  #import(): void {
    const ready: Slot[] = [];
    for (const slot of this.#slots) {
      if (slot.body === undefined || ready.length >= MAX_IMPORT_BATCH) break;
      ready.push(slot);
    }
    const blocks = ready.map((s) => blockRlp(s.header, s.body as Uint8Array));
    this.#importing = true;
    this.#ctx.chain
      .importBlocks(blocks)
      .then(
        (head) => {
          this.#slots.splice(0, ready.length);
          this.#ctx.imported(head, ready.length);
        },
        (err: unknown) => {
          if (this.#ended) return;
          // The blocks before the failing one are imported (on a side branch too: known).
          const done = this.#slots.findIndex(
            (s) => this.#ctx.chain.headerByHash(s.header.hash) === undefined,
          );
          this.#slots.splice(0, done < 0 ? this.#slots.length : done);
          if (err instanceof ChainError && err.code === 'INVALID_BLOCK') {
            const failed = this.#slots[0];
            const field = err.details?.field ?? '';
            // A body that does not match its header is the fault of the peer that served it;
            // anything else (a header rule, execution) is the header chain's, the target's.
            if (failed?.from !== undefined && BODY_FIELDS.has(field)) {
              this.#dropBodyPeer(failed.from, `bad body: ${err.message}`);
              return;
            }
            this.#ctx.drop(this.#ctx.target, `block failed to import: ${err.message}`);
            this.#finish({ kind: 'dropped' });
            return;
          }
          this.#ctx.log.warn('sync import failed', { err: errorText(err) });
          this.#finish({ kind: 'stalled' });
        },
      )
      .finally(() => {
        this.#importing = false;
        this.pump();
      });
  }
}

/** Whether `body` is `[transactions, ommers, withdrawals?]` (each a list) in canonical RLP. */
function isBodyShape(body: Uint8Array): boolean {
  try {
    const parts = listItems(readRoot(body, 'body'), 'body');
    return parts.length >= 2 && parts.length <= 3 && parts.every((p) => p.list);
  } catch {
    return false;
  }
}

/** A block's RLP from its header and its body `[transactions, ommers, withdrawals?]`. */
export function blockRlp(header: ChainHeader, body: Uint8Array): Uint8Array {
  const parts = listItems(readRoot(body, 'body'), 'body').map((item) => item.raw);
  return encodeList([header.rlp, ...parts]);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
