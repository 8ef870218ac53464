/**
 * A reader for geth-style `genesis.json` files: the chain parameters of its `config` object, the
 * genesis header fields and the initial state (`alloc`), checked and converted to bigints and
 * bytes. Computing the genesis block (state root, hash) is left to the chain backend.
 * @see https://geth.ethereum.org/docs/fundamentals/private-network#creating-the-genesis-block
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import type { BlobConfig, ChainConfig, ChainParams } from './chain-config.ts';
import { BLOCK_FORKS, TIME_FORKS } from './chain-config.ts';
import type { JsonObject } from './json-values.ts';
import {
  asObject,
  invalid,
  member,
  parseJsonText,
  readBool,
  readHex,
  readUint,
  readWord,
} from './json-values.ts';

/** One account of the genesis state (genesis.json `alloc.<address>`, geth `types.Account`). */
export interface GenesisAccount {
  /** The 20-byte address. */
  readonly address: Uint8Array;
  readonly balance: bigint;
  /** 0n when absent. */
  readonly nonce: bigint;
  /** The contract code; empty when absent. */
  readonly code: Uint8Array;
  /**
   * Storage slots: 32-byte key as lowercase 0x-hex → 32-byte value, as written in the file
   * (zero values included; a state trie leaves them out).
   */
  readonly storage: ReadonlyMap<string, Uint8Array>;
}

/**
 * A parsed genesis.json (geth `core.Genesis`). Fields geth defaults to zero are filled in;
 * `baseFeePerGas`, `excessBlobGas`, `blobGasUsed` and `slotNumber` stay absent when the file has
 * none, since their defaults depend on the forks active at genesis.
 */
export interface Genesis {
  readonly config: ChainParams;
  readonly nonce: bigint;
  /** The genesis time in seconds (0n when absent). */
  readonly timestamp: bigint;
  readonly extraData: Uint8Array;
  readonly gasLimit: bigint;
  readonly difficulty: bigint;
  /** 32 bytes (zero when absent). */
  readonly mixHash: Uint8Array;
  /** 20 bytes (zero when absent). */
  readonly coinbase: Uint8Array;
  /** The initial state by lowercase 0x-hex address. */
  readonly alloc: ReadonlyMap<string, GenesisAccount>;
  readonly number: bigint;
  readonly gasUsed: bigint;
  /** 32 bytes (zero when absent). */
  readonly parentHash: Uint8Array;
  readonly baseFeePerGas?: bigint;
  readonly excessBlobGas?: bigint;
  readonly blobGasUsed?: bigint;
  readonly slotNumber?: bigint;
}

/**
 * Reads a genesis.json already parsed with `JSON.parse`. Integers may be JSON numbers, decimal
 * strings or 0x-hex strings; keys match regardless of case; unknown keys are ignored. `config`,
 * `config.chainId`, `gasLimit`, `difficulty` and `alloc` are required, and each account needs a
 * `balance`. Integers above 2^53 lose precision in `JSON.parse`: read such files with
 * {@link parseGenesisJson}.
 * @throws {EthError} INVALID_GENESIS naming the offending JSON path
 */
export function readGenesis(json: unknown): Genesis {
  const g = asObject(json, 'genesis');
  const field = (name: string) => member(g, name);
  const u64 = (name: string, fallback?: bigint): bigint | undefined => {
    const v = field(name);
    return v === undefined ? fallback : readUint(v, name, 64);
  };
  const hash = (name: string, length: number): Uint8Array => {
    const v = field(name);
    return v === undefined
      ? new Uint8Array(length)
      : readHex(v, name, { length, prefix: 'required' });
  };
  const config = field('config');
  if (config === undefined) throw invalid('config', 'missing');
  const gasLimit = field('gasLimit');
  if (gasLimit === undefined) throw invalid('gasLimit', 'missing');
  const difficulty = field('difficulty');
  if (difficulty === undefined) throw invalid('difficulty', 'missing');
  const alloc = field('alloc');
  if (alloc === undefined) throw invalid('alloc', 'missing');
  const extra = field('extraData');
  const baseFee = field('baseFeePerGas');
  const optional = {
    baseFeePerGas: baseFee === undefined ? undefined : readUint(baseFee, 'baseFeePerGas', 256),
    excessBlobGas: u64('excessBlobGas'),
    blobGasUsed: u64('blobGasUsed'),
    slotNumber: u64('slotNumber'),
  };
  return {
    config: readChainParams(config),
    nonce: u64('nonce', 0n) as bigint,
    timestamp: u64('timestamp', 0n) as bigint,
    extraData:
      extra === undefined ? new Uint8Array(0) : readHex(extra, 'extraData', { prefix: 'required' }),
    gasLimit: readUint(gasLimit, 'gasLimit', 64),
    difficulty: readUint(difficulty, 'difficulty', 256),
    mixHash: hash('mixHash', 32),
    coinbase: hash('coinbase', 20),
    alloc: readAlloc(alloc),
    number: u64('number', 0n) as bigint,
    gasUsed: u64('gasUsed', 0n) as bigint,
    parentHash: hash('parentHash', 32),
    ...withoutUndefined(optional),
  };
}

/**
 * Parses and reads genesis.json text, keeping integers above 2^53 (such as a mainnet-sized
 * `terminalTotalDifficulty`) exact.
 * @throws {EthError} INVALID_GENESIS if the text is not JSON or not a valid genesis
 * @example `const genesis = parseGenesisJson(await readFile('genesis.json', 'utf8'))`
 */
export function parseGenesisJson(text: string): Genesis {
  if (typeof text !== 'string') throw new TypeError(`text: expected string, got ${typeof text}`);
  return readGenesis(parseJsonText(text));
}

/** Options of {@link chainConfigFromGenesis}. */
export interface ChainConfigFromGenesisOptions {
  /** The network ID for Status; defaults to the chain ID, as geth does for a custom genesis. */
  readonly networkId?: bigint;
  readonly name?: string;
  readonly bootnodes?: readonly string[];
}

/**
 * The chain configuration of a genesis whose block hash is `genesisHash` (computed by the chain
 * backend from the header fields and the state root of `alloc`).
 * @throws {TypeError|RangeError} unless `genesisHash` is 32 bytes
 */
export function chainConfigFromGenesis(
  genesis: Genesis,
  genesisHash: Uint8Array,
  options: ChainConfigFromGenesisOptions = {},
): ChainConfig {
  if (!(genesisHash instanceof Uint8Array) || genesisHash.length !== 32) {
    throw new RangeError('genesisHash: expected 32 bytes');
  }
  return {
    ...genesis.config,
    ...withoutUndefined({ name: options.name, bootnodes: options.bootnodes }),
    networkId: options.networkId ?? genesis.config.chainId,
    genesisHash: Uint8Array.from(genesisHash),
    genesisTime: genesis.timestamp,
  };
}

/** The `config` object: chain ID, forks and merge parameters. */
function readChainParams(value: unknown): ChainParams {
  const c = asObject(value, 'config');
  const chainId = member(c, 'chainId');
  if (chainId === undefined) throw invalid('config.chainId', 'missing');
  const out: Record<string, unknown> = { chainId: readUint(chainId, 'config.chainId', 256) };
  for (const name of [...BLOCK_FORKS, ...TIME_FORKS]) {
    const v = member(c, name);
    if (v !== undefined) out[name] = readUint(v, `config.${name}`, 64);
  }
  const dao = member(c, 'daoForkSupport');
  if (dao !== undefined) out.daoForkSupport = readBool(dao, 'config.daoForkSupport');
  const ttd = member(c, 'terminalTotalDifficulty');
  if (ttd !== undefined) {
    out.terminalTotalDifficulty = readUint(ttd, 'config.terminalTotalDifficulty', 256);
  }
  const deposit = member(c, 'depositContractAddress');
  if (deposit !== undefined) {
    const path = 'config.depositContractAddress';
    out.depositContractAddress = readHex(deposit, path, { length: 20, prefix: 'required' });
  }
  const blobs = member(c, 'blobSchedule');
  if (blobs !== undefined) out.blobSchedule = readBlobSchedule(blobs);
  return out as ChainParams;
}

function readBlobSchedule(value: unknown): Record<string, BlobConfig> {
  const schedule = asObject(value, 'config.blobSchedule');
  const out: Record<string, BlobConfig> = {};
  for (const [fork, raw] of Object.entries(schedule)) {
    if (raw === null) continue;
    const path = `config.blobSchedule.${fork}`;
    const b = asObject(raw, path);
    const int = (name: string): bigint => readUint(member(b, name) ?? 0, `${path}.${name}`, 64);
    const small = (name: string): number => {
      const n = int(name);
      if (n > 0xffffffffn) throw invalid(`${path}.${name}`, `expected at most 2^32-1, got ${n}`);
      return Number(n);
    };
    out[fork] = {
      target: small('target'),
      max: small('max'),
      baseFeeUpdateFraction: int('baseFeeUpdateFraction'),
    };
  }
  return out;
}

function readAlloc(value: unknown): Map<string, GenesisAccount> {
  const alloc = asObject(value, 'alloc');
  const out = new Map<string, GenesisAccount>();
  for (const [key, raw] of Object.entries(alloc)) {
    const path = `alloc.${key}`;
    const address = readHex(key, path, { length: 20, prefix: 'optional' });
    const id = `0x${bytesToHex(address)}`;
    if (out.has(id)) throw invalid(path, 'address given twice');
    out.set(id, readAccount(address, raw, path));
  }
  return out;
}

function readAccount(address: Uint8Array, value: unknown, path: string): GenesisAccount {
  const a: JsonObject = asObject(value, path);
  const balance = member(a, 'balance');
  if (balance === undefined) throw invalid(`${path}.balance`, 'missing');
  const nonce = member(a, 'nonce');
  const code = member(a, 'code');
  const storage = new Map<string, Uint8Array>();
  const slots = member(a, 'storage');
  if (slots !== undefined) {
    for (const [k, v] of Object.entries(asObject(slots, `${path}.storage`))) {
      const key = `0x${bytesToHex(readWord(k, `${path}.storage key ${k}`))}`;
      if (storage.has(key)) throw invalid(`${path}.storage.${k}`, 'slot given twice');
      storage.set(key, readWord(v, `${path}.storage.${k}`));
    }
  }
  return {
    address,
    balance: readUint(balance, `${path}.balance`, 256),
    nonce: nonce === undefined ? 0n : readUint(nonce, `${path}.nonce`, 64),
    code:
      code === undefined
        ? new Uint8Array(0)
        : readHex(code, `${path}.code`, { prefix: 'required' }),
    storage,
  };
}

/** `obj` without its undefined members (for exactOptionalPropertyTypes). */
function withoutUndefined<T extends object>(obj: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
