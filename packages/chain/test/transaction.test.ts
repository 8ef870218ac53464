import { RLP } from '@ethereumjs/rlp';
import { hexToBytes, keccak256 } from '@ethp2p/crypto';
import { ChainError } from '@ethp2p/eth/chain';
import { describe, expect, it } from 'vitest';
import { canonicalTransactionInfo, transactionInfo } from '../src/transaction.ts';

// go-ethereum core/types/transaction_test.go: `rightvrsTx` (legacy) and TestEIP2718TransactionEncode
// (an access-list transaction as RLP, i.e. its network form, and as binary).
const LEGACY = hexToBytes(
  'f86103018207d094b94f5374fce5edbc8e2a8697c15331677e6ebf0b0a8255441ca098ff921201554726367d2be8c804a7ff89ccf285ebc57dff8ae4c44b9c19ac4aa08887321be575c8095f789dd4c743dfe42c1820f9231f98a962b210e3ac2452a3',
);
const ACCESS_LIST_RLP = hexToBytes(
  'b86601f8630103018261a894b94f5374fce5edbc8e2a8697c15331677e6ebf0b0a825544c001a0c9519f4f2b30335884581971573fadf60c6204f59a911df35ee8a540456b2660a032f1e8e2c5dd761f9e4f88f41c8310aeaba26a8bfcdacfedfa12ec3862d37521',
);
const ACCESS_LIST_BINARY = hexToBytes(
  '01f8630103018261a894b94f5374fce5edbc8e2a8697c15331677e6ebf0b0a825544c001a0c9519f4f2b30335884581971573fadf60c6204f59a911df35ee8a540456b2660a032f1e8e2c5dd761f9e4f88f41c8310aeaba26a8bfcdacfedfa12ec3862d37521',
);

describe('transactionInfo', () => {
  it('reads a legacy transaction', () => {
    expect(transactionInfo(LEGACY)).toEqual({
      hash: keccak256(LEGACY),
      type: 0,
      size: LEGACY.length,
    });
  });

  it('unwraps a typed transaction and hashes its binary form', () => {
    expect(transactionInfo(ACCESS_LIST_RLP)).toEqual({
      hash: keccak256(ACCESS_LIST_BINARY),
      type: 1,
      size: ACCESS_LIST_BINARY.length,
    });
  });

  it('reads the canonical encodings a pool keeps', () => {
    expect(canonicalTransactionInfo(ACCESS_LIST_BINARY)).toEqual(transactionInfo(ACCESS_LIST_RLP));
    expect(canonicalTransactionInfo(LEGACY)).toEqual(transactionInfo(LEGACY));
    expect(() => canonicalTransactionInfo(ACCESS_LIST_RLP)).toThrow(ChainError);
    expect(() => canonicalTransactionInfo(Uint8Array.of(2, 0xc0, 0))).toThrow(ChainError);
    expect(() => canonicalTransactionInfo(Uint8Array.of(2))).toThrow(ChainError);
  });

  it.each([
    ['the binary form of a typed transaction', ACCESS_LIST_BINARY],
    ['an empty input', new Uint8Array(0)],
    ['an empty byte string', Uint8Array.of(0x80)],
    ['a type byte alone', RLP.encode(Uint8Array.of(2, 0))],
    ['type 0x80', RLP.encode(Uint8Array.of(0x80, 0xc0))],
    ['a type and a byte string', RLP.encode(Uint8Array.of(2, 0x83, 1, 2, 3))],
    ['a type and a list with trailing bytes', RLP.encode(Uint8Array.of(2, 0xc0, 0))],
    ['trailing bytes after a legacy transaction', Uint8Array.of(...LEGACY, 0)],
    ['a truncated legacy transaction', LEGACY.subarray(0, 50)],
  ])('rejects %s', (_name, tx) => {
    expect(() => transactionInfo(tx)).toThrow(ChainError);
  });
});
