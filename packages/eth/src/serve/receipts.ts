/**
 * Serving GetReceipts within geth's limits, in the receipt encoding of the negotiated eth
 * version: eth/69 lists as the chain supplies them, eth/70 partial lists, or eth/68 lists with
 * bloom filters. Pure: reads the chain, never throws on a request a peer could send.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getreceipts-0x0f
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handlers.go
 * @module
 */
import type { ChainReader } from '../chain/types.ts';
import { EthError } from '../errors.ts';
import { listItems, readRoot } from '../messages/rlp.ts';
import { MAX_MESSAGE_SIZE_BYTES, MAX_RECEIPTS_SERVE, SOFT_RESPONSE_LIMIT_BYTES } from './limits.ts';
import { receiptToEth68 } from './receipt-eth68.ts';

/** How to serve a GetReceipts request. */
export interface ReceiptsOptions {
  /** The negotiated eth version: 68 adds bloom filters, 70 and later may cut the last list. */
  readonly version: number;
  /** eth/70: the receipts of the first block start at this index (default 0). */
  readonly firstBlockReceiptIndex?: bigint;
}

/**
 * A Receipts response: for each served block, in request order, its receipts as RLP items in
 * the encoding of the requested version (the shape of the Receipts message codec).
 */
export interface ServedReceipts {
  readonly receipts: Uint8Array[][];
  /** eth/70: the last list stops early because the message would pass 10 MiB. */
  readonly lastBlockIncomplete: boolean;
}

/**
 * The receipt lists of the requested blocks, in request order: at most
 * {@link MAX_RECEIPTS_SERVE}, stopping once the response reaches
 * {@link SOFT_RESPONSE_LIMIT_BYTES}, and stopping at the first block whose receipts the chain
 * does not supply or supplies malformed (the spec's rule, and geth's). A chain without an EVM
 * supplies only the empty receipts of blocks without transactions.
 */
export function serveReceipts(
  chain: ChainReader,
  hashes: readonly Uint8Array[],
  options: ReceiptsOptions,
): ServedReceipts {
  const receipts: Uint8Array[][] = [];
  let bytes = 0;
  for (const [i, hash] of hashes.entries()) {
    if (receipts.length >= MAX_RECEIPTS_SERVE || bytes >= SOFT_RESPONSE_LIMIT_BYTES) break;
    const list = chain.receiptsByHash(hash);
    const items = list === undefined ? undefined : splitReceipts(list);
    if (items === undefined) break;
    let served: Uint8Array[] = items;
    let incomplete = false;
    if (options.version <= 68) {
      const converted = toEth68(items);
      if (converted === undefined) break;
      served = converted;
    } else if (options.version >= 70) {
      const first = i === 0 ? (options.firstBlockReceiptIndex ?? 0n) : 0n;
      const cut = cutReceipts(items, first, MAX_MESSAGE_SIZE_BYTES - bytes);
      if (cut === undefined) break;
      ({ served, incomplete } = cut);
    }
    receipts.push(served);
    bytes += sizeOf(served);
    if (incomplete) return { receipts, lastBlockIncomplete: true };
  }
  return { receipts, lastBlockIncomplete: false };
}

/** The receipts of one block list (views into `list`), or undefined if it is not a list. */
function splitReceipts(list: Uint8Array): Uint8Array[] | undefined {
  return orUndefined(() => listItems(readRoot(list, 'receipts'), 'receipts').map((it) => it.raw));
}

function toEth68(items: readonly Uint8Array[]): Uint8Array[] | undefined {
  return orUndefined(() => items.map(receiptToEth68));
}

function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof EthError) return undefined; // the chain supplied bad receipts: stop here
    throw err;
  }
}

function sizeOf(items: readonly Uint8Array[]): number {
  let size = 0;
  for (const item of items) size += item.length;
  return size;
}

/** eth/70: the receipts from `firstIndex` on that fit in `room` bytes; undefined if none fits. */
function cutReceipts(
  items: readonly Uint8Array[],
  firstIndex: bigint,
  room: number,
): { served: Uint8Array[]; incomplete: boolean } | undefined {
  const start = firstIndex < BigInt(items.length) ? Number(firstIndex) : items.length;
  const served: Uint8Array[] = [];
  let size = 0;
  for (const item of items.slice(start)) {
    if (size + item.length > room) {
      return served.length === 0 ? undefined : { served, incomplete: true };
    }
    served.push(item);
    size += item.length;
  }
  return { served, incomplete: false };
}
