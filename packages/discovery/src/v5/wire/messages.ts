/**
 * The discv5 messages (the plaintext inside a packet): a type byte followed by RLP. Decoding is
 * strict: exactly the spec's fields, canonical RLP and nothing after the list (as geth's
 * `rlp.DecodeBytes` of the message structs). NODES records stay raw RLP items here; the receiver
 * verifies each one and drops bad ones without losing the rest.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md#protocol-messages
 * @module
 */
import type { RlpItem } from '@ethp2p/base/rlp';
import {
  encodeBytes,
  encodeList,
  encodeUint,
  fields,
  listItems,
  RlpError,
  readItem,
  readRoot,
  readU64,
  readUint,
  stringPayload,
} from '@ethp2p/base/rlp';
import { bytesToIp, ipToBytes } from '@ethp2p/enode';
import {
  MAX_LOG_DISTANCE,
  MAX_REQUEST_ID_BYTES,
  MESSAGE_TYPE,
  type MessageName,
} from './constants.ts';
import { WireV5Error } from './errors.ts';

const MAX_UINT64 = (1n << 64n) - 1n;

/** PING (0x01). */
export interface PingMessage {
  readonly type: 'ping';
  /** At most 8 bytes, chosen by the requester. */
  readonly reqId: Uint8Array;
  /** The sender's record sequence number. */
  readonly enrSeq: bigint;
}

/** PONG (0x02). */
export interface PongMessage {
  readonly type: 'pong';
  readonly reqId: Uint8Array;
  readonly enrSeq: bigint;
  /** The IP the PING came from, as the replier saw it (text form). */
  readonly ip: string;
  /** The UDP port the PING came from. */
  readonly port: number;
}

/** FINDNODE (0x03). */
export interface FindNodeMessage {
  readonly type: 'findnode';
  readonly reqId: Uint8Array;
  /** Log distances, each 0-256. */
  readonly distances: readonly number[];
}

/** NODES (0x04). */
export interface NodesMessage {
  readonly type: 'nodes';
  readonly reqId: Uint8Array;
  /** How many NODES messages answer the request. */
  readonly total: number;
  /** The records as raw RLP items, unverified. */
  readonly records: readonly Uint8Array[];
}

/** TALKREQ (0x05). */
export interface TalkReqMessage {
  readonly type: 'talkreq';
  readonly reqId: Uint8Array;
  readonly protocol: Uint8Array;
  readonly request: Uint8Array;
}

/** TALKRESP (0x06). */
export interface TalkRespMessage {
  readonly type: 'talkresp';
  readonly reqId: Uint8Array;
  readonly response: Uint8Array;
}

/** A discv5 message, discriminated on `type`. */
export type V5Message =
  | PingMessage
  | PongMessage
  | FindNodeMessage
  | NodesMessage
  | TalkReqMessage
  | TalkRespMessage;

const NAMES = new Map<number, MessageName>(
  Object.entries(MESSAGE_TYPE).map(([name, code]) => [code, name as MessageName]),
);

/**
 * The plaintext of `msg`: its type byte and RLP body.
 * @throws {TypeError|RangeError} on a field of the wrong type, length or range
 */
export function encodeMessage(msg: V5Message): Uint8Array {
  const code = MESSAGE_TYPE[msg.type];
  if (code === undefined) {
    throw new TypeError(`type: expected a message name, got ${String(msg.type)}`);
  }
  return encodeList([reqIdItem(msg.reqId), ...bodyItems(msg)], 1).fill(code, 0, 1);
}

function bodyItems(msg: V5Message): Uint8Array[] {
  switch (msg.type) {
    case 'ping':
      return [u64(msg.enrSeq, 'enrSeq')];
    case 'pong': {
      const ip = ipToBytes(msg.ip);
      if (ip === undefined) throw new TypeError(`ip: expected an IP address, got ${msg.ip}`);
      if (!Number.isInteger(msg.port) || msg.port < 0 || msg.port > 0xffff) {
        throw new RangeError(`port: expected 0-65535, got ${msg.port}`);
      }
      return [u64(msg.enrSeq, 'enrSeq'), encodeBytes(ip), encodeUint(msg.port)];
    }
    case 'findnode':
      return [encodeList(msg.distances.map((d) => encodeUint(distance(d))))];
    case 'nodes': {
      if (!Number.isInteger(msg.total) || msg.total < 0 || msg.total > 0xff) {
        throw new RangeError(`total: expected 0-255, got ${msg.total}`);
      }
      return [encodeUint(msg.total), encodeList(msg.records.map(oneItem))];
    }
    case 'talkreq':
      return [encodeBytes(msg.protocol), encodeBytes(msg.request)];
    case 'talkresp':
      return [encodeBytes(msg.response)];
  }
}

function reqIdItem(reqId: Uint8Array): Uint8Array {
  if (!(reqId instanceof Uint8Array) || reqId.length > MAX_REQUEST_ID_BYTES) {
    throw new RangeError(`reqId: expected at most ${MAX_REQUEST_ID_BYTES} bytes`);
  }
  return encodeBytes(reqId);
}

function u64(v: bigint, field: string): Uint8Array {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT64) {
    throw new RangeError(`${field}: expected 0 to 2^64-1, got ${String(v)}`);
  }
  return encodeUint(v);
}

function distance(d: number): number {
  if (!Number.isInteger(d) || d < 0 || d > MAX_LOG_DISTANCE) {
    throw new RangeError(`distances: expected integers in 0-${MAX_LOG_DISTANCE}, got ${d}`);
  }
  return d;
}

function oneItem(raw: Uint8Array, i: number): Uint8Array {
  let ok = false;
  try {
    ok = raw instanceof Uint8Array && readItem(raw, 0).raw.length === raw.length;
  } catch {
    // reported below
  }
  if (!ok) throw new RangeError(`records[${i}]: expected exactly one canonical RLP item`);
  return raw;
}

/**
 * Decodes a message plaintext.
 * @throws {WireV5Error} UNKNOWN_MESSAGE for an empty plaintext or unknown type, MALFORMED (with
 *   the {@link RlpError} as `cause`) for a body of the wrong shape
 */
export function decodeMessage(plaintext: Uint8Array): V5Message {
  const name = NAMES.get(plaintext[0] ?? -1);
  if (name === undefined) {
    throw new WireV5Error('UNKNOWN_MESSAGE', `unknown message type ${plaintext[0] ?? 'none'}`);
  }
  try {
    return decodeBody(name, readRoot(plaintext.subarray(1), name));
  } catch (err) {
    if (err instanceof RlpError) throw new WireV5Error('MALFORMED', err.message, { cause: err });
    throw err;
  }
}

function readReqId(it: RlpItem | undefined): Uint8Array {
  const id = stringPayload(it, 'reqId');
  if (id.length > MAX_REQUEST_ID_BYTES) {
    throw new RlpError('UNEXPECTED', `reqId: expected at most 8 bytes, got ${id.length}`);
  }
  return id.slice();
}

/** The request ID and then the byte strings named `names`, copied: the whole list. */
function byteFields(root: RlpItem, name: MessageName, names: readonly string[]): Uint8Array[] {
  const f = fields(root, names.length + 1, name);
  return [readReqId(f[0]), ...names.map((n, i) => stringPayload(f[i + 1], n).slice())];
}

function decodeBody(name: MessageName, root: RlpItem): V5Message {
  switch (name) {
    case 'ping': {
      const f = fields(root, 2, name);
      return { type: name, reqId: readReqId(f[0]), enrSeq: readU64(f[1], 'enrSeq') };
    }
    case 'pong': {
      const f = fields(root, 4, name);
      const ip = stringPayload(f[2], 'ip');
      if (ip.length !== 4 && ip.length !== 16) {
        throw new RlpError('UNEXPECTED', `ip: expected 4 or 16 bytes, got ${ip.length}`);
      }
      return {
        type: name,
        reqId: readReqId(f[0]),
        enrSeq: readU64(f[1], 'enrSeq'),
        ip: bytesToIp(ip),
        port: readUint(f[3], 2, 'port'),
      };
    }
    case 'findnode': {
      const f = fields(root, 2, name);
      const distances = listItems(f[1], 'distances').map((d) => {
        const v = readUint(d, 2, 'distance');
        if (v > MAX_LOG_DISTANCE) throw new RlpError('UNEXPECTED', `distance ${v} above 256`);
        return v;
      });
      return { type: name, reqId: readReqId(f[0]), distances };
    }
    case 'nodes': {
      const f = fields(root, 3, name);
      const records = listItems(f[2], 'records').map((r) => r.raw.slice());
      return { type: name, reqId: readReqId(f[0]), total: readUint(f[1], 1, 'total'), records };
    }
    case 'talkreq': {
      const [reqId, protocol, request] = byteFields(root, name, ['protocol', 'request']) as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
      ];
      return { type: name, reqId, protocol, request };
    }
    case 'talkresp': {
      const [reqId, response] = byteFields(root, name, ['response']) as [Uint8Array, Uint8Array];
      return { type: name, reqId, response };
    }
  }
}
