/**
 * Key layout of the node database, byte-for-byte that of go-ethereum `p2p/enode/nodedb.go`
 * (`:` separators; IDs and IPs as raw bytes, IPs always in 16-byte form):
 *
 * | key                                  | value                                   |
 * | ------------------------------------ | --------------------------------------- |
 * | `version`                            | zig-zag varint `DB_VERSION`            |
 * | `n:<id32>:v4`                        | `Node.toStorage()` bytes                |
 * | `n:<id32>:v4:<ip16>:lastping`        | zig-zag varint, Unix seconds            |
 * | `n:<id32>:v4:<ip16>:lastpong`        | zig-zag varint, Unix seconds            |
 * | `n:<id32>:v4:<ip16>:findfail`        | zig-zag varint, count                   |
 * | `n:<id32>:v4:<16 zero bytes>:seq`    | uvarint, seq of the stored record       |
 * | `local:<id32>:seq`                   | uvarint, local record seq               |
 * | `ban:id:<id32>`, `ban:ip:<ip16>`     | RLP `[untilMs, reason]` (see `bans.ts`) |
 * @module
 */
import { concatBytes, equalBytes } from '@ethp2p/crypto';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The `version` key. */
export const VERSION_KEY: Uint8Array = utf8('version');
/** Prefix of every node key. */
export const NODE_PREFIX: Uint8Array = utf8('n:');
export const LOCAL_PREFIX: Uint8Array = utf8('local:');
const COLON = utf8(':');
const DISCOVER_ROOT = utf8(':v4');
const ID_LENGTH = 32;
const IP_LENGTH = 16;

/** Per-(ID, IP) field names. */
export const FIELD = {
  lastPing: 'lastping',
  lastPong: 'lastpong',
  findFails: 'findfail',
  seq: 'seq',
} as const;

/** A per-(ID, IP) field name. */
export type Field = (typeof FIELD)[keyof typeof FIELD];

/** `n:<id>:v4`, the key of a node's record. */
export function nodeKey(id: Uint8Array): Uint8Array {
  return concatBytes(NODE_PREFIX, id, DISCOVER_ROOT);
}

/** `n:<id>:v4:<ip16>:<field>`. */
export function nodeItemKey(id: Uint8Array, ip16: Uint8Array, field: string): Uint8Array {
  return concatBytes(nodeKey(id), COLON, ip16, COLON, utf8(field));
}

/** `local:<id>:<field>`. */
export function localItemKey(id: Uint8Array, field: string): Uint8Array {
  return concatBytes(LOCAL_PREFIX, id, COLON, utf8(field));
}

/** `n:<id>:`, the prefix of everything stored about one node. */
export function nodeIdPrefix(id: Uint8Array): Uint8Array {
  return concatBytes(NODE_PREFIX, id, COLON);
}

/** Splits `n:<id>…` into the ID and the rest, or `undefined` if `key` is not a node key. */
export function splitNodeKey(key: Uint8Array): { id: Uint8Array; rest: Uint8Array } | undefined {
  if (key.length < NODE_PREFIX.length + ID_LENGTH || !startsWith(key, NODE_PREFIX)) {
    return undefined;
  }
  const idEnd = NODE_PREFIX.length + ID_LENGTH;
  return { id: key.subarray(NODE_PREFIX.length, idEnd), rest: key.subarray(idEnd) };
}

/** Whether `key` is exactly a record key `n:<id>:v4`. */
export function isRecordKey(key: Uint8Array): boolean {
  const split = splitNodeKey(key);
  return split !== undefined && equalBytes(split.rest, DISCOVER_ROOT);
}

/** Splits `n:<id>:v4:<ip16>:<field>`, or `undefined` if `key` has another shape. */
export function splitNodeItemKey(
  key: Uint8Array,
): { id: Uint8Array; ip: Uint8Array; field: string } | undefined {
  const split = splitNodeKey(key);
  if (split === undefined) return undefined;
  const { rest } = split;
  const head = DISCOVER_ROOT.length + COLON.length;
  const ipEnd = head + IP_LENGTH;
  if (rest.length <= ipEnd + COLON.length || !startsWith(rest, DISCOVER_ROOT)) return undefined;
  if (rest[DISCOVER_ROOT.length] !== COLON[0] || rest[ipEnd] !== COLON[0]) return undefined;
  const field = new TextDecoder().decode(rest.subarray(ipEnd + COLON.length));
  return { id: split.id, ip: rest.subarray(head, ipEnd), field };
}

/** The key range holding exactly the keys that start with `prefix`. */
export function prefixRange(prefix: Uint8Array): { gte: Uint8Array; lt?: Uint8Array } {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] ?? 0) < 0xff) {
      end[i] = (end[i] ?? 0) + 1;
      return { gte: prefix, lt: end.subarray(0, i + 1) };
    }
  }
  return { gte: prefix };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && equalBytes(bytes.subarray(0, prefix.length), prefix);
}
