import { describe, expect, it } from 'vitest';
import type { ChainConfig } from '../../src/chain-config/chain-config.ts';
import { HOLESKY, HOODI, MAINNET, SEPOLIA } from '../../src/chain-config/networks.ts';
import { crc32 } from '../../src/forkid/crc32.ts';
import { checksumUpdate, forkId, gatherForks } from '../../src/forkid/fork-id.ts';
import {
  type CreationVector,
  CSUM_9F3D2254_MAX,
  CSUM_DCE96C2D_MAX,
  CSUM_F0AFD0E3_MAX,
  HOLESKY_CREATION,
  HOODI_CREATION,
  MAINNET_CREATION,
  MAX_U64,
  SEPOLIA_CREATION,
  TIME_FORK_GENESIS_TIME,
} from './vectors.ts';

const hex32 = (n: number) => n.toString(16).padStart(8, '0');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('forkId (geth TestCreation)', () => {
  const cases: [string, ChainConfig, readonly CreationVector[]][] = [
    ['mainnet', MAINNET, MAINNET_CREATION],
    ['sepolia', SEPOLIA, SEPOLIA_CREATION],
    ['holesky', HOLESKY, HOLESKY_CREATION],
    ['hoodi', HOODI, HOODI_CREATION],
  ];
  for (const [name, config, vectors] of cases) {
    it.each(vectors)(`${name}: head %s time %s -> %s next %s (%s)`, (number, time, hash, next) => {
      const id = forkId(config, { number, time });
      expect(hex(id.hash)).toBe(hex32(hash));
      expect(id.next).toBe(next);
    });
  }
});

describe('time forks at genesis (geth TestTimeBasedForkInGenesis)', () => {
  const time = TIME_FORK_GENESIS_TIME;
  const genesisHash = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const config = (shanghai: bigint, cancun: bigint): ChainConfig => ({
    chainId: 1337n,
    networkId: 1337n,
    genesisHash,
    genesisTime: time,
    homesteadBlock: 0n,
    eip150Block: 0n,
    eip155Block: 0n,
    eip158Block: 0n,
    byzantiumBlock: 0n,
    constantinopleBlock: 0n,
    petersburgBlock: 0n,
    istanbulBlock: 0n,
    muirGlacierBlock: 0n,
    berlinBlock: 0n,
    londonBlock: 0n,
    mergeNetsplitBlock: 0n,
    terminalTotalDifficulty: 0n,
    shanghaiTime: shanghai,
    cancunTime: cancun,
  });
  it.each([
    ['before genesis', time - 1n, time + 1n],
    ['at genesis', time, time + 1n],
    ['after genesis', time + 1n, time + 2n],
  ])(
    'Shanghai %s: checksum of the genesis hash only, next = genesis + 1',
    (_, shanghai, cancun) => {
      const id = forkId(config(shanghai, cancun), { number: 0n, time });
      expect(hex(id.hash)).toBe(hex32(crc32(genesisHash)));
      expect(id.next).toBe(time + 1n);
    },
  );
});

describe('gatherForks', () => {
  it('sorts, de-duplicates and drops block 0 and time forks at or before genesis', () => {
    const forks = gatherForks({
      ...MAINNET,
      genesisTime: 1710338135n,
      homesteadBlock: 0n,
      eip150Block: 5n,
      daoForkBlock: 3,
    });
    expect(forks.byBlock.slice(0, 3)).toEqual([3n, 5n, 2675000n]);
    expect(forks.byTime).toEqual([1746612311n, 1764798551n, 1765290071n, 1767747671n]);
  });

  it('rejects fork values that are not u64 integers', () => {
    expect(() => gatherForks({ ...MAINNET, bpo3Time: -1n })).toThrow(RangeError);
    expect(() => gatherForks({ ...MAINNET, bpo3Time: 2n ** 64n })).toThrow(RangeError);
    expect(() => gatherForks({ ...MAINNET, bpo3Time: 1.5 })).toThrow(RangeError);
    expect(() =>
      forkId({ ...MAINNET, genesisHash: new Uint8Array(31) }, { number: 0n, time: 0n }),
    ).toThrow(RangeError);
    expect(() => forkId(MAINNET, { number: 0, time: 0n } as never)).toThrow(TypeError);
  });

  it('accepts number fork values like bigints', () => {
    const head = { number: 30_000_000n, time: 1_750_000_000n };
    const asNumbers = { ...MAINNET, shanghaiTime: 1681338455, londonBlock: 12_965_000 };
    expect(forkId(asNumbers, head)).toEqual(forkId(MAINNET, head));
  });
});

describe('checksums', () => {
  it('crc32 is CRC-32/IEEE and continues across calls', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const a = Uint8Array.of(1, 2, 3);
    const b = Uint8Array.of(4, 5);
    expect(crc32(b, crc32(a))).toBe(crc32(Uint8Array.of(1, 2, 3, 4, 5)));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('checksumUpdate with 2^64 - 1 gives the sums TestValidation uses', () => {
    expect(checksumUpdate(0xf0afd0e3, MAX_U64)).toBe(CSUM_F0AFD0E3_MAX);
    expect(checksumUpdate(0xdce96c2d, MAX_U64)).toBe(CSUM_DCE96C2D_MAX);
    expect(checksumUpdate(0x9f3d2254, MAX_U64)).toBe(CSUM_9F3D2254_MAX);
  });
});
