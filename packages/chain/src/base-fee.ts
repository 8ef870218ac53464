/**
 * The EIP-1559 base fee of a child block, computed by `@ethereumjs/block` (the header's
 * `calcNextBaseFee`, with mainnet's elasticity and change denominator), for code that builds
 * headers without executing them (the testnet's synthetic blocks).
 * @see https://eips.ethereum.org/EIPS/eip-1559
 * @module
 */
import { createBlockHeader } from '@ethereumjs/block';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import type { HeaderFields } from './header.ts';

let london: Common | undefined;

/**
 * The base fee of the block after `parent` (EIP-1559).
 * @throws {RangeError} when the parent has no base fee (a block before London)
 */
export function nextBaseFee(
  parent: Pick<HeaderFields, 'gasLimit' | 'gasUsed' | 'baseFeePerGas'>,
): bigint {
  const { gasLimit, gasUsed, baseFeePerGas } = parent;
  if (baseFeePerGas === undefined) throw new RangeError('nextBaseFee: the parent has no base fee');
  london ??= new Common({ chain: Mainnet, hardfork: Hardfork.London });
  return createBlockHeader(
    { gasLimit, gasUsed, baseFeePerGas },
    { common: london, skipConsensusFormatValidation: true },
  ).calcNextBaseFee();
}
