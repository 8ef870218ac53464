import { type Input, RLP } from '@ethereumjs/rlp';
import { hexToBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import {
  blockBodies,
  blockHeaders,
  blockRangeUpdate,
  getBlockBodies,
  getBlockHeaders,
  newBlock,
  newBlockHashes,
} from '../../src/messages/blocks.ts';
import type { MessageCodec } from '../../src/messages/codec.ts';
import { getReceipts, receipts68, receipts69 } from '../../src/messages/receipts.ts';
import {
  newPooledTransactionHashes,
  pooledTransactions,
  transactions,
} from '../../src/messages/transactions.ts';
import { expectEthError } from './helpers.ts';
import { HEADER, TX1 } from './vectors.ts';

const H = new Uint8Array(32).fill(0x11);
const header = hexToBytes(HEADER);
const tx = hexToBytes(TX1);
/** The decoded form of a known header/transaction, to nest inside hand-built messages. */
const headerList = RLP.decode(header) as Input;
const txList = RLP.decode(tx) as Input;
const typedTx = Uint8Array.of(2, 0xc0);
const log = [new Uint8Array(20), [H], new Uint8Array(0)];
const receiptFields = [Uint8Array.of(1), 21000n, new Uint8Array(256), [log]];
const receipt69 = [2, Uint8Array.of(1), 21000n, [log]];

/** [label, codec, RLP input] of messages that must fail to decode with MALFORMED. */
const CASES: [string, MessageCodec, Input][] = [
  ['NewBlockHashes: an entry without a number', newBlockHashes, [[H]]],
  ['NewBlockHashes: a 31-byte hash', newBlockHashes, [[H.subarray(1), 1n]]],
  ['NewBlockHashes: not a list', newBlockHashes, H],
  ['Transactions: a one-byte typed transaction', transactions, [Uint8Array.of(2)]],
  ['Transactions: a type byte of 0x80 or more', transactions, [Uint8Array.of(0x80, 1, 2)]],
  ['Transactions: an empty string', transactions, [new Uint8Array(0)]],
  ['GetBlockHeaders: no request id', getBlockHeaders, [[1n, 1n, 0n, 0n]]],
  ['GetBlockHeaders: request id of 9 bytes', getBlockHeaders, [2n ** 64n, [1n, 1n, 0n, 0n]]],
  ['GetBlockHeaders: a 9-byte origin', getBlockHeaders, [1n, [2n ** 64n, 1n, 0n, 0n]]],
  ['GetBlockHeaders: a 31-byte origin', getBlockHeaders, [1n, [H.subarray(1), 1n, 0n, 0n]]],
  ['GetBlockHeaders: a 33-byte origin', getBlockHeaders, [1n, [new Uint8Array(33), 1n, 0n, 0n]]],
  [
    'GetBlockHeaders: origin with a leading zero',
    getBlockHeaders,
    [1n, [hexToBytes('0001'), 1n, 0n, 0n]],
  ],
  ['GetBlockHeaders: origin as a list', getBlockHeaders, [1n, [[], 1n, 0n, 0n]]],
  ['GetBlockHeaders: reverse = 2', getBlockHeaders, [1n, [1n, 1n, 0n, 2n]]],
  ['GetBlockHeaders: reverse = 0x00', getBlockHeaders, [1n, [1n, 1n, 0n, Uint8Array.of(0)]]],
  ['GetBlockHeaders: amount above u64', getBlockHeaders, [1n, [1n, 2n ** 64n, 0n, 0n]]],
  ['GetBlockHeaders: five fields', getBlockHeaders, [1n, [1n, 1n, 0n, 0n, 0n]]],
  ['BlockHeaders: a header that is a string', blockHeaders, [1n, [H]]],
  ['BlockHeaders: a third element', blockHeaders, [1n, [headerList], []]],
  ['GetBlockBodies: a 33-byte hash', getBlockBodies, [1n, [new Uint8Array(33)]]],
  ['GetBlockBodies: hashes not a list', getBlockBodies, [1n, H]],
  ['BlockBodies: a body with one part', blockBodies, [1n, [[[txList]]]]],
  ['BlockBodies: a body with four parts', blockBodies, [1n, [[[], [], [], []]]]],
  ['BlockBodies: transactions not a list', blockBodies, [1n, [[H, []]]]],
  ['BlockBodies: an ommer that is a string', blockBodies, [1n, [[[], [H]]]]],
  ['BlockBodies: a bad typed transaction', blockBodies, [1n, [[[Uint8Array.of(2)], []]]]],
  ['BlockBodies: withdrawals not a list', blockBodies, [1n, [[[], [], H]]]],
  ['NewBlock: a block of two parts', newBlock, [[headerList, [txList]], 1n]],
  ['NewBlock: a header that is a string', newBlock, [[H, [], []], 1n]],
  ['NewBlock: td above 256 bits', newBlock, [[headerList, [], []], 2n ** 256n]],
  ['NewBlock: no td', newBlock, [[headerList, [], []]]],
  [
    'NewPooledTransactionHashes: 2 types, 1 size',
    newPooledTransactionHashes,
    [Uint8Array.of(0, 2), [1n], [H, H]],
  ],
  [
    'NewPooledTransactionHashes: 1 type, 2 hashes',
    newPooledTransactionHashes,
    [Uint8Array.of(2), [1n], [H, H]],
  ],
  [
    'NewPooledTransactionHashes: a size above u32',
    newPooledTransactionHashes,
    [Uint8Array.of(2), [2n ** 32n], [H]],
  ],
  ['NewPooledTransactionHashes: the eth/66 hash list', newPooledTransactionHashes, [H, H]],
  ['NewPooledTransactionHashes: types as a list', newPooledTransactionHashes, [[2n], [1n], [H]]],
  [
    'NewPooledTransactionHashes: a fourth (eth/72) element',
    newPooledTransactionHashes,
    [Uint8Array.of(2), [1n], [H], new Uint8Array(16)],
  ],
  ['PooledTransactions: no request id', pooledTransactions, [[txList]]],
  [
    'PooledTransactions: a bad typed transaction',
    pooledTransactions,
    [1n, [Uint8Array.of(0xf0, 1)]],
  ],
  ['GetReceipts: a 20-byte hash', getReceipts, [1n, [new Uint8Array(20)]]],
  [
    'Receipts 68: a receipt without bloom',
    receipts68,
    [1n, [[receiptFields.filter((_, i) => i !== 2)]]],
  ],
  [
    'Receipts 68: a 255-byte bloom',
    receipts68,
    [1n, [[[Uint8Array.of(1), 1n, new Uint8Array(255), []]]]],
  ],
  ['Receipts 68: a typed receipt without rlp', receipts68, [1n, [[Uint8Array.of(2)]]]],
  [
    'Receipts 68: a typed receipt with trailing bytes',
    receipts68,
    [1n, [[Uint8Array.of(2, ...RLP.encode(receiptFields), 0)]]],
  ],
  [
    'Receipts 68: a typed receipt of type 0x80',
    receipts68,
    [1n, [[Uint8Array.of(0x80, ...RLP.encode(receiptFields))]]],
  ],
  [
    'Receipts 68: a status of 0x02',
    receipts68,
    [1n, [[[Uint8Array.of(2), 1n, new Uint8Array(256), []]]]],
  ],
  [
    'Receipts 68: a 19-byte log address',
    receipts68,
    [
      1n,
      [
        [
          [
            Uint8Array.of(1),
            1n,
            new Uint8Array(256),
            [[new Uint8Array(19), [], new Uint8Array(0)]],
          ],
        ],
      ],
    ],
  ],
  [
    'Receipts 68: a 31-byte topic',
    receipts68,
    [
      1n,
      [
        [
          [
            Uint8Array.of(1),
            1n,
            new Uint8Array(256),
            [[new Uint8Array(20), [H.subarray(1)], new Uint8Array(0)]],
          ],
        ],
      ],
    ],
  ],
  [
    'Receipts 68: log data as a list',
    receipts68,
    [1n, [[[Uint8Array.of(1), 1n, new Uint8Array(256), [[new Uint8Array(20), [], []]]]]]],
  ],
  ['Receipts 68: an eth/69 receipt', receipts68, [1n, [[receipt69]]]],
  ['Receipts 68: a block that is not a list', receipts68, [1n, [H]]],
  ['Receipts 69: an eth/68 receipt with bloom', receipts69, [1n, [[receiptFields]]]],
  [
    'Receipts 69: a typed string receipt',
    receipts69,
    [1n, [[Uint8Array.of(2, ...RLP.encode(receiptFields))]]],
  ],
  ['Receipts 69: tx-type 0x80', receipts69, [1n, [[[0x80, Uint8Array.of(1), 1n, []]]]]],
  [
    'Receipts 69: cumulative gas above u64',
    receipts69,
    [1n, [[[2, Uint8Array.of(1), 2n ** 64n, []]]]],
  ],
  ['Receipts 69: logs as a string', receipts69, [1n, [[[2, Uint8Array.of(1), 1n, H]]]]],
  ['BlockRangeUpdate: two fields', blockRangeUpdate, [0n, 1n]],
  ['BlockRangeUpdate: a 31-byte hash', blockRangeUpdate, [0n, 1n, H.subarray(1)]],
  ['BlockRangeUpdate: latest with a leading zero', blockRangeUpdate, [0n, hexToBytes('0001'), H]],
];

describe('decoders reject malformed messages', () => {
  it.each(CASES)('%s', (_, codec, input) => {
    expectEthError(() => codec.decode(RLP.encode(input)), 'MALFORMED');
  });

  it('accepts the well-formed neighbours of those cases', () => {
    expect(transactions.decode(RLP.encode([txList, typedTx]))).toEqual([tx, RLP.encode(typedTx)]);
    expect(receipts68.decode(RLP.encode([1n, [[receiptFields]]])).receipts).toHaveLength(1);
    expect(receipts69.decode(RLP.encode([1n, [[receipt69]]])).receipts).toHaveLength(1);
    const body = blockBodies.decode(RLP.encode([1n, [[[txList, typedTx], [headerList], []]]]));
    expect(body.bodies).toHaveLength(1);
  });

  it.each([
    ['trailing bytes after the payload', `${'c0'}00`],
    ['a truncated list', 'c5820457'],
    ['an empty payload', ''],
    ['a byte string instead of a list', '820457'],
  ])('rejects %s for every codec', (_, hex) => {
    for (const [, codec] of CASES) expectEthError(() => codec.decode(hexToBytes(hex)), 'MALFORMED');
  });
});

describe('encoders reject misuse with TypeError or RangeError', () => {
  it.each([
    [
      'a 31-byte hash',
      () => getBlockBodies.encode({ requestId: 1n, hashes: [H.subarray(1)] }),
      RangeError,
    ],
    [
      'a negative request id',
      () => getBlockBodies.encode({ requestId: -1n, hashes: [] }),
      RangeError,
    ],
    [
      'a number request id',
      () => getBlockBodies.encode({ requestId: 1 as never, hashes: [] }),
      TypeError,
    ],
    [
      'an origin with neither hash nor number',
      () =>
        getBlockHeaders.encode({
          requestId: 1n,
          origin: {} as never,
          amount: 1n,
          skip: 0n,
          reverse: false,
        }),
      TypeError,
    ],
    [
      'a string reverse',
      () =>
        getBlockHeaders.encode({
          requestId: 1n,
          origin: { number: 1n },
          amount: 1n,
          skip: 0n,
          reverse: 'no' as never,
        }),
      TypeError,
    ],
    [
      'a header that is not one RLP item',
      () => blockHeaders.encode({ requestId: 1n, headers: [Uint8Array.of(0xc0, 0xc0)] }),
      RangeError,
    ],
    [
      'a header that is a string',
      () => blockHeaders.encode({ requestId: 1n, headers: [RLP.encode(H)] }),
      RangeError,
    ],
    [
      'a body of one part',
      () => blockBodies.encode({ requestId: 1n, bodies: [RLP.encode([[]])] }),
      RangeError,
    ],
    ['a truncated transaction', () => transactions.encode([tx.subarray(0, 10)]), RangeError],
    [
      'unequal announcement lists',
      () =>
        newPooledTransactionHashes.encode({ types: Uint8Array.of(2), sizes: [1, 2], hashes: [H] }),
      RangeError,
    ],
    [
      'a fractional size',
      () =>
        newPooledTransactionHashes.encode({ types: Uint8Array.of(2), sizes: [1.5], hashes: [H] }),
      RangeError,
    ],
    [
      'an eth/69 receipt in eth/68',
      () => receipts68.encode({ requestId: 1n, receipts: [[RLP.encode(receipt69)]] }),
      RangeError,
    ],
    [
      'receipts not nested per block',
      () => receipts69.encode({ requestId: 1n, receipts: [RLP.encode(receipt69)] as never }),
      TypeError,
    ],
    [
      'a block range above u64',
      () => blockRangeUpdate.encode({ earliest: 0n, latest: 2n ** 64n, latestHash: H }),
      RangeError,
    ],
  ])('%s', (_, fn, type) => {
    expect(fn).toThrow(type);
  });
});
