import { type Input, RLP } from '@ethereumjs/rlp';
import { rejectedError, thrownError } from '@ethp2p/base/testing';
import { bytesToHex } from '@ethp2p/crypto';
import { type ChainHeader, readGenesis } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BLOCK_BYTES } from '../src/chain-file.ts';
import { decodeHeader } from '../src/header.ts';
import { linkedParent, sideBranch } from '../src/linkage.ts';
import { MemoryChain } from '../src/memory-chain.ts';
import { PersistentChain } from '../src/persistent-chain.ts';
import { type ExecutedChain, generateExecutedChain } from '../src/testing/executed-chain.ts';

let gen: ExecutedChain;
let headers: ChainHeader[];

beforeAll(async () => {
  gen = await generateExecutedChain({ blocks: 4, txsPerBlock: 1 });
  headers = gen.blocks.map((block) => decodeHeader(RLP.encode((RLP.decode(block) as Input[])[0])));
});

/** `block` with header field `index` replaced by `value`. */
function tamper(block: Uint8Array, index: number, value: Input): Uint8Array {
  const [header, ...body] = RLP.decode(block) as [Input[], ...Input[]];
  const fields = [...header];
  fields[index] = value;
  return RLP.encode([fields, ...body]);
}

type Chain = MemoryChain | PersistentChain;

const kinds: [string, () => Promise<Chain>][] = [
  ['MemoryChain', () => MemoryChain.fromGenesis(readGenesis(gen.genesisJson))],
  ['PersistentChain', () => PersistentChain.open({ genesisJson: gen.genesisJson })],
];

async function closed(chain: Chain): Promise<void> {
  if (chain instanceof PersistentChain) await chain.close();
}

describe.each(kinds)('%s.importBlocks links each block to its parent', (_, open) => {
  it('refuses an unknown parent as UNLINKED_BLOCK, naming the batch index, number and parent', async () => {
    const chain = await open();
    const block3 = headers[2] as ChainHeader;
    const err = await rejectedError(
      chain.importBlocks([gen.blocks[0] as Uint8Array, gen.blocks[2] as Uint8Array]),
      ChainError,
      'UNLINKED_BLOCK',
    );
    expect(err.message).toBe(
      `block 1: block 3 has an unknown parent ${bytesToHex(block3.parentHash)}`,
    );
    expect(chain.head().number).toBe(1n);
    await closed(chain);
  });

  it('refuses a number that does not follow the parent as UNLINKED_BLOCK', async () => {
    const chain = await open();
    const err = await rejectedError(
      chain.importBlocks([tamper(gen.blocks[0] as Uint8Array, 8, 2)]),
      ChainError,
      'UNLINKED_BLOCK',
    );
    expect(err.message).toBe('block 0: number 2 does not follow 0');
    expect(chain.head().number).toBe(0n);
    await closed(chain);
  });

  it('skips blocks it holds and refuses a block above the size limit before decoding it', async () => {
    const chain = await open();
    expect((await chain.importBlocks(gen.blocks.slice(0, 2))).number).toBe(2n);
    expect((await chain.importBlocks(gen.blocks)).number).toBe(4n);
    const big = new Uint8Array(MAX_IMPORT_BLOCK_BYTES + 1);
    const err = await rejectedError(chain.importBlocks([big]), ChainError, 'BLOCK_TOO_LARGE');
    expect(err.message).toBe(
      `block 0: ${MAX_IMPORT_BLOCK_BYTES + 1} bytes, more than ${MAX_IMPORT_BLOCK_BYTES}`,
    );
    await closed(chain);
  });
});

describe('linkedParent and sideBranch', () => {
  const byHash = (held: ChainHeader[]) => (hash: Uint8Array) =>
    held.find((h) => bytesToHex(h.hash) === bytesToHex(hash));

  it('linkedParent gives the parent, or undefined for a held block', () => {
    const [h1, h2] = headers as [ChainHeader, ChainHeader];
    expect(linkedParent('x', h2, byHash([h1]))).toBe(h1);
    expect(linkedParent('x', h2, byHash([h1, h2]))).toBeUndefined();
    const err = thrownError(() => linkedParent('x', h2, byHash([])), ChainError, 'UNLINKED_BLOCK');
    expect(err.message).toBe(`x: block 2 has an unknown parent ${bytesToHex(h1.hash)}`);
  });

  it('sideBranch walks down to the first canonical block, and refuses a branch that does not reach it', () => {
    const [, h2, h3, h4] = headers as [ChainHeader, ChainHeader, ChainHeader, ChainHeader];
    const canonicalUpTo = (n: bigint) => (h: ChainHeader) => h.number <= n;
    expect(sideBranch(h4, byHash(headers), canonicalUpTo(1n))).toEqual([h2, h3, h4]);
    expect(sideBranch(h4, byHash(headers), canonicalUpTo(4n))).toEqual([]);
    thrownError(() => sideBranch(h4, byHash([h3, h4]), canonicalUpTo(1n)), RangeError);
  });
});
