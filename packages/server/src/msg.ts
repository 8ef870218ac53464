/**
 * Helpers for protocols: send RLP values, decode a message's RLP, and (in tests) expect a
 * message (geth `p2p.Send`, `p2p.SendItems`, `Msg.Decode`, `p2p.ExpectMsg`).
 * @module
 */

import { decodeRlp, encodeRlp, type RlpDecoded, RlpError, type RlpInput } from '@ethp2p/base/rlp';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import { MsgError, PeerError } from './errors.ts';
import type { Msg, MsgReader, MsgWriter } from './protocol.ts';
import { DiscReason } from './wire/disc-reason.ts';

export type { RlpDecoded, RlpInput };

/**
 * Sends `value` RLP-encoded as message `code`. A string is sent as its UTF-8 bytes (never read
 * as hex); pass bytes for binary data.
 * @throws whatever `w.writeMsg` throws; {RangeError} for a negative or non-integer number
 */
export function sendMsg(w: MsgWriter, code: number, value: RlpInput): Promise<void> {
  return w.writeMsg(code, encodeRlp(value));
}

/** Sends the list `[...items]` as message `code` (`sendItems(w, PING)` sends `0xc0`). */
export function sendItems(w: MsgWriter, code: number, ...items: RlpInput[]): Promise<void> {
  return sendMsg(w, code, items);
}

/**
 * Decodes the RLP payload of `msg` (or of raw bytes), strictly (canonical sizes, nothing after
 * the item). The byte strings are views of the payload.
 * @throws {PeerError} `ProtocolError` if it is not exactly one canonical RLP item, so a protocol
 * that lets it propagate drops the peer with "breach of protocol"
 */
export function decodeMsg(msg: Msg | Uint8Array): RlpDecoded {
  const data = msg instanceof Uint8Array ? msg : msg.data;
  try {
    return decodeRlp(data);
  } catch (err) {
    if (!(err instanceof RlpError)) throw err;
    const what = msg instanceof Uint8Array ? 'message' : `message 0x${msg.code.toString(16)}`;
    throw new PeerError(DiscReason.ProtocolError, `invalid ${what}: bad RLP`, { cause: err });
  }
}

/**
 * Reads one message and checks its code and, if `content` is given, that its payload is
 * exactly the RLP of `content`. For tests of protocols over a `msgPipe`.
 * @throws {MsgError} `UNEXPECTED_MSG` on a mismatch; whatever `r.readMsg` throws
 */
export async function expectMsg(r: MsgReader, code: number, content?: RlpInput): Promise<Msg> {
  const msg = await r.readMsg();
  if (msg.code !== code) {
    throw new MsgError('UNEXPECTED_MSG', `expected message code ${code}, got ${msg.code}`);
  }
  if (content !== undefined) {
    const want = encodeRlp(content);
    if (!equalBytes(want, msg.data)) {
      throw new MsgError(
        'UNEXPECTED_MSG',
        `message ${code}: expected payload ${hex(want)}, got ${hex(msg.data)}`,
      );
    }
  }
  return msg;
}

function hex(b: Uint8Array): string {
  const s = bytesToHex(b);
  return s.length > 64 ? `${s.slice(0, 64)}…(${b.length} bytes)` : s;
}
