/**
 * The block messages: announcements (NewBlockHashes, NewBlock; eth/68 only), header and body
 * requests, and BlockRangeUpdate (eth/69). Headers, bodies and blocks stay opaque: a decoded
 * value keeps each one as its exact RLP encoding (a copy), so the caller can hash a header with
 * `keccak256(header)` and decode it further where it needs to.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#protocol-messages
 * @module
 */

import {
  encodeBool,
  encodeBytes,
  encodeList,
  encodeUint,
  fields,
  iterateItems,
  listItems,
  type RlpItem,
  readBigUint,
  readBool,
  readFixed,
  readU64,
  stringPayload,
  takeItems,
} from '@ethp2p/base/rlp';
import { malformed } from '../decoding.ts';
import {
  checkArray,
  checkFixed,
  checkList,
  checkRawItem,
  checkTransaction,
  checkUint,
  defineCodec,
  encodeRequest,
  encodeU64,
  type HashesRequest,
  hashesRequest,
  type MessageCodec,
  rawListResponse,
  readRequest,
} from './codec.ts';
import {
  MAX_BLOCK_ANNOUNCEMENTS,
  MAX_BODIES_PER_MESSAGE,
  MAX_HEADERS_PER_MESSAGE,
} from './limits.ts';
import { MAX_TD } from './status.ts';

/** One entry of NewBlockHashes. */
export interface BlockAnnouncement {
  readonly hash: Uint8Array;
  readonly number: bigint;
}

/** NewBlockHashes (0x01, eth/68): `[[hash, number], ...]`. */
export type NewBlockHashes = readonly BlockAnnouncement[];

/**
 * The origin of a header request: a block hash or a block number. On the wire a 32-byte string
 * is a hash and a string of at most 8 bytes a number; anything else is malformed.
 */
export type HashOrNumber = { readonly hash: Uint8Array } | { readonly number: bigint };

/** GetBlockHeaders (0x03): `[request-id, [origin, amount, skip, reverse]]`. */
export interface GetBlockHeaders {
  readonly requestId: bigint;
  readonly origin: HashOrNumber;
  /** The most headers to return (`limit` in the spec). */
  readonly amount: bigint;
  /** How many blocks to skip between two returned headers. */
  readonly skip: bigint;
  /** True for falling block numbers. */
  readonly reverse: boolean;
}

/** BlockHeaders (0x04): `[request-id, [header, ...]]`; each header is its RLP encoding. */
export interface BlockHeaders {
  readonly requestId: bigint;
  readonly headers: readonly Uint8Array[];
}

/** GetBlockBodies (0x05): `[request-id, [hash, ...]]`. */
export type GetBlockBodies = HashesRequest;

/**
 * BlockBodies (0x06): `[request-id, [body, ...]]`; each body is the RLP encoding of
 * `[transactions, ommers]` or `[transactions, ommers, withdrawals]`.
 */
export interface BlockBodies {
  readonly requestId: bigint;
  readonly bodies: readonly Uint8Array[];
}

/** NewBlock (0x07, eth/68): `[block, td]`; `block` is the RLP of `[header, txs, ommers, ...]`. */
export interface NewBlock {
  readonly block: Uint8Array;
  readonly td: bigint;
}

/**
 * BlockRangeUpdate (0x11, eth/69): the blocks whose bodies and receipts the sender serves. The
 * codec only checks the shape; `earliest > latest` or a zero hash is the handler's to reject.
 */
export interface BlockRangeUpdate {
  readonly earliest: bigint;
  readonly latest: bigint;
  readonly latestHash: Uint8Array;
}

/** NewBlockHashes of eth/68. */
export const newBlockHashes: MessageCodec<'NewBlockHashes', NewBlockHashes> = defineCodec(
  'NewBlockHashes',
  0x01,
  (list: NewBlockHashes) =>
    encodeList(
      checkArray<BlockAnnouncement>(list, 'NewBlockHashes').map((a, i) =>
        encodeList([
          encodeBytes(checkFixed(a?.hash, 32, `NewBlockHashes[${i}].hash`)),
          encodeU64(a.number, `NewBlockHashes[${i}].number`),
        ]),
      ),
    ),
  (root) =>
    listItems(root, 'NewBlockHashes', MAX_BLOCK_ANNOUNCEMENTS).map((it) => {
      const [hash, number] = fields(it, 2, 'NewBlockHashes item');
      return {
        hash: readFixed(hash, 32, 'NewBlockHashes hash'),
        number: readU64(number, 'NewBlockHashes number'),
      };
    }),
);

function encodeOrigin(origin: HashOrNumber): Uint8Array {
  if (origin !== null && typeof origin === 'object' && 'hash' in origin)
    return encodeBytes(checkFixed(origin.hash, 32, 'GetBlockHeaders.origin.hash'));
  if (origin !== null && typeof origin === 'object' && 'number' in origin)
    return encodeU64(origin.number, 'GetBlockHeaders.origin.number');
  throw new TypeError('GetBlockHeaders.origin: expected { hash } or { number }');
}

function readOrigin(it: RlpItem | undefined): HashOrNumber {
  const b = stringPayload(it, 'GetBlockHeaders origin');
  if (b.length === 32) return { hash: b.slice() };
  if (b.length <= 8) return { number: readU64(it, 'GetBlockHeaders origin') };
  throw malformed(`GetBlockHeaders origin: expected a hash or a number, got ${b.length} bytes`);
}

/** GetBlockHeaders of eth/66 and later. */
export const getBlockHeaders: MessageCodec<'GetBlockHeaders', GetBlockHeaders> = defineCodec(
  'GetBlockHeaders',
  0x03,
  (r: GetBlockHeaders) =>
    encodeRequest(
      r.requestId,
      encodeList([
        encodeOrigin(r.origin),
        encodeU64(r.amount, 'GetBlockHeaders.amount'),
        encodeU64(r.skip, 'GetBlockHeaders.skip'),
        encodeBool(checkBoolean(r.reverse, 'GetBlockHeaders.reverse')),
      ]),
      'GetBlockHeaders',
    ),
  (root) => {
    const { requestId, inner } = readRequest(root, 'GetBlockHeaders');
    const f = fields(inner, 4, 'GetBlockHeaders request');
    return {
      requestId,
      origin: readOrigin(f[0]),
      amount: readU64(f[1], 'GetBlockHeaders amount'),
      skip: readU64(f[2], 'GetBlockHeaders skip'),
      reverse: readBool(f[3], 'GetBlockHeaders reverse'),
    };
  },
);

function checkBoolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${field}: expected boolean, got ${typeof v}`);
  return v;
}

/** BlockHeaders of eth/66 and later. */
export const blockHeaders: MessageCodec<'BlockHeaders', BlockHeaders> = rawListResponse(
  'BlockHeaders',
  0x04,
  'headers',
  MAX_HEADERS_PER_MESSAGE,
  checkList,
);

/** GetBlockBodies of eth/66 and later. */
export const getBlockBodies: MessageCodec<'GetBlockBodies', GetBlockBodies> = hashesRequest(
  'GetBlockBodies',
  0x05,
  MAX_BODIES_PER_MESSAGE,
);

/** Checks the parts `transactions, ommers, withdrawals?` of a body or block, one at a time. */
function checkBodyParts(parts: readonly RlpItem[], what: string): void {
  for (const tx of iterateItems(parts[0], `${what} transactions`)) {
    checkTransaction(tx, `${what} tx`);
  }
  for (const h of iterateItems(parts[1], `${what} ommers`)) checkList(h, `${what} ommer`);
  if (parts[2] !== undefined) checkList(parts[2], `${what} withdrawals`);
}

/** Checks `[transactions, ommers, withdrawals?]`. @throws {RlpError|EthError} */
function checkBody(it: RlpItem, what: string): void {
  const parts = takeItems(it, 4, what);
  if (parts.length < 2 || parts.length > 3)
    throw malformed(`${what}: expected [transactions, ommers, withdrawals?]`);
  checkBodyParts(parts, what);
}

/** BlockBodies of eth/66 and later. */
export const blockBodies: MessageCodec<'BlockBodies', BlockBodies> = rawListResponse(
  'BlockBodies',
  0x06,
  'bodies',
  MAX_BODIES_PER_MESSAGE,
  checkBody,
);

/** Checks `[header, transactions, ommers, withdrawals?]`. @throws {RlpError|EthError} */
function checkBlock(it: RlpItem | undefined, what: string): RlpItem {
  const parts = takeItems(it, 5, what);
  if (parts.length < 3 || parts.length > 4)
    throw malformed(`${what}: expected [header, transactions, ommers, withdrawals?]`);
  checkList(parts[0] as RlpItem, `${what} header`);
  checkBodyParts(parts.slice(1), what);
  return it as RlpItem;
}

/** NewBlock of eth/68 (block propagation ended with the merge). */
export const newBlock: MessageCodec<'NewBlock', NewBlock> = defineCodec(
  'NewBlock',
  0x07,
  (m: NewBlock) =>
    encodeList([
      checkRawItem(m.block, 'NewBlock.block', checkBlock),
      encodeUint(checkUint(m.td, MAX_TD, 'NewBlock.td')),
    ]),
  (root) => {
    const [block, td] = fields(root, 2, 'NewBlock');
    return {
      block: checkBlock(block, 'NewBlock block').raw.slice(),
      td: readBigUint(td, 32, 'NewBlock td'),
    };
  },
);

/** BlockRangeUpdate of eth/69 and later. */
export const blockRangeUpdate: MessageCodec<'BlockRangeUpdate', BlockRangeUpdate> = defineCodec(
  'BlockRangeUpdate',
  0x11,
  (u: BlockRangeUpdate) =>
    encodeList([
      encodeU64(u.earliest, 'BlockRangeUpdate.earliest'),
      encodeU64(u.latest, 'BlockRangeUpdate.latest'),
      encodeBytes(checkFixed(u.latestHash, 32, 'BlockRangeUpdate.latestHash')),
    ]),
  (root) => {
    const f = fields(root, 3, 'BlockRangeUpdate');
    return {
      earliest: readU64(f[0], 'BlockRangeUpdate earliest'),
      latest: readU64(f[1], 'BlockRangeUpdate latest'),
      latestHash: readFixed(f[2], 32, 'BlockRangeUpdate latestHash'),
    };
  },
);
