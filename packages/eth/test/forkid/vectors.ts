/**
 * EIP-2124 fork ID vectors from go-ethereum `core/forkid/forkid_test.go` (master, Aug 2026):
 * TestCreation, TestValidation, TestEncoding and TestTimeBasedForkInGenesis, copied as data.
 * @module
 */

/** head block, head time, expected hash (as a uint32), expected next, geth's label. */
export type CreationVector = readonly [
  number: bigint,
  time: bigint,
  hash: number,
  next: bigint,
  label: string,
];

/** Which local config: `mainnet`, or `legacy` (mainnet without its timestamp forks). */
export type ValidationConfig = 'mainnet' | 'legacy';

/** local config, local head block, local head time, remote hash, remote next, expected result. */
export type ValidationVector = readonly [
  config: ValidationConfig,
  head: bigint,
  time: bigint,
  hash: number,
  next: bigint,
  expected: 'LOCAL_INCOMPATIBLE_OR_STALE' | 'REMOTE_STALE' | null,
];

/** 2^64 - 1 (geth math.MaxUint64). */
export const MAX_U64 = 2n ** 64n - 1n;

// geth's checksumUpdate(X, math.MaxUint64): the CRC32 of X continued over eight 0xff bytes
// (computed with Python zlib.crc32(b"\xff" * 8, X), which is Go's crc32.Update with IEEE).
export const CSUM_F0AFD0E3_MAX = 0x27a60dbd;
export const CSUM_DCE96C2D_MAX = 0x726f5618;
export const CSUM_9F3D2254_MAX = 0x43b8ae27;

/** Mainnet (TestCreation). */
export const MAINNET_CREATION: readonly CreationVector[] = [
  [0n, 0n, 0xfc64ec04, 1150000n, 'Unsynced'],
  [1149999n, 0n, 0xfc64ec04, 1150000n, 'Last Frontier block'],
  [1150000n, 0n, 0x97c2c34c, 1920000n, 'First Homestead block'],
  [1919999n, 0n, 0x97c2c34c, 1920000n, 'Last Homestead block'],
  [1920000n, 0n, 0x91d1f948, 2463000n, 'First DAO block'],
  [2462999n, 0n, 0x91d1f948, 2463000n, 'Last DAO block'],
  [2463000n, 0n, 0x7a64da13, 2675000n, 'First Tangerine block'],
  [2674999n, 0n, 0x7a64da13, 2675000n, 'Last Tangerine block'],
  [2675000n, 0n, 0x3edd5b10, 4370000n, 'First Spurious block'],
  [4369999n, 0n, 0x3edd5b10, 4370000n, 'Last Spurious block'],
  [4370000n, 0n, 0xa00bc324, 7280000n, 'First Byzantium block'],
  [7279999n, 0n, 0xa00bc324, 7280000n, 'Last Byzantium block'],
  [7280000n, 0n, 0x668db0af, 9069000n, 'First and last Constantinople, first Petersburg block'],
  [9068999n, 0n, 0x668db0af, 9069000n, 'Last Petersburg block'],
  [9069000n, 0n, 0x879d6e30, 9200000n, 'First Istanbul and first Muir Glacier block'],
  [9199999n, 0n, 0x879d6e30, 9200000n, 'Last Istanbul and first Muir Glacier block'],
  [9200000n, 0n, 0xe029e991, 12244000n, 'First Muir Glacier block'],
  [12243999n, 0n, 0xe029e991, 12244000n, 'Last Muir Glacier block'],
  [12244000n, 0n, 0x0eb440f6, 12965000n, 'First Berlin block'],
  [12964999n, 0n, 0x0eb440f6, 12965000n, 'Last Berlin block'],
  [12965000n, 0n, 0xb715077d, 13773000n, 'First London block'],
  [13772999n, 0n, 0xb715077d, 13773000n, 'Last London block'],
  [13773000n, 0n, 0x20c327fc, 15050000n, 'First Arrow Glacier block'],
  [15049999n, 0n, 0x20c327fc, 15050000n, 'Last Arrow Glacier block'],
  [15050000n, 0n, 0xf0afd0e3, 1681338455n, 'First Gray Glacier block'],
  [20000000n, 1681338454n, 0xf0afd0e3, 1681338455n, 'Last Gray Glacier block'],
  [20000000n, 1681338455n, 0xdce96c2d, 1710338135n, 'First Shanghai block'],
  [30000000n, 1710338134n, 0xdce96c2d, 1710338135n, 'Last Shanghai block'],
  [30000000n, 1710338135n, 0x9f3d2254, 1746612311n, 'First Cancun block'],
  [30000000n, 1746022486n, 0x9f3d2254, 1746612311n, 'Last Cancun block'],
  [30000000n, 1746612311n, 0xc376cf8b, 1764798551n, 'First Prague block'],
  [30000000n, 1764798550n, 0xc376cf8b, 1764798551n, 'Last Prague block'],
  [30000000n, 1764798551n, 0x5167e2a6, 1765290071n, 'First Osaka block'],
  [30000000n, 1765290070n, 0x5167e2a6, 1765290071n, 'Last Osaka block'],
  [30000000n, 1765290071n, 0xcba2a1c0, 1767747671n, 'First BPO1 block'],
  [30000000n, 1767747670n, 0xcba2a1c0, 1767747671n, 'Last BPO1 block'],
  [30000000n, 1767747671n, 0x07c9462e, 0n, 'First BPO2 block'],
  [50000000n, 2000000000n, 0x07c9462e, 0n, 'Future BPO2 block'],
];

/** Sepolia (TestCreation). */
export const SEPOLIA_CREATION: readonly CreationVector[] = [
  [
    0n,
    0n,
    0xfe3366e7,
    1735371n,
    'Unsynced, last Frontier, Homestead, Tangerine, Spurious, Byzantium, Constantinople, Petersburg, Istanbul, Berlin and first London block',
  ],
  [1735370n, 0n, 0xfe3366e7, 1735371n, 'Last London block'],
  [1735371n, 0n, 0xb96cbd13, 1677557088n, 'First MergeNetsplit block'],
  [1735372n, 1677557087n, 0xb96cbd13, 1677557088n, 'Last MergeNetsplit block'],
  [1735372n, 1677557088n, 0xf7f9bc08, 1706655072n, 'First Shanghai block'],
  [1735372n, 1706655071n, 0xf7f9bc08, 1706655072n, 'Last Shanghai block'],
  [1735372n, 1706655072n, 0x88cf81d9, 1741159776n, 'First Cancun block'],
  [1735372n, 1741159775n, 0x88cf81d9, 1741159776n, 'Last Cancun block'],
  [1735372n, 1741159776n, 0xed88b5fd, 1760427360n, 'First Prague block'],
  [1735372n, 1760427359n, 0xed88b5fd, 1760427360n, 'Last Prague block'],
  [1735372n, 1760427360n, 0xe2ae4999, 1761017184n, 'First Osaka block'],
  [1735372n, 1761017183n, 0xe2ae4999, 1761017184n, 'Last Osaka block'],
  [1735372n, 1761017184n, 0x56078a1e, 1761607008n, 'First BPO1 block'],
  [1735372n, 1761607007n, 0x56078a1e, 1761607008n, 'Last BPO1 block'],
  [1735372n, 1761607008n, 0x268956b6, 0n, 'First BPO2 block'],
  [1735372n, 2000000000n, 0x268956b6, 0n, 'Future BPO2 block'],
];

/** Holesky (TestCreation). */
export const HOLESKY_CREATION: readonly CreationVector[] = [
  [
    0n,
    0n,
    0xc61a6098,
    1696000704n,
    'Unsynced, last Frontier, Homestead, Tangerine, Spurious, Byzantium, Constantinople, Petersburg, Istanbul, Berlin, London, Paris block',
  ],
  [123n, 0n, 0xc61a6098, 1696000704n, 'First MergeNetsplit block'],
  [123n, 1696000704n, 0xfd4f016b, 1707305664n, 'First Shanghai block'],
  [123n, 1707305663n, 0xfd4f016b, 1707305664n, 'Last Shanghai block'],
  [123n, 1707305664n, 0x9b192ad0, 1740434112n, 'First Cancun block'],
  [123n, 1740434111n, 0x9b192ad0, 1740434112n, 'Last Cancun block'],
  [123n, 1740434112n, 0xdfbd9bed, 1759308480n, 'First Prague block'],
  [123n, 1759308479n, 0xdfbd9bed, 1759308480n, 'Last Prague block'],
  [123n, 1759308480n, 0x783def52, 1759800000n, 'First Osaka block'],
  [123n, 1759799999n, 0x783def52, 1759800000n, 'Last Osaka block'],
  [123n, 1759800000n, 0xa280a45c, 1760389824n, 'First BPO1 block'],
  [123n, 1760389823n, 0xa280a45c, 1760389824n, 'Last BPO1 block'],
  [123n, 1760389824n, 0x9bc6cb31, 0n, 'First BPO2 block'],
  [123n, 2000000000n, 0x9bc6cb31, 0n, 'Future BPO1 block'],
];

/** Hoodi (TestCreation). */
export const HOODI_CREATION: readonly CreationVector[] = [
  [
    0n,
    0n,
    0xbef71d30,
    1742999832n,
    'Unsynced, last Frontier, Homestead, Tangerine, Spurious, Byzantium, Constantinople, Petersburg, Istanbul, Berlin, London, Paris, Shanghai, Cancun block',
  ],
  [123n, 1742999831n, 0xbef71d30, 1742999832n, 'Last Cancun block'],
  [123n, 1742999832n, 0x0929e24e, 1761677592n, 'First Prague block'],
  [123n, 1761677591n, 0x0929e24e, 1761677592n, 'Last Prague block'],
  [123n, 1761677592n, 0xe7e0e7ff, 1762365720n, 'First Osaka block'],
  [123n, 1762365719n, 0xe7e0e7ff, 1762365720n, 'Last Osaka block'],
  [123n, 1762365720n, 0x3893353e, 1762955544n, 'First BPO1 block'],
  [123n, 1762955543n, 0x3893353e, 1762955544n, 'Last BPO1 block'],
  [123n, 1762955544n, 0x23aa1351, 0n, 'First BPO2 block'],
  [123n, 2000000000n, 0x23aa1351, 0n, 'Future BPO2 block'],
];

/** TestValidation: local config, head, time, remote hash, remote next, expected result. */
export const VALIDATION: readonly ValidationVector[] = [
  ['legacy', 15050000n, 0n, 0xf0afd0e3, 0n, null],
  ['legacy', 15050000n, 0n, 0xf0afd0e3, MAX_U64, null],
  ['legacy', 7279999n, 0n, 0xa00bc324, 0n, null],
  ['legacy', 7279999n, 0n, 0xa00bc324, 7280000n, null],
  ['legacy', 7279999n, 0n, 0xa00bc324, MAX_U64, null],
  ['legacy', 7280000n, 0n, 0xa00bc324, 7280000n, null],
  ['legacy', 7987396n, 0n, 0xa00bc324, 7280000n, null],
  ['legacy', 7987396n, 0n, 0x3edd5b10, 4370000n, null],
  ['legacy', 7279999n, 0n, 0x668db0af, 0n, null],
  ['legacy', 4369999n, 0n, 0xa00bc324, 0n, null],
  ['legacy', 7987396n, 0n, 0xa00bc324, 0n, 'REMOTE_STALE'],
  ['legacy', 7987396n, 0n, 0x5cddc0e1, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['legacy', 7279999n, 0n, 0x5cddc0e1, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['legacy', 7987396n, 0n, 0xafec6b27, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['legacy', 88888888n, 0n, 0xf0afd0e3, 88888888n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['legacy', 7279999n, 0n, 0xa00bc324, 7279999n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 15050000n, 0n, 0xf0afd0e3, 0n, null],
  ['mainnet', 15050000n, 0n, 0xf0afd0e3, 1681338455n, null],
  ['mainnet', 15050000n, 0n, 0xf0afd0e3, MAX_U64, null],
  ['mainnet', 20000000n, 1681338455n, 0xf0afd0e3, 1681338455n, null],
  ['mainnet', 20123456n, 1681338456n, 0xf0afd0e3, 1681338455n, null],
  ['mainnet', 20000000n, 1681338455n, 0x20c327fc, 15050000n, null],
  ['mainnet', 15050000n, 0n, 0xdce96c2d, 0n, null],
  ['mainnet', 13773000n, 0n, 0xf0afd0e3, 0n, null],
  ['mainnet', 20000000n, 1681338455n, 0xf0afd0e3, 0n, 'REMOTE_STALE'],
  ['mainnet', 15050000n, 0n, CSUM_F0AFD0E3_MAX, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 15050000n, 0n, CSUM_DCE96C2D_MAX, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 888888888n, 1660000000n, 0xf0afd0e3, 1660000000n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 19999999n, 1667999999n, 0xf0afd0e3, 1667999999n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 20000000n, 1681338455n, 0xdce96c2d, 0n, null],
  ['mainnet', 20000000n, 1681338455n, 0xdce96c2d, MAX_U64, null],
  ['mainnet', 20000000n, 1668000000n, 0xdce96c2d, 0n, null],
  ['mainnet', 20000000n, 1668000000n, 0xdce96c2d, 1710338135n, null],
  ['mainnet', 20000000n, 1668000000n, 0xdce96c2d, MAX_U64, null],
  ['mainnet', 21000000n, 1710338135n, 0xdce96c2d, 1710338135n, null],
  ['mainnet', 21123456n, 1710338136n, 0xdce96c2d, 1710338135n, null],
  ['mainnet', 0n, 0n, 0x3edd5b10, 1710338135n, null],
  ['mainnet', 21000000n, 1700000000n, 0x9f3d2254, 0n, null],
  ['mainnet', 21000000n, 1678000000n, 0xc376cf8b, 0n, null],
  ['mainnet', 21000000n, 1710338135n, 0xdce96c2d, 0n, 'REMOTE_STALE'],
  ['mainnet', 20000000n, 1681338455n, CSUM_DCE96C2D_MAX, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 20000000n, 1668000000n, CSUM_9F3D2254_MAX, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 20000000n, 1681338455n, 0x12345678, 0n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 88888888n, 8888888888n, 0x07c9462e, 8888888888n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
  ['mainnet', 20999999n, 1699999999n, 0x71147644, 1700000000n, 'LOCAL_INCOMPATIBLE_OR_STALE'],
];

/** TestEncoding: fork ID (hash as uint32, next) and its RLP in hex. */
export const ENCODING: readonly (readonly [hash: number, next: bigint, rlp: string])[] = [
  [0x00000000, 0n, 'c6840000000080'],
  [0xdeadbeef, 0xbaddcafen, 'ca84deadbeef84baddcafe'],
  [0xffffffff, MAX_U64, 'ce84ffffffff88ffffffffffffffff'],
];

/** TestTimeBasedForkInGenesis: the genesis timestamp. */
export const TIME_FORK_GENESIS_TIME = 1690475657n;
