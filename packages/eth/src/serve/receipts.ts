/**
 * Serving GetReceipts within geth's limits, in the receipt encoding of the negotiated eth
 * version: eth/69 lists as the chain supplies them, eth/70 partial lists, or eth/68 lists with
 * bloom filters. Pure: reads the chain, never throws on a request a peer could send.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getreceipts-0x0f
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handlers.go
 * @module
 */

import { encodeList, listItems, RlpError, readRoot } from '@ethp2p/base/rlp';
import type { ChainReader } from '../chain/types.ts';
import { EthError } from '../errors.ts';
import { MAX_MESSAGE_SIZE_BYTES, MAX_RECEIPTS_SERVE, SOFT_RESPONSE_LIMIT_BYTES } from './limits.ts';
import { receiptToEth68 } from './receipt-eth68.ts';

/** How to serve a GetReceipts request. */
export interface ReceiptsOptions {
  /** The negotiated eth version: 68 adds bloom filters, 70 and later may cut the last list. */
  readonly version: number;
  /** eth/70: the receipts of the first block start at this index (default 0). */
  readonly firstBlockReceiptIndex?: bigint;
}

/** A Receipts response: one RLP receipt list per served block, in request order. */
export interface ServedReceipts {
  readonly receipts: Uint8Array[];
  /** eth/70: the last list stops early because the message would pass 10 MiB. */
  readonly lastBlockIncomplete: boolean;
}

/**
 * The receipt lists of the requested blocks, in request order: at most
 * {@link MAX_RECEIPTS_SERVE}, stopping once the response reaches
 * {@link SOFT_RESPONSE_LIMIT_BYTES}, and stopping at the first block whose receipts the chain
 * does not supply (the spec's rule, and geth's). A chain without an EVM supplies only the empty
 * receipts of blocks without transactions.
 */
export function serveReceipts(
  chain: ChainReader,
  hashes: readonly Uint8Array[],
  options: ReceiptsOptions,
): ServedReceipts {
  const receipts: Uint8Array[] = [];
  let bytes = 0;
  for (const [i, hash] of hashes.entries()) {
    if (receipts.length >= MAX_RECEIPTS_SERVE || bytes >= SOFT_RESPONSE_LIMIT_BYTES) break;
    const list = chain.receiptsByHash(hash);
    if (list === undefined) break;
    const served = convert(list, options, i === 0, MAX_MESSAGE_SIZE_BYTES - bytes);
    if (served === undefined) break;
    receipts.push(served.list);
    bytes += served.list.length;
    if (served.incomplete) return { receipts, lastBlockIncomplete: true };
  }
  return { receipts, lastBlockIncomplete: false };
}

function convert(
  list: Uint8Array,
  options: ReceiptsOptions,
  first: boolean,
  room: number,
): { list: Uint8Array; incomplete: boolean } | undefined {
  if (options.version === 69) return { list, incomplete: false };
  let items: Uint8Array[];
  try {
    items = listItems(readRoot(list, 'receipts'), 'receipts').map((it) => it.raw);
    if (options.version <= 68)
      return { list: encodeList(items.map(receiptToEth68)), incomplete: false };
  } catch (err) {
    // the chain supplied bad receipts: stop here
    if (err instanceof RlpError || err instanceof EthError) return undefined;
    throw err;
  }
  return cutReceipts(items, first ? (options.firstBlockReceiptIndex ?? 0n) : 0n, room);
}

/** eth/70: the receipts from `firstIndex` on that fit in `room` bytes; undefined if none fits. */
function cutReceipts(
  items: readonly Uint8Array[],
  firstIndex: bigint,
  room: number,
): { list: Uint8Array; incomplete: boolean } | undefined {
  const kept: Uint8Array[] = [];
  let size = 0;
  for (
    let i = Number(firstIndex < BigInt(items.length) ? firstIndex : items.length);
    i < items.length;
    i++
  ) {
    const item = items[i] as Uint8Array;
    if (size + item.length > room) {
      if (kept.length === 0) return undefined;
      return { list: encodeList(kept), incomplete: true };
    }
    kept.push(item);
    size += item.length;
  }
  return { list: encodeList(kept), incomplete: false };
}
