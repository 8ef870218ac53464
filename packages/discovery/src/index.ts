/**
 * @ethp2p/discovery: Node Discovery v4 over UDP, with a Kademlia table, lookups and ENR requests
 * (EIP-868).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
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
