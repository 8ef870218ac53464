/**
 * @ethp2p/discovery: Node Discovery v4 over UDP, with a Kademlia table, lookups and ENR requests
 * (EIP-868), and the Node Discovery v5 service on the same table code. The contract:
 * {@link DiscoveryV4} with its options, events, errors and counters, the {@link DatagramSocket}
 * seam it runs over (real UDP or an in-memory network) and its discv5 view
 * ({@link SharedDatagramSocket}), and {@link DiscoveryV5} over the {@link V5Rpc} seam. The packet
 * codec is `@ethp2p/discovery/wire`.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */

export type { BanCheck } from './ban-check.ts';
export type { DiscoveryListenOptions, ListeningDiscovery } from './listen-discovery.ts';
export { listenDiscovery } from './listen-discovery.ts';
export type { LookupEnd, LookupKind, LookupStats } from './lookup/stats.ts';
export type { SignaturePoolErrorCode } from './pool/errors.ts';
export { SIGNATURE_POOL_ERROR_CODE, SignaturePoolError } from './pool/errors.ts';
export { SimulatedSignatures } from './pool/simulated.ts';
export type {
  RecoverOutcome,
  SealOutcome,
  SignatureRunner,
  SignatureStats,
  WorkClass,
  WorkOptions,
} from './pool/types.ts';
export { defaultWorkerCount } from './pool/worker-pool.ts';
export type { PingResult } from './service/client.ts';
export type { DiscoveryConfig } from './service/config.ts';
export { DEFAULT_DISCOVERY_CONFIG } from './service/config.ts';
export type { DiscoveryEvents, DiscoveryOptions, SignalOptions } from './service/discovery.ts';
export { DiscoveryV4 } from './service/discovery.ts';
export type { DiscoveryErrorCode } from './service/errors.ts';
export { DISCOVERY_ERROR_CODE, DiscoveryError } from './service/errors.ts';
export type { ListenOptions } from './service/listen.ts';
export { DEFAULT_LISTEN_ADDRESS } from './service/listen.ts';
export type {
  MemoryNodeStoreOptions,
  MemoryNodeStoreView,
} from './service/memory-node-store.ts';
export { MemoryNodeStore } from './service/memory-node-store.ts';
export type { DiscoveryMetrics, DropReason, PacketCounts } from './service/metrics.ts';
export type { DiscoveryNodeStore } from './service/node-store.ts';
export type { MemoEndpoint } from './service/simulation-memo.ts';
export { SIMULATION_MEMO_LIMIT, SimulationMemo } from './service/simulation-memo.ts';
export type { RevalidationListName } from './table/revalidation.ts';
export type { TableEvents, TableNodeInfo, TableRemovalReason } from './table/types.ts';
export { MAX_DATAGRAM_SIZE_BYTES } from './transport/constants.ts';
export type {
  DatagramAddress,
  DatagramHandler,
  DatagramSocket,
} from './transport/datagram.ts';
export type { TransportErrorCode } from './transport/errors.ts';
export { TRANSPORT_ERROR_CODE, TransportError } from './transport/errors.ts';
export type {
  BridgeFunction,
  LinkFunction,
  LinkProfile,
  LossFunction,
  MemoryNetworkOptions,
  MemoryNetworkStats,
} from './transport/memory-network.ts';
export { MemoryNetwork } from './transport/memory-network.ts';
export type { SharedDatagramSocketStats } from './transport/shared-socket.ts';
export { SharedDatagramSocket } from './transport/shared-socket.ts';
export type { UdpSocket, UdpSocketOptions, UdpSocketStats } from './transport/udp-socket.ts';
export { bindUdpSocket } from './transport/udp-socket.ts';
export type { DiscoveryV5Config } from './v5/config.ts';
export type { DiscoveryV5Metrics, V5ServiceCounts } from './v5/metrics.ts';
export type { DiscV5RpcMetrics, V5DropReason } from './v5/rpc/metrics.ts';
export type {
  V5CallOptions,
  V5PingResult,
  V5RequestHandlers,
  V5RequestSource,
  V5Rpc,
} from './v5/rpc/types.ts';
export type { DiscoveryV5Events, DiscoveryV5Options, V5ListenOptions } from './v5/service.ts';
export { DiscoveryV5 } from './v5/service.ts';
export type { TalkHandler } from './v5/talk.ts';
