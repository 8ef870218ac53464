/**
 * The six discv4 packets as a discriminated union on `type`. 64-bit integers (version,
 * expiration, enr-seq) are `bigint`; ports are numbers. `rest` holds the raw RLP of list elements
 * after the known fields (EIP-8 forward compatibility), which encoding writes back unchanged.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#wire-protocol
 * @module
 */
import type { Enr } from '@ethp2p/enode';
import type { Endpoint, NeighborNode } from './endpoint.ts';

/** Ping (0x01): `[version, from, to, expiration, enr-seq?, ...rest]`. */
export interface PingPacket {
  readonly type: 'ping';
  /** 4 today; any value is accepted (EIP-8). */
  readonly version: bigint;
  /** The sender's endpoint as it believes it to be; receivers use the UDP source instead. */
  readonly from: Endpoint;
  /** The recipient's endpoint as the sender saw it. */
  readonly to: Endpoint;
  /** Unix time in seconds; see `isExpired`. */
  readonly expiration: bigint;
  /** The sender's ENR sequence number (EIP-868), when present. */
  readonly enrSeq?: bigint;
  /** Raw RLP of extra list elements. Non-empty only when `enrSeq` is present. */
  readonly rest: readonly Uint8Array[];
}

/** Pong (0x02): `[to, ping-hash, expiration, enr-seq?, ...rest]`. */
export interface PongPacket {
  readonly type: 'pong';
  /** The UDP source endpoint of the Ping, as the replier saw it. */
  readonly to: Endpoint;
  /** The 32-byte hash of the Ping being answered. */
  readonly pingHash: Uint8Array;
  /** Unix time in seconds; see `isExpired`. */
  readonly expiration: bigint;
  /** The sender's ENR sequence number (EIP-868), when present. */
  readonly enrSeq?: bigint;
  /** Raw RLP of extra list elements. Non-empty only when `enrSeq` is present. */
  readonly rest: readonly Uint8Array[];
}

/** FindNode (0x03): `[target, expiration, ...rest]`. */
export interface FindNodePacket {
  readonly type: 'findnode';
  /** A 64-byte public key; the lookup target is its keccak256. Not checked to be on the curve. */
  readonly target: Uint8Array;
  /** Unix time in seconds; see `isExpired`. */
  readonly expiration: bigint;
  /** Raw RLP of extra list elements. */
  readonly rest: readonly Uint8Array[];
}

/** Neighbors (0x04): `[[node, ...], expiration, ...rest]`. */
export interface NeighborsPacket {
  readonly type: 'neighbors';
  /** Wire-form entries; we send at most `MAX_NEIGHBORS_PER_PACKET` but accept any number. */
  readonly nodes: readonly NeighborNode[];
  /** Unix time in seconds; see `isExpired`. */
  readonly expiration: bigint;
  /** Raw RLP of extra list elements. */
  readonly rest: readonly Uint8Array[];
}

/** ENRRequest (0x05, EIP-868): `[expiration, ...rest]`. */
export interface EnrRequestPacket {
  readonly type: 'enr-request';
  /** Unix time in seconds; see `isExpired`. */
  readonly expiration: bigint;
  /** Raw RLP of extra list elements. */
  readonly rest: readonly Uint8Array[];
}

/** ENRResponse (0x06, EIP-868): `[request-hash, record, ...rest]`. It has no expiration. */
export interface EnrResponsePacket {
  readonly type: 'enr-response';
  /** The 32-byte hash of the ENRRequest being answered. */
  readonly requestHash: Uint8Array;
  /**
   * The sender's record, signature verified. Whether it belongs to the sender (same node ID) is
   * for the caller to check.
   */
  readonly record: Enr;
  /** Raw RLP of extra list elements. */
  readonly rest: readonly Uint8Array[];
}

/** Any discv4 packet, as decoded. */
export type Packet =
  | PingPacket
  | PongPacket
  | FindNodePacket
  | NeighborsPacket
  | EnrRequestPacket
  | EnrResponsePacket;

/** Makes `rest` optional on each member of a packet union. */
type WithOptionalRest<P> = P extends Packet
  ? Omit<P, 'rest'> & { readonly rest?: readonly Uint8Array[] }
  : never;

/** A packet to encode: a {@link Packet} whose `rest` may be left out (it defaults to none). */
export type PacketInput = WithOptionalRest<Packet>;
