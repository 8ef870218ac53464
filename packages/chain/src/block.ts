/**
 * Blocks as chain.rlp stores them, `[header, transactions, ommers, withdrawals?]`, split into a
 * decoded header and the body the eth protocol serves, `[transactions, ommers, withdrawals?]`.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#block-encoding-and-validity
 * @module
 */
import { encodeList, listItems, type RlpItem } from '@ethp2p/base/rlp';
import type { ChainHeader } from '@ethp2p/eth';
import { decoding, malformed } from './decoding.ts';
import { headerFromItem } from './header.ts';

/** A block: its decoded header and the RLP of its body. */
export interface DecodedBlock {
  readonly header: ChainHeader;
  /** The RLP of `[transactions, ommers, withdrawals?]`. */
  readonly body: Uint8Array;
}

/**
 * Splits one block item into its header and body. Transactions, ommers and withdrawals stay
 * opaque; only their being lists is checked.
 * @throws {ChainError} MALFORMED_BLOCK when the item is not a block
 */
export function blockFromItem(item: RlpItem): DecodedBlock {
  return decoding(() => splitBlock(item));
}

function splitBlock(item: RlpItem): DecodedBlock {
  const parts = listItems(item, 'block');
  if (parts.length < 3 || parts.length > 4) {
    throw malformed(`block: expected 3 or 4 elements, got ${parts.length}`);
  }
  const [headerItem, ...bodyItems] = parts as [RlpItem, ...RlpItem[]];
  for (const part of bodyItems) {
    if (!part.list) throw malformed('block: transactions, ommers and withdrawals must be lists');
  }
  return {
    header: headerFromItem(headerItem),
    body: encodeList(bodyItems.map((part) => part.raw)),
  };
}
