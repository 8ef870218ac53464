/**
 * GetReceipts (0x0f) and Receipts (0x10). The receipt encoding differs by version:
 * - eth/68 sends consensus encodings: a legacy receipt is the RLP list
 *   `[post-state-or-status, cumulative-gas, bloom: B_256, logs]`, a typed one (EIP-2718) the RLP
 *   byte string `tx-type ‖ rlp([post-state-or-status, cumulative-gas, bloom, logs])`.
 * - eth/69 sends every receipt as `[tx-type, post-state-or-status, cumulative-gas, logs]`, with no
 *   bloom (EIP-7642).
 * Either way a decoded receipt stays its exact RLP encoding (a copy), one list per block; the
 * codec checks its shape, down to each log `[address: B_20, [topic: B_32, ...], data]`.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#receipts-0x10
 * @see https://eips.ethereum.org/EIPS/eip-7642
 * @module
 */

import {
  encodeList,
  fields,
  iterateItems,
  listItems,
  type RlpItem,
  readFixed,
  readRoot,
  readU64,
  readUint,
  stringPayload,
} from '@ethp2p/base/rlp';
import { malformed } from '../decoding.ts';
import {
  checkArray,
  defineCodec,
  encodeRawList,
  encodeRequest,
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

/** Defines Receipts with the receipt check of one version. */
function receiptsCodec(
  check: (it: RlpItem, what: string) => void,
): MessageCodec<'Receipts', Receipts> {
  const name = 'Receipts';
  return defineCodec(
    name,
    0x10,
    (r: Receipts) => {
      const blocks = checkArray<unknown>(r.receipts, `${name}.receipts`);
      const inner = encodeList(
        blocks.map((list, i) => encodeRawList(list, `${name}.receipts[${i}]`, check)),
      );
      return encodeRequest(r.requestId, inner, name);
    },
    (root) => {
      const { requestId, inner } = readRequest(root, name);
      // One budget for the receipts of every block: the message as a whole stays bounded.
      let room = MAX_RECEIPTS_PER_MESSAGE;
      const blocks = listItems(inner, `${name} blocks`, MAX_RECEIPT_LISTS_PER_MESSAGE);
      const receipts = blocks.map((block) => {
        const list = readRawList(block, `${name} block`, room, check);
        room -= list.length;
        return list;
      });
      return { requestId, receipts };
    },
  );
}

/** Receipts of eth/68: consensus encodings, with bloom. */
export const receipts68: MessageCodec<'Receipts', Receipts> = receiptsCodec(checkReceipt68);

/** Receipts of eth/69: `[tx-type, status, cumulative-gas, logs]`, without bloom. */
export const receipts69: MessageCodec<'Receipts', Receipts> = receiptsCodec(checkReceipt69);
