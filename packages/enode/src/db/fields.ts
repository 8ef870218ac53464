/**
 * Typed reads and writes of the node database's small values. Reads never throw on garbage:
 * a missing, malformed or out-of-range value reads as 0.
 * @module
 */

import { assertBytes } from '@ethp2p/crypto';
import { ipTo16 } from './ip.ts';
import { type Field, nodeItemKey } from './keys.ts';
import type { Level } from './open.ts';
import { decodeUvarint, decodeVarint, encodeVarint } from './varint.ts';

/** An IP address as a string (IPv4 or IPv6) or as 4 or 16 raw bytes. */
export type IpAddress = string | Uint8Array;

/** `n:<id>:v4:<ip16>:<field>` after validating `id` and normalizing `ip`. */
export function itemKey(id: Uint8Array, ip: IpAddress, field: Field): Uint8Array {
  assertBytes('id', id, 32);
  return nodeItemKey(id, ipTo16(ip), field);
}

/** A zig-zag varint value as a safe integer, 0 if absent or unusable. */
export async function readInt(db: Level, key: Uint8Array): Promise<number> {
  const bytes = await db.get(key);
  const value = bytes === undefined ? undefined : decodeVarint(bytes);
  if (value === undefined) return 0;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : 0;
}

/** Stores a safe integer as a zig-zag varint. */
export async function writeInt(db: Level, key: Uint8Array, value: number): Promise<void> {
  await db.put(key, encodeVarint(BigInt(value)));
}

/** An uvarint value, 0n if absent or malformed. */
export async function readUint(db: Level, key: Uint8Array): Promise<bigint> {
  const bytes = await db.get(key);
  return bytes === undefined ? 0n : (decodeUvarint(bytes) ?? 0n);
}

/** A time stored as Unix seconds, in Unix ms; 0 (none) or an unusable value reads as 0. */
export function secondsToMs(seconds: number): number {
  const ms = seconds * 1000;
  return seconds > 0 && Number.isSafeInteger(ms) ? ms : 0;
}

/** The time stored at `key` as Unix seconds, in Unix ms (0 if absent or unusable). */
export async function readTimeMs(db: Level, key: Uint8Array): Promise<number> {
  return secondsToMs(await readInt(db, key));
}
