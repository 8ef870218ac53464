/**
 * NAT-PMP messages (RFC 6886 §3.2, §3.3): pure encoders and a strict decoder.
 * @module
 */
import { NatError } from './errors.ts';
import type { NatProtocol } from './nat-interface.ts';

/** The gateway's NAT-PMP port (RFC 6886 §3). */
export const PMP_SERVER_PORT = 5351;
/** Opcode of the external address request (RFC 6886 §3.2). */
const OP_EXTERNAL_ADDRESS = 0;
/** Opcodes of the mapping requests (RFC 6886 §3.3). */
const OP_MAP: Readonly<Record<NatProtocol, number>> = { udp: 1, tcp: 2 };
/** Answers carry the request's opcode plus 128 (RFC 6886 §3.2). */
const RESPONSE_BIT = 128;
/** Result codes 0-5 (RFC 6886 §3.5), by code. */
const RESULT_TEXT: readonly string[] = [
  'success',
  'unsupported version',
  'not authorized/refused',
  'network failure',
  'out of resources',
  'unsupported opcode',
];

/** A decoded NAT-PMP answer. */
export type PmpAnswer =
  | { readonly kind: 'address'; readonly epochS: number; readonly ip: string }
  | {
      readonly kind: 'mapping';
      readonly epochS: number;
      readonly internalPort: number;
      readonly externalPort: number;
      readonly lifetimeS: number;
    };

/** The 2-byte external address request. */
export function encodeExternalAddressRequest(): Uint8Array {
  return Uint8Array.of(0, OP_EXTERNAL_ADDRESS);
}

/**
 * The 12-byte mapping request; lifetime 0 with external port 0 deletes the mapping
 * (RFC 6886 §3.4).
 */
export function encodeMappingRequest(
  protocol: NatProtocol,
  internalPort: number,
  externalPort: number,
  lifetimeS: number,
): Uint8Array {
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  out[1] = OP_MAP[protocol];
  view.setUint16(4, internalPort);
  view.setUint16(6, externalPort);
  view.setUint32(8, lifetimeS);
  return out;
}

/** The opcode a request was sent with (its second byte). */
export function requestOpcode(request: Uint8Array): number {
  return request[1] ?? -1;
}

/**
 * Decodes the answer to a request with `opcode`; undefined for an answer to another opcode.
 * @throws {NatError} BAD_REPLY for a malformed answer, GATEWAY_ERROR for a non-zero result code
 */
export function decodePmpAnswer(msg: Uint8Array, opcode: number): PmpAnswer | undefined {
  if (msg.length < 8) throw new NatError('BAD_REPLY', `nat-pmp answer of ${msg.length} bytes`);
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (msg[0] !== 0) throw new NatError('BAD_REPLY', `nat-pmp answer version ${msg[0]}`);
  if (msg[1] !== opcode + RESPONSE_BIT) return undefined;
  const result = view.getUint16(2);
  if (result !== 0) {
    const text = RESULT_TEXT[result] ?? 'unknown result';
    throw new NatError('GATEWAY_ERROR', `nat-pmp result ${result} (${text})`);
  }
  const epochS = view.getUint32(4);
  if (opcode === OP_EXTERNAL_ADDRESS) {
    if (msg.length < 12)
      throw new NatError('BAD_REPLY', `nat-pmp address answer of ${msg.length} bytes`);
    return { kind: 'address', epochS, ip: [...msg.subarray(8, 12)].join('.') };
  }
  if (msg.length < 16)
    throw new NatError('BAD_REPLY', `nat-pmp mapping answer of ${msg.length} bytes`);
  return {
    kind: 'mapping',
    epochS,
    internalPort: view.getUint16(8),
    externalPort: view.getUint16(10),
    lifetimeS: view.getUint32(12),
  };
}
