import { RLP } from '@ethereumjs/rlp';
import { MemoryLogger } from '@ethp2p/base';
import { concatBytes, keccak256 } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
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
  });
});
