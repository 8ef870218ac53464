import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { type Input, RLP } from '@ethereumjs/rlp';
import { rejectedError } from '@ethp2p/base/testing';
import type { ChainHeader } from '@ethp2p/eth';
import { ChainError, serveReceipts } from '@ethp2p/eth/chain';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PersistentChain } from '../src/persistent-chain.ts';
import {
  type ExecutedChain,
  generateExecutedChain,
  LOG_TOPIC,
} from '../src/testing/executed-chain.ts';

let generated: ExecutedChain;
const dirs: string[] = [];

beforeAll(async () => {
  generated = await generateExecutedChain({ blocks: 8, txsPerBlock: 3 });
});

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ethp2p-chain-'));
  dirs.push(dir);
  return dir;
}

const open = (path?: string) =>
  PersistentChain.open({
    genesisJson: generated.genesisJson,
    ...(path === undefined ? {} : { path }),
  });

/** Every key in the LevelDB store at `path`, as hex, sorted. */
async function storeKeys(path: string): Promise<string[]> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  const keys: string[] = [];
  for await (const key of db.keys()) keys.push(Buffer.from(key).toString('hex'));
  await db.close();
  return keys.sort();
}

/** `block` with header field `index` replaced by `value`. */
function tamper(block: Uint8Array, index: number, value: Input): Uint8Array {
  const [header, ...body] = RLP.decode(block) as [Input[], ...Input[]];
  const fields = [...header];
  fields[index] = value;
  return RLP.encode([fields, ...body]);
}

/** The receipts root of eth/68 receipts (typed ones wrapped in a byte string, as served). */
async function receiptsRoot(receipts68: Uint8Array): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie();
  const list = RLP.decode(receipts68) as (Uint8Array | Uint8Array[])[];
  for (const [i, receipt] of list.entries()) {
    await trie.put(RLP.encode(i), receipt instanceof Uint8Array ? receipt : RLP.encode(receipt));
  }
  return trie.root();
}

describe('PersistentChain', () => {
  it('executes a generated chain and serves its real receipts', async () => {
    const chain = await open();
    const head = await chain.importBlocks(generated.blocks);
    expect(head.number).toBe(8n);
    for (let n = 1n; n <= 8n; n++) {
      const header = chain.headerByNumber(n);
      if (header === undefined) throw new Error(`no block ${n}`);
      const receipts = RLP.decode(chain.receiptsByHash(header.hash)) as Input[][];
      expect(receipts).toHaveLength(3);
      // [type, status, cumulative gas, logs]: a 1559 transfer, a legacy call that logs, a transfer.
      expect(receipts.map((r) => r[0])).toEqual([
        Uint8Array.of(2),
        new Uint8Array(0),
        Uint8Array.of(2),
      ]);
      expect(receipts.map((r) => r[1])).toEqual([
        Uint8Array.of(1),
        Uint8Array.of(1),
        Uint8Array.of(1),
      ]);
      const logs = (receipts[1] as Input[])[3] as [Uint8Array, Uint8Array[], Uint8Array][];
      const [log, ...more] = logs;
      expect(more).toHaveLength(0);
      expect(log?.[1]).toEqual([LOG_TOPIC]);
      // Served at eth/68 (with blooms), they hash to the header's receipts root.
      const served = serveReceipts(chain, [header.hash], { version: 68 }).receipts[0];
      expect(await receiptsRoot(served as Uint8Array)).toEqual(header.receiptsRoot);
    }
    await chain.close();
  });

  it.each([
    ['stateRoot', 3, new Uint8Array(32).fill(1)],
    ['receiptsRoot', 5, new Uint8Array(32).fill(2)],
    ['logsBloom', 6, new Uint8Array(256)],
    ['gasUsed', 10, 21_000],
  ])(
    'refuses a block with a wrong %s, keeps the blocks before it and writes nothing of it',
    async (field, index, value) => {
      const path = tempDir();
      const chain = await open(path);
      await chain.importBlocks(generated.blocks.slice(0, 3));
      await chain.close();
      const keysBefore = await storeKeys(path);

      const again = await open(path);
      const bad = tamper(generated.blocks[3] as Uint8Array, index, value);
      const err = await rejectedError(
        again.importBlocks([bad, ...generated.blocks.slice(4)]),
        ChainError,
        'INVALID_BLOCK',
      );
      expect(err.details).toMatchObject({ number: 4n, field });
      const badHash = err.details?.hash as Uint8Array;
      expect(again.head().number).toBe(3n);
      expect(again.headerByHash(badHash)).toBeUndefined();
      await again.close();
      // Not one key of the refused block (state trie nodes included) reached the store.
      expect(await storeKeys(path)).toEqual(keysBefore);

      const reopened = await open(path);
      expect(reopened.head().number).toBe(3n);
      expect(reopened.receiptsByHash(badHash)).toBeUndefined();
      // The state is block 3's: the good block 4 and the rest execute on it.
      expect((await reopened.importBlocks(generated.blocks.slice(3))).number).toBe(8n);
      await reopened.close();
    },
  );

  it('gives the event loop a turn after each block it imports', async () => {
    const chain = await open();
    let done = false;
    const importing = chain.importBlocks(generated.blocks).finally(() => {
      done = true;
    });
    // An in-memory store never waits on I/O: without a turn per block, nothing else would run
    // until the whole batch is in.
    const seen = new Set<bigint>();
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.add(chain.head().number);
    }
    expect((await importing).number).toBe(8n);
    expect([...seen].filter((n) => n > 0n && n < 8n).length).toBeGreaterThanOrEqual(4);
    await chain.close();
  });

  it('resumes after a restart without re-importing, and goes on from its state', async () => {
    const path = tempDir();
    const chain = await open(path);
    await chain.importBlocks(generated.blocks.slice(0, 5));
    const receipts = chain.receiptsByHash(chain.head().hash);
    const body = chain.bodyByHash(chain.head().hash);
    await chain.close();

    const reopened = await open(path);
    expect(reopened.head().number).toBe(5n);
    expect(reopened.receiptsByHash(reopened.head().hash)).toEqual(receipts);
    expect(reopened.bodyByHash(reopened.head().hash)).toEqual(body);
    expect(await reopened.importRlp(generated.chainRlp)).toBe(3);
    expect(reopened.head().number).toBe(8n);
    await reopened.close();
  });

  it('refuses blocks whose parent it does not have, and bytes that are not a block', async () => {
    const chain = await open();
    await chain.importBlocks(generated.blocks.slice(0, 2));
    await rejectedError(
      chain.importBlocks([generated.blocks[4] as Uint8Array]),
      ChainError,
      'UNLINKED_BLOCK',
    );
    await rejectedError(chain.importBlocks([Uint8Array.of(0xc1)]), ChainError, 'MALFORMED_BLOCK');
    expect(chain.head().number).toBe(2n);
    await chain.close();
  });

  it('opens a store by reading the same few records whatever its length, then reads on demand', async () => {
    const long = await generateExecutedChain({ blocks: 40, txsPerBlock: 1 });
    const opens: number[] = [];
    for (const count of [2, 40]) {
      const path = tempDir();
      const chain = await open(path);
      await chain.importBlocks(long.blocks.slice(0, count));
      const third = chain.headerByNumber(3n < BigInt(count) ? 3n : 1n) as ChainHeader;
      const body = chain.bodyByHash(third.hash);
      const receipts = chain.receiptsByHash(third.hash);
      await chain.close();

      const again = await open(path);
      opens.push(again.storeReads);
      expect(again.head().number).toBe(BigInt(count));
      // Older blocks come from the store when asked for, not from a copy made at open.
      expect(again.headerByNumber(third.number)).toEqual(third);
      expect(again.bodyByHash(third.hash)).toEqual(body);
      expect(again.receiptsByHash(third.hash)).toEqual(receipts);
      expect(again.storeReads).toBeGreaterThan(opens[opens.length - 1] as number);
      await again.close();
    }
    expect(opens[0]).toBe(opens[1]);
    expect(opens[1]).toBeLessThanOrEqual(2);
  });

  it('refuses a store that holds the chain of another genesis', async () => {
    const path = tempDir();
    await (await open(path)).close();
    const other = { ...generated.genesisJson, timestamp: '0x65000001' };
    await expect(PersistentChain.open({ genesisJson: other, path })).rejects.toThrow(RangeError);
  });
});
