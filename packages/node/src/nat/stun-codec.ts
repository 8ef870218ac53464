/**
 * STUN binding request and response (RFC 5389 §6, §15.2): pure encoder and strict decoder.
 * @module
 */
import { NatError } from './errors.ts';

/** The magic cookie of every RFC 5389 message (§6). */
export const STUN_MAGIC_COOKIE = 0x2112a442;
/** Message types (RFC 5389 §6, §18.1). */
const MSG = { bindingRequest: 0x0001, bindingSuccess: 0x0101, bindingError: 0x0111 } as const;
/** Attribute types (RFC 5389 §18.2). */
const ATTR = { mappedAddress: 0x0001, errorCode: 0x0009, xorMappedAddress: 0x0020 } as const;
/** Header size: type, length, cookie, transaction ID (RFC 5389 §6). */
const HEADER_BYTES = 20;

/** A binding request with the 12-byte `transactionId`. */
export function encodeBindingRequest(transactionId: Uint8Array): Uint8Array {
  if (transactionId.length !== 12) {
    throw new RangeError(`transactionId: expected 12 bytes, got ${transactionId.length}`);
  }
  const out = new Uint8Array(HEADER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint16(0, MSG.bindingRequest);
  view.setUint32(4, STUN_MAGIC_COOKIE);
  out.set(transactionId, 8);
  return out;
}

/**
 * The address a binding success response reports (XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS);
 * undefined for a message of another transaction.
 * @throws {NatError} BAD_REPLY for a malformed message, GATEWAY_ERROR for an error response
 */
export function decodeBindingResponse(
  msg: Uint8Array,
  transactionId: Uint8Array,
): { ip: string; port: number } | undefined {
  if (msg.length < HEADER_BYTES)
    throw new NatError('BAD_REPLY', `stun message of ${msg.length} bytes`);
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (view.getUint32(4) !== STUN_MAGIC_COOKIE)
    throw new NatError('BAD_REPLY', 'stun message without magic cookie');
  if (!msg.subarray(8, 20).every((b, i) => b === transactionId[i])) return undefined;
  const type = view.getUint16(0);
  const length = view.getUint16(2);
  if (length % 4 !== 0 || HEADER_BYTES + length > msg.length) {
    throw new NatError('BAD_REPLY', `stun message length ${length} does not fit`);
  }
  const attrs = readAttributes(msg.subarray(HEADER_BYTES, HEADER_BYTES + length));
  if (type === MSG.bindingError) {
    const err = attrs.get(ATTR.errorCode);
    const code = err !== undefined && err.length >= 4 ? (err[2] ?? 0) * 100 + (err[3] ?? 0) : 0;
    throw new NatError('GATEWAY_ERROR', `stun error response ${code}`);
  }
  if (type !== MSG.bindingSuccess)
    throw new NatError('BAD_REPLY', `stun message type 0x${type.toString(16)}`);
  const xored = attrs.get(ATTR.xorMappedAddress);
  if (xored !== undefined) return readAddress(xored, msg.subarray(4, 20));
  const plain = attrs.get(ATTR.mappedAddress);
  if (plain !== undefined) return readAddress(plain, undefined);
  throw new NatError('BAD_REPLY', 'stun response without a mapped address');
}

/** Attributes by type, first occurrence wins (RFC 5389 §15: 4-byte aligned TLVs). */
function readAttributes(body: Uint8Array): Map<number, Uint8Array> {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const attrs = new Map<number, Uint8Array>();
  let at = 0;
  while (at < body.length) {
    if (at + 4 > body.length) throw new NatError('BAD_REPLY', 'truncated stun attribute header');
    const type = view.getUint16(at);
    const len = view.getUint16(at + 2);
    if (at + 4 + len > body.length) throw new NatError('BAD_REPLY', 'truncated stun attribute');
    if (!attrs.has(type)) attrs.set(type, body.subarray(at + 4, at + 4 + len));
    at += 4 + Math.ceil(len / 4) * 4;
  }
  return attrs;
}

/** A (XOR-)MAPPED-ADDRESS value; `mask` is cookie + transaction ID for the XOR form. */
function readAddress(
  value: Uint8Array,
  mask: Uint8Array | undefined,
): { ip: string; port: number } {
  const family = value[1];
  const size = family === 0x01 ? 4 : family === 0x02 ? 16 : 0;
  if (size === 0 || value.length < 4 + size) {
    throw new NatError('BAD_REPLY', 'bad stun address attribute');
  }
  // RFC 5389 §15.2: the port is XORed with the cookie's top 16 bits, the address with the
  // cookie (IPv4) or the cookie and the transaction ID (IPv6).
  const m = (i: number): number => (mask === undefined ? 0 : (mask[i] ?? 0));
  const port = (((value[2] ?? 0) ^ m(0)) << 8) | ((value[3] ?? 0) ^ m(1));
  const addr = value.slice(4, 4 + size).map((b, i) => b ^ m(i));
  if (size === 4) return { ip: [...addr].join('.'), port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((((addr[i] ?? 0) << 8) | (addr[i + 1] ?? 0)).toString(16));
  }
  return { ip: groups.join(':'), port };
}
