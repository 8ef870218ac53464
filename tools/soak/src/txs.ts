/**
 * Transactions for soak traffic: legacy transactions with a well-formed envelope (the sample
 * node's pool checks the envelope, not signatures), distinct by nonce and sender tag.
 * @module
 */
import { encodeRlp } from '@ethp2p/base/rlp';

/** The zero address every soak transaction pays. */
const TO = new Uint8Array(20);
const GAS_PRICE = 1_000_000_000;
const GAS_LIMIT = 21_000;

/**
 * A legacy transaction `[nonce, gasPrice, gas, to, value, data, v, r, s]` unique to (`tag`,
 * `nonce`): the tag goes in the value, so each peer's transactions differ from the others'.
 */
export function soakTransaction(tag: number, nonce: number): Uint8Array {
  return encodeRlp([nonce, GAS_PRICE, GAS_LIMIT, TO, tag + 1, new Uint8Array(0), 27, 1, 1]);
}
