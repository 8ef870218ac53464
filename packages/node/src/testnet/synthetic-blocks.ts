/**
 * Synthetic blocks for the testnet's sync mode and the sync benchmark: each block copies its
 * parent's header and changes only what links and orders it (parent hash, number, time) and what
 * its body commits to (transactions root, gas used). The transactions are opaque legacy-shaped
 * lists with a fake signature: the blocks pass structural validation, not execution.
 * @module
 */
import {
  encodeBytes,
  encodeList,
  encodeUint,
  listItems,
  readBigUint,
  readRoot,
} from '@ethp2p/base/rlp';
import { decodeHeader, HEADER_FIELD_INDEX, listRoot, nextBaseFee } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import type { ChainHeader } from '@ethp2p/eth';

/** Options of {@link syntheticBlocks}. */
export interface SyntheticBlockOptions {
  /** Transactions in each block that has any (default 0). */
  readonly txsPerBlock?: number;
  /** Bytes of call data in each transaction (default 0). */
  readonly txDataBytes?: number;
  /** Seconds between blocks (default 12). */
  readonly blockTimeSeconds?: number;
}

const F = HEADER_FIELD_INDEX;
/** The gas of a plain transfer. */
const TX_GAS = 21_000n;

/**
 * `count` blocks on top of `parent`, each the RLP `[header, transactions, ommers,
 * withdrawals?]` (withdrawals when the parent has a withdrawals root), ready for
 * `importBlocks` or a chain.rlp.
 * @throws {RangeError} for a negative count or more transactions than the gas limit allows
 */
export async function syntheticBlocks(
  parent: ChainHeader,
  count: number,
  options: SyntheticBlockOptions = {},
): Promise<Uint8Array[]> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count: expected a non-negative integer, got ${String(count)}`);
  }
  const txsPerBlock = options.txsPerBlock ?? 0;
  const blockTime = BigInt(options.blockTimeSeconds ?? 12);
  const blocks: Uint8Array[] = [];
  let tip = parent;
  for (let i = 0; i < count; i++) {
    // The parent's fields, read once: copied into the child, and its gas for the base fee.
    const items = listItems(readRoot(tip.rlp, 'header'), 'header');
    const uint = (index: number): bigint | undefined => {
      const item = items[index];
      return item === undefined ? undefined : readBigUint(item, 32, 'header');
    };
    const fields = items.map((f) => f.raw);
    const number = tip.number + 1n;
    const gasLimit = uint(F.gasLimit) as bigint;
    if (TX_GAS * BigInt(txsPerBlock) > gasLimit) {
      throw new RangeError(`txsPerBlock: ${txsPerBlock} transactions exceed the gas limit`);
    }
    const txs = Array.from({ length: txsPerBlock }, (_, j) =>
      fakeTx(number, j, options.txDataBytes ?? 0),
    );
    fields[F.parentHash] = encodeBytes(tip.hash);
    fields[F.transactionsRoot] = encodeBytes(await listRoot(txs));
    // Without execution there are no receipts: a placeholder root for blocks with transactions.
    if (txs.length > 0) fields[F.receiptsRoot] = encodeBytes(keccak256(encodeUint(number)));
    fields[F.number] = encodeUint(number);
    fields[F.gasUsed] = encodeUint(TX_GAS * BigInt(txs.length));
    fields[F.timestamp] = encodeUint(tip.time + blockTime);
    // Past the merge: no difficulty; the base fee follows EIP-1559 from the parent.
    fields[F.difficulty] = encodeUint(0n);
    const baseFeePerGas = uint(F.baseFeePerGas);
    if (baseFeePerGas !== undefined) {
      const gasUsed = uint(F.gasUsed) as bigint;
      fields[F.baseFeePerGas] = encodeUint(nextBaseFee({ gasLimit, gasUsed, baseFeePerGas }));
    }
    const header = decodeHeader(encodeList(fields));
    const withdrawals = fields.length > F.withdrawalsRoot ? [encodeList([])] : [];
    blocks.push(encodeList([header.rlp, encodeList(txs), encodeList([]), ...withdrawals]));
    tip = header;
  }
  return blocks;
}

/** A legacy-shaped transaction `[nonce, gasPrice, gas, to, value, data, v, r, s]`. */
function fakeTx(block: bigint, index: number, dataBytes: number): Uint8Array {
  const nonce = block * 1000n + BigInt(index);
  const seed = encodeUint(nonce);
  return encodeList([
    encodeUint(nonce),
    encodeUint(1_000_000_000n),
    encodeUint(TX_GAS),
    encodeBytes(new Uint8Array(20).fill(0xbb)),
    encodeUint(block),
    encodeBytes(new Uint8Array(dataBytes).fill(index & 0xff)),
    encodeUint(27n),
    encodeBytes(keccak256(encodeList([seed, encodeUint(1n)]))),
    encodeBytes(keccak256(encodeList([seed, encodeUint(2n)]))),
  ]);
}
