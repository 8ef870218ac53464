/**
 * The per-message list limits of the eth decoders (issue 15): each list is accepted up to its
 * limit and refused with TOO_MANY_ITEMS one element past it; a request by hashes keeps the
 * hashes that will be served and never reads the others.
 */
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { describe, expect, it } from 'vitest';
import {
  blockBodies,
  blockHeaders,
  getBlockBodies,
  newBlockHashes,
} from '../../src/messages/blocks.ts';
import type { MessageCodec } from '../../src/messages/codec.ts';
import {
  MAX_BLOCK_ANNOUNCEMENTS,
  MAX_BODIES_PER_MESSAGE,
  MAX_HEADERS_PER_MESSAGE,
  MAX_LOG_TOPICS,
  MAX_POOLED_TXS_PER_MESSAGE,
  MAX_POOLED_TXS_SERVE,
  MAX_RECEIPT_LISTS_PER_MESSAGE,
  MAX_RECEIPTS_PER_MESSAGE,
  MAX_TX_ANNOUNCEMENTS,
  MAX_TXS_PER_MESSAGE,
} from '../../src/messages/limits.ts';
import { getReceipts, receipts69 } from '../../src/messages/receipts.ts';
import {
  getPooledTransactions,
  newPooledTransactionHashes,
  pooledTransactions,
  transactions,
} from '../../src/messages/transactions.ts';
import { expectEthError } from './helpers.ts';

const repeat = (n: number, item: Uint8Array): Uint8Array[] => Array.from({ length: n }, () => item);
const request = (list: Uint8Array): Uint8Array => encodeList([encodeUint(1), list]);
const emptyList = encodeList([]);
const hash = encodeBytes(new Uint8Array(32).fill(9));
const body = encodeList([emptyList, emptyList]);
const announcement = encodeList([hash, encodeUint(1)]);
const receipt = encodeList([encodeUint(2), encodeUint(1), encodeUint(21_000), emptyList]);

/** [name, codec, payload of n list elements, limit]. */
const LISTS: [string, MessageCodec, (n: number) => Uint8Array, number][] = [
  ['Transactions', transactions, (n) => encodeList(repeat(n, emptyList)), MAX_TXS_PER_MESSAGE],
  [
    'BlockHeaders',
    blockHeaders,
    (n) => request(encodeList(repeat(n, emptyList))),
    MAX_HEADERS_PER_MESSAGE,
  ],
  ['BlockBodies', blockBodies, (n) => request(encodeList(repeat(n, body))), MAX_BODIES_PER_MESSAGE],
  [
    'PooledTransactions',
    pooledTransactions,
    (n) => request(encodeList(repeat(n, emptyList))),
    MAX_POOLED_TXS_PER_MESSAGE,
  ],
  [
    'Receipts (block lists)',
    receipts69,
    (n) => request(encodeList(repeat(n, emptyList))),
    MAX_RECEIPT_LISTS_PER_MESSAGE,
  ],
  [
    'Receipts (all receipts)',
    receipts69,
    (n) => request(encodeList([encodeList(repeat(n - 1, receipt)), encodeList([receipt])])),
    MAX_RECEIPTS_PER_MESSAGE,
  ],
  [
    'NewPooledTransactionHashes',
    newPooledTransactionHashes,
    (n) =>
      encodeList([
        encodeBytes(new Uint8Array(n).fill(2)),
        encodeList(repeat(n, encodeUint(100))),
        encodeList(repeat(n, hash)),
      ]),
    MAX_TX_ANNOUNCEMENTS,
  ],
  [
    'NewBlockHashes',
    newBlockHashes,
    (n) => encodeList(repeat(n, announcement)),
    MAX_BLOCK_ANNOUNCEMENTS,
  ],
];

describe('eth list limits', () => {
  it.each(LISTS)(
    '%s: accepted up to its limit, TOO_MANY_ITEMS past it',
    (_name, codec, payload, limit) => {
      expect(() => codec.decode(payload(limit))).not.toThrow();
      expectEthError(() => codec.decode(payload(limit + 1)), 'TOO_MANY_ITEMS');
    },
  );

  it('a log holds at most four topics', () => {
    const log = (topics: number) =>
      encodeList([
        encodeBytes(new Uint8Array(20)),
        encodeList(repeat(topics, hash)),
        encodeBytes(new Uint8Array(0)),
      ]);
    const withLog = (topics: number) =>
      request(
        encodeList([
          encodeList([
            encodeList([encodeUint(2), encodeUint(1), encodeUint(1), encodeList([log(topics)])]),
          ]),
        ]),
      );
    expect(receipts69.decode(withLog(MAX_LOG_TOPICS)).receipts).toHaveLength(1);
    expectEthError(() => receipts69.decode(withLog(MAX_LOG_TOPICS + 1)), 'TOO_MANY_ITEMS');
  });

  it.each([
    ['GetBlockBodies', getBlockBodies, MAX_BODIES_PER_MESSAGE],
    ['GetReceipts', getReceipts, MAX_RECEIPT_LISTS_PER_MESSAGE],
    ['GetPooledTransactions', getPooledTransactions, MAX_POOLED_TXS_SERVE],
  ] as const)('%s keeps the hashes it serves and never reads the rest', (_name, codec, serve) => {
    // Past the served hashes: one-byte items a full decode would refuse as hashes.
    const garbage = new Uint8Array(100_000).fill(0x01);
    const data = request(encodeList([...repeat(serve, hash), garbage]));
    const decoded = codec.decode(data);
    expect(decoded.requestId).toBe(1n);
    expect(decoded.hashes).toHaveLength(serve);
    expect(decoded.hashes.every((h) => h.length === 32 && h[0] === 9)).toBe(true);
    // Within the served prefix, a bad hash is still refused.
    const bad = request(encodeList([encodeBytes(new Uint8Array(31)), ...repeat(3, hash)]));
    expectEthError(() => codec.decode(bad), 'MALFORMED');
  });
});
