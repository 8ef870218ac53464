/**
 * The messages eth/70 (EIP-7975), eth/71 (EIP-8159) and eth/72 (EIP-8070) added or changed:
 * vectors, malformed cases and list limits, in the style of the eth/68-69 tests.
 */
import { type Input, RLP } from '@ethereumjs/rlp';
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { blockAccessLists, getBlockAccessLists } from '../../src/messages/access-lists.ts';
import {
  cellMask,
  cellMaskCount,
  cellMaskIsSubset,
  cells,
  getCells,
  newPooledTransactionHashes72,
} from '../../src/messages/cells.ts';
import type { MessageCodec } from '../../src/messages/codec.ts';
import {
  MAX_ACCESS_LISTS_PER_MESSAGE,
  MAX_CELL_TXS_PER_MESSAGE,
  MAX_CELLS_PER_MESSAGE,
  MAX_RECEIPT_LISTS_PER_MESSAGE,
} from '../../src/messages/limits.ts';
import { getReceipts70, receipts69, receipts70 } from '../../src/messages/receipts.ts';
import { ETH69, ETH70, ETH71, ETH72 } from '../../src/messages/versions.ts';
import { expectEthError } from './helpers.ts';
import {
  GET_BY_HASHES,
  GET_RECEIPTS_70,
  GET_RECEIPTS_70_FROM_4,
  HASHES,
  RECEIPTS_69,
  RECEIPTS_70,
  RECEIPTS_70_INCOMPLETE,
} from './vectors.ts';

const h = hexToBytes;
const H = new Uint8Array(32).fill(0x11);
const MASK = cellMask([0, 9, 127]);
const CELL = new Uint8Array(2048).fill(7);
const log = [new Uint8Array(20), [H], new Uint8Array(0)];
const receipt69 = [2, Uint8Array.of(1), 21000n, [log]];

function vector<T>(codec: MessageCodec<string, T>, hex: string, value: T): void {
  expect(codec.decode(h(hex))).toEqual(value);
  expect(bytesToHex(codec.encode(value))).toBe(hex);
}

describe('version tables of eth/70, eth/71 and eth/72', () => {
  const codes = (v: { messages: Readonly<Record<number, unknown>> }): number[] =>
    Object.keys(v.messages)
      .map(Number)
      .sort((a, b) => a - b);

  it('have geth’s code spaces (18, 20, 22) and add 0x12-0x15', () => {
    expect([ETH70.length, ETH71.length, ETH72.length]).toEqual([18, 20, 22]);
    expect(codes(ETH70)).toEqual(codes(ETH69));
    expect(codes(ETH71)).toEqual([...codes(ETH69), 0x12, 0x13]);
    expect(codes(ETH72)).toEqual([...codes(ETH69), 0x12, 0x13, 0x14, 0x15]);
    expect(ETH71.messages[0x12]?.name).toBe('GetBlockAccessLists');
    expect(ETH72.messages[0x15]?.name).toBe('Cells');
  });

  it('share eth/69’s Status and every message they do not change', () => {
    expect(ETH70.codecs.Status).toBe(ETH69.codecs.Status);
    expect(ETH72.codecs.Status).toBe(ETH69.codecs.Status);
    expect(ETH70.codecs.GetReceipts).toBe(getReceipts70);
    expect(ETH72.codecs.Receipts).toBe(receipts70);
    expect(ETH71.codecs.NewPooledTransactionHashes).toBe(ETH69.codecs.NewPooledTransactionHashes);
    expect(ETH72.codecs.NewPooledTransactionHashes).toBe(newPooledTransactionHashes72);
    expect(ETH72.codecs.BlockHeaders).toBe(ETH69.codecs.BlockHeaders);
  });
});

describe('vectors', () => {
  const lists = receipts69.decode(h(RECEIPTS_69)).receipts;

  it('the go-ethereum eth/69 Receipts vector decodes to one block of two receipts', () => {
    expect(lists).toHaveLength(1);
    expect(lists[0]).toHaveLength(2);
    vector(receipts69, RECEIPTS_69, { requestId: 1111n, receipts: lists });
  });

  it('GetReceipts (eth/70) carries firstBlockReceiptIndex after the request id', () => {
    const hashes = HASHES.map(h);
    vector(getReceipts70, GET_RECEIPTS_70, {
      requestId: 1111n,
      firstBlockReceiptIndex: 0n,
      hashes,
    });
    vector(getReceipts70, GET_RECEIPTS_70_FROM_4, {
      requestId: 1111n,
      firstBlockReceiptIndex: 4n,
      hashes,
    });
    // The eth/69 request has no index: it is not an eth/70 request.
    expectEthError(() => getReceipts70.decode(h(GET_BY_HASHES)), 'MALFORMED');
  });

  it('Receipts (eth/70) carries lastBlockIncomplete before the lists', () => {
    vector(receipts70, RECEIPTS_70, {
      requestId: 1111n,
      lastBlockIncomplete: false,
      receipts: lists,
    });
    vector(receipts70, RECEIPTS_70_INCOMPLETE, {
      requestId: 1111n,
      lastBlockIncomplete: true,
      receipts: lists,
    });
  });

  it('GetBlockAccessLists shares the encoding of the other requests by hashes', () => {
    vector(getBlockAccessLists, GET_BY_HASHES, { requestId: 1111n, hashes: HASHES.map(h) });
  });

  it('BlockAccessLists keeps each entry, with 0x80 for an unavailable one (EIP-8159)', () => {
    // An access list of one account [address, [], [], [[1, 1]], [], []] (EIP-7928 shape).
    const bal = RLP.encode([[new Uint8Array(20).fill(0x11), [], [], [[1, 1]], [], []]]);
    const data = RLP.encode([42, [RLP.decode(bal) as Input, new Uint8Array(0), []]]);
    vector(blockAccessLists, bytesToHex(data), {
      requestId: 42n,
      accessLists: [bal, Uint8Array.of(0x80), Uint8Array.of(0xc0)],
    });
  });

  it('cell masks number cells from the low bit of the first byte (geth CustodyBitmap)', () => {
    expect(bytesToHex(cellMask([0, 9, 127]))).toBe('01020000000000000000000000000080');
    expect(cellMaskCount(MASK)).toBe(3);
    expect(cellMaskIsSubset(cellMask([9]), MASK)).toBe(true);
    expect(cellMaskIsSubset(cellMask([8]), MASK)).toBe(false);
    expect(() => cellMask([128])).toThrow(RangeError);
  });

  it('NewPooledTransactionHashes (eth/72) adds the cell mask as a fourth element', () => {
    const data = RLP.encode([Uint8Array.of(3), [131072], [H], MASK]);
    vector(newPooledTransactionHashes72, bytesToHex(data), {
      types: Uint8Array.of(3),
      sizes: [131072],
      hashes: [H],
      cellMask: MASK,
    });
  });

  it('NewPooledTransactionHashes (eth/72) without blob transactions may carry the nil mask (EIP-8070)', () => {
    const data = RLP.encode([Uint8Array.of(2), [100], [H], new Uint8Array(0)]);
    expect(newPooledTransactionHashes72.decode(data)).toEqual({
      types: Uint8Array.of(2),
      sizes: [100],
      hashes: [H],
      cellMask: new Uint8Array(16),
    });
  });

  it('GetCells and Cells are flat lists (devp2p caps/eth.md, geth after #35428)', () => {
    vector(getCells, bytesToHex(RLP.encode([7, [H], MASK])), {
      requestId: 7n,
      hashes: [H],
      cellMask: MASK,
    });
    // One transaction of two blobs: 3 indices x 2 blobs = 6 cells.
    const group = Array.from({ length: 6 }, () => CELL);
    vector(cells, bytesToHex(RLP.encode([7, [H], [group], MASK])), {
      requestId: 7n,
      hashes: [H],
      cells: [group],
      cellMask: MASK,
    });
  });
});

/** [label, codec, RLP input] of messages that must fail to decode with MALFORMED. */
const CASES: [string, MessageCodec, Input][] = [
  ['GetReceipts 70: no index', getReceipts70, [1n, [H]]],
  ['GetReceipts 70: index above u64', getReceipts70, [1n, 2n ** 64n, [H]]],
  ['GetReceipts 70: index as a list', getReceipts70, [1n, [], [H]]],
  ['GetReceipts 70: a 31-byte hash', getReceipts70, [1n, 0n, [H.subarray(1)]]],
  ['GetReceipts 70: a fourth element', getReceipts70, [1n, 0n, [H], []]],
  ['Receipts 70: no flag', receipts70, [1n, [[receipt69]]]],
  ['Receipts 70: flag = 2', receipts70, [1n, 2n, [[receipt69]]]],
  ['Receipts 70: flag = 0x00', receipts70, [1n, Uint8Array.of(0), [[receipt69]]]],
  [
    'Receipts 70: an eth/68 receipt',
    receipts70,
    [1n, 0n, [[[Uint8Array.of(1), 1n, new Uint8Array(256), []]]]],
  ],
  ['Receipts 70: a block that is not a list', receipts70, [1n, 0n, [H]]],
  ['GetBlockAccessLists: a 33-byte hash', getBlockAccessLists, [1n, [new Uint8Array(33)]]],
  ['BlockAccessLists: a non-empty string entry', blockAccessLists, [1n, [Uint8Array.of(1)]]],
  ['BlockAccessLists: entries not a list', blockAccessLists, [1n, H]],
  [
    'NewPooledTransactionHashes 72: no cell mask',
    newPooledTransactionHashes72,
    [Uint8Array.of(3), [1n], [H]],
  ],
  [
    'NewPooledTransactionHashes 72: a 15-byte mask',
    newPooledTransactionHashes72,
    [Uint8Array.of(3), [1n], [H], new Uint8Array(15)],
  ],
  [
    'NewPooledTransactionHashes 72: an empty mask with a blob transaction',
    newPooledTransactionHashes72,
    [Uint8Array.of(3), [1n], [H], new Uint8Array(0)],
  ],
  [
    'NewPooledTransactionHashes 72: unequal lists',
    newPooledTransactionHashes72,
    [Uint8Array.of(3, 3), [1n], [H], MASK],
  ],
  ['GetCells: the v1.17.5 nested form', getCells, [1n, [[H], MASK]]],
  ['GetCells: a 17-byte mask', getCells, [1n, [H], new Uint8Array(17)]],
  ['GetCells: no mask', getCells, [1n, [H]]],
  ['Cells: the v1.17.5 nested form', cells, [1n, [[H], [[CELL, CELL, CELL]], MASK]]],
  ['Cells: a 2047-byte cell', cells, [1n, [H], [[CELL, CELL, CELL.subarray(1)]], MASK]],
  ['Cells: cells not a multiple of the mask', cells, [1n, [H], [[CELL, CELL]], MASK]],
  ['Cells: cells for an empty mask', cells, [1n, [H], [[CELL]], new Uint8Array(16)]],
  ['Cells: more hashes than groups', cells, [1n, [H, H], [[CELL, CELL, CELL]], MASK]],
  ['Cells: more groups than hashes', cells, [1n, [], [[]], MASK]],
];

describe('decoders reject malformed eth/70-72 messages', () => {
  it.each(CASES)('%s', (_, codec, input) => {
    expectEthError(() => codec.decode(RLP.encode(input)), 'MALFORMED');
  });

  it.each([
    ['trailing bytes after the payload', 'c000'],
    ['a truncated list', 'c5820457'],
    ['an empty payload', ''],
    ['a byte string instead of a list', '820457'],
  ])('rejects %s for every codec', (_, hex) => {
    for (const [, codec] of CASES) expectEthError(() => codec.decode(h(hex)), 'MALFORMED');
  });
});

describe('encoders reject misuse', () => {
  it.each([
    [
      'a missing firstBlockReceiptIndex',
      () => getReceipts70.encode({ requestId: 1n, hashes: [H] } as never),
      TypeError,
    ],
    [
      'a number flag',
      () => receipts70.encode({ requestId: 1n, lastBlockIncomplete: 1 as never, receipts: [] }),
      TypeError,
    ],
    [
      'a non-empty string access list',
      () => blockAccessLists.encode({ requestId: 1n, accessLists: [Uint8Array.of(1)] }),
      RangeError,
    ],
    [
      'a 15-byte mask',
      () => getCells.encode({ requestId: 1n, hashes: [H], cellMask: new Uint8Array(15) }),
      RangeError,
    ],
    [
      'cells that do not fit the mask',
      () => cells.encode({ requestId: 1n, hashes: [H], cells: [[CELL]], cellMask: MASK }),
      RangeError,
    ],
    [
      'groups and hashes of different lengths',
      () => cells.encode({ requestId: 1n, hashes: [], cells: [[]], cellMask: MASK }),
      RangeError,
    ],
  ])('%s', (_, fn, type) => {
    expect(fn).toThrow(type);
  });
});

describe('list limits', () => {
  const repeat = (n: number, item: Uint8Array): Uint8Array[] =>
    Array.from({ length: n }, () => item);
  const hash = encodeBytes(H);
  const cell = encodeBytes(CELL);
  const oneIndex = encodeBytes(cellMask([5]));
  const flagged = (lists: Uint8Array): Uint8Array =>
    encodeList([encodeUint(1), encodeUint(0), lists]);

  it.each([
    [
      'Receipts 70 (block lists)',
      receipts70,
      (n: number) => flagged(encodeList(repeat(n, encodeList([])))),
      MAX_RECEIPT_LISTS_PER_MESSAGE,
    ],
    [
      'BlockAccessLists',
      blockAccessLists,
      (n: number) => encodeList([encodeUint(1), encodeList(repeat(n, encodeList([])))]),
      MAX_ACCESS_LISTS_PER_MESSAGE,
    ],
    [
      'Cells (transactions)',
      cells,
      (n: number) =>
        encodeList([
          encodeUint(1),
          encodeList(repeat(n, hash)),
          encodeList(repeat(n, encodeList([]))),
          oneIndex,
        ]),
      MAX_CELL_TXS_PER_MESSAGE,
    ],
    [
      'Cells (all cells)',
      cells,
      (n: number) =>
        encodeList([
          encodeUint(1),
          encodeList([hash, hash]),
          encodeList([encodeList(repeat(n - 1, cell)), encodeList([cell])]),
          oneIndex,
        ]),
      MAX_CELLS_PER_MESSAGE,
    ],
  ] as const)(
    '%s: accepted up to its limit, TOO_MANY_ITEMS past it',
    (_, codec, payload, limit) => {
      expect(() => codec.decode(payload(limit))).not.toThrow();
      expectEthError(() => codec.decode(payload(limit + 1)), 'TOO_MANY_ITEMS');
    },
  );

  it.each([
    [
      'GetReceipts 70',
      getReceipts70,
      (l: Uint8Array) => encodeList([encodeUint(1), encodeUint(3), l]),
      MAX_RECEIPT_LISTS_PER_MESSAGE,
    ],
    [
      'GetBlockAccessLists',
      getBlockAccessLists,
      (l: Uint8Array) => encodeList([encodeUint(1), l]),
      MAX_ACCESS_LISTS_PER_MESSAGE,
    ],
    [
      'GetCells',
      getCells,
      (l: Uint8Array) => encodeList([encodeUint(1), l, oneIndex]),
      MAX_CELL_TXS_PER_MESSAGE,
    ],
  ] as const)('%s keeps the hashes it serves and never reads the rest', (_, codec, wrap, serve) => {
    const garbage = new Uint8Array(100_000).fill(0x01);
    const decoded = codec.decode(wrap(encodeList([...repeat(serve, hash), garbage])));
    expect(decoded.requestId).toBe(1n);
    expect(decoded.hashes).toHaveLength(serve);
    expectEthError(
      () => codec.decode(wrap(encodeList([encodeBytes(new Uint8Array(31)), hash]))),
      'MALFORMED',
    );
  });
});
