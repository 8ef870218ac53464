/**
 * What the discv4 service needs from a node database: bonds (last ping and pong per endpoint),
 * findnode failures, and records to seed the table from. The level-backed `NodeDatabase` of
 * `@ethp2p/enode` satisfies it; so does a view of {@link MemoryNodeStore}, which many simulated
 * nodes share.
 * @module
 */
import type { NodeDatabase } from '@ethp2p/enode';

/** The node database seam of {@link DiscoveryV4} (`DiscoveryOptions.db`). */
export type DiscoveryNodeStore = Pick<
  NodeDatabase,
  | 'lastPingReceived'
  | 'updateLastPingReceived'
  | 'lastPongReceived'
  | 'updateLastPongReceived'
  | 'findFails'
  | 'updateFindFails'
  | 'updateNode'
  | 'querySeeds'
>;
