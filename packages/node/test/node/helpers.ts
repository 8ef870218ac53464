/**
 * Test helpers for the full node: temporary datadirs, a generated chain written as
 * genesis.json + chain.rlp and loopback nodes.
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import type { MemoryChain } from '@ethp2p/chain';
import { generateExecutedChain } from '@ethp2p/chain/testing';
import { afterAll, beforeAll } from 'vitest';
import { loadChainFiles } from '../../src/node/chain.ts';
import type { FullNodeOptions } from '../../src/node/config.ts';
import { FullNode } from '../../src/node/full-node.ts';

/** A new empty directory under the OS temp dir. */
export function tempDir(prefix = 'ethp2p-node-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A generated chain's files. */
export interface ChainFilesOnDisk {
  readonly genesisPath: string;
  readonly chainPath: string;
}

/**
 * Writes a generated chain (`blocks` blocks of real transactions after genesis, so the node can
 * execute it) as genesis.json and chain.rlp in `dir`.
 */
export async function writeChain(dir: string, blocks = 16): Promise<ChainFilesOnDisk> {
  const generated = await generateExecutedChain({ blocks });
  const genesisPath = join(dir, 'genesis.json');
  const chainPath = join(dir, 'chain.rlp');
  await writeFile(genesisPath, JSON.stringify(generated.genesisJson));
  await writeFile(chainPath, generated.chainRlp);
  return { genesisPath, chainPath };
}

/** The chain of {@link writeChain}'s files. */
export function loadChain(files: ChainFilesOnDisk): Promise<MemoryChain> {
  return loadChainFiles(files);
}

/**
 * A full node on 127.0.0.1 with OS-picked ports, no status events, quick discovery
 * revalidation and FindNode answered from the whole table (see the CLI discovery helper).
 */
export function loopbackNode(
  options: Pick<FullNodeOptions, 'datadir' | 'chain'> & Partial<FullNodeOptions>,
): FullNode {
  return new FullNode({
    listenIp: '127.0.0.1',
    port: 0,
    nat: 'extip:127.0.0.1',
    statusIntervalMs: 0,
    logger: silentLogger,
    ...options,
    discoveryConfig: {
      findnodeLivenessCheck: false,
      pingIntervalMs: 50,
      ...options.discoveryConfig,
    },
  });
}

/** A test file's temp dir and the generated chain in it (read inside tests). */
export interface ChainFixture {
  readonly dir: string;
  readonly files: ChainFilesOnDisk;
  readonly chain: MemoryChain;
}

/**
 * For one test file: a temp dir (named from `prefix`) holding a generated chain of `blocks`
 * blocks, made before all tests and removed after them (after the file's own `afterAll` hooks,
 * which run first). Read its fields inside tests.
 */
export function chainFixture(blocks = 16, prefix?: string): ChainFixture {
  const state: { dir?: string; files?: ChainFilesOnDisk; chain?: MemoryChain } = {};
  beforeAll(async () => {
    state.dir = await tempDir(prefix);
    state.files = await writeChain(state.dir, blocks);
    state.chain = await loadChain(state.files);
  });
  afterAll(async () => {
    if (state.dir !== undefined) await rm(state.dir, { recursive: true, force: true });
  });
  const read = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`chainFixture: read ${name} inside a test`);
    return value;
  };
  return {
    get dir(): string {
      return read(state.dir, 'dir');
    },
    get files(): ChainFilesOnDisk {
      return read(state.files, 'files');
    },
    get chain(): MemoryChain {
      return read(state.chain, 'chain');
    },
  };
}
