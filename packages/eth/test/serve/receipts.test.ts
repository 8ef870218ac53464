import { type Input, RLP } from '@ethereumjs/rlp';
import { MemoryChain } from '@ethp2p/chain';
import { bytesToHex, equalBytes, keccak256 } from '@ethp2p/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { EthError } from '../../src/errors.ts';
import { MAX_RECEIPTS_SERVE } from '../../src/serve/limits.ts';
import { receiptToEth68 } from '../../src/serve/receipt-eth68.ts';
import { serveReceipts } from '../../src/serve/receipts.ts';
import { type GeneratedChain, generateChain } from '../helpers/chain-generator.ts';
import { fakeChain, fakeHash, fakeHashNumber } from '../helpers/fake-chain.ts';

const MIB = 1024 * 1024;

/** An eth/69 receipt `[type, status, gas, logs]` with one log carrying `dataBytes` of data. */
function receipt(type: number, dataBytes = 0): Input {
  const log = [
    new Uint8Array(20).fill(0x11),
    [new Uint8Array(32).fill(0x22)],
    new Uint8Array(dataBytes),
  ];
  return [type, Uint8Array.of(1), 21_000n, dataBytes > 0 ? [log] : []];
}

describe('serveReceipts on a chain without an EVM', () => {
  let gen: GeneratedChain;
  let chain: MemoryChain;
  beforeAll(async () => {
    gen = await generateChain({ blocks: 10, txEvery: 4 });
    chain = await MemoryChain.fromGenesis(gen.genesis);
    chain.importRlp(gen.chainRlp);
  });
  const h = (n: number) => gen.hashes[n] as Uint8Array;

  it('serves the empty receipts of blocks without transactions and stops at one with some', () => {
    // Blocks 1, 5 and 9 carry transactions.
    for (const version of [68, 69, 70]) {
      const served = serveReceipts(chain, [h(2), h(3), h(4), h(5), h(6)], { version });
      expect(served.receipts).toEqual([RLP.encode([]), RLP.encode([]), RLP.encode([])]);
      expect(served.lastBlockIncomplete).toBe(false);
    }
    expect(serveReceipts(chain, [h(1), h(2)], { version: 69 }).receipts).toEqual([]);
  });
});

describe('serveReceipts', () => {
  const lists = new Map<number, Uint8Array>([
    [0, RLP.encode([receipt(0), receipt(2, 10)])],
    [1, RLP.encode([])],
    [2, RLP.encode([receipt(1, 3), receipt(3), receipt(0, 1)])],
  ]);
  const chain = fakeChain({ receipts: (hash) => lists.get(fakeHashNumber(hash)) });

  it('serves eth/69 lists as the chain supplies them, in request order', () => {
    const served = serveReceipts(chain, [fakeHash(2), fakeHash(0), fakeHash(1)], { version: 69 });
    expect(served.receipts).toEqual([lists.get(2), lists.get(0), lists.get(1)]);
    expect(served.lastBlockIncomplete).toBe(false);
  });

  it('stops at the first block without receipts', () => {
    const served = serveReceipts(chain, [fakeHash(0), fakeHash(7), fakeHash(1)], { version: 69 });
    expect(served.receipts).toEqual([lists.get(0)]);
  });

  it('serves at most 1024 lists and stops after the one that reaches 2 MiB', () => {
    const many = fakeChain({ receipts: () => RLP.encode([]) });
    const hashes = Array.from({ length: 2000 }, (_, i) => fakeHash(i));
    expect(serveReceipts(many, hashes, { version: 69 }).receipts).toHaveLength(MAX_RECEIPTS_SERVE);
    const big = fakeChain({ receipts: () => RLP.encode([receipt(0, 700_000)]) });
    expect(serveReceipts(big, hashes, { version: 69 }).receipts).toHaveLength(3);
  });

  it('adds the bloom filter and wraps typed receipts for eth/68', () => {
    const served = serveReceipts(chain, [fakeHash(2)], { version: 68 });
    const list = RLP.decode(served.receipts[0] as Uint8Array) as Uint8Array[];
    expect(list).toHaveLength(3);
    // Type 1: a byte string 0x01 || rlp([status, gas, bloom, logs]).
    const typed = list[0] as Uint8Array;
    expect(typed[0]).toBe(1);
    const inner = RLP.decode(typed.subarray(1)) as Uint8Array[];
    expect(inner).toHaveLength(4);
    expect(inner[2]).toHaveLength(256);
    // Type 0: the list itself.
    const legacy = list[2] as unknown as Uint8Array[];
    expect(Array.isArray(legacy)).toBe(true);
    expect(legacy).toHaveLength(4);
    // A receipt without logs has an empty bloom.
    const noLogs = RLP.decode((list[1] as Uint8Array).subarray(1)) as Uint8Array[];
    expect(noLogs[2]).toEqual(new Uint8Array(256));
  });

  it('computes the bloom as geth does (core/types/bloom9_test.go TestBloomExtensively)', () => {
    // geth adds 100 strings to a bloom and expects keccak256(bloom) = c8d3ca65...; a receipt
    // whose log has the first as address and the other 99 as topics sets the same bits.
    const data = Array.from({ length: 100 }, (_, i) =>
      new TextEncoder().encode(`xxxxxxxxxx data ${i} yyyyyyyyyyyyyy`),
    );
    const r = RLP.encode([
      0,
      Uint8Array.of(1),
      1n,
      [[data[0] as Uint8Array, data.slice(1), new Uint8Array(0)]],
    ]);
    const fields = RLP.decode(receiptToEth68(r)) as Uint8Array[];
    expect(bytesToHex(keccak256(fields[2] as Uint8Array))).toBe(
      'c8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263',
    );
  });

  it('rejects receipts that are not in the eth/69 shape', () => {
    expect(() => receiptToEth68(RLP.encode([0, 1, 2]))).toThrow(EthError);
    expect(() => receiptToEth68(RLP.encode([0x80, 1, 2, []]))).toThrow(EthError);
    expect(() => receiptToEth68(RLP.encode(new Uint8Array(3)))).toThrow(EthError);
    const bad = fakeChain({ receipts: () => RLP.encode([[1, 2]]) });
    expect(serveReceipts(bad, [fakeHash(0)], { version: 68 }).receipts).toEqual([]);
  });

  it('eth/70: starts the first list at firstBlockReceiptIndex', () => {
    const served = serveReceipts(chain, [fakeHash(2), fakeHash(0)], {
      version: 70,
      firstBlockReceiptIndex: 1n,
    });
    const first = RLP.decode(served.receipts[0] as Uint8Array) as unknown[];
    expect(first).toEqual((RLP.decode(lists.get(2) as Uint8Array) as unknown[]).slice(1));
    expect(served.receipts[1]).toEqual(lists.get(0));
    const past = serveReceipts(chain, [fakeHash(2)], { version: 70, firstBlockReceiptIndex: 9n });
    expect(past.receipts).toEqual([RLP.encode([])]);
  });

  it('eth/70: cuts the list that would pass 10 MiB and says so', () => {
    const huge = fakeChain({
      receipts: () => RLP.encode(Array.from({ length: 12 }, () => receipt(2, MIB))),
    });
    const served = serveReceipts(huge, [fakeHash(0), fakeHash(1)], { version: 70 });
    expect(served.lastBlockIncomplete).toBe(true);
    expect(served.receipts).toHaveLength(1);
    expect((RLP.decode(served.receipts[0] as Uint8Array) as unknown[]).length).toBe(9);
  });

  it('eth/70: ends the response before a block whose first receipt does not fit', () => {
    const sizes = new Map([
      [0, RLP.encode([receipt(0, MIB + MIB / 2)])],
      [1, RLP.encode([receipt(0, 9 * MIB)])],
    ]);
    const chain2 = fakeChain({ receipts: (hash) => sizes.get(fakeHashNumber(hash)) });
    const served = serveReceipts(chain2, [fakeHash(0), fakeHash(1)], { version: 70 });
    expect(served.receipts).toHaveLength(1);
    // (equalBytes: a deep toEqual over megabytes is slow)
    expect(equalBytes(served.receipts[0] as Uint8Array, sizes.get(0) as Uint8Array)).toBe(true);
    expect(served.lastBlockIncomplete).toBe(false);
  });
});
