/**
 * Encoding and decoding of packet bodies (the RLP after the type byte), one pair per type.
 * Decoding follows geth's `v4wire`: unknown trailing list elements go to `rest`, bytes after the
 * list are ignored, and an optional enr-seq in Ping and Pong must be an integer (EIP-868), so the
 * two historical EIP-8 vectors with a list in that position (geth 7b5107b73f) are rejected, as
 * geth has since #22842. Endpoint and Neighbors entries take no extra elements (geth has no tail
 * there). Hashes must be 32 bytes and keys 64. An ENRResponse record is decoded and its
 * signature verified with `Enr.decode`; a bad record is `BAD_RECORD`.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md#wire-protocol
 * @module
 */
import type { RlpItem } from '@ethp2p/base/rlp';
import {
  encodeBytes,
  encodeList,
  encodeUint,
  listItems,
  minFields,
  RlpError,
  readFixed,
  readItem,
  readRoot,
  readU64,
} from '@ethp2p/base/rlp';
import { Enr } from '@ethp2p/enode';
import type { PacketName } from './constants.ts';
import { MAX_UINT64, PACKET_TYPE } from './constants.ts';
import {
  decodeEndpoint,
  decodeNeighbor,
  describe,
  encodeEndpoint,
  encodeNeighbor,
} from './endpoint.ts';
import { WireError } from './errors.ts';
import type { Packet, PacketInput } from './packets.ts';

const NAMES: readonly (PacketName | undefined)[] = [
  undefined,
  'ping',
  'pong',
  'findnode',
  'neighbors',
  'enr-request',
  'enr-response',
];

/** The packet name of a type byte, or `undefined` if it is not a discv4 type. */
export function packetName(typeByte: number): PacketName | undefined {
  return NAMES[typeByte];
}

/**
 * The RLP body of `packet`, preceded by `reserve` zero bytes for the envelope.
 * @throws {TypeError|RangeError} on a field of the wrong type, length or range
 */
export function encodeBody(packet: PacketInput, reserve: number): Uint8Array {
  const items = bodyItems(packet);
  for (const [i, raw] of (packet.rest ?? []).entries()) items.push(checkRaw(raw, `rest[${i}]`));
  return encodeList(items, reserve);
}

function bodyItems(p: PacketInput): Uint8Array[] {
  switch (p.type) {
    case 'ping':
      return withSeq(
        [u64(p.version, 'version'), encodeEndpoint(p.from, 'from'), encodeEndpoint(p.to, 'to')],
        p,
      );
    case 'pong':
      return withSeq([encodeEndpoint(p.to, 'to'), bytes32(p.pingHash, 'pingHash')], p);
    case 'findnode':
      return [fixed(p.target, 64, 'target'), u64(p.expiration, 'expiration')];
    case 'neighbors': {
      if (!Array.isArray(p.nodes))
        throw new TypeError(`nodes: expected array, got ${describe(p.nodes)}`);
      const nodes = p.nodes.map((n, i) => encodeNeighbor(n, `nodes[${i}]`));
      return [encodeList(nodes), u64(p.expiration, 'expiration')];
    }
    case 'enr-request':
      return [u64(p.expiration, 'expiration')];
    case 'enr-response': {
      if (!(p.record instanceof Enr))
        throw new TypeError(`record: expected Enr, got ${describe(p.record)}`);
      return [bytes32(p.requestHash, 'requestHash'), p.record.encode()];
    }
    default:
      throw new TypeError(
        `type: expected a packet name, got ${String((p as { type: unknown }).type)}`,
      );
  }
}

/** Appends expiration and the optional enr-seq of a Ping or Pong. */
function withSeq(
  items: Uint8Array[],
  p: { expiration: bigint; enrSeq?: bigint; rest?: readonly Uint8Array[] },
): Uint8Array[] {
  items.push(u64(p.expiration, 'expiration'));
  if (p.enrSeq !== undefined) items.push(u64(p.enrSeq, 'enrSeq'));
  else if ((p.rest?.length ?? 0) > 0) {
    throw new TypeError('rest: expected enrSeq to be set when rest is not empty');
  }
  return items;
}

function u64(v: bigint, field: string): Uint8Array {
  if (typeof v !== 'bigint') throw new TypeError(`${field}: expected bigint, got ${typeof v}`);
  if (v < 0n || v > MAX_UINT64) throw new RangeError(`${field}: expected 0 to 2^64-1, got ${v}`);
  return encodeUint(v);
}

function fixed(b: Uint8Array, length: number, field: string): Uint8Array {
  if (!(b instanceof Uint8Array) || b.length !== length) {
    throw new RangeError(`${field}: expected ${length} bytes, got ${describe(b)}`);
  }
  return encodeBytes(b);
}

function bytes32(b: Uint8Array, field: string): Uint8Array {
  return fixed(b, 32, field);
}

function checkRaw(raw: Uint8Array, field: string): Uint8Array {
  if (!(raw instanceof Uint8Array))
    throw new TypeError(`${field}: expected Uint8Array, got ${describe(raw)}`);
  try {
    if (readItem(raw, 0).raw.length === raw.length) return raw;
  } catch {
    // reported below
  }
  throw new RangeError(`${field}: expected exactly one canonical RLP item`);
}

/**
 * Reads the RLP of an ENRResponse's record into a verified {@link Enr}: `Enr.decode`, or a
 * memo of it (the simulator shares one across its nodes).
 * @throws anything for a record that is not valid (reported as BAD_RECORD)
 */
export type RecordReader = (raw: Uint8Array) => Enr;

const decodeRecord: RecordReader = (raw) => Enr.decode(raw);

/**
 * Decodes the body of a packet of type `name`. Bytes after the RLP list are ignored. An
 * ENRResponse's record is read with `readRecord` (default `Enr.decode`).
 * @throws {WireError} MALFORMED (with the {@link RlpError} as `cause` for bad RLP), or
 *   BAD_RECORD for an ENRResponse with an invalid record
 */
export function decodeBody(
  name: PacketName,
  data: Uint8Array,
  readRecord: RecordReader = decodeRecord,
): Packet {
  try {
    return decodeFields(name, readRoot(data, name, { trailing: true }), readRecord);
  } catch (err) {
    if (err instanceof RlpError) throw new WireError('MALFORMED', err.message, { cause: err });
    throw err;
  }
}

function decodeFields(name: PacketName, root: RlpItem, readRecord: RecordReader): Packet {
  switch (name) {
    case 'ping': {
      const f = minFields(root, 4, name);
      return {
        type: name,
        version: readU64(f[0], 'version'),
        from: decodeEndpoint(f[1], 'from'),
        to: decodeEndpoint(f[2], 'to'),
        ...seqAndRest(f, 3),
      };
    }
    case 'pong': {
      const f = minFields(root, 3, name);
      return {
        type: name,
        to: decodeEndpoint(f[0], 'to'),
        pingHash: readFixed(f[1], 32, 'pingHash'),
        ...seqAndRest(f, 2),
      };
    }
    default:
      return decodeOther(name, root, readRecord);
  }
}

function decodeOther(
  name: Exclude<PacketName, 'ping' | 'pong'>,
  root: RlpItem,
  readRecord: RecordReader,
): Packet {
  switch (name) {
    case 'findnode': {
      const f = minFields(root, 2, name);
      const target = readFixed(f[0], 64, 'target');
      return { type: name, target, expiration: exp(f[1]), rest: rest(f, 2) };
    }
    case 'neighbors': {
      const f = minFields(root, 2, name);
      const nodes = listItems(f[0], 'nodes').map((n, i) => decodeNeighbor(n, `nodes[${i}]`));
      return { type: name, nodes, expiration: exp(f[1]), rest: rest(f, 2) };
    }
    case 'enr-request': {
      const f = minFields(root, 1, name);
      return { type: name, expiration: exp(f[0]), rest: rest(f, 1) };
    }
    case 'enr-response': {
      const f = minFields(root, 2, name);
      return {
        type: name,
        requestHash: readFixed(f[0], 32, 'requestHash'),
        record: record(f[1], readRecord),
        rest: rest(f, 2),
      };
    }
  }
}

function exp(it: RlpItem | undefined): bigint {
  return readU64(it, 'expiration');
}

/** Expiration at `at`, then an optional integer enr-seq, then the rest. */
function seqAndRest(
  f: RlpItem[],
  at: number,
): { expiration: bigint; enrSeq?: bigint; rest: Uint8Array[] } {
  const expiration = exp(f[at]);
  if (f.length === at + 1) return { expiration, rest: [] };
  return { expiration, enrSeq: readU64(f[at + 1], 'enrSeq'), rest: rest(f, at + 2) };
}

function rest(f: RlpItem[], from: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = from; i < f.length; i++) out.push((f[i] as RlpItem).raw.slice());
  return out;
}

function record(it: RlpItem | undefined, readRecord: RecordReader): Enr {
  if (it === undefined || !it.list) throw new WireError('MALFORMED', 'record: expected a list');
  try {
    return readRecord(it.raw);
  } catch (err) {
    throw new WireError('BAD_RECORD', 'record: not a valid v4 ENR', { cause: err });
  }
}

/** The type byte of a packet name. */
export function typeByte(name: PacketName): number {
  return PACKET_TYPE[name];
}
