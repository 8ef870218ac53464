/**
 * The peers of `pnpm bench peers`: each is its own `Server` (a fresh key, no listener) that
 * dials the node under test, completes RLPx and Hello, answers the node's eth Status with the
 * same Status (so it agrees with any node: ours or @ethereumjs/devp2p), and then stays: it
 * answers Pings (the server does), serves GetPooledTransactions for the transactions it
 * announced, and counts what the node relays to it. {@link BenchPeers.announce} makes the peers
 * announce fresh transactions in turn.
 * @module
 */
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { generatePrivateKey, keccak256 } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { ETH68, ETH69 } from '@ethp2p/eth/messages';
import { type MsgReadWriter, type Protocol, type RunOptions, Server } from '@ethp2p/server';

const { NewPooledTransactionHashes, GetPooledTransactions, PooledTransactions, Transactions } =
  ETH69.codecs;

/** Transactions a group keeps to serve; older ones are forgotten (the node fetches at once). */
const MAX_SERVED_TXS = 50_000;

/** What the peers of a group received from the node, and what they sent it. */
export interface PeerCounts {
  /** Peers whose Status exchange completed and that are still connected. */
  readonly ready: number;
  /** Peers that ended after their Status exchange. */
  readonly dropped: number;
  /** Announcement messages (NewPooledTransactionHashes) sent, and the hashes in them. */
  readonly announcementsSent: number;
  readonly hashesSent: number;
  /** GetPooledTransactions the node sent, and the transactions served for them. */
  readonly requestsServed: number;
  readonly txsServed: number;
  /** Announcements and Transactions messages the node relayed, and the hashes/txs in them. */
  readonly announcementsReceived: number;
  readonly hashesReceived: number;
  readonly transactionsReceived: number;
  readonly txsReceived: number;
}

/** Options of {@link BenchPeers}. */
export interface BenchPeersOptions {
  readonly target: Node;
  /** The eth version the peers offer (the node's Status is echoed, so it must be one it runs). */
  readonly ethVersion: number;
  readonly count: number;
  /** Peers dialing at once while the group starts (default 25). */
  readonly concurrency?: number;
  /** Transaction payload bytes (default 100): each transaction is a legacy RLP list. */
  readonly txBytes?: number;
}

/** One connected peer's stream, for announcing. */
interface Ready {
  readonly rw: MsgReadWriter;
}

/** A group of idle/gossiping peers against one node. */
export class BenchPeers {
  readonly #options: BenchPeersOptions;
  readonly #servers: Server[] = [];
  readonly #ready = new Set<Ready>();
  readonly #txs = new Map<string, Uint8Array>();
  #order: Ready[] = [];
  #next = 0;
  #txSeq = 0;
  readonly #salt = generatePrivateKey().subarray(0, 8);
  #counts = {
    dropped: 0,
    announcementsSent: 0,
    hashesSent: 0,
    requestsServed: 0,
    txsServed: 0,
    announcementsReceived: 0,
    hashesReceived: 0,
    transactionsReceived: 0,
    txsReceived: 0,
  };

  constructor(options: BenchPeersOptions) {
    this.#options = options;
  }

  /** The counters so far. */
  get counts(): PeerCounts {
    return { ready: this.#ready.size, ...this.#counts };
  }

  /**
   * Starts every peer, `concurrency` dials at a time, and resolves once each is past its Status
   * or `signal` aborts (the peers that made it stay).
   */
  async start(signal: AbortSignal): Promise<void> {
    const { count, concurrency = 25 } = this.#options;
    let started = 0;
    const lane = async (): Promise<void> => {
      while (started < count && !signal.aborted) {
        started++;
        await this.#startOne(signal).catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  }

  async #startOne(signal: AbortSignal): Promise<void> {
    // Resolves once the peer's Status went through, rejects when `signal` aborts first.
    const ready = new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const protocol = new EchoProtocol(this.#options.ethVersion, this, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      this.#servers.push(
        new Server({
          privateKey: generatePrivateKey(),
          name: 'bench-peer',
          listenAddress: null,
          maxPeers: 1,
          protocols: [protocol],
        }),
      );
    });
    // Observed at once: a start that fails leaves it unawaited.
    ready.catch(() => {});
    const server = this.#servers.at(-1) as Server;
    await server.start();
    server.addPeer(this.#options.target);
    await ready;
  }

  /** @internal A peer finished its Status exchange. */
  added(r: Ready): void {
    this.#ready.add(r);
    this.#order.push(r);
  }

  /** @internal A peer ended. */
  removed(r: Ready): void {
    if (!this.#ready.delete(r)) return;
    this.#counts.dropped++;
    this.#order = this.#order.filter((x) => x !== r);
  }

  /**
   * Makes the next `peers` peers (in turn) each announce `perPeer` fresh transactions in one
   * NewPooledTransactionHashes.
   */
  announce(peers: number, perPeer: number): void {
    for (let p = 0; p < peers && this.#order.length > 0; p++) {
      const r = this.#order[this.#next++ % this.#order.length] as Ready;
      const hashes: Uint8Array[] = [];
      const sizes: number[] = [];
      for (let i = 0; i < perPeer; i++) {
        const tx = this.#newTx();
        const hash = keccak256(tx);
        this.#remember(hash, tx);
        hashes.push(hash);
        sizes.push(tx.length);
      }
      const payload = NewPooledTransactionHashes.encode({
        types: new Uint8Array(perPeer),
        sizes,
        hashes,
      });
      this.#counts.announcementsSent++;
      this.#counts.hashesSent += perPeer;
      r.rw.writeMsg(NewPooledTransactionHashes.code, payload).catch(() => {});
    }
  }

  /** @internal Handles one message the node sent a ready peer. */
  async handle(r: Ready, code: number, data: Uint8Array): Promise<void> {
    const c = this.#counts;
    switch (code) {
      case NewPooledTransactionHashes.code:
        c.announcementsReceived++;
        c.hashesReceived += NewPooledTransactionHashes.decode(data).hashes.length;
        return;
      case Transactions.code:
        c.transactionsReceived++;
        c.txsReceived += Transactions.decode(data).length;
        return;
      case GetPooledTransactions.code: {
        const { requestId, hashes } = GetPooledTransactions.decode(data);
        const transactions: Uint8Array[] = [];
        for (const h of hashes) {
          const tx = this.#txs.get(Buffer.from(h).toString('hex'));
          if (tx !== undefined) transactions.push(tx);
        }
        c.requestsServed++;
        c.txsServed += transactions.length;
        await r.rw.writeMsg(
          PooledTransactions.code,
          PooledTransactions.encode({ requestId, transactions }),
        );
        return;
      }
      default:
    }
  }

  #newTx(): Uint8Array {
    const seq = this.#txSeq++;
    const filler = new Uint8Array(this.#options.txBytes ?? 100);
    filler.set(this.#salt);
    return encodeList([encodeUint(BigInt(seq)), encodeBytes(filler)]);
  }

  #remember(hash: Uint8Array, tx: Uint8Array): void {
    this.#txs.set(Buffer.from(hash).toString('hex'), tx);
    if (this.#txs.size > MAX_SERVED_TXS) {
      const oldest = this.#txs.keys().next().value as string;
      this.#txs.delete(oldest);
    }
  }

  /** Stops every peer. */
  async stop(): Promise<void> {
    await Promise.all(this.#servers.map((s) => s.stop()));
    this.#servers.length = 0;
  }
}

/** eth at one version: echoes the node's Status, then hands every message to the group. */
class EchoProtocol implements Protocol {
  readonly name = 'eth';
  readonly version: number;
  readonly length: number;
  readonly #group: BenchPeers;
  readonly #onReady: () => void;

  constructor(version: number, group: BenchPeers, onReady: () => void) {
    this.version = version;
    this.length = version === 68 ? ETH68.length : ETH69.length;
    this.#group = group;
    this.#onReady = onReady;
  }

  async run(_peer: unknown, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
    const status = await rw.readMsg();
    if (status.code !== 0) throw new Error(`bench peer: expected Status, got ${status.code}`);
    await rw.writeMsg(0, status.data);
    const ready: Ready = { rw };
    this.#group.added(ready);
    this.#onReady();
    try {
      while (!signal.aborted) {
        const msg = await rw.readMsg();
        await this.#group.handle(ready, msg.code, msg.data);
      }
    } finally {
      this.#group.removed(ready);
    }
  }
}
