/**
 * Node IDs and the XOR metric used by discovery (geth `p2p/enode/node.go` `LogDist`, `DistCmp`).
 * A node ID is keccak256 of the node's 64-byte uncompressed public key (X‖Y).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */

import type { Random } from '@ethp2p/base';
import { systemRandom } from '@ethp2p/base';
import { assertBytes, bytesToHex, hexToBytes, keccak256 } from '@ethp2p/crypto';

/** Length of a node ID in bytes. */
export const NODE_ID_BYTES = 32;

/**
 * A node ID: a plain 32-byte `Uint8Array`, keccak256 of the node's 64-byte public key.
 * It is an alias rather than a brand so that any 32 bytes can be passed without a cast;
 * functions that take one check the length.
 */
export type NodeId = Uint8Array;

/** The node ID of a 64-byte public key: keccak256(X‖Y). @throws {RangeError} unless 64 bytes */
export function nodeIdFromPublicKey(pub64: Uint8Array): NodeId {
  assertBytes('pub64', pub64, 64);
  return keccak256(pub64);
}

/** The lower-case hex of a node ID, 64 characters, no 0x prefix. */
export function nodeIdToHex(id: NodeId): string {
  assertBytes('id', id, NODE_ID_BYTES);
  return bytesToHex(id);
}

/**
 * Parses a node ID from 64 hex characters (an optional 0x prefix is accepted).
 * @throws {TypeError} on non-hex input; {RangeError} unless it is 32 bytes
 */
export function nodeIdFromHex(hex: string): NodeId {
  if (typeof hex !== 'string') throw new TypeError(`hex: expected string, got ${typeof hex}`);
  const bytes = hexToBytes(hex);
  if (bytes.length !== NODE_ID_BYTES) {
    throw new RangeError(`hex: expected ${NODE_ID_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * The XOR distance between two node IDs as an unsigned 256-bit `bigint` (a bigint compares and
 * prints naturally; use {@link distCmp} in hot paths, which does not allocate).
 */
export function distance(a: NodeId, b: NodeId): bigint {
  checkPair(a, b);
  let d = 0n;
  for (let i = 0; i < NODE_ID_BYTES; i++) {
    d = (d << 8n) | BigInt(((a[i] as number) ^ (b[i] as number)) & 0xff);
  }
  return d;
}

/**
 * The logarithmic distance: 256 minus the number of leading zero bits of `a XOR b`, so 0 when
 * the IDs are equal and 256 when they differ in the first bit (geth `enode.LogDist`).
 */
export function logDistance(a: NodeId, b: NodeId): number {
  checkPair(a, b);
  let lz = 0;
  for (let i = 0; i < NODE_ID_BYTES; i++) {
    const x = (a[i] as number) ^ (b[i] as number);
    if (x === 0) {
      lz += 8;
      continue;
    }
    lz += Math.clz32(x) - 24;
    break;
  }
  return NODE_ID_BYTES * 8 - lz;
}

/**
 * Compares the XOR distances of `a` and `b` to `target`: -1 if `a` is closer, 1 if `b` is closer,
 * 0 if they are equally far (geth `enode.DistCmp`).
 */
export function distCmp(target: NodeId, a: NodeId, b: NodeId): -1 | 0 | 1 {
  checkPair(target, a);
  assertBytes('b', b, NODE_ID_BYTES);
  for (let i = 0; i < NODE_ID_BYTES; i++) {
    const t = target[i] as number;
    const da = (a[i] as number) ^ t;
    const db = (b[i] as number) ^ t;
    if (da < db) return -1;
    if (da > db) return 1;
  }
  return 0;
}

/**
 * A random node ID at log distance `d` from `target` (`logDistance(target, id) === d`): equal to
 * `target` above bit `d`, with bit `d` flipped and random bits below. `d = 0` returns a copy of
 * `target`. Discovery uses it to pick lookup targets inside one bucket.
 * @throws {RangeError} unless `d` is an integer in 0–256
 */
export function randomIdAtDistance(
  target: NodeId,
  d: number,
  random: Random = systemRandom,
): NodeId {
  assertBytes('target', target, NODE_ID_BYTES);
  if (!Number.isInteger(d) || d < 0 || d > 256) {
    throw new RangeError(`d: expected an integer in 0-256, got ${d}`);
  }
  const id = Uint8Array.from(target);
  if (d === 0) return id;
  const bit = 256 - d; // index of the first differing bit, counted from the most significant
  const byte = bit >> 3;
  const mask = 0x80 >> (bit & 7);
  const noise = random.bytes(NODE_ID_BYTES);
  const lowMask = mask - 1;
  id[byte] = (((target[byte] as number) ^ mask) & ~lowMask) | ((noise[byte] as number) & lowMask);
  for (let i = byte + 1; i < NODE_ID_BYTES; i++) id[i] = noise[i] as number;
  return id;
}

function checkPair(a: NodeId, b: NodeId): void {
  assertBytes('a', a, NODE_ID_BYTES);
  assertBytes('b', b, NODE_ID_BYTES);
}
