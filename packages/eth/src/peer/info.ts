/**
 * What the eth protocol shows in `admin_nodeInfo` and `admin_peers`, as JSON-friendly values
 * (geth `eth/protocols/eth/handler.go` `NodeInfo`, `peer.go` `PeerInfo`).
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import type { ChainReader } from '../chain/types.ts';
import type { EthPeer } from './eth-peer.ts';

/** The eth entry of `admin_nodeInfo().protocols`. */
export interface EthNodeInfo {
  /** The network ID (a string if it exceeds 2^53). */
  readonly network: number | string;
  /** The genesis hash, 0x-prefixed. */
  readonly genesis: string;
  /** The chain configuration, bigints as numbers (or strings past 2^53) and bytes as hex. */
  readonly config: unknown;
  /** The head hash, 0x-prefixed. */
  readonly head: string;
}

/** The eth entry of `admin_peers()[i].protocols`. */
export interface EthPeerInfo {
  readonly version: number;
  /** eth/69: the peer's block range. */
  readonly earliestBlock?: number | string;
  readonly latestBlock?: number | string;
  readonly latestHash?: string;
  /** eth/68: the head the peer announced and its total difficulty. */
  readonly head?: string;
  readonly difficulty?: number | string;
}

/** The node info of a chain. */
export function ethNodeInfo(chain: ChainReader, networkId: bigint): EthNodeInfo {
  return {
    network: jsonNumber(networkId),
    genesis: hex(chain.genesis().hash),
    config: toJson(chain.config),
    head: hex(chain.head().hash),
  };
}

/** The peer info of an eth peer. */
export function ethPeerInfo(peer: EthPeer): EthPeerInfo {
  const range = peer.blockRange;
  if (range !== undefined) {
    return {
      version: peer.version,
      earliestBlock: jsonNumber(range.earliest),
      latestBlock: jsonNumber(range.latest),
      latestHash: hex(range.latestHash),
    };
  }
  const head = peer.head;
  return head === undefined
    ? { version: peer.version }
    : { version: peer.version, head: hex(head.hash), difficulty: jsonNumber(head.td) };
}

function hex(b: Uint8Array): string {
  return `0x${bytesToHex(b)}`;
}

function jsonNumber(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n ? Number(v) : v.toString();
}

/** `value` with bigints as numbers or strings and bytes as hex, recursively. */
function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return jsonNumber(value);
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}
