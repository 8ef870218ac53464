import { MemoryChain } from '@ethp2p/chain';
import { describe, expect, it } from 'vitest';
import { generateChain } from '../../../eth/test/helpers/chain-generator.ts';
import { syntheticBlocks } from '../../src/testnet/synthetic-blocks.ts';

describe('syntheticBlocks', () => {
  it('builds blocks that link and validate, with and without transactions', async () => {
    const gen = await generateChain({ blocks: 0 });
    const chain = await MemoryChain.fromGenesis(gen.genesis);
    const empty = await syntheticBlocks(chain.head(), 5);
    expect((await chain.importBlocks(empty)).number).toBe(5n);
    const full = await syntheticBlocks(chain.head(), 5, { txsPerBlock: 4, txDataBytes: 100 });
    const head = await chain.importBlocks(full);
    expect(head.number).toBe(10n);
    expect(head.time).toBe(gen.genesis.timestamp + 120n);
    expect(chain.bodyByHash(head.hash)?.length).toBeGreaterThan(4 * 100);
  });

  it('refuses a negative count and more transactions than the gas limit holds', async () => {
    const gen = await generateChain({ blocks: 0 });
    const chain = await MemoryChain.fromGenesis(gen.genesis);
    await expect(syntheticBlocks(chain.head(), -1)).rejects.toThrow(RangeError);
    await expect(syntheticBlocks(chain.head(), 1, { txsPerBlock: 10_000 })).rejects.toThrow(
      RangeError,
    );
  });
});
