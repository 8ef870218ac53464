/** fast-check arbitraries for the value of every message of eth/68 to eth/72. */
import { type Input, RLP } from '@ethereumjs/rlp';
import fc from 'fast-check';
import type { MessageCodec } from '../../src/messages/codec.ts';
import {
  ETH68,
  ETH69,
  ETH70,
  ETH71,
  ETH72,
  type Eth68Types,
  type Eth69Types,
  type Eth70Types,
  type Eth71Types,
  type Eth72Types,
  type EthVersion,
} from '../../src/messages/versions.ts';
import { bytes, hash, type Nested, nested, txType, u64 } from './helpers.ts';

const requestId = u64;
const listOf = <T>(a: fc.Arbitrary<T>, maxLength = 4): fc.Arbitrary<T[]> =>
  fc.array(a, { maxLength });
const nestedList: fc.Arbitrary<Nested[]> = fc.array(nested, { maxLength: 5 });

/** A transaction as it sits in a list: a legacy list or a typed `type ‖ data` string. */
const txNested: fc.Arbitrary<Nested> = fc.oneof(
  nestedList,
  fc
    .tuple(txType, fc.uint8Array({ minLength: 1, maxLength: 60 }))
    .map(([t, d]) => Uint8Array.of(t, ...d)),
);
export const rawTx: fc.Arbitrary<Uint8Array> = txNested.map((n) => RLP.encode(n));
const headerNested: fc.Arbitrary<Nested[]> = nestedList;
export const rawHeader: fc.Arbitrary<Uint8Array> = headerNested.map((n) => RLP.encode(n));
const bodyParts: fc.Arbitrary<Nested[]> = fc
  .tuple(listOf(txNested), listOf(headerNested, 2), fc.option(listOf(nestedList)))
  .map(([txs, ommers, w]) => (w === null ? [txs, ommers] : [txs, ommers, w]));
export const rawBody: fc.Arbitrary<Uint8Array> = bodyParts.map((p) => RLP.encode(p));
export const rawBlock: fc.Arbitrary<Uint8Array> = fc
  .tuple(headerNested, bodyParts)
  .map(([h, p]) => RLP.encode([h, ...p]));

const status = fc.oneof(fc.constant(new Uint8Array(0)), fc.constant(Uint8Array.of(1)), bytes(32));
const log: fc.Arbitrary<Nested> = fc
  .tuple(bytes(20), listOf(hash), fc.uint8Array({ maxLength: 40 }))
  .map(([a, t, d]) => [a, t, d]);
const consensusFields: fc.Arbitrary<Input> = fc.tuple(status, u64, bytes(256), listOf(log, 3));
/** An eth/68 receipt: a legacy list or a typed `type ‖ rlp(list)` string. */
export const receipt68: fc.Arbitrary<Uint8Array> = fc.oneof(
  consensusFields.map((f) => RLP.encode(f)),
  fc.tuple(txType, consensusFields).map(([t, f]) => RLP.encode(Uint8Array.of(t, ...RLP.encode(f)))),
);
/** An eth/69 receipt `[type, status, cumulative-gas, logs]`. */
export const receipt69: fc.Arbitrary<Uint8Array> = fc
  .tuple(txType, status, u64, listOf(log, 3))
  .map(([t, s, g, l]) => RLP.encode([t, s, g, l]));

const forkId = fc.record({ hash: bytes(4), next: u64 });
const hashesRequest = fc.record({ requestId, hashes: listOf(hash) });

/** The values shared by eth/68 and eth/69. */
const common = {
  Transactions: listOf(rawTx),
  GetBlockHeaders: fc.record({
    requestId,
    origin: fc.oneof(
      hash.map((h) => ({ hash: h })),
      u64.map((n) => ({ number: n })),
    ),
    amount: u64,
    skip: u64,
    reverse: fc.boolean(),
  }),
  BlockHeaders: fc.record({ requestId, headers: listOf(rawHeader) }),
  GetBlockBodies: hashesRequest,
  BlockBodies: fc.record({ requestId, bodies: listOf(rawBody) }),
  NewPooledTransactionHashes: fc
    .array(fc.tuple(txType, fc.integer({ min: 0, max: 0xffffffff }), hash), { maxLength: 5 })
    .map((entries) => ({
      types: Uint8Array.from(entries.map((e) => e[0])),
      sizes: entries.map((e) => e[1]),
      hashes: entries.map((e) => e[2]),
    })),
  GetPooledTransactions: hashesRequest,
  PooledTransactions: fc.record({ requestId, transactions: listOf(rawTx) }),
  GetReceipts: hashesRequest,
};

/** An arbitrary per message of a version, keyed by name. */
export type Arbitraries<T> = { [N in keyof T]: fc.Arbitrary<T[N]> };

export const eth68: Arbitraries<Eth68Types> = {
  ...common,
  Status: fc.record({
    version: fc.integer({ min: 0, max: 0xffffffff }),
    networkId: u64,
    td: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
    head: hash,
    genesis: hash,
    forkId,
  }),
  NewBlockHashes: listOf(fc.record({ hash, number: u64 })),
  NewBlock: fc.record({ block: rawBlock, td: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }) }),
  Receipts: fc.record({ requestId, receipts: listOf(listOf(receipt68, 3), 3) }),
};

export const eth69: Arbitraries<Eth69Types> = {
  ...common,
  Status: fc.record({
    version: fc.integer({ min: 0, max: 0xffffffff }),
    networkId: u64,
    genesis: hash,
    forkId,
    earliest: u64,
    latest: u64,
    latestHash: hash,
  }),
  Receipts: fc.record({ requestId, receipts: listOf(listOf(receipt69, 3), 3) }),
  BlockRangeUpdate: fc.record({ earliest: u64, latest: u64, latestHash: hash }),
};

export const eth70: Arbitraries<Eth70Types> = {
  ...eth69,
  GetReceipts: fc.record({ requestId, firstBlockReceiptIndex: u64, hashes: listOf(hash) }),
  Receipts: fc.record({
    requestId,
    lastBlockIncomplete: fc.boolean(),
    receipts: listOf(listOf(receipt69, 3), 3),
  }),
};

/** A block access list entry: an access list (any RLP list) or the empty string. */
const accessList: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constant(Uint8Array.of(0x80)),
  nestedList.map((n) => RLP.encode(n)),
);

export const eth71: Arbitraries<Eth71Types> = {
  ...eth70,
  GetBlockAccessLists: hashesRequest,
  BlockAccessLists: fc.record({ requestId, accessLists: listOf(accessList) }),
};

/** A cell mask with 0 to 3 indices set, and per transaction 0 to 2 blobs of cells for it. */
const cellsValue = fc
  .tuple(requestId, fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { maxLength: 3 }))
  .chain(([id, indices]) => {
    const mask = new Uint8Array(16);
    for (const i of indices) mask[i >> 3] = (mask[i >> 3] as number) | (1 << (i & 7));
    const group = fc.integer({ min: 0, max: 2 }).chain((blobs) =>
      fc.array(bytes(2048), {
        minLength: blobs * indices.length,
        maxLength: blobs * indices.length,
      }),
    );
    return fc.array(fc.tuple(hash, group), { maxLength: 2 }).map((txs) => ({
      requestId: id,
      hashes: txs.map((t) => t[0]),
      cells: txs.map((t) => t[1]),
      cellMask: mask,
    }));
  });

export const eth72: Arbitraries<Eth72Types> = {
  ...eth71,
  NewPooledTransactionHashes: fc
    .tuple(common.NewPooledTransactionHashes, bytes(16))
    .map(([a, cellMask]) => ({ ...a, cellMask })),
  GetCells: fc.record({ requestId, hashes: listOf(hash), cellMask: bytes(16) }),
  Cells: cellsValue,
};

/** `[label, codec, arbitrary]` for each message of `version`. */
function cases<T>(
  version: EthVersion<T>,
  arbs: Arbitraries<T>,
): [string, MessageCodec, fc.Arbitrary<unknown>][] {
  return Object.entries(version.codecs as Record<string, MessageCodec>).map(([name, codec]) => [
    `eth/${version.version} ${name}`,
    codec,
    (arbs as Record<string, fc.Arbitrary<unknown>>)[name] as fc.Arbitrary<unknown>,
  ]);
}

/** Each codec once, under the first version that has it (later versions share most codecs). */
export const CODEC_CASES: [string, MessageCodec, fc.Arbitrary<unknown>][] = [
  ...cases(ETH68, eth68),
  ...cases(ETH69, eth69),
  ...cases(ETH70, eth70),
  ...cases(ETH71, eth71),
  ...cases(ETH72, eth72),
].filter(([, codec], i, all) => all.findIndex(([, c]) => c === codec) === i);
