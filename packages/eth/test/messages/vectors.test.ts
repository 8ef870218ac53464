import { bytesToHex, hexToBytes, keccak256 } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import {
  blockBodies,
  blockHeaders,
  getBlockBodies,
  getBlockHeaders,
} from '../../src/messages/blocks.ts';
import { getReceipts, receipts68 } from '../../src/messages/receipts.ts';
import { getPooledTransactions, pooledTransactions } from '../../src/messages/transactions.ts';
import {
  BLOCK_BODIES,
  BLOCK_HEADERS,
  GET_BY_HASHES,
  GET_HEADERS_BY_HASH,
  GET_HEADERS_BY_NUMBER,
  HASHES,
  HEADER,
  HEADER_HASH,
  POOLED_TRANSACTIONS,
  RECEIPTS,
  TX_HASHES,
  TX1,
  TX2,
} from './vectors.ts';

const h = hexToBytes;

/** Decodes `hex` with `codec`, checks the value, and checks that encoding gives `hex` back. */
function vector<T>(
  codec: { decode(b: Uint8Array): T; encode(v: T): Uint8Array },
  hex: string,
  value: T,
): void {
  expect(codec.decode(h(hex))).toEqual(value);
  expect(bytesToHex(codec.encode(value))).toBe(hex);
}

describe('EIP-2481 test cases', () => {
  it('GetBlockHeaders by hash', () => {
    vector(getBlockHeaders, GET_HEADERS_BY_HASH, {
      requestId: 1111n,
      origin: { hash: h(HASHES[0] as string) },
      amount: 5n,
      skip: 5n,
      reverse: false,
    });
  });

  it('GetBlockHeaders by number', () => {
    vector(getBlockHeaders, GET_HEADERS_BY_NUMBER, {
      requestId: 1111n,
      origin: { number: 9999n },
      amount: 5n,
      skip: 5n,
      reverse: false,
    });
  });

  it('BlockHeaders keeps each header as its RLP, which hashes to the block hash', () => {
    vector(blockHeaders, BLOCK_HEADERS, { requestId: 1111n, headers: [h(HEADER)] });
    const [header] = blockHeaders.decode(h(BLOCK_HEADERS)).headers;
    expect(bytesToHex(keccak256(header as Uint8Array))).toBe(HEADER_HASH);
  });

  it.each([
    ['GetBlockBodies', getBlockBodies],
    ['GetReceipts', getReceipts],
    ['GetPooledTransactions', getPooledTransactions],
  ])('%s', (_, codec) => {
    vector(codec, GET_BY_HASHES, { requestId: 1111n, hashes: HASHES.map(h) });
  });

  it('BlockBodies keeps each body as its RLP', () => {
    const body = blockBodies.decode(h(BLOCK_BODIES)).bodies[0] as Uint8Array;
    expect(bytesToHex(body)).toBe(`f902d3f8d2${TX1}${TX2}f901fc${HEADER}`);
    vector(blockBodies, BLOCK_BODIES, { requestId: 1111n, bodies: [body] });
  });

  it('PooledTransactions keeps each transaction as its RLP, which hashes to the tx hash', () => {
    vector(pooledTransactions, POOLED_TRANSACTIONS, {
      requestId: 1111n,
      transactions: [h(TX1), h(TX2)],
    });
    const txs = pooledTransactions.decode(h(POOLED_TRANSACTIONS)).transactions;
    expect(txs.map((tx) => bytesToHex(keccak256(tx)))).toEqual(TX_HASHES);
  });

  it('Receipts (eth/68 consensus encoding, with bloom)', () => {
    const decoded = receipts68.decode(h(RECEIPTS));
    expect(decoded.requestId).toBe(1111n);
    expect(decoded.receipts).toHaveLength(1);
    const receipt = decoded.receipts[0]?.[0] as Uint8Array;
    // [status: failed (empty), cumulative gas 1, bloom: 256 zero bytes, [log]]
    expect(bytesToHex(receipt.subarray(0, 8))).toBe('f901668001b90100');
    expect(bytesToHex(receipt).endsWith('830100ff')).toBe(true);
    vector(receipts68, RECEIPTS, decoded);
  });
});
