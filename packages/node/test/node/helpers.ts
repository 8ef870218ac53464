/**
 * Test helpers for the full node: temporary datadirs, a generated chain written as
 * genesis.json + chain.rlp and loopback nodes.
 * @module
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import type { MemoryChain } from '@ethp2p/eth/chain';
import { generateChain } from '../../../eth/test/helpers/chain-generator.ts';
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

/** Writes a generated chain (`blocks` blocks after genesis) as genesis.json and chain.rlp in `dir`. */
export async function writeChain(dir: string, blocks = 16): Promise<ChainFilesOnDisk> {
  const generated = await generateChain({ blocks });
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
