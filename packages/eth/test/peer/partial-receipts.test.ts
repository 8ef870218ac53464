import { RLP } from '@ethereumjs/rlp';
import { thrownError } from '@ethp2p/base/testing';
import { describe, expect, it } from 'vitest';
import { EthError } from '../../src/errors.ts';
import { RequestError } from '../../src/peer/errors.ts';
import { checkIncompleteReceipts, receiptBounds } from '../../src/peer/partial-receipts.ts';
import { legacyTx } from './fixtures.ts';

/** A header of 17 fields whose gas limit (field 9) is `gasLimit`. */
function header(gasLimit: bigint): Uint8Array {
  const f: (Uint8Array | bigint)[] = Array.from({ length: 17 }, () => new Uint8Array(0));
  f[9] = gasLimit;
  return RLP.encode(f);
}

/** `type ‖ rlp(fields)` with the gas limit at `at`. */
function typed(type: number, at: number, gas: bigint): Uint8Array {
  const f: (Uint8Array | bigint)[] = Array.from({ length: 9 }, () => 1n);
  f[at] = gas;
  return Uint8Array.of(type, ...RLP.encode(f));
}

describe('receiptBounds', () => {
  it('reads the block gas limit and each transaction’s, legacy and typed', () => {
    const txs = [
      RLP.decode(legacyTx(0)),
      typed(1, 3, 30_000n),
      typed(2, 4, 40_000n),
      typed(3, 4, 50_000n),
      typed(4, 4, 60_000n),
      typed(0x7e, 4, 1n),
    ];
    const body = RLP.encode([txs as never, []]);
    expect(receiptBounds(header(36_000_000n), body)).toEqual({
      gasLimit: 36_000_000n,
      txGasLimits: [21_000n, 30_000n, 40_000n, 50_000n, 60_000n, undefined],
    });
  });

  it('takes a body with withdrawals and refuses what is not a header and a body', () => {
    expect(receiptBounds(header(1n), RLP.encode([[], [], []])).txGasLimits).toEqual([]);
    expect(() => receiptBounds(RLP.encode([1, 2]), RLP.encode([[], []]))).toThrow(EthError);
    expect(() => receiptBounds(header(1n), RLP.encode([[]]))).toThrow(EthError);
  });
});

describe('checkIncompleteReceipts (EIP-7975)', () => {
  const r = (bytes: number): Uint8Array => new Uint8Array(bytes);
  const bounds = { gasLimit: 800n, txGasLimits: [160n, 160n, 800n] };

  it('accepts receipts within every bound, counting those gathered before', () => {
    expect(() => checkIncompleteReceipts(undefined, [r(20), r(20)], bounds)).not.toThrow();
    expect(() =>
      checkIncompleteReceipts({ receipts: [r(20)], bytes: 20 }, [r(20), r(60)], bounds),
    ).not.toThrow();
  });

  it.each([
    ['more receipts than transactions', undefined, [r(1), r(1), r(1), r(1)]],
    ['a receipt over its gas limit / 8', undefined, [r(21)]],
    ['a later receipt over its own bound', { receipts: [r(1)], bytes: 1 }, [r(21)]],
    ['all of them over the block gas limit / 8', { receipts: [r(20), r(20)], bytes: 40 }, [r(61)]],
  ] as const)('refuses %s with INVALID_RESPONSE', (_, before, received) => {
    const prior =
      before === undefined ? undefined : { receipts: [...before.receipts], bytes: before.bytes };
    thrownError(
      () => checkIncompleteReceipts(prior, received, bounds),
      RequestError,
      'INVALID_RESPONSE',
    );
  });
});
