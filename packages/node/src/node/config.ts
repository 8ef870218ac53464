/**
 * The {@link FullNode}'s options and their defaults (geth's node defaults where they apply).
 * @module
 */
import type { Clock, Logger } from '@ethp2p/base';
import type { DiscoveryConfig } from '@ethp2p/discovery';
import type { Node } from '@ethp2p/enode';
import type { ChainReader, ServeBudgetOptions } from '@ethp2p/eth';
import type { IngressBudgetOptions } from '@ethp2p/rlpx';
import type { NatInterface } from '../nat/nat-interface.ts';
import type { HttpRpcOptions, WsRpcOptions } from './rpc-servers.ts';

/** The devp2p port of Ethereum nodes, TCP and UDP (geth `--port`). */
export const DEFAULT_PORT = 30303;
/** Listen on every interface, as geth does (`:30303`). */
export const DEFAULT_LISTEN_IP = '0.0.0.0';
/** This package's version, in the client name. */
export const CLIENT_VERSION = '0.1.0';

/**
 * The client name sent in Hello:
 * `ethp2p/v0.1.0/linux-x64/node20.11.0`, in geth's `Name/version/os-arch/runtime` shape.
 */
export function defaultClientName(): string {
  return clientName();
}

/**
 * The client name with an optional identity after the client, as geth's `--identity`:
 * `ethp2p/<identity>/v0.1.0/linux-x64/node20.11.0`.
 */
export function clientName(identity?: string): string {
  const ident = identity === undefined || identity === '' ? '' : `/${identity}`;
  return `ethp2p${ident}/v${CLIENT_VERSION}/${process.platform}-${process.arch}/node${process.versions.node}`;
}

/** A chain kept in the datadir: read like any chain, closed by the node that opened it. */
export interface StoredChain extends ChainReader {
  /** Closes its store (pending imports finish first). */
  close(): Promise<void>;
}

/** Options of {@link FullNode}. `datadir` and `chain` are required. */
export interface FullNodeOptions {
  /**
   * Holds `LOCK`, `nodekey` and `nodes/`; created (mode 0700) if missing. A failed start removes
   * what it created, so it leaves the disk as it was.
   */
  readonly datadir: string;
  /**
   * The chain served and announced in Status (see `networkChain` and `loadChainFiles`); replaced
   * from `start()` on by the one `openChain` opens, when given.
   */
  readonly chain: ChainReader;
  /**
   * Opens the chain the node serves in its datadir (at `<datadir>/chaindata`), once the node holds
   * the datadir's lock; the node closes it when it stops. `openChainFiles` is one: a persistent
   * chain that executes a chain.rlp into the datadir. It must have `chain`'s genesis.
   */
  readonly openChain?: (path: string) => Promise<StoredChain>;
  /** The network ID of Status; default the chain config's. */
  readonly networkId?: bigint;
  /**
   * Follow the peers' head (default true): with a chain that implements `BlockImporter` (a
   * genesis.json chain), a syncer fetches and imports the blocks peers have beyond its head.
   */
  readonly sync?: boolean;
  /** The eth versions to offer (default eth/72 down to eth/68). */
  readonly ethVersions?: readonly number[];
  /** The IP to listen on, TCP and UDP (default `0.0.0.0`). */
  readonly listenIp?: string;
  /**
   * The RLPx TCP port (default 30303); 0 lets the OS pick one. With 0 and no `discoveryPort`,
   * TCP takes the port UDP got when it is free, so both match.
   */
  readonly port?: number;
  /** The discovery UDP port (default: `port`); 0 lets the OS pick one. */
  readonly discoveryPort?: number;
  /**
   * Run discovery (default true): v4 and v5 on one UDP port unless one is turned off below.
   * Without it only static and inbound peers connect.
   */
  readonly discovery?: boolean;
  /** Run Node Discovery v4 (default true). */
  readonly discoveryV4?: boolean;
  /** Run Node Discovery v5 on the same port (default true); its bootnodes are those with a record. */
  readonly discoveryV5?: boolean;
  /**
   * Worker threads for discovery v4's signature work (`DiscoveryOptions.workers`): default 0,
   * on the main thread; `'auto'` sizes the pool to the machine (the `ethp2p node` default).
   */
  readonly discoveryWorkers?: number | 'auto';
  /** Discovery's starting points (they need an IP and a UDP port). */
  readonly bootnodes?: readonly Node[];
  /**
   * `enrtree://` URLs of DNS node lists (EIP-1459) to dial nodes from, besides discovery (geth
   * `--discovery.dns`); default none. They work with discovery off too.
   */
  readonly dnsDiscovery?: readonly string[];
  /** DNS servers (`ip` or `ip:port`) for the node lists; default the system's. */
  readonly dnsServers?: readonly string[];
  /**
   * Discovery v5's starting points besides the `bootnodes` that have a record (each needs a
   * record with an IP and a UDP port): the network's `v5Bootnodes` unless `--bootnodes` is given.
   */
  readonly v5Bootnodes?: readonly Node[];
  /** Nodes kept connected: dialed and redialed. */
  readonly staticNodes?: readonly Node[];
  /** Nodes admitted even when the node is full. */
  readonly trustedNodes?: readonly Node[];
  /** CIDR allow-list of peers and of discovery's nodes (`['10.0.0.0/8']`); default any. */
  readonly netRestrict?: readonly string[];
  /**
   * NAT port mapping, as geth's `--nat`: `'none'` (default), `'any'`, `'upnp'`, `'pmp'`,
   * `'pmp:<gateway>'`, `'extip:<ip>'` or `'stun:<ip>:<port>'` (see `parseNat`).
   */
  readonly nat?: string;
  /** A NAT method to use instead of the one `nat` names (tests pass one aimed at a fake gateway). */
  readonly natInterface?: NatInterface;
  /** Most peers (default 50). */
  readonly maxPeers?: number;
  /**
   * Each peer's serve budget (handling time, response bytes; default the `ServeBudget`
   * defaults); its clock is the node's.
   */
  readonly serveBudget?: Omit<ServeBudgetOptions, 'clock'>;
  /**
   * The ingress budget's pool and threshold (default 32 MiB, 64 KiB): large messages received
   * and not yet handled, and eth responses not yet written, across all peers.
   */
  readonly ingressBudget?: IngressBudgetOptions;
  /** Most connections in their handshake at once (default the server's, 50). */
  readonly maxPendingPeers?: number;
  /** Most connections in their handshake at once from one IP (default the server's, 10). */
  readonly maxPendingPerIp?: number;
  /**
   * An inbound connection that sends nothing for this long during its handshake is closed, in ms
   * (default the server's, 2 s).
   */
  readonly handshakeIdleTimeoutMs?: number;
  /**
   * The node key (geth `--nodekey`/`--nodekeyhex`); default the datadir's `nodekey`, created on
   * first use. When given, no `nodekey` file is read or written.
   */
  readonly privateKey?: Uint8Array;
  /** Never dial; only accept inbound peers (default false). */
  readonly noDial?: boolean;
  /** Client name in Hello (default {@link defaultClientName}). */
  readonly name?: string;
  /** Time between `status` events in ms (default 10 s); 0 turns them off. */
  readonly statusIntervalMs?: number;
  readonly logger?: Logger;
  /** Runs every timer of the node and its components (default: the system clock). */
  readonly clock?: Clock;
  /**
   * Serve Prometheus metrics (geth `--metrics`) on their own HTTP server: host (default
   * `127.0.0.1`) and port (default 6060; 0 lets the OS pick). Off when undefined.
   */
  readonly metrics?: { readonly host?: string; readonly port?: number };
  /** Overrides of discovery's defaults (tests shorten the revalidation interval). */
  readonly discoveryConfig?: Partial<DiscoveryConfig>;
  /** JSON-RPC over HTTP (geth `--http`); off when undefined. */
  readonly http?: HttpRpcOptions;
  /** JSON-RPC over WebSocket (geth `--ws`); off when undefined. */
  readonly ws?: WsRpcOptions;
  /**
   * Serve the live dashboard on the `http` server (needs `http`): the page at GET `/`, its files
   * under `/dashboard/` and its WebSocket at `/dashboard/ws`, beside JSON-RPC at POST `/`. `true`
   * takes the defaults; an object sets the clock of its samples (default the node's) and their
   * interval (default 1 s).
   */
  readonly dashboard?: boolean | { readonly clock?: Clock; readonly sampleIntervalMs?: number };
}
