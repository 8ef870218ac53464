/**
 * Blob transactions in their network form (EIP-4844, EIP-7594, EIP-8070). Only
 * PooledTransactions carries a blob transaction, and it carries it with its sidecar:
 * `0x03 ‖ rlp([tx-payload, blobs, commitments, proofs])` (version 0, one proof per blob) or
 * `0x03 ‖ rlp([tx-payload, 1, blobs, commitments, proofs])` (version 1, EIP-7594: 128 cell
 * proofs per blob). The transaction's hash is that of `0x03 ‖ rlp(tx-payload)` alone. From
 * eth/72 on (EIP-8070) the blob payload is left out: `blobs` is the empty list and the cells are
 * fetched with GetCells; NewPooledTransactionHashes announces the size of that form (go-ethereum
 * `txSizeWithoutBlob`). Pure: the checks a receiver applies (go-ethereum `handleTransactions`)
 * are {@link blobTransactionViolation}.
 * @see https://eips.ethereum.org/EIPS/eip-4844#networking
 * @see https://eips.ethereum.org/EIPS/eip-8070
 * @module
 */
import {
  encodeBytes,
  encodeList,
  listItems,
  type RlpItem,
  readRoot,
  takeItems,
} from '@ethp2p/base/rlp';
import { equalBytes, keccak256, sha256 } from '@ethp2p/crypto';
import { decoding, malformed } from '../decoding.ts';
import { BLOB_TX_TYPE } from '../peer/constants.ts';
import { CELLS_PER_BLOB } from './cells.ts';

/** Bytes of a blob (EIP-4844: 4096 field elements of 32 bytes). */
export const BLOB_BYTES = 131_072;

/** Bytes of a KZG commitment or proof. */
export const KZG_BYTES = 48;

/** The version byte of a KZG versioned hash (EIP-4844 `VERSIONED_HASH_VERSION_KZG`). */
const VERSIONED_HASH_VERSION_KZG = 0x01;

/** Index of `blob_versioned_hashes` in a blob transaction's payload (EIP-4844). */
const VERSIONED_HASHES_FIELD = 10;

/** Fields of a signed blob transaction's payload (EIP-4844). */
const PAYLOAD_FIELDS = 14;

/** A blob transaction with its sidecar, as PooledTransactions carries it. */
export interface BlobTransaction {
  /** keccak256 of {@link tx}: the transaction's hash. */
  readonly hash: Uint8Array;
  /** The transaction without its sidecar: `0x03 ‖ rlp(tx-payload)`, as a block holds it. */
  readonly tx: Uint8Array;
  /** The transaction's `blob_versioned_hashes` (32 bytes each). */
  readonly versionedHashes: readonly Uint8Array[];
  /** The sidecar version: 0 (EIP-4844 proofs) or 1 (EIP-7594 cell proofs). */
  readonly sidecarVersion: number;
  /** The blobs ({@link BLOB_BYTES} each; none in the eth/72 form). */
  readonly blobs: readonly Uint8Array[];
  /** The KZG commitments, one per blob. */
  readonly commitments: readonly Uint8Array[];
  /** The KZG proofs: one per blob (version 0) or 128 per blob (version 1). */
  readonly proofs: readonly Uint8Array[];
}

/**
 * Whether a canonical transaction is a blob transaction with its sidecar: type 3 whose RLP list
 * starts with a list (the payload) rather than the chain id. Never throws.
 */
export function hasBlobSidecar(tx: Uint8Array): boolean {
  if (tx[0] !== BLOB_TX_TYPE) return false;
  try {
    const root = readRoot(tx.subarray(1), 'transaction');
    return root.list && (takeItems(root, 1, 'transaction')[0]?.list ?? false);
  } catch {
    return false;
  }
}

/**
 * The hash of a canonical transaction: keccak256 of it, or for a blob transaction with its
 * sidecar keccak256 of the transaction without it. Never throws: bytes that are not a well-formed
 * sidecar form hash whole (such a transaction is refused by every check anyway).
 */
export function transactionHash(tx: Uint8Array): Uint8Array {
  if (!hasBlobSidecar(tx)) return keccak256(tx);
  try {
    return readBlobTransaction(tx).hash;
  } catch {
    return keccak256(tx);
  }
}

/**
 * Reads a blob transaction with its sidecar (the shape only: sizes of blobs, commitments and
 * proofs, and the versioned hashes; nothing is verified against anything).
 * @throws {EthError} MALFORMED when `tx` is not that form
 */
export function readBlobTransaction(tx: Uint8Array): BlobTransaction {
  return decoding(() => {
    if (tx[0] !== BLOB_TX_TYPE) throw malformed('blob transaction: not type 3');
    const parts = listItems(readRoot(tx.subarray(1), 'blob transaction'), 'blob transaction', 5);
    if (parts.length !== 4 && parts.length !== 5)
      throw malformed(`blob transaction: ${parts.length} fields in the network form`);
    const [payload, ...sidecar] = parts as [RlpItem, ...RlpItem[]];
    if (!payload.list) throw malformed('blob transaction: payload is not a list');
    let sidecarVersion = 0;
    if (sidecar.length === 4) {
      const v = sidecar.shift() as RlpItem;
      if (v.list || v.payload.length !== 1 || v.payload[0] !== 1)
        throw malformed('blob transaction: sidecar version is not 1');
      sidecarVersion = 1;
    }
    const [blobs, commitments, proofs] = sidecar as [RlpItem, RlpItem, RlpItem];
    const fields = listItems(payload, 'blob transaction payload', PAYLOAD_FIELDS);
    if (fields.length !== PAYLOAD_FIELDS)
      throw malformed(`blob transaction: ${fields.length} payload fields`);
    const versionedHashes = fixedItems(fields[VERSIONED_HASHES_FIELD], 32, 'versioned hash');
    const bound = versionedHashes.length * CELLS_PER_BLOB;
    const bare = typed(payload.raw);
    return {
      hash: keccak256(bare),
      tx: bare,
      versionedHashes,
      sidecarVersion,
      blobs: fixedItems(blobs, BLOB_BYTES, 'blob', versionedHashes.length),
      commitments: fixedItems(commitments, KZG_BYTES, 'commitment', versionedHashes.length),
      proofs: fixedItems(proofs, KZG_BYTES, 'proof', bound),
    };
  });
}

/** The byte strings of a list, each `size` long, at most `max` of them (past it: one more). */
function fixedItems(
  it: RlpItem | undefined,
  size: number,
  what: string,
  max = Number.MAX_SAFE_INTEGER,
): Uint8Array[] {
  return listItems(it, `blob transaction ${what}s`, max + 1).map((item) => {
    if (item.list || item.payload.length !== size)
      throw malformed(`blob transaction: a ${what} is not ${size} bytes`);
    return item.payload;
  });
}

/**
 * The eth/72 form of a blob transaction with its sidecar: the same with an empty blob list.
 * @throws {EthError} MALFORMED when `tx` is not a blob transaction with its sidecar
 */
export function withoutBlobs(tx: Uint8Array): Uint8Array {
  const b = readBlobTransaction(tx);
  const payload = b.tx.subarray(1);
  const sidecar = [
    encodeList([]),
    encodeList(b.commitments.map(encodeBytes)),
    encodeList(b.proofs.map(encodeBytes)),
  ];
  const items = b.sidecarVersion === 1 ? [Uint8Array.of(0x01), ...sidecar] : sidecar;
  return typed(encodeList([payload, ...items]));
}

/**
 * What is wrong with a blob transaction delivered in PooledTransactions on `version`, or
 * `undefined` when nothing is (go-ethereum `handleTransactions`): it must carry its sidecar,
 * one commitment per versioned hash whose KZG versioned hash it is, the proofs its sidecar
 * version needs, and, below eth/72, one blob per versioned hash; on eth/72 no blob at all.
 */
export function blobTransactionViolation(tx: Uint8Array, version: number): string | undefined {
  if (!hasBlobSidecar(tx)) return 'blob transaction without its sidecar';
  let b: BlobTransaction;
  try {
    b = readBlobTransaction(tx);
  } catch (err) {
    return `malformed blob transaction: ${(err as Error).message}`;
  }
  const n = b.versionedHashes.length;
  if (n === 0) return 'blob transaction without blobs';
  if (b.commitments.length !== n) return `${b.commitments.length} commitments for ${n} blobs`;
  for (let i = 0; i < n; i++) {
    const expected = sha256(b.commitments[i] as Uint8Array);
    expected[0] = VERSIONED_HASH_VERSION_KZG;
    if (!equalBytes(expected, b.versionedHashes[i] as Uint8Array))
      return `commitment ${i} does not match its versioned hash`;
  }
  const proofs = b.sidecarVersion === 1 ? n * CELLS_PER_BLOB : n;
  if (b.proofs.length !== proofs) return `${b.proofs.length} proofs for ${n} blobs`;
  if (version >= 72) {
    if (b.blobs.length !== 0) return 'blob payload on eth/72';
  } else if (b.blobs.length !== n) return `${b.blobs.length} blobs for ${n} versioned hashes`;
  return undefined;
}

/** `0x03 ‖ rlp`. */
function typed(rlp: Uint8Array): Uint8Array {
  const out = new Uint8Array(rlp.length + 1);
  out[0] = BLOB_TX_TYPE;
  out.set(rlp, 1);
  return out;
}
