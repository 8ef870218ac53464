import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesToHex } from '@ethp2p/crypto';
import { HOODI, MAINNET } from '@ethp2p/eth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  genesisOnlyChain,
  isNetworkName,
  loadChainFiles,
  NETWORK_NAMES,
  networkChain,
} from '../../src/node/chain.ts';
import { NodeError } from '../../src/node/errors.ts';
import { type ChainFilesOnDisk, tempDir, writeChain } from './helpers.ts';

let dir: string;
let files: ChainFilesOnDisk;

beforeAll(async () => {
  dir = await tempDir('ethp2p-chain-');
  files = await writeChain(dir, 5);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('built-in networks', () => {
  it('lists mainnet, sepolia, holesky and hoodi', () => {
    expect(NETWORK_NAMES).toEqual(['mainnet', 'sepolia', 'holesky', 'hoodi']);
    expect(isNetworkName('hoodi')).toBe(true);
    expect(isNetworkName('goerli')).toBe(false);
    expect(isNetworkName('toString')).toBe(false);
  });

  it('is the genesis alone: head = genesis, with the network genesis hash and nothing to serve', () => {
    const chain = networkChain('mainnet');
    expect(chain.config).toBe(MAINNET);
    expect(bytesToHex(chain.genesis().hash)).toBe(bytesToHex(MAINNET.genesisHash));
    expect(chain.head()).toBe(chain.genesis());
    expect(chain.head().number).toBe(0n);
    expect(chain.head().time).toBe(0n);
    expect(chain.headerByNumber(0n)).toBeUndefined();
    expect(chain.headerByHash(MAINNET.genesisHash)).toBeUndefined();
    expect(chain.bodyByHash(MAINNET.genesisHash)).toBeUndefined();
    expect(chain.receiptsByHash(MAINNET.genesisHash)).toBeUndefined();
  });

  it('takes a network ID override', () => {
    expect(networkChain('hoodi', 7n).config.networkId).toBe(7n);
    expect(networkChain('hoodi').config.networkId).toBe(HOODI.networkId);
    expect(genesisOnlyChain(HOODI).head().time).toBe(HOODI.genesisTime);
  });
});

describe('loadChainFiles', () => {
  it('builds the chain of a genesis.json and a chain.rlp, network ID = chain ID', async () => {
    const chain = await loadChainFiles(files);
    expect(chain.head().number).toBe(5n);
    expect(chain.config.networkId).toBe(1337n);
    const genesisOnly = await loadChainFiles({ genesisPath: files.genesisPath, networkId: 9n });
    expect(genesisOnly.head().number).toBe(0n);
    expect(genesisOnly.config.networkId).toBe(9n);
  });

  it.each([
    ['a missing genesis', () => ({ genesisPath: join(dir, 'nope.json') }), 'BAD_GENESIS'],
    ['a directory as genesis', () => ({ genesisPath: dir }), 'BAD_GENESIS'],
    ['a missing chain', () => ({ ...files, chainPath: join(dir, 'nope.rlp') }), 'BAD_CHAIN'],
  ])('reports %s', async (_what, input, code) => {
    const err = await loadChainFiles(input()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code });
  });

  it('reports a genesis that is not JSON or misses a field, naming the file', async () => {
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, 'hello');
    await expect(loadChainFiles({ genesisPath: notJson })).rejects.toThrow(
      new RegExp(`^genesis ${notJson}: .*; fix it or check --genesis$`),
    );
    const noAlloc = join(dir, 'no-alloc.json');
    await writeFile(noAlloc, '{"config":{"chainId":1},"gasLimit":"0x1","difficulty":"0x1"}');
    await expect(loadChainFiles({ genesisPath: noAlloc })).rejects.toThrow(/alloc/);
  });

  it('reports a chain.rlp that is garbage or belongs to another genesis', async () => {
    const garbage = join(dir, 'garbage.rlp');
    await writeFile(garbage, Uint8Array.of(0xf9, 0xff));
    await expect(loadChainFiles({ ...files, chainPath: garbage })).rejects.toMatchObject({
      code: 'BAD_CHAIN',
      message: expect.stringMatching(/it is not a chain\.rlp\); check --chain$/),
    });
    const otherDir = join(dir, 'other');
    await mkdir(otherDir);
    const other = await writeChain(otherDir, 3);
    const json = JSON.parse(await readFile(other.genesisPath, 'utf8'));
    json.extraData = '0x01';
    await writeFile(other.genesisPath, JSON.stringify(json));
    await expect(
      loadChainFiles({ genesisPath: other.genesisPath, chainPath: files.chainPath }),
    ).rejects.toMatchObject({
      code: 'BAD_CHAIN',
      message: expect.stringMatching(/does not continue the genesis of --genesis/),
    });
  });
});
