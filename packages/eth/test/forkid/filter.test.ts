import { describe, expect, it } from 'vitest';
import type { ChainConfig } from '../../src/chain-config/chain-config.ts';
import { MAINNET } from '../../src/chain-config/networks.ts';
import { FORK_ID_REJECTION, newForkFilter } from '../../src/forkid/filter.ts';
import { checksumBytes, forkId } from '../../src/forkid/fork-id.ts';
import { VALIDATION } from './vectors.ts';

/** Mainnet without its timestamp forks (geth TestValidation `legacyConfig`). */
const LEGACY: ChainConfig = {
  ...MAINNET,
  shanghaiTime: undefined,
  cancunTime: undefined,
  pragueTime: undefined,
  osakaTime: undefined,
  bpo1Time: undefined,
  bpo2Time: undefined,
};

describe('newForkFilter (geth TestValidation)', () => {
  it.each(VALIDATION)(
    '%s head %s time %s, remote %s next %s -> %s',
    (cfg, number, time, hash, next, want) => {
      const filter = newForkFilter(cfg === 'legacy' ? LEGACY : MAINNET, () => ({ number, time }));
      expect(filter.validate({ hash: checksumBytes(hash), next })).toBe(want);
    },
  );
});

describe('newForkFilter', () => {
  it('reads the head on every check', () => {
    let head = { number: 7_279_999n, time: 0n };
    const filter = newForkFilter(LEGACY, () => head);
    const byzantiumOnly = { hash: checksumBytes(0xa00bc324), next: 0n };
    expect(filter.validate(byzantiumOnly)).toBeNull();
    head = { number: 7_987_396n, time: 0n };
    expect(filter.validate(byzantiumOnly)).toBe(FORK_ID_REJECTION.REMOTE_STALE);
  });

  it('accepts its own fork ID at every vector head', () => {
    for (const head of [
      { number: 0n, time: 0n },
      { number: 15_050_000n, time: 0n },
      { number: 20_000_000n, time: 1_681_338_455n },
      { number: 30_000_000n, time: 2_000_000_000n },
    ]) {
      expect(newForkFilter(MAINNET, () => head).validate(forkId(MAINNET, head))).toBeNull();
    }
  });

  it('compares a remote timestamp next with the local head time (1438269973 threshold)', () => {
    // Not geth vectors: a local node still on block forks, remote announcing a passed time fork.
    const legacy = newForkFilter(LEGACY, () => ({ number: 15_050_000n, time: 1_700_000_000n }));
    const shanghai = { hash: checksumBytes(0xf0afd0e3), next: 1_681_338_455n };
    expect(legacy.validate(shanghai)).toBe(FORK_ID_REJECTION.LOCAL_INCOMPATIBLE_OR_STALE);
    const notYet = newForkFilter(LEGACY, () => ({ number: 15_050_000n, time: 1_681_338_454n }));
    expect(notYet.validate(shanghai)).toBeNull();
    // A next at or below the threshold is a block number: the head time does not count.
    const blockNext = { hash: checksumBytes(0xf0afd0e3), next: 1_438_269_973n };
    expect(legacy.validate(blockNext)).toBeNull();
    const beforeGray = newForkFilter(MAINNET, () => ({
      number: 15_049_999n,
      time: 1_700_000_000n,
    }));
    const arrow = { hash: checksumBytes(0x20c327fc), next: 1_690_000_000n };
    expect(beforeGray.validate(arrow)).toBe(FORK_ID_REJECTION.LOCAL_INCOMPATIBLE_OR_STALE);
  });

  it('accepts at a head of 2^64 - 1, as geth does', () => {
    const max = 2n ** 64n - 1n;
    const filter = newForkFilter(LEGACY, () => ({ number: max, time: 0n }));
    expect(filter.validate({ hash: checksumBytes(0x12345678), next: 0n })).toBeNull();
  });

  it('throws TypeError/RangeError on a malformed remote ID or head', () => {
    const filter = newForkFilter(MAINNET, () => ({ number: 0n, time: 0n }));
    expect(() => filter.validate({ hash: new Uint8Array(3), next: 0n })).toThrow(RangeError);
    expect(() => filter.validate({ hash: new Uint8Array(4), next: -1n })).toThrow(RangeError);
    const bad = newForkFilter(MAINNET, () => ({ number: -1n, time: 0n }));
    expect(() => bad.validate({ hash: new Uint8Array(4), next: 0n })).toThrow(RangeError);
  });
});
