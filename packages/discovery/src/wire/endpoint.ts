/**
 * Endpoints (`[ip, udp, tcp]`) and Neighbors entries (`[ip, udp, tcp, pubkey]`) on the wire.
 * Like geth (`v4wire.Endpoint`, `v4wire.Node`) these lists take no extra elements.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#wire-protocol
 * @module
 */
import { checkPort } from '@ethp2p/base';
import type { RlpItem } from '@ethp2p/base/rlp';
import {
  bytesSize,
  fields,
  listHeaderSize,
  readFixed,
  readUint,
  stringPayload,
  uintSize,
  writeBytes,
  writeListHeader,
  writeUint,
} from '@ethp2p/base/rlp';
import { equalBytes } from '@ethp2p/crypto';
import { bytesToIp, ipToBytes } from '@ethp2p/enode';
import { WireError } from './errors.ts';

/**
 * A UDP/TCP endpoint as carried in Ping and Pong. `ip` is canonical text (IPv4-mapped IPv6 reads
 * as IPv4), or `undefined` for the empty address geth sends when it does not know its own IP.
 */
export interface Endpoint {
  readonly ip: string | undefined;
  readonly udp: number;
  readonly tcp: number;
}

/**
 * One node in a Neighbors packet, in wire form: no relay-IP or port checks have been applied
 * (that is the discovery service's job). `publicKey` is 64 bytes (X‖Y), not checked to be on
 * the curve.
 */
export interface NeighborNode extends Endpoint {
  readonly publicKey: Uint8Array;
}

const EMPTY: Uint8Array = new Uint8Array(0);

/** The RLP of an endpoint. @throws {TypeError|RangeError} on a bad IP or port */
export function encodeEndpoint(ep: Endpoint, field: string): Uint8Array {
  return writeEntry(ep, field, undefined);
}

/**
 * The RLP of a Neighbors entry; the same array for the same node again (read it, never write it).
 * @throws {TypeError|RangeError} on a bad IP, port or key
 */
export function encodeNeighbor(node: NeighborNode, field: string): Uint8Array {
  const key = node.publicKey;
  if (!(key instanceof Uint8Array) || key.length !== 64) {
    throw new RangeError(`${field}.publicKey: expected 64 bytes, got ${describe(key)}`);
  }
  const known = encodedNeighbors.get(key);
  if (
    known !== undefined &&
    known.ip === node.ip &&
    known.udp === node.udp &&
    known.tcp === node.tcp &&
    equalBytes(known.rlp.subarray(known.rlp.length - 64), key)
  ) {
    return known.rlp;
  }
  const rlp = writeEntry(node, field, key);
  encodedNeighbors.set(key, { ip: node.ip, udp: node.udp, tcp: node.tcp, rlp });
  return rlp;
}

/**
 * Entries encoded before, by the key array of the node (a table node keeps its key array, and
 * its endpoint, for life): a FindNode answer mostly repeats the nodes of the last one. A hit is
 * checked against the endpoint and the key bytes, so a changed node is encoded anew. Entries go
 * with their key arrays.
 */
const encodedNeighbors = new WeakMap<
  Uint8Array,
  { ip: string | undefined; udp: number; tcp: number; rlp: Uint8Array }
>();

/**
 * `[ip, udp, tcp]`, or `[ip, udp, tcp, key]`, sized first and written straight into one array:
 * Neighbors packets carry up to 12 entries, and the encoder makes no array per element.
 */
function writeEntry(ep: Endpoint, field: string, key: Uint8Array | undefined): Uint8Array {
  if (typeof ep !== 'object' || ep === null) {
    throw new TypeError(`${field}: expected an endpoint, got ${describe(ep)}`);
  }
  let ip = EMPTY;
  if (ep.ip !== undefined) {
    const bytes = typeof ep.ip === 'string' ? ipToBytes(ep.ip) : undefined;
    if (bytes === undefined)
      throw new TypeError(`${field}.ip: expected an IP address, got ${ep.ip}`);
    ip = bytes;
  }
  const udp = checkPort(`${field}.udp`, ep.udp);
  const tcp = checkPort(`${field}.tcp`, ep.tcp);
  const payload =
    bytesSize(ip) + uintSize(udp) + uintSize(tcp) + (key === undefined ? 0 : bytesSize(key));
  const out = new Uint8Array(listHeaderSize(payload) + payload);
  let pos = writeListHeader(out, 0, payload);
  pos = writeBytes(out, pos, ip);
  pos = writeUint(out, pos, udp);
  pos = writeUint(out, pos, tcp);
  if (key !== undefined) writeBytes(out, pos, key);
  return out;
}

/** Decodes `[ip, udp, tcp]`. @throws {RlpError} for bad RLP; {WireError} MALFORMED for a bad IP */
export function decodeEndpoint(it: RlpItem | undefined, what: string): Endpoint {
  return decodeAddress(fields(it, 3, what), what);
}

/**
 * Decodes `[ip, udp, tcp, pubkey]`.
 * @throws {RlpError} for bad RLP; {WireError} MALFORMED for a bad IP
 */
export function decodeNeighbor(it: RlpItem, what: string): NeighborNode {
  const items = fields(it, 4, what);
  const publicKey = readFixed(items[3], 64, `${what}.publicKey`);
  const { ip, udp, tcp } = decodeAddress(items, what);
  return { ip, udp, tcp, publicKey };
}

function decodeAddress(items: RlpItem[], what: string): Endpoint {
  const raw = stringPayload(items[0], `${what}.ip`);
  if (raw.length !== 0 && raw.length !== 4 && raw.length !== 16) {
    throw new WireError('MALFORMED', `${what}.ip: expected 0, 4 or 16 bytes, got ${raw.length}`);
  }
  return {
    ip: raw.length === 0 ? undefined : bytesToIp(raw),
    udp: readUint(items[1], 2, `${what}.udp`),
    tcp: readUint(items[2], 2, `${what}.tcp`),
  };
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (value === null) return 'null';
  return typeof value;
}
