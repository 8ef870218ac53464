/**
 * The chain the node serves: a built-in network known only by its genesis (no chain data ships
 * with ethp2p), or a custom chain from a genesis.json and a chain.rlp.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { encodeBytes } from '@ethp2p/base/rlp';
import { MemoryChain, PersistentChain } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import {
  type ChainConfig,
  type ChainHeader,
  type ChainReader,
  EthError,
  type Genesis,
  NETWORKS,
  parseGenesisJson,
} from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { NodeError } from './errors.ts';

/** The name of a built-in network. */
export type NetworkName = keyof typeof NETWORKS;

/** The built-in networks' names, mainnet first. */
export const NETWORK_NAMES: readonly NetworkName[] = Object.freeze(
  Object.keys(NETWORKS) as NetworkName[],
);

/** Whether `name` is a built-in network. */
export function isNetworkName(name: string): name is NetworkName {
  return Object.hasOwn(NETWORKS, name);
}

const EMPTY_ROOT_HASH = keccak256(encodeBytes(new Uint8Array(0)));

/**
 * A chain that is only its genesis block, known by the hash and time in `config`: the Status it
 * gives has head = genesis, and the node serves no blocks (it has no header bytes, so every
 * header, body and receipt lookup misses). Real peers of a live network see such a node as
 * one that has not synced anything; it still finds peers, connects and agrees on Status.
 */
export function genesisOnlyChain(config: ChainConfig): ChainReader {
  const genesis: ChainHeader = Object.freeze({
    rlp: new Uint8Array(0),
    hash: Uint8Array.from(config.genesisHash),
    parentHash: new Uint8Array(32),
    number: 0n,
    time: config.genesisTime,
    receiptsRoot: EMPTY_ROOT_HASH,
  });
  return {
    config,
    genesis: () => genesis,
    head: () => genesis,
    headerByHash: () => undefined,
    headerByNumber: () => undefined,
    bodyByHash: () => undefined,
    receiptsByHash: () => undefined,
  };
}

/**
 * The built-in network `name` at its genesis (see {@link genesisOnlyChain}), with its network ID
 * replaced by `networkId` when given.
 */
export function networkChain(name: NetworkName, networkId?: bigint): ChainReader {
  const base = NETWORKS[name];
  return genesisOnlyChain(networkId === undefined ? base : { ...base, networkId });
}

/** Where a custom chain comes from. */
export interface ChainFiles {
  /** A genesis.json in geth's format. */
  readonly genesisPath: string;
  /** A chain.rlp (`geth export` output) continuing that genesis; none: the genesis alone. */
  readonly chainPath?: string;
  /** The network ID of Status; default the genesis's chain ID. */
  readonly networkId?: bigint;
}

/**
 * Builds the chain of a genesis.json and optionally a chain.rlp, read only (nothing is written).
 * @throws {NodeError} `BAD_GENESIS` or `BAD_CHAIN`, saying which file and what is wrong
 */
export async function loadChainFiles(files: ChainFiles): Promise<MemoryChain> {
  const genesis = parseGenesis(files.genesisPath, await readInput(files.genesisPath, 'genesis'));
  let chain: MemoryChain;
  try {
    chain = await MemoryChain.fromGenesis(genesis, {
      ...(files.networkId === undefined ? {} : { networkId: files.networkId }),
    });
  } catch (err) {
    if (!(err instanceof RangeError || err instanceof EthError)) throw err;
    throw badGenesis(files.genesisPath, err.message, err);
  }
  if (files.chainPath === undefined) return chain;
  const bytes = await readInput(files.chainPath, 'chain');
  try {
    chain.importRlp(bytes);
  } catch (err) {
    if (!(err instanceof ChainError)) throw err;
    throw badChain(files.chainPath, err);
  }
  return chain;
}

/**
 * Opens the persistent, executing chain of a genesis.json in the LevelDB store at `path` and
 * imports a chain.rlp into it, executing every block it does not have yet (a restart skips the
 * blocks already stored). For {@link FullNodeOptions.openChain}.
 * @throws {NodeError} `BAD_GENESIS`, `BAD_CHAIN` (a block that does not link or execute, naming
 *   it and the failing field), `DATADIR` when the store cannot be opened
 */
export async function openChainFiles(
  files: ChainFiles & { readonly path: string },
): Promise<PersistentChain> {
  const genesisBytes = await readInput(files.genesisPath, 'genesis');
  parseGenesis(files.genesisPath, genesisBytes);
  let chain: PersistentChain;
  try {
    chain = await PersistentChain.open({
      genesisJson: JSON.parse(new TextDecoder().decode(genesisBytes)) as Record<string, unknown>,
      path: files.path,
      ...(files.networkId === undefined ? {} : { config: { networkId: files.networkId } }),
    });
  } catch (err) {
    if (err instanceof RangeError || err instanceof EthError) {
      throw badGenesis(files.genesisPath, `${err.message} (chain store ${files.path})`, err);
    }
    throw new NodeError('DATADIR', `chain store ${files.path}: cannot open (${String(err)})`, {
      cause: err,
    });
  }
  if (files.chainPath === undefined) return chain;
  const bytes = await readInput(files.chainPath, 'chain').catch(async (err: unknown) => {
    await chain.close();
    throw err;
  });
  try {
    await chain.importRlp(bytes);
  } catch (err) {
    await chain.close();
    if (!(err instanceof ChainError)) throw err;
    throw badChain(files.chainPath, err);
  }
  return chain;
}

function badChain(path: string, err: ChainError): NodeError {
  const hint =
    err.code === 'UNLINKED_BLOCK'
      ? 'it does not continue the genesis of --genesis'
      : err.code === 'INVALID_BLOCK'
        ? `block ${err.details?.number} does not execute: ${err.details?.field}`
        : 'it is not a chain.rlp';
  return new NodeError('BAD_CHAIN', `chain ${path}: ${err.message} (${hint}); check --chain`, {
    cause: err,
  });
}

function parseGenesis(path: string, bytes: Uint8Array): Genesis {
  try {
    return parseGenesisJson(new TextDecoder().decode(bytes));
  } catch (err) {
    if (!(err instanceof EthError)) throw err;
    throw badGenesis(path, err.message, err);
  }
}

function badGenesis(path: string, what: string, cause: unknown): NodeError {
  return new NodeError('BAD_GENESIS', `genesis ${path}: ${what}; fix it or check --genesis`, {
    cause,
  });
}

async function readInput(path: string, kind: 'genesis' | 'chain'): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    // A plain view, not a Buffer: the chain keeps subarrays of it (Buffer's slice does not copy).
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'error');
    throw new NodeError(
      kind === 'genesis' ? 'BAD_GENESIS' : 'BAD_CHAIN',
      `cannot read ${kind} file ${path} (${why}); check --${kind}`,
      { cause: err },
    );
  }
}
