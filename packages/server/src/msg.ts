/**
 * Helpers for protocols: send RLP values, decode a message's RLP, and (in tests) expect a
 * message (geth `p2p.Send`, `p2p.SendItems`, `Msg.Decode`, `p2p.ExpectMsg`).
 * @module
 */

import { type Input, type NestedUint8Array, RLP } from '@ethereumjs/rlp';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import { MsgError, PeerError } from './errors.ts';
import type { Msg, MsgReader, MsgWriter } from './protocol.ts';
import { DiscReason } from './wire/disc-reason.ts';

/** A value RLP can encode: bytes, a string (UTF-8), a number or bigint (unsigned), or a list. */
export type RlpValue = Input;

/** What RLP decodes to: bytes, or a (nested) list of bytes. */
export type RlpDecoded = Uint8Array | NestedUint8Array;

/**
 * Sends `value` RLP-encoded as message `code`.
 * @throws whatever `w.writeMsg` throws; {Error} from the RLP encoder for a negative number
 */
export function sendMsg(w: MsgWriter, code: number, value: RlpValue): Promise<void> {
  return w.writeMsg(code, RLP.encode(value));
}

/** Sends the list `[...items]` as message `code` (`sendItems(w, PING)` sends `0xc0`). */
export function sendItems(w: MsgWriter, code: number, ...items: RlpValue[]): Promise<void> {
  return sendMsg(w, code, items);
}

/**
 * Decodes the RLP payload of `msg` (or of raw bytes).
 * @throws {PeerError} `ProtocolError` if it is not exactly one RLP item, so a protocol that
 * lets it propagate drops the peer with "breach of protocol"
 */
export function decodeMsg(msg: Msg | Uint8Array): RlpDecoded {
  const data = msg instanceof Uint8Array ? msg : msg.data;
  try {
    // @ethereumjs/rlp decodes no bytes as the empty string; geth (rightly) says EOF.
    if (data.length === 0) throw new RangeError('rlp: empty input');
    return RLP.decode(data);
  } catch (err) {
    const what = msg instanceof Uint8Array ? 'message' : `message 0x${msg.code.toString(16)}`;
    throw new PeerError(DiscReason.ProtocolError, `invalid ${what}: bad RLP`, { cause: err });
  }
}

/**
 * Reads one message and checks its code and, if `content` is given, that its payload is
 * exactly `RLP.encode(content)`. For tests of protocols over a `msgPipe`.
 * @throws {MsgError} `UNEXPECTED_MSG` on a mismatch; whatever `r.readMsg` throws
 */
export async function expectMsg(r: MsgReader, code: number, content?: RlpValue): Promise<Msg> {
  const msg = await r.readMsg();
  if (msg.code !== code) {
    throw new MsgError('UNEXPECTED_MSG', `expected message code ${code}, got ${msg.code}`);
  }
  if (content !== undefined) {
    const want = RLP.encode(content);
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
