import { RlpError } from '@ethp2p/base/rlp';
import { thrownError } from '@ethp2p/base/testing';
import { hexToBytes } from '@ethp2p/crypto';
import { ChainError } from '@ethp2p/eth/chain';
import { describe, expect, it } from 'vitest';
import { generateChain } from '../../eth/test/helpers/chain-generator.ts';
import { decodeHeader } from '../src/header.ts';
import { MemoryChain } from '../src/memory-chain.ts';
import { transactionInfo } from '../src/transaction.ts';

/** Asserts a ChainError MALFORMED_BLOCK whose cause is the reader's RlpError `code`. */
function expectWrapped(fn: () => unknown, code: RlpError['code'], message?: RegExp): void {
  const err = thrownError(fn, ChainError, 'MALFORMED_BLOCK');
  expect(
    thrownError(
      () => {
        throw err.cause;
      },
      RlpError,
      code,
    ),
  ).toBe(err.cause);
  if (message !== undefined) expect(err.message).toMatch(message);
}

describe('the decoding boundary of @ethp2p/chain', () => {
  it('decodeHeader and transactionInfo wrap a truncated input in ChainError MALFORMED_BLOCK', () => {
    expectWrapped(() => decodeHeader(Uint8Array.of(0xc1)), 'TRUNCATED');
    expectWrapped(() => transactionInfo(hexToBytes('c301')), 'TRUNCATED');
  });

  it('MemoryChain import reports bad RLP as MALFORMED_BLOCK with the block it was reading', async () => {
    const chain = await MemoryChain.fromGenesis((await generateChain({ blocks: 1 })).genesis);
    expectWrapped(
      () => chain.importRlp(Uint8Array.of(0xf9, 0x01)),
      'TRUNCATED',
      /^block 0 \(byte 0\)/,
    );
  });
});
