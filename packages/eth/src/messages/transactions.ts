/**
 * The transaction messages: Transactions, the eth/68 three-list NewPooledTransactionHashes,
 * GetPooledTransactions and PooledTransactions. A transaction stays opaque: the decoded value
 * keeps each list element as its exact RLP encoding (a copy), which is an RLP list for a legacy
 * transaction and an RLP byte string wrapping `tx-type ‖ tx-data` for a typed one (EIP-2718).
 * The transaction hash is `keccak256(raw)` for a legacy one and `keccak256(payload)` for a typed
 * one.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#transactions-0x02
 * @see https://eips.ethereum.org/EIPS/eip-5793
 * @module
 */

import {
  encodeBytes,
  encodeList,
  fields,
  listItems,
  type RlpItem,
  readUint,
  stringPayload,
} from '@ethp2p/base/rlp';
import { malformed } from '../decoding.ts';
import { EthError } from '../errors.ts';
import {
  checkArray,
  checkFixed,
  checkTransaction,
  defineCodec,
  encodeRawList,
  encodeU32,
  type HashesRequest,
  hashesRequest,
  type MessageCodec,
  rawListResponse,
  readHashes,
  readRawList,
} from './codec.ts';
import {
  MAX_POOLED_TXS_PER_MESSAGE,
  MAX_POOLED_TXS_SERVE,
  MAX_TX_ANNOUNCEMENTS,
  MAX_TXS_PER_MESSAGE,
} from './limits.ts';

/** Transactions (0x02): `[tx, ...]`. */
export type Transactions = readonly Uint8Array[];

/**
 * NewPooledTransactionHashes (0x08) as of eth/68: `[types: B, [size: u32, ...], [hash, ...]]`.
 * `types[i]`, `sizes[i]` and `hashes[i]` describe the same transaction, so the three lists have
 * equal lengths. `sizes[i]` is the length of the consensus encoding (`tx-type ‖ tx-data`).
 */
export interface NewPooledTransactionHashes {
  readonly types: Uint8Array;
  readonly sizes: readonly number[];
  readonly hashes: readonly Uint8Array[];
}

/** GetPooledTransactions (0x09): `[request-id, [hash, ...]]`. */
export type GetPooledTransactions = HashesRequest;

/** PooledTransactions (0x0a): `[request-id, [tx, ...]]`. */
export interface PooledTransactions {
  readonly requestId: bigint;
  readonly transactions: readonly Uint8Array[];
}

/** Transactions of every version. */
export const transactions: MessageCodec<'Transactions', Transactions> = defineCodec(
  'Transactions',
  0x02,
  (txs: Transactions) => encodeRawList(txs, 'Transactions', checkTransaction),
  (root) => readRawList(root, 'Transactions', MAX_TXS_PER_MESSAGE, checkTransaction),
);

/**
 * The three lists of an announcement, `types, [size, ...], [hash, ...]`, as RLP items.
 * @throws {TypeError|RangeError} on a bad value
 */
export function encodeAnnouncementLists(a: NewPooledTransactionHashes): Uint8Array[] {
  const name = 'NewPooledTransactionHashes';
  if (!(a?.types instanceof Uint8Array)) throw new TypeError(`${name}.types: expected Uint8Array`);
  const sizes = checkArray<unknown>(a.sizes, `${name}.sizes`);
  const hashes = checkArray<unknown>(a.hashes, `${name}.hashes`);
  if (sizes.length !== a.types.length || hashes.length !== a.types.length)
    throw new RangeError(`${name}: types, sizes and hashes differ in length`);
  return [
    encodeBytes(a.types),
    encodeList(sizes.map((s, i) => encodeU32(s, `${name}.sizes[${i}]`))),
    encodeList(hashes.map((h, i) => encodeBytes(checkFixed(h, 32, `${name}.hashes[${i}]`)))),
  ];
}

/**
 * Reads the three lists of an announcement, each within {@link MAX_TX_ANNOUNCEMENTS}, and checks
 * that they have equal lengths. @throws {RlpError|EthError}
 */
export function readAnnouncementLists(
  types: RlpItem | undefined,
  sizes: RlpItem | undefined,
  hashes: RlpItem | undefined,
): NewPooledTransactionHashes {
  const what = 'NewPooledTransactionHashes';
  const t = stringPayload(types, `${what} types`).slice();
  if (t.length > MAX_TX_ANNOUNCEMENTS) {
    throw new EthError(
      'TOO_MANY_ITEMS',
      `${what} types: more than ${MAX_TX_ANNOUNCEMENTS} elements`,
    );
  }
  const s = listItems(sizes, `${what} sizes`, MAX_TX_ANNOUNCEMENTS).map((it) =>
    readUint(it, 4, `${what} size`),
  );
  const h = readHashes(hashes, `${what} hashes`, MAX_TX_ANNOUNCEMENTS);
  if (s.length !== t.length || h.length !== t.length)
    throw malformed(`${what}: ${t.length} types, ${s.length} sizes and ${h.length} hashes`);
  return { types: t, sizes: s, hashes: h };
}

/** NewPooledTransactionHashes of eth/68 to eth/71. */
export const newPooledTransactionHashes: MessageCodec<
  'NewPooledTransactionHashes',
  NewPooledTransactionHashes
> = defineCodec(
  'NewPooledTransactionHashes',
  0x08,
  (a: NewPooledTransactionHashes) => encodeList(encodeAnnouncementLists(a)),
  (root) => {
    const [types, sizes, hashes] = fields(root, 3, 'NewPooledTransactionHashes');
    return readAnnouncementLists(types, sizes, hashes);
  },
);

/** GetPooledTransactions of eth/66 and later. */
export const getPooledTransactions: MessageCodec<'GetPooledTransactions', GetPooledTransactions> =
  hashesRequest('GetPooledTransactions', 0x09, MAX_POOLED_TXS_SERVE);

/** PooledTransactions of eth/66 and later. */
export const pooledTransactions: MessageCodec<'PooledTransactions', PooledTransactions> =
  rawListResponse(
    'PooledTransactions',
    0x0a,
    'transactions',
    MAX_POOLED_TXS_PER_MESSAGE,
    checkTransaction,
  );
