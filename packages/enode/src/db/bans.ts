/**
 * The ban keyspace of the node database: bans by node ID and by IP, each with an expiry. An
 * addition of ethp2p (go-ethereum keeps no bans), under its own prefix so that go-ethereum's
 * keys and the node expirer never see it:
 *
 * | key                 | value                                                     |
 * | ------------------- | --------------------------------------------------------- |
 * | `ban:id:<id32>`     | RLP `[untilMs, reason]`: Unix ms the ban ends, UTF-8 text |
 * | `ban:ip:<ip16>`     | the same, the IP in its 16-byte form                      |
 *
 * A value that does not decode as that list (a corrupt entry) reads as absent: it is deleted
 * on the next read, and never stops the database from opening.
 * @module
 */
import {
  encodeBytes,
  encodeList,
  encodeUint,
  fields,
  RlpError,
  readRoot,
  readU64,
  stringPayload,
} from '@ethp2p/base/rlp';
import { assertBytes, concatBytes, equalBytes } from '@ethp2p/crypto';
import { bytesToIp } from '../ip.ts';
import type { IpAddress } from './fields.ts';
import { ipTo16 } from './ip.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Prefix of every ban key. */
export const BAN_PREFIX: Uint8Array = utf8('ban:');
const ID_PREFIX = utf8('ban:id:');
const IP_PREFIX = utf8('ban:ip:');
/** Longest reason stored, in UTF-8 bytes; a longer one is cut. */
export const MAX_BAN_REASON_BYTES = 256;

/** What a ban applies to: a node ID (32 bytes) or an IP address. */
export type BanTarget =
  | { readonly kind: 'id'; readonly id: Uint8Array }
  | { readonly kind: 'ip'; readonly ip: IpAddress };

/** A stored ban. IPs read back in canonical text form (IPv4-mapped addresses as dotted IPv4). */
export type StoredBan = (
  | { readonly kind: 'id'; readonly id: Uint8Array }
  | { readonly kind: 'ip'; readonly ip: string }
) & {
  /** When the ban ends, in Unix ms. */
  readonly untilMs: number;
  /** Why the node or IP was banned (free text, may be empty). */
  readonly reason: string;
};

/** The key of `target`'s ban. */
export function banKey(target: BanTarget): Uint8Array {
  if (target.kind === 'id') {
    assertBytes('id', target.id, 32);
    return concatBytes(ID_PREFIX, target.id);
  }
  if (target.kind === 'ip') return concatBytes(IP_PREFIX, ipTo16(target.ip));
  throw new TypeError(`kind: expected 'id' or 'ip', got ${String((target as BanTarget).kind)}`);
}

/** The value of a ban ending at `untilMs` (a non-negative safe integer). */
export function encodeBanValue(untilMs: number, reason: string): Uint8Array {
  if (!Number.isSafeInteger(untilMs) || untilMs < 0) {
    throw new RangeError(`untilMs: expected a non-negative safe integer, got ${untilMs}`);
  }
  const text = utf8(reason).subarray(0, MAX_BAN_REASON_BYTES);
  return encodeList([encodeUint(untilMs), encodeBytes(text)]);
}

/** The ban stored under `key` with `value`, or `undefined` if either is malformed. */
export function decodeBan(key: Uint8Array, value: Uint8Array): StoredBan | undefined {
  const body = key.subarray(ID_PREFIX.length);
  const prefix = key.subarray(0, ID_PREFIX.length);
  let untilMs: number;
  let reason: string;
  try {
    const [until, text] = fields(readRoot(value, 'ban'), 2, 'ban');
    const until64 = readU64(until, 'ban until');
    if (until64 > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    untilMs = Number(until64);
    reason = new TextDecoder('utf-8', { fatal: false }).decode(stringPayload(text, 'ban reason'));
  } catch (err) {
    if (err instanceof RlpError) return undefined;
    throw err;
  }
  if (equalBytes(prefix, ID_PREFIX) && body.length === 32) {
    return { kind: 'id', id: Uint8Array.from(body), untilMs, reason };
  }
  if (equalBytes(prefix, IP_PREFIX) && body.length === 16) {
    return { kind: 'ip', ip: bytesToIp(body), untilMs, reason };
  }
  return undefined;
}
