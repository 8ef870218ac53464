import { RLP } from '@ethereumjs/rlp';
import { concatBytes, keccak256 } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EthError } from '../../src/errors.ts';
import {
  blobTransactionViolation,
  hasBlobSidecar,
  readBlobTransaction,
  transactionHash,
  withoutBlobs,
} from '../../src/messages/index.ts';
import { blobTx } from '../helpers/blob-tx.ts';
import { legacyTx, typedTx } from '../peer/fixtures.ts';

describe('blob transactions in their network form', () => {
  it.each([0, 1] as const)(
    'reads a version %i sidecar; the hash leaves the sidecar out',
    (version) => {
      const tx = blobTx({ blobs: 2, version });
      const b = readBlobTransaction(tx.full);
      expect(b.hash).toEqual(tx.hash);
      expect(keccak256(b.tx)).toEqual(tx.hash);
      expect(b.sidecarVersion).toBe(version);
      expect(b.blobs.map(keccak256)).toEqual(tx.blobs.map(keccak256));
      expect(b.commitments).toHaveLength(2);
      expect(b.proofs).toHaveLength(version === 1 ? 256 : 2);
      expect(hasBlobSidecar(tx.full)).toBe(true);
      expect(transactionHash(tx.full)).toEqual(tx.hash);
      expect(transactionHash(tx.bare)).toEqual(tx.hash);
      // The eth/72 form: the same with an empty blob list.
      expect(withoutBlobs(tx.full)).toEqual(tx.bare);
      expect(withoutBlobs(tx.bare)).toEqual(tx.bare);
    },
  );

  it('other transactions hash whole and have no sidecar', () => {
    for (const tx of [legacyTx(1), typedTx(2, 1), readBlobTransaction(blobTx().full).tx]) {
      expect(hasBlobSidecar(tx)).toBe(false);
      expect(transactionHash(tx)).toEqual(keccak256(tx));
    }
    expect(hasBlobSidecar(Uint8Array.of(3, 0xc5))).toBe(false);
  });

  it('checks a delivered blob transaction per version (go-ethereum handleTransactions)', () => {
    const tx = blobTx({ blobs: 2 });
    expect(blobTransactionViolation(tx.full, 71)).toBeUndefined();
    expect(blobTransactionViolation(tx.bare, 72)).toBeUndefined();
    expect(blobTransactionViolation(tx.full, 72)).toBe('blob payload on eth/72');
    expect(blobTransactionViolation(tx.bare, 70)).toBe('0 blobs for 2 versioned hashes');
    expect(blobTransactionViolation(readBlobTransaction(tx.full).tx, 72)).toBe(
      'blob transaction without its sidecar',
    );
    // A commitment that is not the versioned hash's.
    const b = readBlobTransaction(tx.bare);
    const swapped = concatBytes(
      Uint8Array.of(3),
      RLP.encode([
        RLP.decode(b.tx.subarray(1)) as Uint8Array[],
        1n,
        [],
        [b.commitments[1], b.commitments[0]] as Uint8Array[],
        b.proofs as Uint8Array[],
      ]),
    );
    expect(blobTransactionViolation(swapped, 72)).toBe(
      'commitment 0 does not match its versioned hash',
    );
    const fewProofs = concatBytes(
      Uint8Array.of(3),
      RLP.encode([
        RLP.decode(b.tx.subarray(1)) as Uint8Array[],
        1n,
        [],
        b.commitments as Uint8Array[],
        b.proofs.slice(1) as Uint8Array[],
      ]),
    );
    expect(blobTransactionViolation(fewProofs, 72)).toBe('255 proofs for 2 blobs');
  });

  it('refuses malformed sidecars with EthError MALFORMED', () => {
    const payload = RLP.decode(readBlobTransaction(blobTx().full).tx.subarray(1)) as Uint8Array[];
    const bad = [
      [payload, 2n, [], [], []], // sidecar version 2
      [payload, [], []], // too few fields
      [payload, [new Uint8Array(10)], [], []], // a short blob
      [[...payload.slice(0, 13)], [], [], []], // 13 payload fields
    ];
    for (const form of bad) {
      const tx = concatBytes(Uint8Array.of(3), RLP.encode(form as never));
      expect(() => readBlobTransaction(tx)).toThrow(EthError);
      expect(blobTransactionViolation(tx, 72)).toMatch(/malformed blob transaction/);
    }
  });

  it('never throws on a blob transaction with a byte changed, cut or added (fuzzed)', () => {
    const tx = blobTx({ blobs: 1, version: 0 }).bare;
    fc.assert(
      fc.property(
        fc.nat({ max: tx.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('change', 'cut', 'add'),
        (at, byte, how) => {
          const bad =
            how === 'cut'
              ? tx.subarray(0, at)
              : how === 'add'
                ? concatBytes(tx, Uint8Array.of(byte))
                : Uint8Array.from(tx, (b, i) => (i === at ? byte : b));
          for (const version of [71, 72]) {
            const v = blobTransactionViolation(bad, version);
            expect(v === undefined || typeof v === 'string').toBe(true);
          }
          expect(typeof hasBlobSidecar(bad)).toBe('boolean');
          expect(transactionHash(bad)).toHaveLength(32);
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });
});
