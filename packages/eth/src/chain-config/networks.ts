/**
 * Built-in chain configurations for mainnet and the public test networks. The values are facts
 * copied from go-ethereum `params/config.go` (fork schedules, genesis hashes),
 * `core/genesis.go` (genesis timestamps) and `params/bootnodes.go` (bootnodes), go-ethereum
 * master as of Aug 2026.
 * @module
 */
import { hexToBytes } from '@ethp2p/crypto';
import {
  HOLESKY_BOOTNODES,
  HOODI_BOOTNODES,
  MAINNET_BOOTNODES,
  SEPOLIA_BOOTNODES,
  V5_BOOTNODES,
} from './bootnodes.ts';
import type { BlobConfig, ChainConfig } from './chain-config.ts';

// Blob parameters (geth params/config.go DefaultCancunBlobConfig ... DefaultBPO2BlobConfig).
const CANCUN_BLOBS: BlobConfig = { target: 3, max: 6, baseFeeUpdateFraction: 3338477n };
const PRAGUE_BLOBS: BlobConfig = { target: 6, max: 9, baseFeeUpdateFraction: 5007716n };
const BPO1_BLOBS: BlobConfig = { target: 10, max: 15, baseFeeUpdateFraction: 8346193n };
const BPO2_BLOBS: BlobConfig = { target: 14, max: 21, baseFeeUpdateFraction: 11684671n };
const BLOB_SCHEDULE: Readonly<Record<string, BlobConfig>> = Object.freeze({
  cancun: CANCUN_BLOBS,
  prague: PRAGUE_BLOBS,
  bpo1: BPO1_BLOBS,
  bpo2: BPO2_BLOBS,
});

/** Ethereum mainnet (chain and network ID 1). geth `MainnetChainConfig`. */
export const MAINNET: ChainConfig = Object.freeze({
  name: 'mainnet',
  chainId: 1n,
  networkId: 1n,
  genesisHash: hexToBytes('d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3'),
  genesisTime: 0n,
  homesteadBlock: 1_150_000n,
  daoForkBlock: 1_920_000n,
  daoForkSupport: true,
  eip150Block: 2_463_000n,
  eip155Block: 2_675_000n,
  eip158Block: 2_675_000n,
  byzantiumBlock: 4_370_000n,
  constantinopleBlock: 7_280_000n,
  petersburgBlock: 7_280_000n,
  istanbulBlock: 9_069_000n,
  muirGlacierBlock: 9_200_000n,
  berlinBlock: 12_244_000n,
  londonBlock: 12_965_000n,
  arrowGlacierBlock: 13_773_000n,
  grayGlacierBlock: 15_050_000n,
  terminalTotalDifficulty: 58_750_000_000_000_000_000_000n,
  shanghaiTime: 1681338455n,
  cancunTime: 1710338135n,
  pragueTime: 1746612311n,
  osakaTime: 1764798551n,
  bpo1Time: 1765290071n,
  bpo2Time: 1767747671n,
  depositContractAddress: hexToBytes('00000000219ab540356cbb839cbe05303d7705fa'),
  blobSchedule: BLOB_SCHEDULE,
  bootnodes: MAINNET_BOOTNODES,
  v5Bootnodes: V5_BOOTNODES,
});

/** The Sepolia test network (chain and network ID 11155111). geth `SepoliaChainConfig`. */
export const SEPOLIA: ChainConfig = Object.freeze({
  name: 'sepolia',
  chainId: 11155111n,
  networkId: 11155111n,
  genesisHash: hexToBytes('25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9'),
  genesisTime: 1633267481n,
  ...blockForksAtGenesis(true),
  terminalTotalDifficulty: 17_000_000_000_000_000n,
  mergeNetsplitBlock: 1735371n,
  shanghaiTime: 1677557088n,
  cancunTime: 1706655072n,
  pragueTime: 1741159776n,
  osakaTime: 1760427360n,
  bpo1Time: 1761017184n,
  bpo2Time: 1761607008n,
  depositContractAddress: hexToBytes('7f02c3e3c98b133055b8b348b2ac625669ed295d'),
  blobSchedule: BLOB_SCHEDULE,
  bootnodes: SEPOLIA_BOOTNODES,
  v5Bootnodes: V5_BOOTNODES,
});

/** The Holesky test network (chain and network ID 17000). geth `HoleskyChainConfig`. */
export const HOLESKY: ChainConfig = Object.freeze({
  name: 'holesky',
  chainId: 17000n,
  networkId: 17000n,
  genesisHash: hexToBytes('b5f7f912443c940f21fd611f12828d75b534364ed9e95ca4e307729a4661bde4'),
  genesisTime: 1695902100n,
  ...blockForksAtGenesis(false),
  terminalTotalDifficulty: 0n,
  shanghaiTime: 1696000704n,
  cancunTime: 1707305664n,
  pragueTime: 1740434112n,
  osakaTime: 1759308480n,
  bpo1Time: 1759800000n,
  bpo2Time: 1760389824n,
  depositContractAddress: hexToBytes('4242424242424242424242424242424242424242'),
  blobSchedule: BLOB_SCHEDULE,
  bootnodes: HOLESKY_BOOTNODES,
  v5Bootnodes: V5_BOOTNODES,
});

/** The Hoodi test network (chain and network ID 560048). geth `HoodiChainConfig`. */
export const HOODI: ChainConfig = Object.freeze({
  name: 'hoodi',
  chainId: 560048n,
  networkId: 560048n,
  genesisHash: hexToBytes('bbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b'),
  genesisTime: 1742212800n,
  ...blockForksAtGenesis(true),
  terminalTotalDifficulty: 0n,
  mergeNetsplitBlock: 0n,
  shanghaiTime: 0n,
  cancunTime: 0n,
  pragueTime: 1742999832n,
  osakaTime: 1761677592n,
  bpo1Time: 1762365720n,
  bpo2Time: 1762955544n,
  depositContractAddress: hexToBytes('00000000219ab540356cbb839cbe05303d7705fa'),
  blobSchedule: BLOB_SCHEDULE,
  bootnodes: HOODI_BOOTNODES,
  v5Bootnodes: V5_BOOTNODES,
});

/** The built-in networks by name. */
export const NETWORKS: Readonly<Record<'mainnet' | 'sepolia' | 'holesky' | 'hoodi', ChainConfig>> =
  Object.freeze({ mainnet: MAINNET, sepolia: SEPOLIA, holesky: HOLESKY, hoodi: HOODI });

/**
 * The pre-merge block forks at 0 shared by the test networks (no DAO fork, no Arrow or Gray
 * Glacier); Holesky also has no Muir Glacier.
 */
function blockForksAtGenesis(muirGlacier: boolean) {
  return {
    daoForkSupport: true,
    homesteadBlock: 0n,
    eip150Block: 0n,
    eip155Block: 0n,
    eip158Block: 0n,
    byzantiumBlock: 0n,
    constantinopleBlock: 0n,
    petersburgBlock: 0n,
    istanbulBlock: 0n,
    ...(muirGlacier ? { muirGlacierBlock: 0n } : {}),
    berlinBlock: 0n,
    londonBlock: 0n,
  } as const;
}
