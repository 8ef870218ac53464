import { RLP } from '@ethereumjs/rlp';
import { encodeList, readItem } from '@ethp2p/base/rlp';
import { bytesToHex, keccak256 } from '@ethp2p/crypto';
import { ChainError } from '@ethp2p/eth/chain';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedChain, generateChain } from '../../eth/test/helpers/chain-generator.ts';
import { blockFromItem } from '../src/block.ts';
import { decodeHeader, encodeHeader, type HeaderFields } from '../src/header.ts';

let gen: GeneratedChain;
beforeAll(async () => {
  gen = await generateChain({ blocks: 4, txEvery: 1 });
});

/** The header fields of a generated header, decoded by @ethereumjs/rlp. */
function rawFields(header: Uint8Array): Uint8Array[] {
  return RLP.decode(header) as Uint8Array[];
}

function malformed(fields: unknown[]): Uint8Array {
  return RLP.encode(fields as Uint8Array[]);
}

describe('decodeHeader', () => {
  it('reads number, time, parent hash and receipts root and hashes the exact bytes', () => {
    for (const [n, rlp] of gen.headers.entries()) {
      const header = decodeHeader(rlp);
      const f = rawFields(rlp);
      expect(header.number).toBe(BigInt(n));
      expect(header.hash).toEqual(keccak256(rlp));
      expect(header.hash).toEqual(gen.hashes[n]);
      expect(header.parentHash).toEqual(f[0]);
      expect(header.receiptsRoot).toEqual(f[5]);
      expect(header.time).toBe(BigInt(`0x${bytesToHex(f[11] as Uint8Array) || '0'}`));
      expect(header.rlp).toEqual(rlp);
    }
  });

  it('copies its input', () => {
    const input = (gen.headers[1] as Uint8Array).slice();
    const header = decodeHeader(input);
    input.fill(0);
    expect(header.rlp).toEqual(gen.headers[1]);
  });

  it('accepts every header length from 15 to 23 fields', () => {
    const base = rawFields(gen.headers[1] as Uint8Array).slice(0, 15);
    const extra = [7n, new Uint8Array(32), 1n, 2n, new Uint8Array(32), new Uint8Array(32)];
    const all = [...base, ...extra, new Uint8Array(32), 5n];
    for (let n = 15; n <= 23; n++) {
      const rlp = RLP.encode(all.slice(0, n));
      expect(decodeHeader(rlp).number).toBe(1n);
    }
  });

  const broken: [string, (f: unknown[]) => unknown[]][] = [
    ['14 fields', (f) => f.slice(0, 14)],
    ['24 fields', (f) => [...f, ...Array(24 - f.length).fill(new Uint8Array(32))]],
    ['a 31-byte parent hash', (f) => [new Uint8Array(31), ...f.slice(1)]],
    ['a 255-byte bloom', (f) => [...f.slice(0, 6), new Uint8Array(255), ...f.slice(7)]],
    ['a 9-byte number', (f) => [...f.slice(0, 8), new Uint8Array(9).fill(1), ...f.slice(9)]],
    ['a number with a leading zero', (f) => [...f.slice(0, 8), Uint8Array.of(0, 1), ...f.slice(9)]],
    ['a list as gas limit', (f) => [...f.slice(0, 9), [], ...f.slice(10)]],
    ['a 7-byte nonce', (f) => [...f.slice(0, 14), new Uint8Array(7), ...f.slice(15)]],
    ['a 33-byte base fee', (f) => [...f.slice(0, 15), new Uint8Array(33).fill(1), ...f.slice(16)]],
  ];
  it.each(broken)('rejects a header with %s', (_name, edit) => {
    const rlp = malformed(edit(rawFields(gen.headers[1] as Uint8Array)));
    expect(() => decodeHeader(rlp)).toThrow(ChainError);
  });

  it('rejects a byte string, trailing bytes, truncation and non-canonical RLP', () => {
    const good = gen.headers[1] as Uint8Array;
    expect(() => decodeHeader(RLP.encode(new Uint8Array(600)))).toThrow(ChainError);
    expect(() => decodeHeader(Uint8Array.of(...good, 0x80))).toThrow(ChainError);
    expect(() => decodeHeader(good.subarray(0, good.length - 1))).toThrow(ChainError);
    expect(() => decodeHeader(new Uint8Array(0))).toThrow(ChainError);
    // The number 5 written as 0x81 0x05: a single byte below 0x80 must stand for itself.
    const items = rawFields(good).map((f) => RLP.encode(f));
    items[8] = Uint8Array.of(0x81, 0x05);
    expect(() => decodeHeader(encodeList(items))).toThrow(ChainError);
    items[8] = Uint8Array.of(0x05);
    expect(decodeHeader(encodeList(items)).number).toBe(5n);
  });
});

describe('encodeHeader', () => {
  const base: HeaderFields = {
    parentHash: new Uint8Array(32).fill(1),
    ommersHash: new Uint8Array(32).fill(2),
    coinbase: new Uint8Array(20).fill(3),
    stateRoot: new Uint8Array(32).fill(4),
    transactionsRoot: new Uint8Array(32).fill(5),
    receiptsRoot: new Uint8Array(32).fill(6),
    logsBloom: new Uint8Array(256),
    difficulty: 131_072n,
    number: 9n,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    timestamp: 1234n,
    extraData: Uint8Array.of(0xab),
    mixHash: new Uint8Array(32).fill(7),
    nonce: new Uint8Array(8),
  };

  it('writes the 15 base fields as @ethereumjs/rlp does and decodes back', () => {
    const rlp = encodeHeader(base);
    const expected = RLP.encode([
      base.parentHash,
      base.ommersHash,
      base.coinbase,
      base.stateRoot,
      base.transactionsRoot,
      base.receiptsRoot,
      base.logsBloom,
      131_072n,
      9n,
      30_000_000n,
      0n,
      1234n,
      base.extraData,
      base.mixHash,
      base.nonce,
    ]);
    expect(rlp).toEqual(expected);
    const header = decodeHeader(rlp);
    expect(header.number).toBe(9n);
    expect(header.time).toBe(1234n);
    expect(header.parentHash).toEqual(base.parentHash);
  });

  it('writes a missing optional field before a present one as an empty string, like geth', () => {
    const rlp = encodeHeader({ ...base, excessBlobGas: 5n });
    const f = rawFields(rlp);
    expect(f).toHaveLength(19);
    expect(f.slice(15)).toEqual([
      new Uint8Array(0),
      new Uint8Array(0),
      new Uint8Array(0),
      Uint8Array.of(5),
    ]);
  });

  it('refuses fields of the wrong size', () => {
    expect(() => encodeHeader({ ...base, parentHash: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => encodeHeader({ ...base, number: -1n })).toThrow(RangeError);
    expect(() => encodeHeader({ ...base, gasLimit: 2n ** 64n })).toThrow(RangeError);
    expect(() => encodeHeader({ ...base, withdrawalsRoot: new Uint8Array(20) })).toThrow(
      RangeError,
    );
  });
});

describe('blockFromItem', () => {
  it('splits a block into its header and body', () => {
    for (const [i, block] of gen.blocks.entries()) {
      const decoded = blockFromItem(readItem(block, 0));
      expect(decoded.header.hash).toEqual(gen.hashes[i + 1]);
      expect(decoded.body).toEqual(gen.bodies[i + 1]);
    }
  });

  it('rejects blocks of the wrong shape', () => {
    const header = RLP.decode(gen.headers[1] as Uint8Array) as Uint8Array[];
    const cases = [
      RLP.encode([header, []]),
      RLP.encode([header, [], [], [], []]),
      RLP.encode([header, new Uint8Array(1), []]),
      RLP.encode([header, [], [], new Uint8Array(0)]),
      RLP.encode([new Uint8Array(32), [], []]),
    ];
    for (const block of cases) expect(() => blockFromItem(readItem(block, 0))).toThrow(ChainError);
  });
});
