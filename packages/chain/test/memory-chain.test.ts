import { RLP } from '@ethereumjs/rlp';
import { thrownError } from '@ethp2p/base/testing';
import { concatBytes } from '@ethp2p/crypto';
import { chainConfigFromGenesis, forkId } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedChain, generateChain } from '../../eth/test/helpers/chain-generator.ts';
import { genesisBlock } from '../src/genesis.ts';
import { MemoryChain } from '../src/memory-chain.ts';

let gen: GeneratedChain;
beforeAll(async () => {
  gen = await generateChain({ blocks: 20, txEvery: 4 });
});

async function freshChain(): Promise<MemoryChain> {
  return MemoryChain.fromGenesis(gen.genesis);
}

function expectChainError(fn: () => unknown, code: ChainError['code']): void {
  thrownError(fn, ChainError, code);
}

describe('MemoryChain.fromGenesis', () => {
  it('holds the genesis block the generator built by hand', async () => {
    const chain = await freshChain();
    expect(chain.genesis().hash).toEqual(gen.hashes[0]);
    expect(chain.genesis().rlp).toEqual(gen.headers[0]);
    expect(chain.head()).toBe(chain.genesis());
    expect(chain.bodyByHash(gen.hashes[0] as Uint8Array)).toEqual(gen.bodies[0]);
    expect(chain.config.genesisHash).toEqual(gen.hashes[0]);
    expect(chain.config.genesisTime).toBe(gen.genesis.timestamp);
    expect(chain.config.networkId).toBe(1337n);
    expect(chain.config.pragueTime).toBe(0n);
  });

  it('gives headers the fork ID code takes as a head', async () => {
    const chain = await freshChain();
    chain.importRlp(gen.chainRlp);
    // Every fork but Osaka is at genesis: the hash is the genesis checksum, Osaka is next.
    const id = forkId(chain.config, chain.head());
    expect(id.hash).toEqual(forkId(chain.config, chain.genesis()).hash);
    expect(id.next).toBe(gen.genesis.config.osakaTime);
    expect(id.next).toBeGreaterThan(chain.head().time);
  });

  it('takes the network ID from its options', async () => {
    const chain = await MemoryChain.fromGenesis(gen.genesis, { networkId: 5n });
    expect(chain.config.networkId).toBe(5n);
  });

  it('refuses a genesis block that does not match the configuration', async () => {
    const block = await genesisBlock(gen.genesis);
    const config = chainConfigFromGenesis(gen.genesis, new Uint8Array(32));
    expect(() => new MemoryChain(config, block)).toThrow(RangeError);
  });
});

describe('MemoryChain.importRlp', () => {
  it('imports a chain.rlp and serves back every header and body', async () => {
    const chain = await freshChain();
    expect(chain.importRlp(gen.chainRlp)).toBe(20);
    expect(chain.head().number).toBe(20n);
    expect(chain.head().hash).toEqual(gen.hashes[20]);
    for (let n = 0; n <= 20; n++) {
      const hash = gen.hashes[n] as Uint8Array;
      const byNumber = chain.headerByNumber(BigInt(n));
      expect(byNumber?.rlp).toEqual(gen.headers[n]);
      expect(chain.headerByHash(hash)).toBe(byNumber);
      expect(chain.bodyByHash(hash)).toEqual(gen.bodies[n]);
    }
    expect(chain.headerByNumber(21n)).toBeUndefined();
    expect(chain.headerByNumber(-1n)).toBeUndefined();
    expect(chain.headerByNumber(2n ** 64n - 1n)).toBeUndefined();
    expect(chain.headerByHash(new Uint8Array(32))).toBeUndefined();
    expect(chain.bodyByHash(new Uint8Array(32))).toBeUndefined();
  });

  it('keeps copies, not views of the input', async () => {
    const chain = await freshChain();
    const input = gen.chainRlp.slice();
    chain.importRlp(input);
    input.fill(0);
    expect(chain.headerByNumber(3n)?.rlp).toEqual(gen.headers[3]);
    expect(chain.bodyByHash(gen.hashes[3] as Uint8Array)).toEqual(gen.bodies[3]);
  });

  it('imports in parts, skips blocks it has, and accepts a file that starts at genesis', async () => {
    const chain = await freshChain();
    expect(chain.importRlp(concatBytes(...gen.blocks.slice(0, 5)))).toBe(5);
    expect(chain.importRlp(concatBytes(...gen.blocks.slice(0, 10)))).toBe(5);
    expect(chain.importRlp(gen.chainRlp)).toBe(10);
    expect(chain.importRlp(gen.chainRlp)).toBe(0);
    const genesisRlp = RLP.encode([
      RLP.decode(gen.headers[0] as Uint8Array) as Uint8Array[],
      [],
      [],
      [],
    ]);
    const other = await freshChain();
    expect(other.importRlp(concatBytes(genesisRlp, gen.chainRlp))).toBe(20);
    expect(other.importRlp(new Uint8Array(0))).toBe(0);
    expect(other.head().hash).toEqual(gen.hashes[20]);
  });

  it('serves empty receipts for blocks without transactions and none otherwise', async () => {
    const chain = await freshChain();
    chain.importRlp(gen.chainRlp);
    for (let n = 0; n <= 20; n++) {
      const receipts = chain.receiptsByHash(gen.hashes[n] as Uint8Array);
      if ((gen.txs[n] as Uint8Array[]).length === 0) expect(receipts).toEqual(Uint8Array.of(0xc0));
      else expect(receipts).toBeUndefined();
    }
    expect(chain.receiptsByHash(new Uint8Array(32))).toBeUndefined();
  });

  const cases: [string, () => Uint8Array, ChainError['code']][] = [
    ['truncated data', () => gen.chainRlp.subarray(0, gen.chainRlp.length - 1), 'MALFORMED_BLOCK'],
    ['a trailing byte', () => concatBytes(gen.chainRlp, Uint8Array.of(0xc5)), 'MALFORMED_BLOCK'],
    ['garbage', () => Uint8Array.of(0xff, 0xff, 0xff), 'MALFORMED_BLOCK'],
    ['a byte string', () => RLP.encode(new Uint8Array(100)), 'MALFORMED_BLOCK'],
    ['a list that is not a block', () => RLP.encode([[], [], []]), 'MALFORMED_BLOCK'],
    [
      'a gap',
      () => concatBytes(...gen.blocks.slice(0, 3), ...gen.blocks.slice(4)),
      'UNLINKED_BLOCK',
    ],
    [
      'blocks out of order',
      () => concatBytes(gen.blocks[1] as Uint8Array, gen.blocks[0] as Uint8Array),
      'UNLINKED_BLOCK',
    ],
    [
      'a chain that does not start at the head',
      () => gen.blocks[5] as Uint8Array,
      'UNLINKED_BLOCK',
    ],
    [
      'a block repeated',
      () => concatBytes(...gen.blocks.slice(0, 3), gen.blocks[2] as Uint8Array),
      'UNLINKED_BLOCK',
    ],
  ];
  it.each(cases)('rejects %s and imports nothing', async (_name, data, code) => {
    const chain = await freshChain();
    expectChainError(() => chain.importRlp(data()), code);
    expect(chain.head().number).toBe(0n);
  });

  it('rejects a block whose parent hash is wrong', async () => {
    const chain = await freshChain();
    const block1 = RLP.decode(gen.blocks[0] as Uint8Array) as Uint8Array[][];
    const header = [...(block1[0] as Uint8Array[])];
    header[0] = new Uint8Array(32).fill(9);
    const forged = RLP.encode([header, ...block1.slice(1)]);
    expectChainError(() => chain.importRlp(forged), 'UNLINKED_BLOCK');
  });

  it('rejects a block whose number does not follow its parent', async () => {
    const chain = await freshChain();
    const block1 = RLP.decode(gen.blocks[0] as Uint8Array) as Uint8Array[][];
    const header = [...(block1[0] as Uint8Array[])];
    header[8] = Uint8Array.of(2);
    const forged = RLP.encode([header, ...block1.slice(1)]);
    expectChainError(() => chain.importRlp(forged), 'UNLINKED_BLOCK');
  });

  it('refuses a block above the size limit before decoding it', async () => {
    const big = await generateChain({ blocks: 2, extraDataBytes: 4000 });
    const chain = await MemoryChain.fromGenesis(big.genesis);
    expectChainError(
      () => chain.importRlp(big.chainRlp, { maxBlockBytes: 4000 }),
      'BLOCK_TOO_LARGE',
    );
    expect(chain.importRlp(big.chainRlp, { maxBlockBytes: 5000 })).toBe(2);
  });

  it('rejects a non-byte argument with a TypeError', async () => {
    const chain = await freshChain();
    expect(() => chain.importRlp('0xc0' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
