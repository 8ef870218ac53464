/**
 * @ethp2p/enode: node keys and IDs, enode URLs, ENR (EIP-778), LocalNode and the node database.
 * @module
 */

export type { Level, LevelBackend } from './db/backend.ts';
export type { BanTarget, StoredBan } from './db/bans.ts';
export type { NodeDatabaseErrorCode } from './db/errors.ts';
export { NodeDatabaseError } from './db/errors.ts';
export type { NodeDatabaseOptions, QuerySeedsOptions } from './db/node-db.ts';
export { NodeDatabase } from './db/node-db.ts';
export type { EnodeUrl } from './enode-url.ts';
export { formatEnodeUrl, parseEnodeUrl } from './enode-url.ts';
export { ENR_MAX_SIZE_BYTES } from './enr/codec.ts';
export type { EnrValue } from './enr/entries.ts';
export type { EnrInit } from './enr/record.ts';
export { Enr } from './enr/record.ts';
export type { EnodeUrlErrorCode, EnrErrorCode, NodeKeyErrorCode } from './errors.ts';
export { EnodeUrlError, EnrError, NodeKeyError } from './errors.ts';
export { bytesToIp, ipToBytes, normalizeIp } from './ip.ts';
export type { Endpoint, IpTrackerOptions } from './ip-tracker.ts';
export type { LocalNodeOptions, LocalSeqStore } from './local-node.ts';
export { LocalNode } from './local-node.ts';
export type { NodeEndpoint } from './node.ts';
export { Node } from './node.ts';
export type { NodeId } from './node-id.ts';
export {
  distance,
  distCmp,
  logDistance,
  NODE_ID_BYTES,
  nodeIdFromHex,
  nodeIdFromPublicKey,
  nodeIdToHex,
  randomIdAtDistance,
} from './node-id.ts';
export { loadNodeKey, loadOrCreateNodeKey, saveNodeKey } from './node-key.ts';
