/**
 * Receipts as a chain stores and serves them: the eth/69 form, `[tx-type, post-state-or-status,
 * cumulative-gas, logs]` per transaction (EIP-7642), built from `@ethereumjs/vm`'s results.
 * @see https://eips.ethereum.org/EIPS/eip-7642
 * @module
 */
import type { TypedTransaction } from '@ethereumjs/tx';
import type { TxReceipt } from '@ethereumjs/vm';
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';

/** The RLP list of the eth/69 receipts of a block's transactions, in order. */
export function encodeReceipts(
  txs: readonly TypedTransaction[],
  receipts: readonly TxReceipt[],
): Uint8Array {
  return encodeList(
    receipts.map((receipt, i) => {
      const outcome =
        'stateRoot' in receipt
          ? encodeBytes(receipt.stateRoot)
          : encodeUint(BigInt((receipt as { status: number }).status));
      const logs = receipt.logs.map(([address, topics, data]) =>
        encodeList([
          encodeBytes(address),
          encodeList(topics.map((t) => encodeBytes(t))),
          encodeBytes(data),
        ]),
      );
      return encodeList([
        encodeUint(BigInt(txs[i]?.type ?? 0)),
        outcome,
        encodeUint(receipt.cumulativeBlockGasUsed),
        encodeList(logs),
      ]);
    }),
  );
}
