import { describe, expect, it } from 'vitest';
import { nextBaseFee } from '../src/base-fee.ts';

describe('nextBaseFee', () => {
  // go-ethereum consensus/misc/eip1559 TestCalcBaseFee (parent base fee 1 gwei, gas limit 20M).
  it.each([
    [10_000_000n, 1_000_000_000n], // at the target: unchanged
    [9_000_000n, 987_500_000n], // below: down
    [11_000_000n, 1_012_500_000n], // above: up
  ])('gas used %i gives %i', (gasUsed, expected) => {
    expect(nextBaseFee({ gasLimit: 20_000_000n, gasUsed, baseFeePerGas: 1_000_000_000n })).toBe(
      expected,
    );
  });

  it('rises by at least 1 wei above the target, and refuses a parent without a base fee', () => {
    expect(nextBaseFee({ gasLimit: 20_000_000n, gasUsed: 10_000_001n, baseFeePerGas: 7n })).toBe(
      8n,
    );
    expect(() => nextBaseFee({ gasLimit: 20_000_000n, gasUsed: 0n })).toThrow(RangeError);
  });
});
