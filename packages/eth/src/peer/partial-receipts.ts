/**
 * eth/70 (EIP-7975) partial receipt lists, client side: the bounds a block puts on its receipts,
 * and the checks an incomplete list must pass before more of it is asked for. A partial list
 * cannot be checked against the header's receipts root until it is complete, so the EIP bounds
 * it instead: no more receipts than the block has transactions, no receipt larger than its
 * transaction's gas limit allows (`gasLimit / 8` bytes: a byte of log data costs 8 gas), and all
 * of them together no larger than the block's gas limit allows.
 * @see https://eips.ethereum.org/EIPS/eip-7975
 * @module
 */
import { listItems, minFields, type RlpItem, readRoot, readU64 } from '@ethp2p/base/rlp';
import { decoding } from '../decoding.ts';
import { RequestError } from './errors.ts';

/** Gas per byte of receipt a gas limit pays for (EIP-7975: reject a receipt over `gaslimit / 8`). */
export const RECEIPT_GAS_PER_BYTE = 8n;

/** What bounds a block's receipts (EIP-7975): its gas limit and each transaction's. */
export interface ReceiptBounds {
  /** The block's gas limit (header field 9). */
  readonly gasLimit: bigint;
  /**
   * The gas limit of each transaction, in block order; its length is the block's transaction
   * count. An entry may be `undefined` for a transaction type whose layout is unknown (only the
   * block's bound then applies to its receipt).
   */
  readonly txGasLimits: readonly (bigint | undefined)[];
}

/** A block's receipts gathered so far across eth/70 responses. */
export interface PartialReceipts {
  readonly receipts: Uint8Array[];
  /** Their encoded size, all together. */
  bytes: number;
}

/** Where the gas limit sits in each known transaction layout (EIP-2718 type → field index). */
const GAS_LIMIT_FIELD: Readonly<Record<number, number>> = {
  1: 3, // EIP-2930 [chainId, nonce, gasPrice, gasLimit, ...]
  2: 4, // EIP-1559 [chainId, nonce, maxPriorityFee, maxFee, gasLimit, ...]
  3: 4, // EIP-4844
  4: 4, // EIP-7702
};

/**
 * The receipt bounds of a block, from its header's RLP and its body's RLP
 * `[transactions, ommers, withdrawals?]` (as BlockHeaders and BlockBodies carry them).
 * @throws {EthError} MALFORMED if either is not the expected shape
 */
export function receiptBounds(header: Uint8Array, body: Uint8Array): ReceiptBounds {
  return decoding(() => {
    const gasLimit = readU64(minFields(readRoot(header, 'header'), 10, 'header')[9], 'gasLimit');
    const [txs] = minFields(readRoot(body, 'body'), 2, 'body', 3);
    return { gasLimit, txGasLimits: listItems(txs, 'body transactions').map(txGasLimit) };
  });
}

function txGasLimit(tx: RlpItem): bigint | undefined {
  if (tx.list) return readU64(listItems(tx, 'transaction')[2], 'transaction gasLimit');
  const type = tx.payload[0] ?? 0;
  const at = GAS_LIMIT_FIELD[type];
  if (at === undefined) return undefined;
  const inner = listItems(readRoot(tx.payload.subarray(1), 'transaction'), 'transaction');
  return readU64(inner[at], 'transaction gasLimit');
}

/**
 * Checks the receipts an incomplete list holds so far (those gathered before, then `received`)
 * against its block's bounds.
 * @throws {RequestError} `INVALID_RESPONSE` naming the broken bound
 */
export function checkIncompleteReceipts(
  before: PartialReceipts | undefined,
  received: readonly Uint8Array[],
  bounds: ReceiptBounds,
): void {
  const start = before?.receipts.length ?? 0;
  const count = start + received.length;
  if (count > bounds.txGasLimits.length) {
    throw invalid(`${count} receipts for a block of ${bounds.txGasLimits.length} transactions`);
  }
  let total = BigInt(before?.bytes ?? 0);
  for (const [i, receipt] of received.entries()) {
    const size = BigInt(receipt.length);
    const txLimit = bounds.txGasLimits[start + i];
    if (txLimit !== undefined && size * RECEIPT_GAS_PER_BYTE > txLimit) {
      throw invalid(`receipt ${start + i} of ${size} bytes for a gas limit of ${txLimit}`);
    }
    total += size;
  }
  if (total * RECEIPT_GAS_PER_BYTE > bounds.gasLimit) {
    throw invalid(`receipts of ${total} bytes for a block gas limit of ${bounds.gasLimit}`);
  }
}

function invalid(message: string): RequestError {
  return new RequestError('INVALID_RESPONSE', `incomplete receipt list: ${message}`);
}
