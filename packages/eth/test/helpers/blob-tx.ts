/**
 * Blob transactions with sidecars for tests: commitments and proofs are arbitrary 48-byte values
 * (nothing here checks KZG), the versioned hashes are the commitments' (EIP-4844
 * `kzg_to_versioned_hash`), so the sidecar checks of the network form pass.
 */
import { RLP } from '@ethereumjs/rlp';
import { concatBytes, keccak256, sha256 } from '@ethp2p/crypto';
import { BLOB_BYTES, CELLS_PER_BLOB, KZG_BYTES } from '../../src/messages/index.ts';

/** A built blob transaction. */
export interface TestBlobTx {
  /** The network form with its blobs (eth/68 to eth/71). */
  readonly full: Uint8Array;
  /** The network form without blobs (eth/72). */
  readonly bare: Uint8Array;
  /** The transaction hash (of `0x03 ‖ rlp(payload)`). */
  readonly hash: Uint8Array;
  readonly blobs: readonly Uint8Array[];
}

/** Options of {@link blobTx}. */
export interface BlobTxOptions {
  readonly nonce?: number;
  readonly blobs?: number;
  /** Sidecar version: 1 (cell proofs, the default) or 0. */
  readonly version?: 0 | 1;
}

/** Bytes from a seed; each 32-byte word starts with 0, so a blob is valid field elements. */
function filled(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = i % 32 === 0 ? 0 : (seed * 31 + i * 7) & 0xff;
  return out;
}

/** A blob transaction with `blobs` blobs (default 1) and a sidecar of `version`. */
export function blobTx(options: BlobTxOptions = {}): TestBlobTx {
  const nonce = options.nonce ?? 0;
  const n = options.blobs ?? 1;
  const version = options.version ?? 1;
  const commitments = Array.from({ length: n }, (_, i) => filled(KZG_BYTES, nonce * 16 + i + 1));
  const hashes = commitments.map((c) => {
    const h = sha256(c);
    h[0] = 1;
    return h;
  });
  const payload = [
    1n,
    nonce,
    1n,
    2n,
    21_000n,
    new Uint8Array(20),
    0n,
    new Uint8Array(0),
    [],
    3n,
    hashes,
    1n,
    2n,
    3n,
  ];
  const proofs = Array.from({ length: version === 1 ? n * CELLS_PER_BLOB : n }, (_, i) =>
    filled(KZG_BYTES, 1000 + i),
  );
  const blobs = Array.from({ length: n }, (_, i) => filled(BLOB_BYTES, nonce * 16 + i + 100));
  const form = (withBlobs: readonly Uint8Array[]): Uint8Array =>
    concatBytes(
      Uint8Array.of(3),
      RLP.encode(
        version === 1
          ? [payload, 1n, [...withBlobs], commitments, proofs]
          : [payload, [...withBlobs], commitments, proofs],
      ),
    );
  return {
    full: form(blobs),
    bare: form([]),
    hash: keccak256(concatBytes(Uint8Array.of(3), RLP.encode(payload))),
    blobs,
  };
}
