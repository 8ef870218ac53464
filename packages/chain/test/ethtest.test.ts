import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, keccak256 } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { PersistentChain } from '../src/persistent-chain.ts';

// go-ethereum's eth-test chain (cmd/devp2p/internal/ethtest/testdata: 600 blocks, Cancun then
// Prague), imported and executed block by block into a chain on disk, then reopened. The suite
// never reads outside the repository, so this runs only when ETHTEST_DIR names that directory:
//   ETHTEST_DIR=/path/to/ethtest npx vitest run packages/chain/test/ethtest.test.ts
const dir = process.env.ETHTEST_DIR;

describe.runIf(dir !== undefined)('the eth-test chain', () => {
  it('executes all 600 blocks with every root matching, and reopens at its head', async () => {
    const root = dir as string;
    const genesisJson = JSON.parse(readFileSync(join(root, 'genesis.json'), 'utf8'));
    const head = JSON.parse(readFileSync(join(root, 'headblock.json'), 'utf8')) as {
      hash: string;
      number: string;
    };
    const data = readFileSync(join(root, 'chain.rlp'));
    const path = mkdtempSync(join(tmpdir(), 'ethp2p-ethtest-'));
    try {
      const chain = await PersistentChain.open({ genesisJson, path });
      const started = performance.now();
      const added = await chain.importRlp(data);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `eth-test chain: ${added} blocks executed in ${seconds.toFixed(1)} s, ${(added / seconds).toFixed(1)} blocks/s`,
      );
      expect(added).toBe(600);
      expect(`0x${bytesToHex(chain.head().hash)}`).toBe(head.hash);
      let receipts = 0;
      for (let n = 1n; n <= 600n; n++) {
        const header = chain.headerByNumber(n);
        const list = chain.receiptsByHash(header?.hash ?? new Uint8Array(32));
        expect(list, `receipts of block ${n}`).toBeInstanceOf(Uint8Array);
        if ((list as Uint8Array).length > 1) receipts++;
      }
      expect(receipts).toBeGreaterThan(0);
      const served = chain.receiptsByHash(chain.head().hash);
      await chain.close();

      const again = await PersistentChain.open({ genesisJson, path });
      expect(again.head().number).toBe(600n);
      expect(again.receiptsByHash(again.head().hash)).toEqual(served);
      expect(keccak256(again.headerByNumber(600n)?.rlp ?? new Uint8Array())).toEqual(
        again.head().hash,
      );
      expect(await again.importRlp(data)).toBe(0);
      await again.close();
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  }, 600_000);
});
