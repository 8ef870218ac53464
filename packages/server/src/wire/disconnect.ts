/**
 * The Disconnect message (code 0x01): `[reason]`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#disconnect-0x01
 * @module
 */
import { encodeList, encodeUint, RlpError, readItem } from '@ethp2p/base/rlp';
import { DiscReason, isDiscReason } from './disc-reason.ts';

/**
 * The Disconnect payload `[reason]` (reason 0 is the empty string: `c1 80`).
 * @throws {RangeError} if `reason` is not a {@link DiscReason}
 */
export function encodeDisconnect(reason: DiscReason): Uint8Array {
  if (!isDiscReason(reason)) {
    throw new RangeError(`reason: expected a disconnect reason, got ${String(reason)}`);
  }
  return encodeList([encodeUint(reason)]);
}

/**
 * The reason in a Disconnect payload. Accepts the list `[reason]` (extra list elements and bytes
 * after the list are ignored) and a bare `reason` (sent by old geth versions), and, as other
 * clients do, a reason written as a one-byte string even below 0x80 (`81 10`) or as the byte
 * `00`. Never throws: a payload that does not decode, or a code that is not in the
 * {@link DiscReason} table, gives `Invalid` (0xff).
 */
export function decodeDisconnect(data: Uint8Array): DiscReason {
  let code: number | undefined;
  try {
    code = reasonCode(data);
  } catch (err) {
    if (!(err instanceof RlpError)) throw err;
  }
  return isDiscReason(code) ? code : DiscReason.Invalid;
}

/** The reason code of `[reason, ...]` or of a bare `reason`. @throws {RlpError} */
function reasonCode(data: Uint8Array): number | undefined {
  if (data[0] !== undefined && data[0] < 0xc0) return smallUint(data);
  const root = readItem(data, 0);
  // Only the short list form fits a reason; a long list is not a Disconnect.
  if (root.payload.length >= 56) return undefined;
  return smallUint(root.payload);
}

/** The one-byte unsigned integer that starts `b`, read leniently (see decodeDisconnect). */
function smallUint(b: Uint8Array): number | undefined {
  // The strict reader refuses a byte below 0x80 wrapped in a string header; tolerated here.
  if (b[0] === 0x81 && b.length >= 2) return b[1];
  const it = readItem(b, 0);
  if (it.list || it.payload.length > 1) return undefined;
  return it.payload[0] ?? 0;
}
