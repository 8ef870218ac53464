/**
 * Chain configuration: the fork schedule and chain parameters of a genesis.json `config` object
 * ({@link ChainParams}, geth `params.ChainConfig`) and a whole chain as the eth protocol sees it
 * ({@link ChainConfig}: those parameters plus network ID and genesis identity).
 * @see https://eips.ethereum.org/EIPS/eip-2124
 * @module
 */

/**
 * A fork activation: a block number for `*Block` forks, a Unix time in seconds for `*Time`
 * forks. Numbers must be safe integers; every value must fit in 64 bits.
 */
export type ForkValue = bigint | number;

/**
 * The names of the block-number forks, in geth's `params.ChainConfig` field order. The fork ID
 * gathers every one that is set (geth `core/forkid` gathers all `*Block` fields by reflection).
 */
export const BLOCK_FORKS = [
  'homesteadBlock',
  'daoForkBlock',
  'eip150Block',
  'eip155Block',
  'eip158Block',
  'byzantiumBlock',
  'constantinopleBlock',
  'petersburgBlock',
  'istanbulBlock',
  'muirGlacierBlock',
  'berlinBlock',
  'londonBlock',
  'arrowGlacierBlock',
  'grayGlacierBlock',
  'mergeNetsplitBlock',
] as const;

/** The name of a block-number fork field. */
export type BlockForkName = (typeof BLOCK_FORKS)[number];

/**
 * The names of the timestamp forks, in geth's `params.ChainConfig` field order (go-ethereum
 * master, Aug 2026). The fork ID gathers every one that is set.
 */
export const TIME_FORKS = [
  'shanghaiTime',
  'cancunTime',
  'pragueTime',
  'osakaTime',
  'bpo1Time',
  'bpo2Time',
  'bpo3Time',
  'bpo4Time',
  'bpo5Time',
  'amsterdamTime',
  'bogotaTime',
  'ubtTime',
] as const;

/** The name of a timestamp fork field. */
export type TimeForkName = (typeof TIME_FORKS)[number];

/** The blob parameters of one fork (genesis.json `config.blobSchedule.<fork>`). */
export interface BlobConfig {
  /** Target blobs per block. */
  readonly target: number;
  /** Maximum blobs per block. */
  readonly max: number;
  /** The blob base fee update fraction. */
  readonly baseFeeUpdateFraction: bigint;
}

/**
 * The chain parameters of a genesis.json `config` object (geth `params.ChainConfig`): chain ID,
 * fork schedule and the merge parameters. Field names are the JSON names. An absent fork is not
 * scheduled; a fork at 0 is active from genesis.
 */
export type ChainParams = {
  /** EIP-155 chain ID (replay protection). */
  readonly chainId: bigint;
  /** Whether this chain follows the DAO hard fork at `daoForkBlock`. */
  readonly daoForkSupport?: boolean;
  /** Total difficulty that triggers the merge. */
  readonly terminalTotalDifficulty?: bigint;
  /** The 20-byte address of the beacon deposit contract. */
  readonly depositContractAddress?: Uint8Array;
  /** Blob parameters by fork name (`cancun`, `prague`, `bpo1`...). */
  readonly blobSchedule?: Readonly<Record<string, BlobConfig>>;
} & { readonly [K in BlockForkName | TimeForkName]?: ForkValue | undefined };

/**
 * A chain as the eth protocol needs it: its {@link ChainParams}, the network ID announced in
 * Status, and the genesis block's hash and timestamp (the fork ID starts from the hash and drops
 * time forks at or before the timestamp). Built-ins: `MAINNET`, `SEPOLIA`, `HOLESKY`, `HOODI`.
 */
export type ChainConfig = ChainParams & {
  /** A short name for logs (`mainnet`), if known. */
  readonly name?: string;
  /** The network ID of Status (often the chain ID). */
  readonly networkId: bigint;
  /** The 32-byte hash of the genesis block. */
  readonly genesisHash: Uint8Array;
  /** The genesis block's timestamp in seconds. */
  readonly genesisTime: bigint;
  /** enode URLs of the network's bootstrap nodes (configuration only). */
  readonly bootnodes?: readonly string[];
  /** Signed `enr:` records of the Node Discovery v5 bootstrap nodes (configuration only). */
  readonly v5Bootnodes?: readonly string[];
};
