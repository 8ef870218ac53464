/**
 * The eth protocol as @ethp2p/server runs it: one `Protocol` per version (eth/72 down to
 * eth/68), so a peer negotiates the highest version both sides have. Each run does the Status exchange,
 * registers an {@link EthPeer} in the {@link PeerSet}, handles messages until the peer ends and
 * unregisters it (geth `eth/protocols/eth/handler.go` `MakeProtocols`, `eth/handler.go`
 * `runEthPeer`).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
import {
  type Clock,
  type Logger,
  type Random,
  silentLogger,
  systemClock,
  systemRandom,
} from '@ethp2p/base';
import type { NodeId } from '@ethp2p/enode';
import {
  DiscReason,
  type MsgReadWriter,
  PeerError,
  type Protocol,
  type ProtocolPeer,
  type RunOptions,
} from '@ethp2p/server';
import type { Backend } from './chain/types.ts';
import { type ForkFilter, newForkFilter } from './forkid/filter.ts';
import { exchangeStatus, localStatus } from './handshake.ts';
import { ETH68, ETH69, ETH70, ETH71, ETH72 } from './messages/versions.ts';
import { PeerSetError } from './peer/errors.ts';
import { EthPeer, type RequestReputation } from './peer/eth-peer.ts';
import { handleMessages } from './peer/handler.ts';
import { type EthNodeInfo, type EthPeerInfo, ethNodeInfo, ethPeerInfo } from './peer/info.ts';
import { type AnyEthVersion, MessageWriter } from './peer/message-writer.ts';
import { ServeBudget } from './peer/serve-budget.ts';
import type { PeerSet } from './peer-set/peer-set.ts';

/** The eth versions this package speaks, highest first. */
export const ETH_PROTOCOL_VERSIONS: readonly number[] = [72, 71, 70, 69, 68];

/** Options of {@link createEthProtocols}. */
export interface EthProtocolOptions {
  /** The chain served and the pool transactions go to. */
  readonly backend: Backend;
  /** Where peers are registered after their Status. */
  readonly peerSet: PeerSet;
  /** The network ID of Status (default: the chain config's). */
  readonly networkId?: bigint;
  /** Judges remote fork IDs (default: a filter on the chain config and the chain's head). */
  readonly forkFilter?: ForkFilter;
  /** The versions to offer (default {@link ETH_PROTOCOL_VERSIONS}). */
  readonly versions?: readonly number[];
  /** Runs the Status and request timeouts (default: the system clock). */
  readonly clock?: Clock;
  /** Draws request ids (default: the system CSPRNG). */
  readonly random?: Random;
  readonly log?: Logger;
  /** How long the Status exchange may take (default 5 s). */
  readonly statusTimeoutMs?: number;
  /** Default response timeout of a peer's requests (default 5 s). */
  readonly requestTimeoutMs?: number;
  /** Where each peer's request outcomes are reported (normally the server's `reputation`). */
  readonly reputation?: RequestReputation;
  /** Requests in flight per peer (default 256). */
  readonly maxPendingRequests?: number;
  /** eth/69: the earliest block we serve (default 0). */
  readonly earliestBlock?: () => bigint;
  /** eth/68: the total difficulty of our head (default the chain's terminal total difficulty, or 0). */
  readonly totalDifficulty?: () => bigint;
  /** Request announced transactions the pool lacks (default true). */
  readonly fetchAnnouncedTransactions?: boolean;
  /** Announce the pool's transactions to each new peer (default true). */
  readonly syncTransactions?: boolean;
  /**
   * Each peer's budget of handling time and response bytes, and the fair rotation of every
   * peer's messages (default: one on `clock` with its default budgets, shared by the versions).
   */
  readonly serveBudget?: ServeBudget;
}

/**
 * The eth protocols to give the server, one per version (eth/72 to eth/68 by default).
 * @throws {RangeError} for a version this package does not speak
 * @example
 * const peerSet = new PeerSet();
 * const server = new Server({ ..., protocols: createEthProtocols({ backend, peerSet }) });
 */
export function createEthProtocols(options: EthProtocolOptions): Protocol[] {
  const versions = [...new Set(options.versions ?? ETH_PROTOCOL_VERSIONS)];
  const serveBudget =
    options.serveBudget ??
    new ServeBudget(options.clock === undefined ? {} : { clock: options.clock });
  return versions.map((v) => new EthProtocol(versionTable(v), { ...options, serveBudget }));
}

const TABLES: ReadonlyMap<number, AnyEthVersion> = new Map<number, AnyEthVersion>(
  [ETH72, ETH71, ETH70, ETH69, ETH68].map((t) => [t.version, t]),
);

function versionTable(version: number): AnyEthVersion {
  const table = TABLES.get(version);
  if (table === undefined)
    throw new RangeError(`versions: expected 68 to 72, got ${String(version)}`);
  return table;
}

/** One eth version as a server `Protocol`. */
class EthProtocol implements Protocol {
  readonly name = 'eth';
  readonly version: number;
  readonly length: number;
  readonly #table: AnyEthVersion;
  readonly #options: EthProtocolOptions & { readonly serveBudget: ServeBudget };
  readonly #forkFilter: ForkFilter;
  readonly #networkId: bigint;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #log: Logger;

  constructor(
    table: AnyEthVersion,
    options: EthProtocolOptions & { readonly serveBudget: ServeBudget },
  ) {
    this.#table = table;
    this.version = table.version;
    this.length = table.length;
    this.#options = options;
    const { chain } = options.backend;
    this.#networkId = options.networkId ?? chain.config.networkId;
    this.#forkFilter =
      options.forkFilter ??
      newForkFilter(chain.config, () => {
        const head = chain.head();
        return { number: head.number, time: head.time };
      });
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.#log = options.log ?? silentLogger;
  }

  async run(peer: ProtocolPeer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
    const { backend, peerSet } = this.#options;
    if (peerSet.closed) throw new PeerError(DiscReason.ClientQuitting, 'eth: shutting down');
    const remote = await exchangeStatus(rw, {
      version: this.#table,
      local: this.#localStatus(),
      rules: {
        version: this.version,
        networkId: this.#networkId,
        genesis: backend.chain.genesis().hash,
        forkFilter: this.#forkFilter,
      },
      signal,
      clock: this.#clock,
      ...(this.#options.statusTimeoutMs === undefined
        ? {}
        : { timeoutMs: this.#options.statusTimeoutMs }),
    });
    const writer = new MessageWriter(rw, this.#table);
    const ethPeer = new EthPeer({
      peer,
      writer,
      status: remote,
      txPool: backend.txPool,
      chain: backend.chain,
      clock: this.#clock,
      random: this.#random,
      log: peer.log,
      ...(this.#options.requestTimeoutMs === undefined
        ? {}
        : { requestTimeoutMs: this.#options.requestTimeoutMs }),
      ...(this.#options.maxPendingRequests === undefined
        ? {}
        : { maxPendingRequests: this.#options.maxPendingRequests }),
      ...(this.#options.reputation === undefined ? {} : { reputation: this.#options.reputation }),
    });
    this.#register(ethPeer);
    const lane = this.#options.serveBudget.join(signal);
    const leave = (): void => {
      lane.leave();
      ethPeer.close();
      if (peerSet.peer(ethPeer.key) === ethPeer) peerSet.unregister(ethPeer.key);
    };
    try {
      if (this.#options.syncTransactions ?? true) {
        const pending = backend.txPool.pendingHashes();
        if (pending.length > 0) ethPeer.asyncAnnounceTransactions(pending);
      }
    } catch (err) {
      leave();
      throw err;
    }
    // Returned, not awaited (the loop leaves when it ends): a running peer holds the loop's
    // frame, not this one as well.
    return handleMessages({
      peer: ethPeer,
      rw,
      writer,
      backend,
      fetchAnnounced: this.#options.fetchAnnouncedTransactions ?? true,
      signal,
      log: peer.log,
      lane,
      onEnd: leave,
    });
  }

  nodeInfo(): EthNodeInfo {
    return ethNodeInfo(this.#options.backend.chain, this.#networkId);
  }

  peerInfo(id: NodeId): EthPeerInfo | undefined {
    const peer = this.#options.peerSet.peer(id);
    return peer === undefined || peer.version !== this.version ? undefined : ethPeerInfo(peer);
  }

  #localStatus(): ReturnType<typeof localStatus> {
    const { chain } = this.#options.backend;
    return localStatus(this.version, chain, {
      networkId: this.#networkId,
      earliest: this.#options.earliestBlock?.() ?? 0n,
      td: this.#options.totalDifficulty?.() ?? chain.config.terminalTotalDifficulty ?? 0n,
    });
  }

  /** Registers `peer`, or closes it and throws the PeerError that refuses it. */
  #register(peer: EthPeer): void {
    try {
      this.#options.peerSet.register(peer);
    } catch (err) {
      peer.close();
      if (err instanceof PeerSetError) {
        const reason =
          err.code === 'CLOSED' ? DiscReason.ClientQuitting : DiscReason.AlreadyConnected;
        throw new PeerError(reason, `eth: ${err.message}`, { cause: err });
      }
      throw err;
    }
    this.#log.debug('eth peer registered', { id: peer.key, version: peer.version });
  }
}
