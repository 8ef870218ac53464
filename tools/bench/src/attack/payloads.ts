/**
 * The hostile messages of issue 15, encoded once per run: an RLP bomb (one list of a million
 * one-byte items) and oversized GetBlockBodies / GetBlockHeaders requests.
 * @module
 */
import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';

/** One list of `items` one-byte elements (the bomb: ~1 byte each on the wire). */
export function rlpBomb(items: number): Uint8Array {
  return encodeList([new Uint8Array(items).fill(0x01)]);
}

/** GetBlockBodies `[1, [hash × count]]` of distinct 32-byte hashes. */
export function bodiesRequest(count: number): Uint8Array {
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const hash = new Uint8Array(32);
    new DataView(hash.buffer).setUint32(0, i);
    hashes.push(encodeBytes(hash));
  }
  return encodeList([encodeUint(1), encodeList(hashes)]);
}

/** GetBlockHeaders `[1, [1, amount, 0, 0]]`: `amount` headers from block 1 up. */
export function headersRequest(amount: number): Uint8Array {
  return encodeList([
    encodeUint(1),
    encodeList([encodeUint(1), encodeUint(amount), encodeUint(0), encodeUint(0)]),
  ]);
}
