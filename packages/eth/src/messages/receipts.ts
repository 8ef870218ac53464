/**
 * GetReceipts (0x0f) and Receipts (0x10). The receipt encoding differs by version:
 * - eth/68 sends consensus encodings: a legacy receipt is the RLP list
 *   `[post-state-or-status, cumulative-gas, bloom: B_256, logs]`, a typed one (EIP-2718) the RLP
 *   byte string `tx-type ‖ rlp([post-state-or-status, cumulative-gas, bloom, logs])`.
 * - eth/69 sends every receipt as `[tx-type, post-state-or-status, cumulative-gas, logs]`, with no
 *   bloom (EIP-7642).
 * - eth/70 (EIP-7975) sends the eth/69 receipts, and pages them: GetReceipts carries
 *   `firstBlockReceiptIndex` (where the first block's list starts) and Receipts a
 *   `lastBlockIncomplete` flag (the last list stops early; the rest is asked for again).
 * Either way a decoded receipt stays its exact RLP encoding (a copy), one list per block; the
 * codec checks its shape, down to each log `[address: B_20, [topic: B_32, ...], data]`.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#receipts-0x10
 * @see https://eips.ethereum.org/EIPS/eip-7642
 * @see https://eips.ethereum.org/EIPS/eip-7975
 * @module
 */

import {
  encodeBool,
  encodeList,
  fields,
  iterateItems,
  listItems,
  type RlpItem,
  readBool,
  readFixed,
  readRoot,
  readU64,
  readUint,
  stringPayload,
  takeItems,
} from '@ethp2p/base/rlp';
import { malformed } from '../decoding.ts';
import {
  checkArray,
  defineCodec,
  encodeHashes,
  encodeRawList,
  encodeRequest,
  encodeU64,
  type HashesRequest,
  hashesRequest,
  type MessageCodec,
  readRawList,
  readRequest,
} from './codec.ts';
import {
  MAX_LOG_TOPICS,
  MAX_RECEIPT_LISTS_PER_MESSAGE,
  MAX_RECEIPTS_PER_MESSAGE,
} from './limits.ts';

/** GetReceipts (0x0f) up to eth/69: `[request-id, [blockhash, ...]]`. */
export type GetReceipts = HashesRequest;

/** Receipts (0x10) up to eth/69: `[request-id, [[receipt, ...], ...]]`, one list per block. */
export interface Receipts {
  readonly requestId: bigint;
  readonly receipts: readonly (readonly Uint8Array[])[];
}

/** GetReceipts (0x0f) of eth/70: `[request-id, firstBlockReceiptIndex, [blockhash, ...]]`. */
export interface GetReceipts70 {
  readonly requestId: bigint;
  /** The receipts of the first block start at this index (u64). */
  readonly firstBlockReceiptIndex: bigint;
  readonly hashes: readonly Uint8Array[];
}

/**
 * Receipts (0x10) of eth/70: `[request-id, lastBlockIncomplete, [[receipt, ...], ...]]`; when
 * `lastBlockIncomplete`, the last list holds only the first receipts of its block.
 */
export interface Receipts70 extends Receipts {
  readonly lastBlockIncomplete: boolean;
}

/** The largest EIP-2718 transaction (and receipt) type. */
const MAX_TX_TYPE = 0x7f;

/** Checks `post-state-or-status`: empty (failed), 0x01 (success) or a 32-byte state root. */
function checkStatus(it: RlpItem | undefined, what: string): void {
  const b = stringPayload(it, what);
  if (b.length === 0 || b.length === 32 || (b.length === 1 && b[0] === 1)) return;
  throw malformed(`${what}: expected a status (empty or 0x01) or a 32-byte state root`);
}

/** Checks a list of logs `[[address: B_20, [topic: B_32, ...], data: B], ...]`. */
function checkLogs(it: RlpItem | undefined, what: string): void {
  for (const log of iterateItems(it, what)) {
    const [address, topics, data] = fields(log, 3, `${what} log`);
    readFixed(address, 20, `${what} log address`);
    for (const t of listItems(topics, `${what} log topics`, MAX_LOG_TOPICS)) {
      readFixed(t, 32, `${what} log topic`);
    }
    stringPayload(data, `${what} log data`);
  }
}

/** Checks the consensus receipt list `[status, cumulative-gas, bloom, logs]`. */
function checkConsensusFields(it: RlpItem, what: string): void {
  const f = fields(it, 4, what);
  checkStatus(f[0], `${what} status`);
  readU64(f[1], `${what} cumulative-gas`);
  readFixed(f[2], 256, `${what} bloom`);
  checkLogs(f[3], `${what} logs`);
}

/**
 * Checks an eth/68 receipt: a legacy receipt list, or a byte string `tx-type ‖ receipt-list`.
 * @throws {RlpError|EthError}
 */
export function checkReceipt68(it: RlpItem, what: string): void {
  if (it.list) {
    checkConsensusFields(it, what);
    return;
  }
  const p = it.payload;
  if (p.length < 2 || (p[0] as number) > MAX_TX_TYPE)
    throw malformed(`${what}: expected a typed receipt (tx-type ‖ rlp)`);
  checkConsensusFields(readRoot(p.subarray(1), what), what);
}

/** Checks an eth/69 receipt `[tx-type, status, cumulative-gas, logs]`. @throws {RlpError|EthError} */
export function checkReceipt69(it: RlpItem, what: string): void {
  const f = fields(it, 4, what);
  if (readUint(f[0], 4, `${what} tx-type`) > MAX_TX_TYPE)
    throw malformed(`${what}: invalid tx-type`);
  checkStatus(f[1], `${what} status`);
  readU64(f[2], `${what} cumulative-gas`);
  checkLogs(f[3], `${what} logs`);
}

/** GetReceipts of eth/66 to eth/69. */
export const getReceipts: MessageCodec<'GetReceipts', GetReceipts> = hashesRequest(
  'GetReceipts',
  0x0f,
  MAX_RECEIPT_LISTS_PER_MESSAGE,
);

/** The RLP list of receipt lists, each receipt checked by `check`. @throws {TypeError|RangeError} */
function encodeReceiptLists(
  receipts: unknown,
  check: (it: RlpItem, what: string) => void,
): Uint8Array {
  const blocks = checkArray<unknown>(receipts, 'Receipts.receipts');
  return encodeList(blocks.map((list, i) => encodeRawList(list, `Receipts.receipts[${i}]`, check)));
}

/**
 * Reads the receipt lists of a Receipts message: at most 1024 lists and, all lists together, at
 * most {@link MAX_RECEIPTS_PER_MESSAGE} receipts, so the message as a whole stays bounded.
 */
function readReceiptLists(
  inner: RlpItem,
  check: (it: RlpItem, what: string) => void,
): Uint8Array[][] {
  let room = MAX_RECEIPTS_PER_MESSAGE;
  const blocks = listItems(inner, 'Receipts blocks', MAX_RECEIPT_LISTS_PER_MESSAGE);
  return blocks.map((block) => {
    const list = readRawList(block, 'Receipts block', room, check);
    room -= list.length;
    return list;
  });
}

/** Defines Receipts with the receipt check of one version. */
function receiptsCodec(
  check: (it: RlpItem, what: string) => void,
): MessageCodec<'Receipts', Receipts> {
  const name = 'Receipts';
  return defineCodec(
    name,
    0x10,
    (r: Receipts) => encodeRequest(r.requestId, encodeReceiptLists(r.receipts, check), name),
    (root) => {
      const { requestId, inner } = readRequest(root, name);
      return { requestId, receipts: readReceiptLists(inner, check) };
    },
  );
}

/** Receipts of eth/68: consensus encodings, with bloom. */
export const receipts68: MessageCodec<'Receipts', Receipts> = receiptsCodec(checkReceipt68);

/** Receipts of eth/69: `[tx-type, status, cumulative-gas, logs]`, without bloom. */
export const receipts69: MessageCodec<'Receipts', Receipts> = receiptsCodec(checkReceipt69);

/**
 * GetReceipts of eth/70 and later. A decoded request holds only the first 1024 hashes (those
 * that can be served); the rest of the list is never read.
 */
export const getReceipts70: MessageCodec<'GetReceipts', GetReceipts70> = defineCodec(
  'GetReceipts',
  0x0f,
  (r: GetReceipts70) =>
    encodeList([
      encodeU64(r.requestId, 'GetReceipts.requestId'),
      encodeU64(r.firstBlockReceiptIndex, 'GetReceipts.firstBlockReceiptIndex'),
      encodeHashes(r.hashes, 'GetReceipts.hashes'),
    ]),
  (root) => {
    const [id, first, hashes] = fields(root, 3, 'GetReceipts [request-id, first-index, hashes]');
    const what = 'GetReceipts hashes';
    return {
      requestId: readU64(id, 'GetReceipts request-id'),
      firstBlockReceiptIndex: readU64(first, 'GetReceipts firstBlockReceiptIndex'),
      hashes: takeItems(hashes, MAX_RECEIPT_LISTS_PER_MESSAGE, what).map((h) =>
        readFixed(h, 32, `${what} item`),
      ),
    };
  },
);

/** Receipts of eth/70 and later: eth/69 receipts with the `lastBlockIncomplete` flag. */
export const receipts70: MessageCodec<'Receipts', Receipts70> = defineCodec(
  'Receipts',
  0x10,
  (r: Receipts70) => {
    if (typeof r?.lastBlockIncomplete !== 'boolean')
      throw new TypeError('Receipts.lastBlockIncomplete: expected boolean');
    return encodeList([
      encodeU64(r.requestId, 'Receipts.requestId'),
      encodeBool(r.lastBlockIncomplete),
      encodeReceiptLists(r.receipts, checkReceipt69),
    ]);
  },
  (root) => {
    const [id, flag, inner] = fields(root, 3, 'Receipts [request-id, incomplete, lists]');
    return {
      requestId: readU64(id, 'Receipts request-id'),
      lastBlockIncomplete: readBool(flag, 'Receipts lastBlockIncomplete'),
      receipts: readReceiptLists(inner as RlpItem, checkReceipt69),
    };
  },
);
