import { RLP } from '@ethereumjs/rlp';
import { MemoryLogger } from '@ethp2p/base';
import { concatBytes, keccak256 } from '@ethp2p/crypto';
import { CELL_BYTES, cellMask, readBlobTransaction } from '@ethp2p/eth/messages';
import { describe, expect, it } from 'vitest';
import { blobTx } from '../../eth/test/helpers/blob-tx.ts';
import { MemoryTxPool } from '../src/memory-tx-pool.ts';

/** A legacy transaction with a fake signature (only its envelope matters to the pool). */
function legacyTx(nonce: number, dataBytes = 0): Uint8Array {
  return RLP.encode([
    nonce,
    1n,
    21_000n,
    new Uint8Array(20),
    0n,
    new Uint8Array(dataBytes),
    27n,
    1n,
    2n,
  ]);
}

/** A dynamic-fee (type 2) transaction in its canonical encoding: 0x02 || rlp(payload). */
function typedTx(nonce: number): Uint8Array {
  const payload = [1n, nonce, 1n, 2n, 21_000n, new Uint8Array(20), 0n, new Uint8Array(0), [], 0n];
  return concatBytes(Uint8Array.of(2), RLP.encode([...payload, 1n, 2n]));
}

describe('MemoryTxPool', () => {
  it('keeps legacy and typed transactions under their hash, oldest first', () => {
    const pool = new MemoryTxPool();
    const a = legacyTx(0);
    const b = typedTx(1);
    const bHash = keccak256(b);
    expect(pool.add([a, b])).toEqual([true, true]);
    expect(pool.has(keccak256(a))).toBe(true);
    expect(pool.get(bHash)).toEqual(b);
    expect(pool.info(bHash)).toEqual({ hash: bHash, type: 2, size: b.length });
    expect(pool.info(keccak256(a))).toEqual({ hash: keccak256(a), type: 0, size: a.length });
    expect(pool.pendingHashes()).toEqual([keccak256(a), bHash]);
    expect(pool.has(keccak256(Uint8Array.of(1)))).toBe(false);
    expect(pool.get(new Uint8Array(32))).toBeUndefined();
  });

  it('refuses duplicates, bad envelopes and oversized transactions without throwing', () => {
    const pool = new MemoryTxPool({ maxTxBytes: 1000 });
    const a = legacyTx(0);
    const bad = [
      new Uint8Array(0),
      RLP.encode(new Uint8Array(40)), // a byte string
      Uint8Array.of(0xc5, 1, 2), // truncated list
      concatBytes(legacyTx(1), Uint8Array.of(0)), // trailing byte
      Uint8Array.of(2), // a type byte alone
      RLP.encode(typedTx(0)), // a typed transaction in its network form
      concatBytes(Uint8Array.of(2), RLP.encode(new Uint8Array(3))), // type + byte string
      concatBytes(Uint8Array.of(2), RLP.encode([1n]), Uint8Array.of(0)), // trailing byte
      legacyTx(2, 2000), // too large
      'tx' as unknown as Uint8Array,
    ];
    expect(pool.add([a, a, ...bad])).toEqual([true, false, ...bad.map(() => false)]);
    expect(pool.add([a])).toEqual([false]);
    expect(pool.size).toBe(1);
  });

  it('stores a copy of what it is given', () => {
    const pool = new MemoryTxPool();
    const a = legacyTx(3);
    const hash = keccak256(a);
    pool.add([a]);
    a.fill(0);
    expect(keccak256(pool.get(hash) as Uint8Array)).toEqual(hash);
  });

  it('drops the oldest transactions beyond maxTxs', () => {
    const pool = new MemoryTxPool({ maxTxs: 3 });
    const txs = [0, 1, 2, 3, 4].map((n) => legacyTx(n));
    pool.add(txs.slice(0, 2));
    pool.add(txs.slice(2));
    expect(pool.pendingHashes()).toEqual(txs.slice(2).map((tx) => keccak256(tx)));
  });

  it('reports each add that accepted something in one txs:added event', () => {
    const pool = new MemoryTxPool();
    const events: Uint8Array[][] = [];
    pool.events.on('txs:added', ({ hashes }) => events.push([...hashes]));
    const a = legacyTx(0);
    const b = legacyTx(1);
    pool.add([a, b]);
    pool.add([a]);
    pool.add([Uint8Array.of(0x80)]);
    expect(events).toEqual([[keccak256(a), keccak256(b)]]);
  });

  it('keeps what it accepted when a txs:added listener throws, and logs the listener', () => {
    const logger = new MemoryLogger();
    const pool = new MemoryTxPool({ logger });
    pool.events.on('txs:added', () => {
      throw new Error('listener bug');
    });
    const a = legacyTx(0);
    pool.add([a]);
    expect(pool.size).toBe(1);
    expect(logger.lines.map((l) => l.msg)).toEqual(['tx pool listener failed']);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => new MemoryTxPool({ maxTxs: 0 })).toThrow(RangeError);
    expect(() => new MemoryTxPool({ maxTxBytes: 1.5 })).toThrow(RangeError);
    expect(() => new MemoryTxPool({ maxBlobs: -1 })).toThrow(RangeError);
  });
});

describe('MemoryTxPool blob transactions and cells', () => {
  const cell = (i: number): Uint8Array => new Uint8Array(CELL_BYTES).fill(i);
  /** A fake extension: cell i of a blob is its second byte + i, repeated. */
  function fakeExtend(calls: Uint8Array[]): (blob: Uint8Array) => Uint8Array[] {
    return (blob) => {
      calls.push(blob);
      return Array.from({ length: 128 }, (_, i) => cell(((blob[1] as number) + i) & 0xff));
    };
  }

  it('keeps a blob transaction under the hash without its sidecar; refuses one without a sidecar or with a bad one', () => {
    const pool = new MemoryTxPool();
    const tx = blobTx({ blobs: 2 });
    const bad = readBlobTransaction(blobTx({ nonce: 1 }).full);
    const other = blobTx({ nonce: 2 });
    // A bare form whose blobs are partly there: neither all of them nor none.
    const partial = concatBytes(
      Uint8Array.of(3),
      RLP.encode([
        RLP.decode(readBlobTransaction(other.full).tx.subarray(1)) as Uint8Array[],
        1n,
        [other.blobs[0] as Uint8Array, other.blobs[0] as Uint8Array],
        [],
        [],
      ]),
    );
    expect(pool.add([tx.full, bad.tx, partial])).toEqual([true, false, false]);
    expect(pool.has(tx.hash)).toBe(true);
    expect(pool.info(tx.hash)).toEqual({ hash: tx.hash, type: 3, size: tx.full.length });
    expect(pool.cellMask(keccak256(legacyTx(0)))).toBeUndefined();
  });

  it('with the blobs: every cell held, the lower half from the blobs, the upper half extended once', () => {
    const calls: Uint8Array[] = [];
    const pool = new MemoryTxPool({ extendBlob: fakeExtend(calls) });
    const tx = blobTx({ blobs: 2 });
    pool.add([tx.full]);
    expect(pool.cellMask(tx.hash)).toEqual(new Uint8Array(16).fill(0xff));
    const low = pool.cells(tx.hash, cellMask([0, 63]));
    expect(low).toEqual([
      (tx.blobs[0] as Uint8Array).subarray(0, CELL_BYTES),
      (tx.blobs[1] as Uint8Array).subarray(0, CELL_BYTES),
      (tx.blobs[0] as Uint8Array).subarray(63 * CELL_BYTES),
      (tx.blobs[1] as Uint8Array).subarray(63 * CELL_BYTES),
    ]);
    expect(calls).toHaveLength(0);
    const b0 = (tx.blobs[0] as Uint8Array)[1] as number;
    const b1 = (tx.blobs[1] as Uint8Array)[1] as number;
    expect(pool.cells(tx.hash, cellMask([100]))).toEqual([
      cell((b0 + 100) & 0xff),
      cell((b1 + 100) & 0xff),
    ]);
    expect(pool.cells(tx.hash, cellMask([127]))).toHaveLength(2);
    expect(calls).toHaveLength(2); // once per blob
  });

  it('blobs that do not extend (not field elements) keep only their lower cells', () => {
    const pool = new MemoryTxPool({
      extendBlob: () => {
        throw new Error('parseScalar: invalid field element');
      },
    });
    const tx = blobTx();
    pool.add([tx.full]);
    expect(pool.cells(tx.hash, cellMask([64]))).toBeUndefined();
    expect(pool.cellMask(tx.hash)).toEqual(cellMask(Array.from({ length: 64 }, (_, i) => i)));
    expect(pool.cells(tx.hash, cellMask([3]))).toHaveLength(1);
  });

  it('without the blobs: holds the cells added, by index, and serves only those', () => {
    const pool = new MemoryTxPool();
    const tx = blobTx({ blobs: 2 });
    pool.add([tx.bare]);
    expect(pool.cellMask(tx.hash)).toEqual(new Uint8Array(16));
    expect(pool.cells(tx.hash, cellMask([1]))).toBeUndefined();
    const mask = cellMask([1, 9]);
    // One cell per index and blob, 2048 bytes each, or nothing is kept.
    expect(pool.addCells(tx.hash, mask, [cell(1), cell(1), cell(9)])).toBe(false);
    expect(pool.addCells(tx.hash, mask, [cell(1), cell(1), cell(9), new Uint8Array(5)])).toBe(
      false,
    );
    expect(pool.addCells(keccak256(legacyTx(0)), mask, [])).toBe(false);
    expect(pool.addCells(tx.hash, mask, [cell(1), cell(2), cell(9), cell(10)])).toBe(true);
    expect(pool.cellMask(tx.hash)).toEqual(mask);
    expect(pool.cells(tx.hash, cellMask([9]))).toEqual([cell(9), cell(10)]);
    expect(pool.cells(tx.hash, mask)).toEqual([cell(1), cell(2), cell(9), cell(10)]);
    expect(pool.cells(tx.hash, cellMask([1, 2]))).toBeUndefined();
  });

  it('drops the oldest blob transactions beyond maxBlobs', () => {
    const pool = new MemoryTxPool({ maxBlobs: 3 });
    const a = blobTx({ nonce: 0, blobs: 2 });
    const b = blobTx({ nonce: 1, blobs: 1 });
    const c = blobTx({ nonce: 2, blobs: 1 });
    pool.add([a.bare, b.bare]);
    expect(pool.size).toBe(2);
    pool.add([c.bare, legacyTx(1)]);
    expect(pool.pendingHashes()).toEqual([b.hash, c.hash, keccak256(legacyTx(1))]);
  });

  it('extends with KZG by default (cells 0 to 63 are the blob: the extension is systematic)', () => {
    const pool = new MemoryTxPool();
    const tx = blobTx({ blobs: 1 });
    pool.add([tx.full]);
    const all = pool.cells(tx.hash, new Uint8Array(16).fill(0xff)) as Uint8Array[];
    expect(all).toHaveLength(128);
    expect(keccak256(concatBytes(...all.slice(0, 64)))).toEqual(
      keccak256(tx.blobs[0] as Uint8Array),
    );
    expect(all.every((c) => c.length === CELL_BYTES)).toBe(true);
  });
});
