/**
 * The Disconnect message (code 0x01): `[reason]`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#disconnect-0x01
 * @module
 */
import { RLP } from '@ethereumjs/rlp';
import { DiscReason, isDiscReason } from './disc-reason.ts';

/**
 * The Disconnect payload `[reason]` (reason 0 is the empty string: `c1 80`).
 * @throws {RangeError} if `reason` is not a {@link DiscReason}
 */
export function encodeDisconnect(reason: DiscReason): Uint8Array {
  if (!isDiscReason(reason)) {
    throw new RangeError(`reason: expected a disconnect reason, got ${String(reason)}`);
  }
  return RLP.encode([reason]);
}

/**
 * The reason in a Disconnect payload. Accepts the list `[reason]` (extra list elements are
 * ignored) and a bare `reason` (sent by old geth versions). Never throws: a payload that does
 * not decode, or a code that is not in the {@link DiscReason} table, gives `Invalid` (0xff).
 */
export function decodeDisconnect(data: Uint8Array): DiscReason {
  let pos = 0;
  let end = data.length;
  const first = data[0];
  if (first === undefined) return DiscReason.Invalid;
  if (first >= 0xc0) {
    // Only the short list form fits a reason; a long list is not a Disconnect.
    if (first > 0xf7) return DiscReason.Invalid;
    end = 1 + (first - 0xc0);
    if (end > data.length) return DiscReason.Invalid;
    pos = 1;
  }
  const code = readSmallUint(data, pos, end);
  return isDiscReason(code) ? code : DiscReason.Invalid;
}

/** A one-byte unsigned integer item at `pos` (before `end`), or -1. */
function readSmallUint(data: Uint8Array, pos: number, end: number): number {
  if (pos >= end) return -1;
  const b = data[pos] as number;
  if (b < 0x80) return b;
  if (b === 0x80) return 0;
  if (b === 0x81 && pos + 1 < end) return data[pos + 1] as number;
  return -1;
}
