/**
 * `serveBudget` reaches the node's ServeBudget: its values are checked there at construction.
 */
import { MemoryChain } from '@ethp2p/chain';
import { parseGenesisJson } from '@ethp2p/eth';
import { describe, expect, it } from 'vitest';
import { FullNode } from '../../src/node/full-node.ts';
import { testnetGenesisJson } from '../../src/testnet/genesis.ts';

describe('FullNode serveBudget', () => {
  it('passes the options to the ServeBudget, which refuses a bad value', async () => {
    const chain = await MemoryChain.fromGenesis(parseGenesisJson(testnetGenesisJson()));
    const options = { datadir: '/nonexistent/ethp2p', chain } as const;
    expect(() => new FullNode({ ...options, serveBudget: { bytesPerSecond: 0 } })).toThrow(
      /bytesPerSecond/,
    );
    expect(() => new FullNode({ ...options, serveBudget: { timeBurstMs: -1 } })).toThrow(
      /timeBurstMs/,
    );
    expect(
      new FullNode({ ...options, serveBudget: { bytesPerSecond: 1 } }).serveBudget,
    ).toBeDefined();
  });
});
