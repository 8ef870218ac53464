/**
 * @ethp2p/discovery: Node Discovery v4 over UDP, with a Kademlia table, lookups and ENR requests
 * (EIP-868).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */

export type { PingResult } from './service/client.ts';
export type { DiscoveryConfig } from './service/config.ts';
export {
  BOND_EXPIRATION_MS,
  BOND_WAIT_MS,
  DEFAULT_DISCOVERY_CONFIG,
  FINDNODE_RESULT_SIZE,
  REFRESH_INTERVAL_MS,
  SEED_COUNT,
  SEED_MAX_AGE_MS,
} from './service/config.ts';
export type { DiscoveryEvents, DiscoveryOptions, SignalOptions } from './service/discovery.ts';
export { DiscoveryV4 } from './service/discovery.ts';
export type { DiscoveryErrorCode } from './service/errors.ts';
export { DISCOVERY_ERROR_CODE, DiscoveryError } from './service/errors.ts';
export type { ListenOptions } from './service/listen.ts';
export { DEFAULT_LISTEN_ADDRESS } from './service/listen.ts';
export type { DiscoveryMetrics, DropReason, PacketCounts } from './service/metrics.ts';
export { MIN_NEIGHBOR_UDP_PORT } from './service/neighbors.ts';
export {
  BUCKET_IP_LIMIT,
  BUCKET_SIZE,
  MAX_FINDNODE_FAILURES,
  MAX_REPLACEMENTS,
  N_BUCKETS,
  PING_INTERVAL_MS,
  SLOW_REVALIDATION_FACTOR,
  TABLE_IP_LIMIT,
} from './table/constants.ts';
export type { TableEvents, TableRemovalReason } from './table/types.ts';
export {
  MAX_DATAGRAM_SIZE_BYTES,
  MAX_PENDING_REPLIES,
  NTP_FAILURE_THRESHOLD,
  NTP_WARNING_COOLDOWN_MS,
  RESPONSE_TIMEOUT_MS,
} from './transport/constants.ts';
export type {
  DatagramAddress,
  DatagramHandler,
  DatagramSocket,
} from './transport/datagram.ts';
export type { ClockDriftInfo } from './transport/drift-monitor.ts';
export type { TransportErrorCode } from './transport/errors.ts';
export { TRANSPORT_ERROR_CODE, TransportError } from './transport/errors.ts';
export type {
  LossFunction,
  MemoryNetworkOptions,
  MemoryNetworkStats,
} from './transport/memory-network.ts';
export { MemoryNetwork } from './transport/memory-network.ts';
export type {
  ExpectOptions,
  ReplyCallback,
  ReplyKey,
  ReplyMatcherOptions,
  ReplyMatcherStats,
  ReplyVerdict,
} from './transport/reply-matcher.ts';
export { ReplyMatcher } from './transport/reply-matcher.ts';
export type { UdpSocket, UdpSocketOptions, UdpSocketStats } from './transport/udp-socket.ts';
export { bindUdpSocket } from './transport/udp-socket.ts';
