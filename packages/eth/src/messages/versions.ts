/**
 * The eth version tables: for each version, its code space and the codec of every message it
 * defines. A peer negotiates one version (the highest both sides register as a `Protocol`), and
 * every message it sends is decoded with that version's table by `decodeMessage`.
 *
 * What ends the peer, and with which disconnect reason (geth `p2p/peer_error.go`: a message that
 * fails to decode or has a code the version does not handle is an invalid message):
 * | EthError code  | when                                           | reason              |
 * |----------------|------------------------------------------------|---------------------|
 * | `TOO_LARGE`    | `msg.size` > MAX_MESSAGE_SIZE (10 MiB)          | ProtocolError 0x02  |
 * | `UNKNOWN_CODE` | the code is not in the negotiated version       | ProtocolError 0x02  |
 * | `MALFORMED`    | the payload is not the message's RLP shape      | ProtocolError 0x02  |
 * | `TOO_MANY_ITEMS` | a list past its limit (`messages/limits.ts`)  | SubprotocolError 0x10 |
 *
 * Lists are read within per-message limits (geth's): at most 5000 transactions, 4096 announced
 * hashes, 1024 headers, bodies or receipt lists, 4096 pooled transactions; a request by hashes
 * keeps only the hashes that will be served and never reads the rest.
 *
 * ## Versions
 *
 * A version is one table: the previous version's codecs with the messages that changed replaced,
 * added or dropped. eth/70 (EIP-7975) replaced GetReceipts and Receipts (paged receipt lists),
 * eth/71 (EIP-8159) added GetBlockAccessLists and BlockAccessLists (0x12, 0x13), eth/72
 * (EIP-8070) replaced NewPooledTransactionHashes (cell mask) and added GetCells and Cells (0x14,
 * 0x15). Code spaces as geth's `protocolLengths`: 17, 18, 18, 20, 22.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
import { EthError } from '../errors.ts';
import {
  type BlockAccessLists,
  blockAccessLists,
  type GetBlockAccessLists,
  getBlockAccessLists,
} from './access-lists.ts';
import {
  type BlockBodies,
  type BlockHeaders,
  type BlockRangeUpdate,
  blockBodies,
  blockHeaders,
  blockRangeUpdate,
  type GetBlockBodies,
  type GetBlockHeaders,
  getBlockBodies,
  getBlockHeaders,
  type NewBlock,
  type NewBlockHashes,
  newBlock,
  newBlockHashes,
} from './blocks.ts';
import {
  type Cells,
  cells,
  type GetCells,
  getCells,
  type NewPooledTransactionHashes72,
  newPooledTransactionHashes72,
} from './cells.ts';
import type { MessageCodec } from './codec.ts';
import {
  type GetReceipts,
  type GetReceipts70,
  getReceipts,
  getReceipts70,
  type Receipts,
  type Receipts70,
  receipts68,
  receipts69,
  receipts70,
} from './receipts.ts';
import { type Status68, type Status69, status68, status69 } from './status.ts';
import {
  type GetPooledTransactions,
  getPooledTransactions,
  type NewPooledTransactionHashes,
  newPooledTransactionHashes,
  type PooledTransactions,
  pooledTransactions,
  type Transactions,
  transactions,
} from './transactions.ts';

/** The largest eth message geth accepts (`maxMessageSize`); a larger one ends the peer. */
export const MAX_MESSAGE_SIZE: number = 10 * 1024 * 1024;

/** The messages of eth/68, by name, with their decoded value types. */
export interface Eth68Types {
  Status: Status68;
  NewBlockHashes: NewBlockHashes;
  Transactions: Transactions;
  GetBlockHeaders: GetBlockHeaders;
  BlockHeaders: BlockHeaders;
  GetBlockBodies: GetBlockBodies;
  BlockBodies: BlockBodies;
  NewBlock: NewBlock;
  NewPooledTransactionHashes: NewPooledTransactionHashes;
  GetPooledTransactions: GetPooledTransactions;
  PooledTransactions: PooledTransactions;
  GetReceipts: GetReceipts;
  Receipts: Receipts;
}

/**
 * The messages of eth/69: eth/68 without NewBlockHashes and NewBlock, with the new Status and
 * receipt encoding, and with BlockRangeUpdate.
 */
export interface Eth69Types extends Omit<Eth68Types, 'Status' | 'NewBlockHashes' | 'NewBlock'> {
  Status: Status69;
  BlockRangeUpdate: BlockRangeUpdate;
}

/** The messages of eth/70: eth/69 with paged GetReceipts and Receipts (EIP-7975). */
export interface Eth70Types extends Omit<Eth69Types, 'GetReceipts' | 'Receipts'> {
  GetReceipts: GetReceipts70;
  Receipts: Receipts70;
}

/** The messages of eth/71: eth/70 with GetBlockAccessLists and BlockAccessLists (EIP-8159). */
export interface Eth71Types extends Eth70Types {
  GetBlockAccessLists: GetBlockAccessLists;
  BlockAccessLists: BlockAccessLists;
}

/**
 * The messages of eth/72: eth/71 with the cell mask in NewPooledTransactionHashes, and GetCells
 * and Cells (EIP-8070).
 */
export interface Eth72Types extends Omit<Eth71Types, 'NewPooledTransactionHashes'> {
  NewPooledTransactionHashes: NewPooledTransactionHashes72;
  GetCells: GetCells;
  Cells: Cells;
}

/** The codec of each message of a version, keyed by message name. */
export type Codecs<Types> = { readonly [N in keyof Types & string]: MessageCodec<N, Types[N]> };

/** One decoded message of a version: its code, its name and its value (narrowed by name). */
export type EthMessage<Types> = {
  [N in keyof Types & string]: {
    readonly code: number;
    readonly name: N;
    readonly value: Types[N];
  };
}[keyof Types & string];

/** One eth protocol version: its number, its code space and its message codecs. */
export interface EthVersion<Types> {
  readonly version: number;
  /** The number of message codes the version reserves (the `Protocol.length`). */
  readonly length: number;
  /** The codecs by message name. */
  readonly codecs: Codecs<Types>;
  /** The codecs by code; a code missing here is not part of the version. */
  readonly messages: Readonly<Record<number, MessageCodec<keyof Types & string> | undefined>>;
}

/**
 * Builds a version table from its codecs. @throws {RangeError} if a code is outside the code
 * space, two codecs share a code, or a codec is filed under another name
 */
export function defineVersion<Types>(
  version: number,
  length: number,
  codecs: Codecs<Types>,
): EthVersion<Types> {
  const messages: Record<number, MessageCodec<keyof Types & string>> = {};
  for (const [name, codec] of Object.entries(codecs) as [string, MessageCodec][]) {
    if (codec.name !== name) throw new RangeError(`${name}: codec is named ${codec.name}`);
    if (!Number.isInteger(codec.code) || codec.code < 0 || codec.code >= length)
      throw new RangeError(`${name}: code ${codec.code} outside 0..${length - 1}`);
    if (messages[codec.code] !== undefined)
      throw new RangeError(`${name}: code ${codec.code} already used`);
    messages[codec.code] = codec as MessageCodec<keyof Types & string>;
  }
  return Object.freeze({
    version,
    length,
    codecs: Object.freeze({ ...codecs }),
    messages: Object.freeze(messages),
  });
}

/** eth/68 (EIP-5793): 17 codes, as spoken by @ethereumjs/devp2p and geth before v1.17. */
export const ETH68: EthVersion<Eth68Types> = defineVersion<Eth68Types>(68, 17, {
  Status: status68,
  NewBlockHashes: newBlockHashes,
  Transactions: transactions,
  GetBlockHeaders: getBlockHeaders,
  BlockHeaders: blockHeaders,
  GetBlockBodies: getBlockBodies,
  BlockBodies: blockBodies,
  NewBlock: newBlock,
  NewPooledTransactionHashes: newPooledTransactionHashes,
  GetPooledTransactions: getPooledTransactions,
  PooledTransactions: pooledTransactions,
  GetReceipts: getReceipts,
  Receipts: receipts68,
});

/** eth/69 (EIP-7642): 18 codes, the lowest version geth speaks since v1.16. */
export const ETH69: EthVersion<Eth69Types> = defineVersion<Eth69Types>(69, 18, {
  Status: status69,
  Transactions: transactions,
  GetBlockHeaders: getBlockHeaders,
  BlockHeaders: blockHeaders,
  GetBlockBodies: getBlockBodies,
  BlockBodies: blockBodies,
  NewPooledTransactionHashes: newPooledTransactionHashes,
  GetPooledTransactions: getPooledTransactions,
  PooledTransactions: pooledTransactions,
  GetReceipts: getReceipts,
  Receipts: receipts69,
  BlockRangeUpdate: blockRangeUpdate,
});

/** eth/70 (EIP-7975): 18 codes; GetReceipts and Receipts page long receipt lists. */
export const ETH70: EthVersion<Eth70Types> = defineVersion<Eth70Types>(70, 18, {
  ...ETH69.codecs,
  GetReceipts: getReceipts70,
  Receipts: receipts70,
});

/** eth/71 (EIP-8159): 20 codes; block access lists. */
export const ETH71: EthVersion<Eth71Types> = defineVersion<Eth71Types>(71, 20, {
  ...ETH70.codecs,
  GetBlockAccessLists: getBlockAccessLists,
  BlockAccessLists: blockAccessLists,
});

/** eth/72 (EIP-8070): 22 codes; cell masks and cell exchange for blob transactions. */
export const ETH72: EthVersion<Eth72Types> = defineVersion<Eth72Types>(72, 22, {
  ...ETH71.codecs,
  NewPooledTransactionHashes: newPooledTransactionHashes72,
  GetCells: getCells,
  Cells: cells,
});

/** Every version this package speaks, highest first. */
export const ETH_VERSIONS: readonly [
  EthVersion<Eth72Types>,
  EthVersion<Eth71Types>,
  EthVersion<Eth70Types>,
  EthVersion<Eth69Types>,
  EthVersion<Eth68Types>,
] = [ETH72, ETH71, ETH70, ETH69, ETH68];

/** What `decodeMessage` needs of a received message (a `Msg` from @ethp2p/server fits). */
export interface RawMessage {
  readonly code: number;
  readonly data: Uint8Array;
  /** The uncompressed payload size, checked before anything is decoded. */
  readonly size: number;
}

/**
 * Decodes a message received on a peer that negotiated `version`.
 * @throws {EthError} `TOO_LARGE` if `msg.size` exceeds MAX_MESSAGE_SIZE, `UNKNOWN_CODE` if the
 *   version has no message with `msg.code`, `MALFORMED` if the payload does not decode. All three
 *   end the peer with ProtocolError (0x02).
 * @example
 * const m = decodeMessage(ETH69, await rw.readMsg());
 * if (m.name === 'GetBlockHeaders') serveHeaders(m.value.origin, m.value.amount);
 */
export function decodeMessage<Types>(
  version: EthVersion<Types>,
  msg: RawMessage,
): EthMessage<Types> {
  if (msg.size > MAX_MESSAGE_SIZE || msg.data.length > MAX_MESSAGE_SIZE)
    throw new EthError('TOO_LARGE', `eth/${version.version}: message of ${msg.size} bytes`);
  const codec = version.messages[msg.code];
  if (codec === undefined)
    throw new EthError('UNKNOWN_CODE', `eth/${version.version}: unknown message code ${msg.code}`);
  const value = codec.decode(msg.data);
  return { code: msg.code, name: codec.name, value } as EthMessage<Types>;
}

/**
 * Encodes the message `name` of `version`: the code to write and its payload.
 * @throws {RangeError} if the version has no such message; TypeError/RangeError on a bad value
 */
export function encodeMessage<Types, N extends keyof Types & string>(
  version: EthVersion<Types>,
  name: N,
  value: Types[N],
): { code: number; data: Uint8Array } {
  const codec = version.codecs[name] as MessageCodec<N, Types[N]> | undefined;
  if (codec === undefined) throw new RangeError(`eth/${version.version} has no message ${name}`);
  return { code: codec.code, data: codec.encode(value) };
}
