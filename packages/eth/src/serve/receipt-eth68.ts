/**
 * The eth/68 receipt encoding, built from the eth/69 one: eth/68 carries each receipt's bloom
 * filter and wraps typed receipts as `type || rlp([status, gas, bloom, logs])` in a byte string.
 * @see https://eips.ethereum.org/EIPS/eip-7642
 * @see https://github.com/ethereum/go-ethereum/blob/master/core/types/bloom9.go
 * @module
 */

import {
  encodeBytes,
  encodeList,
  fields,
  listItems,
  type RlpItem,
  readRoot,
  readUint,
  stringPayload,
} from '@ethp2p/base/rlp';
import { keccak256 } from '@ethp2p/crypto';
import { decoding, malformed } from '../decoding.ts';

/** Size of a logs bloom filter (2048 bits). */
const BLOOM_BYTES = 256;

/**
 * Converts one eth/69 receipt, `[tx-type, post-state-or-status, cumulative-gas, logs]`, to its
 * eth/68 form.
 * @throws {EthError} MALFORMED when the receipt is not in the eth/69 shape
 */
export function receiptToEth68(receipt69: Uint8Array): Uint8Array {
  return decoding(() => convertReceipt(receipt69));
}

function convertReceipt(receipt69: Uint8Array): Uint8Array {
  const [type, status, gas, logs] = fields(readRoot(receipt69, 'receipt'), 4, 'receipt') as [
    RlpItem,
    RlpItem,
    RlpItem,
    RlpItem,
  ];
  const txType = readUint(type, 4, 'receipt.type');
  if (txType > 0x7f) throw malformed(`receipt.type: expected at most 0x7f, got ${txType}`);
  stringPayload(status, 'receipt.status');
  stringPayload(gas, 'receipt.gas');
  const logItems = listItems(logs, 'receipt.logs');
  const bloom = new Uint8Array(BLOOM_BYTES);
  for (const log of logItems) {
    const [address, topics] = fields(log, 3, 'receipt.log');
    addToBloom(bloom, stringPayload(address, 'receipt.log.address'));
    for (const topic of listItems(topics, 'receipt.log.topics')) {
      addToBloom(bloom, stringPayload(topic, 'receipt.log.topic'));
    }
  }
  const inner = encodeList([status.raw, gas.raw, encodeBytes(bloom), logs.raw]);
  if (txType === 0) return inner;
  const typed = new Uint8Array(1 + inner.length);
  typed[0] = txType;
  typed.set(inner, 1);
  return encodeBytes(typed);
}

/** Sets the three bloom bits of `value`: the low 11 bits of each of its hash's first 3 byte pairs. */
function addToBloom(bloom: Uint8Array, value: Uint8Array): void {
  const h = keccak256(value);
  for (let i = 0; i < 6; i += 2) {
    const bit = (((h[i] as number) << 8) | (h[i + 1] as number)) & 0x7ff;
    const index = BLOOM_BYTES - 1 - (bit >> 3);
    bloom[index] = (bloom[index] as number) | (1 << (bit & 7));
  }
}
