/**
 * The packet frame: masking IV, masked static header and authdata, then the message. Masking is
 * AES-128-CTR keyed by the first 16 bytes of the destination node ID with the masking IV.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md#protocol-header
 * @module
 */
import { assertBytes, createAesCtr } from '@ethp2p/crypto';
import {
  FLAG,
  type Flag,
  MASKING_IV_BYTES,
  MAX_PACKET_BYTES,
  MIN_MESSAGE_REMAINDER_BYTES,
  MIN_PACKET_BYTES,
  NONCE_BYTES,
  PROTOCOL_ID,
  PROTOCOL_VERSION,
  STATIC_HEADER_BYTES,
} from './constants.ts';
import { WireV5Error } from './errors.ts';

const FLAG_NAMES: readonly Flag[] = ['message', 'whoareyou', 'handshake'];
const STATIC_END = MASKING_IV_BYTES + STATIC_HEADER_BYTES;

/** The unmasked header of a packet. */
export interface PacketHeader {
  readonly flag: Flag;
  /** The 12-byte message nonce (for WHOAREYOU: the nonce of the packet it answers). */
  readonly nonce: Uint8Array;
  readonly authdata: Uint8Array;
}

/** A packet with its header unmasked; the message is still encrypted. */
export interface UnmaskedPacket extends PacketHeader {
  /** masking-iv ‖ static-header ‖ authdata, unmasked: the message's associated data. */
  readonly headerData: Uint8Array;
  /** The encrypted message (empty for WHOAREYOU). */
  readonly message: Uint8Array;
}

/**
 * masking-iv ‖ static-header ‖ authdata in clear: the associated data of the message and, for
 * WHOAREYOU, the challenge-data.
 * @throws {TypeError|RangeError} on a bad IV, nonce or flag, or authdata over 65535 bytes
 */
export function encodeHeaderData(maskingIv: Uint8Array, header: PacketHeader): Uint8Array {
  assertBytes('maskingIv', maskingIv, MASKING_IV_BYTES);
  assertBytes('nonce', header.nonce, NONCE_BYTES);
  assertBytes('authdata', header.authdata);
  const flag = FLAG[header.flag];
  if (flag === undefined) throw new TypeError(`flag: expected a flag name, got ${header.flag}`);
  if (header.authdata.length > 0xffff) {
    throw new RangeError(`authdata: expected at most 65535 bytes, got ${header.authdata.length}`);
  }
  const out = new Uint8Array(STATIC_END + header.authdata.length);
  out.set(maskingIv, 0);
  out.set(PROTOCOL_ID, MASKING_IV_BYTES);
  out[MASKING_IV_BYTES + 6] = PROTOCOL_VERSION >> 8;
  out[MASKING_IV_BYTES + 7] = PROTOCOL_VERSION & 0xff;
  out[MASKING_IV_BYTES + 8] = flag;
  out.set(header.nonce, MASKING_IV_BYTES + 9);
  out[MASKING_IV_BYTES + 21] = header.authdata.length >> 8;
  out[MASKING_IV_BYTES + 22] = header.authdata.length & 0xff;
  out.set(header.authdata, STATIC_END);
  return out;
}

/**
 * The packet on the wire: `headerData` (from {@link encodeHeaderData}) masked for `destId`,
 * followed by `message`.
 * @throws {RangeError} if the packet would exceed 1280 bytes
 */
export function maskPacket(
  destId: Uint8Array,
  headerData: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  assertBytes('destId', destId, 32);
  const size = headerData.length + message.length;
  if (size > MAX_PACKET_BYTES) {
    throw new RangeError(`packet: expected at most ${MAX_PACKET_BYTES} bytes, got ${size}`);
  }
  const out = new Uint8Array(size);
  out.set(headerData.subarray(0, MASKING_IV_BYTES), 0);
  const ctr = createAesCtr(destId.subarray(0, 16), headerData.subarray(0, MASKING_IV_BYTES));
  out.set(ctr.update(headerData.subarray(MASKING_IV_BYTES)), MASKING_IV_BYTES);
  out.set(message, headerData.length);
  return out;
}

/**
 * Unmasks the header of a packet sent to `localId`. Checks sizes, protocol-id, version, flag and
 * the authdata size against the packet; the authdata itself is not parsed.
 * @throws {WireV5Error} TOO_SMALL, TOO_LARGE, BAD_HEADER, BAD_FLAG or BAD_AUTHDATA
 */
export function unmaskPacket(data: Uint8Array, localId: Uint8Array): UnmaskedPacket {
  if (data.length < MIN_PACKET_BYTES) {
    throw new WireV5Error('TOO_SMALL', `packet of ${data.length} bytes is below the minimum`);
  }
  if (data.length > MAX_PACKET_BYTES) {
    throw new WireV5Error('TOO_LARGE', `packet of ${data.length} bytes is above the maximum`);
  }
  const iv = data.subarray(0, MASKING_IV_BYTES);
  const ctr = createAesCtr(localId.subarray(0, 16), iv);
  const head = ctr.update(data.subarray(MASKING_IV_BYTES, STATIC_END));
  for (let i = 0; i < PROTOCOL_ID.length; i++) {
    if (head[i] !== PROTOCOL_ID[i]) throw new WireV5Error('BAD_HEADER', 'wrong protocol-id');
  }
  const version = ((head[6] as number) << 8) | (head[7] as number);
  if (version < PROTOCOL_VERSION) {
    throw new WireV5Error('BAD_HEADER', `unsupported version ${version}`);
  }
  const flag = FLAG_NAMES[head[8] as number];
  if (flag === undefined) throw new WireV5Error('BAD_FLAG', `unknown flag ${head[8]}`);
  const remainder = data.length - STATIC_END;
  if (flag !== 'whoareyou' && remainder < MIN_MESSAGE_REMAINDER_BYTES) {
    throw new WireV5Error('TOO_SMALL', 'message packet too short');
  }
  const authSize = ((head[21] as number) << 8) | (head[22] as number);
  if (authSize > remainder) {
    throw new WireV5Error('BAD_AUTHDATA', `authdata-size ${authSize} is beyond the packet`);
  }
  const authEnd = STATIC_END + authSize;
  const headerData = new Uint8Array(authEnd);
  headerData.set(iv, 0);
  headerData.set(head, MASKING_IV_BYTES);
  headerData.set(ctr.update(data.subarray(STATIC_END, authEnd)), STATIC_END);
  return {
    flag,
    nonce: headerData.slice(MASKING_IV_BYTES + 9, MASKING_IV_BYTES + 21),
    authdata: headerData.subarray(STATIC_END),
    headerData,
    message: data.slice(authEnd),
  };
}
