/**
 * @ethp2p/base/rlp: the one strict RLP codec of ethp2p. Every package decodes through it, so
 * canonical-form checks, size limits and errors are the same everywhere.
 * @see https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/
 * @module
 */

export type { RlpErrorCode } from './errors.ts';
export { RlpError } from './errors.ts';
export type { DecodeOptions, RlpDecoded, RlpItem, RlpLimits, RootOptions } from './reader.ts';
export {
  decodeRlp,
  fields,
  itemValue,
  iterateItems,
  listItems,
  minFields,
  readBigUint,
  readBool,
  readFixed,
  readItem,
  readRoot,
  readU64,
  readUint,
  stringPayload,
  takeItems,
} from './reader.ts';
export type { RlpInput } from './writer.ts';
export {
  bytesSize,
  encodeBool,
  encodeBytes,
  encodeList,
  encodeRlp,
  encodeUint,
  listHeaderSize,
  uintSize,
  writeBytes,
  writeListHeader,
  writeUint,
} from './writer.ts';
