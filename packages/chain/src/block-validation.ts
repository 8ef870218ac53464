/**
 * Structural block validation: what can be checked of a block received from a peer without
 * executing it. The header must follow its parent (number, time, gas limit within geth's bound)
 * and be self-consistent (gas used within the limit, extra data at most 32 bytes), and the body
 * must be the one the header commits to (transactions root, ommers hash, withdrawals root).
 * State, receipts and logs need execution and are left to an executing chain.
 * @see https://github.com/ethereum/go-ethereum/blob/master/consensus/beacon/consensus.go
 * @see https://github.com/ethereum/go-ethereum/blob/master/core/block_validator.go
 * @module
 */
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import {
  encodeList,
  encodeUint,
  listItems,
  type RlpItem,
  readBigUint,
  readRoot,
} from '@ethp2p/base/rlp';
import { bytesToHex, equalBytes, keccak256 } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import { EMPTY_ROOT_HASH, EMPTY_UNCLE_HASH } from './constants.ts';
import { HEADER_FIELD_INDEX } from './header.ts';

/** The most bytes of a header's extraData (geth `params.MaximumExtraDataSize`). */
export const MAX_EXTRA_DATA_BYTES = 32;

/** A gas limit may move by less than parent / 1024 per block (geth `params.GasLimitBoundDivisor`). */
export const GAS_LIMIT_BOUND_DIVISOR = 1024n;

/** The lowest gas limit (geth `params.MinGasLimit`). */
export const MIN_GAS_LIMIT = 5000n;

const {
  ommersHash: OMMERS_HASH,
  transactionsRoot: TRANSACTIONS_ROOT,
  gasLimit: GAS_LIMIT,
  gasUsed: GAS_USED,
  extraData: EXTRA_DATA,
  withdrawalsRoot: WITHDRAWALS_ROOT,
} = HEADER_FIELD_INDEX;

/**
 * Checks a decoded block against its parent: {@link validateHeader} then {@link validateBody}.
 * @param body the RLP of `[transactions, ommers, withdrawals?]` as `blockFromItem` gives it
 * @throws {ChainError} `INVALID_BLOCK` with `details.field` naming what is wrong
 */
export async function validateBlock(
  parent: ChainHeader,
  header: ChainHeader,
  body: Uint8Array,
): Promise<void> {
  validateHeader(parent, header);
  await validateBody(header, body);
}

/**
 * Checks a header against its parent: number, parent hash, time, gas used within the limit, gas
 * limit within geth's bound of the parent's, extra data size.
 * @throws {ChainError} `INVALID_BLOCK` with `details.field` naming what is wrong
 */
export function validateHeader(parent: ChainHeader, header: ChainHeader): void {
  const invalid = invalidField(header);
  if (header.number !== parent.number + 1n) {
    throw invalid('number', `number does not follow parent ${parent.number}`);
  }
  if (!equalBytes(header.parentHash, parent.hash)) throw invalid('parentHash', 'wrong parent');
  if (header.time <= parent.time) {
    throw invalid('timestamp', `time ${header.time} not after parent's ${parent.time}`);
  }
  const fields = headerItems(header);
  // A parent without header bytes (a genesis known only by its hash) has no fields to compare.
  const parentFields = parent.rlp.length === 0 ? [] : headerItems(parent);
  const gasLimit = readBigUint(fields[GAS_LIMIT], 8, 'gasLimit');
  const gasUsed = readBigUint(fields[GAS_USED], 8, 'gasUsed');
  if (gasUsed > gasLimit) throw invalid('gasUsed', `gas used ${gasUsed} above limit ${gasLimit}`);
  if (gasLimit < MIN_GAS_LIMIT) throw invalid('gasLimit', `gas limit ${gasLimit} too low`);
  if (parentFields.length > GAS_LIMIT) {
    const parentLimit = readBigUint(parentFields[GAS_LIMIT], 8, 'gasLimit');
    const diff = gasLimit > parentLimit ? gasLimit - parentLimit : parentLimit - gasLimit;
    if (diff >= parentLimit / GAS_LIMIT_BOUND_DIVISOR) {
      throw invalid('gasLimit', `gas limit ${gasLimit} moves too far from ${parentLimit}`);
    }
  }
  if ((fields[EXTRA_DATA]?.payload.length ?? 0) > MAX_EXTRA_DATA_BYTES) {
    throw invalid('extraData', `extra data longer than ${MAX_EXTRA_DATA_BYTES} bytes`);
  }
}

/**
 * Checks that a body is the one its header commits to: ommers hash, transactions root and
 * withdrawals root (present in both or in neither).
 * @param body the RLP of `[transactions, ommers, withdrawals?]`
 * @throws {ChainError} `INVALID_BLOCK` with `details.field` naming what is wrong
 */
export async function validateBody(header: ChainHeader, body: Uint8Array): Promise<void> {
  const invalid = invalidField(header);
  const fields = headerItems(header);
  let parts: RlpItem[];
  try {
    parts = listItems(readRoot(body, 'body'), 'body');
  } catch (err) {
    throw invalid('body', `body is not RLP: ${String(err)}`);
  }
  const [txs, ommers, withdrawals] = parts as [RlpItem?, RlpItem?, RlpItem?];
  if (
    txs?.list !== true ||
    ommers?.list !== true ||
    (withdrawals !== undefined && !withdrawals.list) ||
    parts.length > 3
  ) {
    throw invalid('body', 'body is not [transactions, ommers, withdrawals?]');
  }
  if (!equalBytes(keccak256(ommers.raw), headerBytes(fields, OMMERS_HASH))) {
    throw invalid('ommersHash', 'ommers do not match the ommers hash');
  }
  const txRoot = await listRoot(listItems(txs, 'transactions').map(txEncoding));
  if (!equalBytes(txRoot, headerBytes(fields, TRANSACTIONS_ROOT))) {
    throw invalid('transactionsRoot', 'transactions do not match the transactions root');
  }
  const withdrawalsRoot = fields[WITHDRAWALS_ROOT];
  if ((withdrawals === undefined) !== (withdrawalsRoot === undefined)) {
    throw invalid('withdrawalsRoot', 'withdrawals and the withdrawals root come together');
  }
  if (withdrawals !== undefined && withdrawalsRoot !== undefined) {
    const root = await listRoot(listItems(withdrawals, 'withdrawals').map((w) => w.raw));
    if (!equalBytes(root, withdrawalsRoot.payload)) {
      throw invalid('withdrawalsRoot', 'withdrawals do not match the withdrawals root');
    }
  }
}

/**
 * The body a header commits to when it commits to an empty one (no transactions, no ommers, no
 * withdrawals): `[[], []]`, or `[[], [], []]` when the header has a withdrawals root. A syncer
 * needs not fetch such a body (geth's downloader skips them too). Undefined otherwise.
 */
export function emptyBodyOf(header: ChainHeader): Uint8Array | undefined {
  const fields = headerItems(header);
  if (!equalBytes(headerBytes(fields, TRANSACTIONS_ROOT), EMPTY_ROOT_HASH)) return undefined;
  if (!equalBytes(headerBytes(fields, OMMERS_HASH), EMPTY_UNCLE_HASH)) return undefined;
  const withdrawalsRoot = fields[WITHDRAWALS_ROOT];
  if (withdrawalsRoot === undefined) return EMPTY_BODY;
  return equalBytes(withdrawalsRoot.payload, EMPTY_ROOT_HASH) ? EMPTY_BODY_WITHDRAWALS : undefined;
}

const EMPTY_BODY = encodeList([encodeList([]), encodeList([])]);
const EMPTY_BODY_WITHDRAWALS = encodeList([encodeList([]), encodeList([]), encodeList([])]);

function invalidField(header: ChainHeader): (field: string, why: string) => ChainError {
  return (field, why) =>
    new ChainError('INVALID_BLOCK', `block ${header.number} (${short(header.hash)}): ${why}`, {
      details: { number: header.number, hash: header.hash, field },
    });
}

function headerItems(header: ChainHeader): RlpItem[] {
  return listItems(readRoot(header.rlp, 'header'), 'header');
}

/**
 * The root of the trie of a block's list (transactions, withdrawals, receipts): key rlp(index),
 * value the item's encoding (geth `types.DeriveSha`).
 */
export async function listRoot(values: readonly Uint8Array[]): Promise<Uint8Array> {
  if (values.length === 0) return EMPTY_ROOT_HASH;
  // The package's keccak (native where available) hashes the nodes: ~2.5x the library's own.
  const trie = new MerklePatriciaTrie({ useKeyHashingFunction: keccak256 });
  for (const [i, value] of values.entries()) await trie.put(encodeUint(i), value);
  return trie.root();
}

/** A body transaction's canonical encoding: a legacy list as is, a typed one unwrapped. */
function txEncoding(item: RlpItem): Uint8Array {
  return item.list ? item.raw : item.payload;
}

function headerBytes(fields: readonly RlpItem[], index: number): Uint8Array {
  return fields[index]?.payload ?? new Uint8Array(0);
}

function short(hash: Uint8Array): string {
  return `${bytesToHex(hash.subarray(0, 4))}…`;
}
