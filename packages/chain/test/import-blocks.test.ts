import { RLP } from '@ethereumjs/rlp';
import { rejectedError } from '@ethp2p/base/testing';
import { keccak256 } from '@ethp2p/crypto';
import { ChainError } from '@ethp2p/eth/chain';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedChain, generateChain } from '../../eth/test/helpers/chain-generator.ts';
import { emptyBodyOf, validateBody } from '../src/block-validation.ts';
import { decodeHeader } from '../src/header.ts';
import { MemoryChain } from '../src/memory-chain.ts';

let gen: GeneratedChain;
beforeAll(async () => {
  gen = await generateChain({ blocks: 12, txEvery: 2, txsPerBlock: 3 });
});

type Header = Uint8Array[];
type Body = [Uint8Array[], Uint8Array[], Uint8Array[]?];

/** Block `n` of the generated chain with its header and body edited by `edit`. */
function tampered(n: number, edit: (header: Header, body: Body) => void): Uint8Array {
  const [header, ...body] = RLP.decode(gen.blocks[n - 1] as Uint8Array) as unknown as [
    Header,
    ...Body,
  ];
  edit(header, body as Body);
  return RLP.encode([header, ...body.filter((part) => part !== undefined)]);
}

async function fresh(): Promise<MemoryChain> {
  return MemoryChain.fromGenesis(gen.genesis);
}

async function expectInvalid(
  chain: MemoryChain,
  blocks: Uint8Array[],
  field: string,
): Promise<ChainError> {
  const err = await rejectedError(chain.importBlocks(blocks), ChainError, 'INVALID_BLOCK');
  expect(err.details?.field).toBe(field);
  return err;
}

describe('MemoryChain.importBlocks', () => {
  it('imports blocks on top of the head and resolves to the new head', async () => {
    const chain = await fresh();
    const head = await chain.importBlocks(gen.blocks.slice(0, 5));
    expect(head.number).toBe(5n);
    expect(head.hash).toEqual(gen.hashes[5]);
    expect((await chain.importBlocks(gen.blocks.slice(5))).hash).toEqual(gen.hashes[12]);
    for (let n = 0; n <= 12; n++) {
      expect(chain.headerByNumber(BigInt(n))?.rlp).toEqual(gen.headers[n]);
      expect(chain.bodyByHash(gen.hashes[n] as Uint8Array)).toEqual(gen.bodies[n]);
    }
  });

  it('skips blocks it already has, so a repeated batch changes nothing', async () => {
    const chain = await fresh();
    await chain.importBlocks(gen.blocks.slice(0, 6));
    const head = await chain.importBlocks(gen.blocks.slice(0, 8));
    expect(head.number).toBe(8n);
    expect((await chain.importBlocks(gen.blocks.slice(0, 8))).number).toBe(8n);
  });

  it('runs concurrent calls one after the other', async () => {
    const chain = await fresh();
    const first = chain.importBlocks(gen.blocks.slice(0, 6));
    const second = chain.importBlocks(gen.blocks.slice(6));
    expect((await first).number).toBe(6n);
    expect((await second).number).toBe(12n);
  });

  it('refuses a block with an unknown parent as UNLINKED_BLOCK, keeping the blocks before', async () => {
    const chain = await fresh();
    const blocks = [...gen.blocks.slice(0, 3), ...gen.blocks.slice(4)];
    await rejectedError(chain.importBlocks(blocks), ChainError, 'UNLINKED_BLOCK');
    expect(chain.head().number).toBe(3n);
  });

  it('keeps a block whose parent is known but not the head, on a side branch not higher than the head', async () => {
    const chain = await fresh();
    await chain.importBlocks(gen.blocks.slice(0, 4));
    const fork = tampered(3, (header) => {
      header[12] = Uint8Array.of(1, 2, 3); // extraData: another block 3 on block 2
    });
    expect((await chain.importBlocks([fork])).hash).toEqual(gen.hashes[4]);
    const forkHash = keccak256(RLP.encode((RLP.decode(fork) as unknown as Header[])[0] as Header));
    expect(chain.headerByHash(forkHash)?.number).toBe(3n);
    expect(chain.headerByNumber(3n)?.hash).toEqual(gen.hashes[3]);
  });

  it('refuses a body that does not match the transactions root, storing nothing of it', async () => {
    const chain = await fresh();
    // Block 3 carries transactions (txEvery 2: blocks 1, 3, 5, ...); drop one.
    const bad = tampered(3, (_header, body) => {
      body[0].pop();
    });
    const err = await expectInvalid(chain, [...gen.blocks.slice(0, 2), bad], 'transactionsRoot');
    expect(err.details?.number).toBe(3n);
    expect(err.details?.hash).toEqual(gen.hashes[3]);
    expect(chain.head().number).toBe(2n);
    expect(chain.headerByHash(gen.hashes[3] as Uint8Array)).toBeUndefined();
    expect(chain.bodyByHash(gen.hashes[3] as Uint8Array)).toBeUndefined();
  });

  it('refuses transactions in another order', async () => {
    const chain = await fresh();
    const bad = tampered(1, (_header, body) => {
      body[0].reverse();
    });
    await expectInvalid(chain, [bad], 'transactionsRoot');
  });

  it('refuses ommers that do not match the ommers hash', async () => {
    const chain = await fresh();
    const bad = tampered(2, (_header, body) => {
      body[1].push(gen.headers[1] as Uint8Array);
    });
    await expectInvalid(chain, [gen.blocks[0] as Uint8Array, bad], 'ommersHash');
  });

  it('refuses withdrawals that do not match the withdrawals root, or are missing', async () => {
    const chain = await fresh();
    const extra = tampered(1, (_header, body) => {
      (body[2] as unknown as Uint8Array[][]).push([Uint8Array.of(1), Uint8Array.of(2)]);
    });
    await expectInvalid(chain, [extra], 'withdrawalsRoot');
    const missing = tampered(1, (_header, body) => {
      body.pop();
    });
    await expectInvalid(chain, [missing], 'withdrawalsRoot');
  });

  it.each([
    ['timestamp', 11, () => Uint8Array.of(1)],
    ['gasUsed', 10, () => RLP.encode(40_000_000n).subarray(1)],
    ['gasLimit', 9, () => RLP.encode(31_000_000n).subarray(1)],
    ['extraData', 12, () => new Uint8Array(33)],
  ])('refuses a header whose %s breaks the rules', async (field, index, value) => {
    const chain = await fresh();
    const bad = tampered(1, (header) => {
      header[index] = value();
    });
    await expectInvalid(chain, [bad], field);
    expect(chain.head().number).toBe(0n);
  });

  it('refuses bytes that are not a block as MALFORMED_BLOCK', async () => {
    const chain = await fresh();
    await rejectedError(chain.importBlocks([RLP.encode([[], []])]), ChainError, 'MALFORMED_BLOCK');
    await rejectedError(
      chain.importBlocks([keccak256(Uint8Array.of(1))]),
      ChainError,
      'MALFORMED_BLOCK',
    );
  });

  it('goes on after a failed call', async () => {
    const chain = await fresh();
    await rejectedError(chain.importBlocks([gen.blocks[3] as Uint8Array]), ChainError);
    expect((await chain.importBlocks(gen.blocks)).number).toBe(12n);
  });
});

describe('validateBody and emptyBodyOf', () => {
  it('refuse bytes that are not a body, naming the body', async () => {
    const header = decodeHeader(gen.headers[1] as Uint8Array);
    for (const body of [
      Uint8Array.of(0xff),
      RLP.encode([[]]),
      RLP.encode([[], new Uint8Array(1)]),
    ]) {
      const err = await rejectedError(validateBody(header, body), ChainError, 'INVALID_BLOCK');
      expect(err.details?.field).toBe('body');
    }
    await validateBody(header, gen.bodies[1] as Uint8Array);
  });

  it('make the body of a header that commits to an empty one, and only then', () => {
    // txEvery 2: block 2 has no transactions, block 1 has.
    const empty = decodeHeader(gen.headers[2] as Uint8Array);
    expect(emptyBodyOf(empty)).toEqual(gen.bodies[2]);
    expect(emptyBodyOf(decodeHeader(gen.headers[1] as Uint8Array))).toBeUndefined();
  });
});
