/**
 * The pieces `FullNode` wires together: the discovery service over a bound socket, and the
 * devp2p server with the eth protocols, the eth dial filter and its event handlers.
 * @module
 */
import type { Clock, Logger } from '@ethp2p/base';
import type { MemoryTxPool } from '@ethp2p/chain';
import {
  type BanCheck,
  DiscoveryV4,
  DiscoveryV5,
  SharedDatagramSocket,
  type UdpSocket,
} from '@ethp2p/discovery';
import { DiscV5Rpc } from '@ethp2p/discovery/v5-rpc';
import { DnsClient } from '@ethp2p/dnsdisc';
import {
  type LocalNode,
  type Node,
  NodeDatabase,
  NodeDatabaseError,
  nodeIdToHex,
} from '@ethp2p/enode';
import {
  broadcastTransactions,
  compatibleNodeFilter,
  createEthProtocols,
  newForkFilter,
  type PeerSet,
  type ServeBudget,
} from '@ethp2p/eth';
import type { IngressBudget } from '@ethp2p/rlpx';
import {
  type BanStore,
  FairMix,
  NetRestrict,
  type NodeSource,
  type PeerAddedEvent,
  type PeerRemovedEvent,
  Server,
  type SignalOptions,
} from '@ethp2p/server';
import { parseNat } from '../nat/parse.ts';
import { defaultClientName, type FullNodeOptions } from './config.ts';
import { NODES_DIR } from './datadir.ts';
import { EthDialSource } from './dial-source.ts';
import { NodeError } from './errors.ts';

/** What the components share. */
export interface NodeParts {
  readonly options: FullNodeOptions;
  readonly privateKey: Uint8Array;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Opens the node database under the datadir. A database that cannot be opened for a reason other
 * than corruption (a full disk, no permission, a read-only file system) is left untouched and
 * the start fails (a corrupt one is moved aside intact and replaced, see `NodeDatabase.open`).
 * @throws {NodeError} `DATADIR` naming the path and the reason; `NodeDatabaseError` `LOCKED`
 */
export async function openNodeDatabase(parts: NodeParts): Promise<NodeDatabase> {
  try {
    return await NodeDatabase.open({
      path: `${parts.options.datadir}/${NODES_DIR}`,
      clock: parts.clock,
      logger: parts.log,
    });
  } catch (err) {
    if (!(err instanceof NodeDatabaseError) || err.code !== 'OPEN_FAILED') throw err;
    throw new NodeError(
      'DATADIR',
      `${err.message}; free disk space or fix the permissions of --datadir, then start again`,
      { cause: err },
    );
  }
}

/** The discovery services of a node (either may be off). */
export interface Discoveries {
  readonly v4: DiscoveryV4 | undefined;
  readonly v5: DiscoveryV5 | undefined;
}

/**
 * Builds discovery over the bound UDP `socket` (not started): v4 and v5 share it as in geth, v4
 * handing what is not its own to v5 (`discoveryV4` / `discoveryV5` turn one off); both consult
 * `bans` (the server's ban list). Sets the
 * record's UDP port. Stopping the services closes the socket.
 */
export async function createDiscovery(
  parts: NodeParts,
  localNode: LocalNode,
  db: NodeDatabase,
  socket: UdpSocket,
  bans?: BanCheck,
): Promise<Discoveries> {
  localNode.setFallbackUdpPort(socket.local.port);
  const { options } = parts;
  // geth applies --netrestrict to discovery too: nodes outside it are neither added nor contacted.
  const restrict =
    options.netRestrict === undefined ? undefined : new NetRestrict(options.netRestrict);
  const allowIp = restrict === undefined ? {} : { allowIp: (ip: string) => restrict.contains(ip) };
  const banned = bans === undefined ? {} : { bans };
  const runV4 = options.discoveryV4 ?? true;
  const runV5 = options.discoveryV5 ?? true;
  try {
    const view = runV4 && runV5 ? new SharedDatagramSocket(socket) : undefined;
    const v4 = runV4
      ? new DiscoveryV4({
          privateKey: parts.privateKey,
          localNode,
          db,
          socket,
          bootnodes: options.bootnodes ?? [],
          ...allowIp,
          ...banned,
          ...(view === undefined ? {} : { unhandled: view.deliver }),
          clock: parts.clock,
          logger: parts.log,
          ...(options.discoveryConfig === undefined ? {} : { config: options.discoveryConfig }),
          workers: options.discoveryWorkers ?? 0,
        })
      : undefined;
    const v5 = runV5
      ? new DiscoveryV5({
          localNode,
          db,
          rpc: new DiscV5Rpc({
            privateKey: parts.privateKey,
            localNode,
            socket: view ?? socket,
            clock: parts.clock,
            logger: parts.log,
            ...banned,
          }),
          bootnodes: [
            ...(options.bootnodes ?? []).filter((n) => n.record !== undefined),
            ...(options.v5Bootnodes ?? []),
          ],
          ...allowIp,
          ...banned,
          clock: parts.clock,
          logger: parts.log,
          ...(options.discoveryConfig === undefined ? {} : { config: options.discoveryConfig }),
        })
      : undefined;
    return { v4, v5 };
  } catch (err) {
    await socket.close();
    throw err;
  }
}

/** What the server of {@link createServer} serves and reports to. */
export interface ServerParts extends NodeParts {
  readonly localNode: LocalNode;
  readonly discovery: Discoveries;
  readonly peerSet: PeerSet;
  readonly txPool: MemoryTxPool;
  readonly serveBudget: ServeBudget;
  /** The server's ingress budget, shared with the serve budget (responses in flight). */
  readonly ingressBudget?: IngressBudget;
  /** Where the server persists its ban list (the node database). */
  readonly banStore?: BanStore;
}

/**
 * The devp2p server on `listenIp:port` with eth/72 down to eth/68 over the chain, dialing
 * discovery's nodes of the same chain (not started).
 */
export function createServer(parts: ServerParts, listenIp: string, port: number): Server {
  const o = parts.options;
  const { chain } = o;
  const filter = newForkFilter(chain.config, () => {
    const head = chain.head();
    return { number: head.number, time: head.time };
  });
  const nodeSource = dialSource(parts, compatibleNodeFilter(filter));
  // The protocols exist before the server: request outcomes reach its reputation once it does.
  let server: Server | undefined;
  const reputation = {
    report: (...args: Parameters<Server['reputation']['report']>) =>
      server?.reputation.report(...args),
  };
  server = new Server({
    privateKey: parts.privateKey,
    name: o.name ?? defaultClientName(),
    listenAddress: listenIp.includes(':') ? `[${listenIp}]:${port}` : `${listenIp}:${port}`,
    localNode: parts.localNode,
    protocols: createEthProtocols({
      backend: { chain, txPool: parts.txPool },
      peerSet: parts.peerSet,
      serveBudget: parts.serveBudget,
      forkFilter: filter,
      ...(o.ethVersions === undefined ? {} : { versions: o.ethVersions }),
      ...(o.networkId === undefined ? {} : { networkId: o.networkId }),
      clock: parts.clock,
      log: parts.log,
      reputation,
    }),
    ...(nodeSource === undefined ? {} : { nodeSource }),
    ...(o.maxPeers === undefined ? {} : { maxPeers: o.maxPeers }),
    ...(o.maxPendingPeers === undefined ? {} : { maxPendingPeers: o.maxPendingPeers }),
    ...(o.maxPendingPerIp === undefined ? {} : { maxPendingPerIp: o.maxPendingPerIp }),
    ...(o.handshakeIdleTimeoutMs === undefined
      ? {}
      : { handshakeIdleTimeoutMs: o.handshakeIdleTimeoutMs }),
    ...(o.noDial === undefined ? {} : { noDial: o.noDial }),
    ...extIpOf(o.nat),
    ...(o.netRestrict === undefined ? {} : { netRestrict: o.netRestrict }),
    staticNodes: o.staticNodes ?? [],
    trustedNodes: o.trustedNodes ?? [],
    // For admin_peerEvents' msgsend and msgrecv; byte counts come from the server's counters.
    enableMsgEvents: true,
    ...(parts.banStore === undefined ? {} : { banStore: parts.banStore }),
    ...(parts.ingressBudget === undefined ? {} : { ingressBudget: parts.ingressBudget }),
    clock: parts.clock,
    logger: parts.log,
  });
  return server;
}

/** `externalIp` for `--nat extip:<ip>`, which the server pins at once (geth does the same). */
function extIpOf(nat: string | undefined): { externalIp?: string } {
  const spec = nat === undefined ? undefined : parseNat(nat);
  return spec?.kind === 'extip' ? { externalIp: spec.ip } : {};
}

/**
 * Where the server finds nodes to dial, as geth's `eth/backend.go` `setupDiscovery` composes its
 * `FairMix`: the DNS lists' nodes unfiltered, discv4's nodes with their records fetched and
 * filtered by fork ID, discv5's nodes filtered by the records they came with; undefined when
 * there is none of them.
 * @throws {DnsDiscError} for a bad `enrtree://` URL; {TypeError} for a bad DNS server
 */
function dialSource(parts: ServerParts, accept: (node: Node) => boolean): NodeSource | undefined {
  const { options } = parts;
  const { v4, v5 } = parts.discovery;
  const urls = options.dnsDiscovery ?? [];
  if (v4 === undefined && v5 === undefined && urls.length === 0) return undefined;
  const mix = new FairMix({ clock: parts.clock, logger: parts.log });
  if (urls.length > 0) {
    const client = new DnsClient({
      ...(options.dnsServers === undefined ? {} : { servers: options.dnsServers }),
      clock: parts.clock,
      logger: parts.log,
    });
    mix.addSource(client.nodeSource(urls), 'dns');
  }
  if (v4 !== undefined) {
    const requestEnr = (node: Node, o: SignalOptions) => v4.requestEnr(node, o);
    mix.addSource(new EthDialSource(v4, accept, { requestEnr }), 'discv4');
  }
  if (v5 !== undefined) mix.addSource(new EthDialSource(v5, accept), 'discv5');
  return mix;
}

/** Logs peers and relays pool transactions; returns the undo. */
export function wireServer(server: Server, parts: ServerParts): () => void {
  const { log, peerSet, txPool } = parts;
  const onAdded = ({ peer }: PeerAddedEvent): void => {
    log.debug('peer connected', {
      id: nodeIdToHex(peer.id),
      name: peer.name,
      inbound: peer.inbound,
    });
  };
  const onRemoved = ({ peer, reason }: PeerRemovedEvent): void => {
    log.debug('peer disconnected', { id: nodeIdToHex(peer.id), reason });
  };
  const onTxs = ({ hashes }: { readonly hashes: readonly Uint8Array[] }): void => {
    broadcastTransactions(peerSet, txPool, hashes);
  };
  server.events.on('peer:added', onAdded);
  server.events.on('peer:removed', onRemoved);
  txPool.events.on('txs:added', onTxs);
  return () => {
    server.events.off('peer:added', onAdded);
    server.events.off('peer:removed', onRemoved);
    txPool.events.off('txs:added', onTxs);
  };
}
