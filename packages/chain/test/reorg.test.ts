import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRoot } from '@ethp2p/base/rlp';
import { readGenesis } from '@ethp2p/eth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockFromItem } from '../src/block.ts';
import { MemoryChain } from '../src/memory-chain.ts';
import { PersistentChain } from '../src/persistent-chain.ts';
import { type ExecutedChain, generateExecutedChain } from '../src/testing/executed-chain.ts';

let main: ExecutedChain;
let fork: ExecutedChain;
const dir = mkdtempSync(join(tmpdir(), 'ethp2p-reorg-'));

beforeAll(async () => {
  // Both share blocks 1-4; the fork differs from 5 on. Each block stores BLOCKHASH of its
  // parent: a side block executes with the hashes of its own branch, not the canonical ones.
  const shape = { txsPerBlock: 3, blockHashes: true };
  main = await generateExecutedChain({ ...shape, blocks: 12 });
  fork = await generateExecutedChain({ ...shape, blocks: 10, fork: { after: 4, salt: 7 } });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hashOf = (block: Uint8Array): Uint8Array =>
  blockFromItem(readRoot(block, 'block')).header.hash;

type Chain = MemoryChain | PersistentChain;

const kinds: [string, () => Promise<Chain>][] = [
  ['MemoryChain', () => MemoryChain.fromGenesis(readGenesis(main.genesisJson))],
  [
    'PersistentChain',
    () => PersistentChain.open({ genesisJson: main.genesisJson, path: join(dir, 'chain') }),
  ],
];

/** The same chain, or (persistent) the store opened again. */
async function reopen(chain: Chain, open: () => Promise<Chain>): Promise<Chain> {
  return chain instanceof PersistentChain ? open() : chain;
}

describe.each(kinds)('%s reorgs', (_, open) => {
  it('keeps a side branch, and switches the canonical chain to it once it is higher', async () => {
    const chain = await open();
    await chain.importBlocks(main.blocks.slice(0, 8));
    const mainHead = chain.head().hash;
    expect(mainHead).toEqual(hashOf(main.blocks[7] as Uint8Array));
    expect(hashOf(fork.blocks[3] as Uint8Array)).toEqual(hashOf(main.blocks[3] as Uint8Array));

    // Blocks 5-8 of the fork: as high as the head, not higher: kept, not canonical.
    const head = await chain.importBlocks(fork.blocks.slice(4, 8));
    expect(head.hash).toEqual(mainHead);
    const side8 = hashOf(fork.blocks[7] as Uint8Array);
    expect(chain.headerByHash(side8)?.number).toBe(8n);
    expect(chain.headerByNumber(8n)?.hash).toEqual(mainHead);

    // Block 9 makes it higher: the chain switches, from the common ancestor (4) up.
    const switched = await chain.importBlocks(fork.blocks.slice(8));
    expect(switched.number).toBe(10n);
    for (let n = 1; n <= 10; n++) {
      const want = hashOf((n <= 4 ? main : fork).blocks[n - 1] as Uint8Array);
      expect(chain.headerByNumber(BigInt(n))?.hash).toEqual(want);
    }
    // The old branch stays known by hash, with its body.
    const old5 = hashOf(main.blocks[4] as Uint8Array);
    expect(chain.headerByHash(old5)?.number).toBe(5n);
    expect(chain.bodyByHash(old5)).toBeDefined();
    if (chain instanceof PersistentChain) {
      // Receipts served for the new branch are its own; a restart keeps the switch.
      const fork6 = hashOf(fork.blocks[5] as Uint8Array);
      const receipts = chain.receiptsByHash(fork6);
      expect(receipts).toBeDefined();
      await chain.close();
      const again = await open();
      expect(again.head().number).toBe(10n);
      expect(again.headerByNumber(6n)?.hash).toEqual(fork6);
      expect(again.receiptsByHash(fork6)).toEqual(receipts);
      await (again as PersistentChain).close();
    }
    // The old branch grows higher again: the chain switches back (executing on its state).
    const back = await reopen(chain, open);
    expect((await back.importBlocks(main.blocks.slice(8))).number).toBe(12n);
    for (let n = 1; n <= 12; n++) {
      expect(back.headerByNumber(BigInt(n))?.hash).toEqual(
        hashOf(main.blocks[n - 1] as Uint8Array),
      );
    }
    if (back instanceof PersistentChain) await back.close();
  });
});
