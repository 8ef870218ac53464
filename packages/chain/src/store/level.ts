/**
 * The LevelDB store of a persistent chain: `classic-level` on disk or `memory-level` in memory,
 * and its key layout. Every key starts with one byte naming its table; all values are bytes.
 * @module
 */
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';

/** A store with binary keys and values. */
export type Level = AbstractLevel<Uint8Array | string | Buffer, Uint8Array, Uint8Array>;

/** One write of an atomic batch. */
export type LevelWrite =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

const ENCODINGS = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/** A new, not yet opened store: on disk at `path`, or in memory without one. */
export function createLevel(path: string | undefined): Level {
  return path === undefined
    ? new MemoryLevel<Uint8Array, Uint8Array>(ENCODINGS)
    : new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
}

/** Table prefixes (one byte each). */
const TABLE = {
  header: 0x68, // 'h' + hash: header RLP
  body: 0x62, // 'b' + hash: body RLP
  receipts: 0x72, // 'r' + hash: receipts RLP, eth/69 form
  canonical: 0x6e, // 'n' + number (8 bytes big-endian): hash
  state: 0x73, // 's' + trie key: state and storage trie nodes, contract code
  meta: 0x6d, // 'm' + name: the head hash, the genesis hash
} as const;

function key(table: number, suffix: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + suffix.length);
  out[0] = table;
  out.set(suffix, 1);
  return out;
}

/** The key of a block's header. */
export const headerKey = (hash: Uint8Array): Uint8Array => key(TABLE.header, hash);
/** The key of a block's body. */
export const bodyKey = (hash: Uint8Array): Uint8Array => key(TABLE.body, hash);
/** The key of a block's receipts. */
export const receiptsKey = (hash: Uint8Array): Uint8Array => key(TABLE.receipts, hash);
/** The key of a trie node or of contract code, by the trie's own key. */
export const stateKey = (trieKey: Uint8Array): Uint8Array => key(TABLE.state, trieKey);

/** The key of the canonical hash at `number`. */
export function canonicalKey(number: bigint): Uint8Array {
  const suffix = new Uint8Array(8);
  new DataView(suffix.buffer).setBigUint64(0, number);
  return key(TABLE.canonical, suffix);
}

/** The key holding the head block's hash. */
export const HEAD_KEY: Uint8Array = key(TABLE.meta, new TextEncoder().encode('head'));
