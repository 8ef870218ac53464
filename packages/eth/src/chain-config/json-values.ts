/**
 * Readers for the value forms of a geth-style genesis.json: integers as JSON numbers, decimal
 * strings or 0x-hex strings (geth `math.HexOrDecimal64`/`HexOrDecimal256`), hex byte strings
 * (`hexutil.Bytes`, `common.Hash`, `common.Address`) and object keys matched without regard to
 * case (Go `encoding/json`). Every failure is an {@link EthError} `INVALID_GENESIS` naming the
 * JSON path. Internal: not part of the package API.
 * @module
 */
import { EthError } from '../errors.ts';

/** A JSON object as `JSON.parse` returns it. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** An `INVALID_GENESIS` error about the value at `path`. */
export function invalid(path: string, message: string, cause?: unknown): EthError {
  const options = cause === undefined ? undefined : { cause };
  return new EthError('INVALID_GENESIS', `${path}: ${message}`, options);
}

/** `value` as a JSON object. @throws {EthError} INVALID_GENESIS */
export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, `expected an object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

/**
 * The member `name` of `obj`, matching the key exactly or else ignoring case, as Go's JSON
 * decoder does. `null` counts as absent (`undefined`).
 */
export function member(obj: JsonObject, name: string): unknown {
  let value = Object.hasOwn(obj, name) ? obj[name] : undefined;
  if (value === undefined) {
    const lower = name.toLowerCase();
    const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : obj[key];
  }
  return value === null ? undefined : value;
}

/**
 * An unsigned integer of at most `bits` bits: a JSON number that is a safe integer, a decimal
 * string or a 0x-prefixed hex string (leading zeros allowed; "" is 0, as geth's
 * `math.ParseUint64`). @throws {EthError} INVALID_GENESIS
 */
export function readUint(value: unknown, path: string, bits: 64 | 256): bigint {
  let n: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      const hint = Number.isInteger(value) ? ' (precision lost: use parseGenesisJson)' : '';
      throw invalid(path, `expected an integer, got ${value}${hint}`);
    }
    n = BigInt(value);
  } else if (typeof value === 'string') {
    n = parseUintText(value, path);
  } else {
    throw invalid(path, `expected an integer, got ${describe(value)}`);
  }
  if (n < 0n) throw invalid(path, `expected an unsigned integer, got ${n}`);
  if (n >= 1n << BigInt(bits)) throw invalid(path, `expected at most ${bits} bits, got ${n}`);
  return n;
}

function parseUintText(text: string, path: string): bigint {
  if (text === '') return 0n;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(`0x${text.slice(2)}`);
  if (/^[0-9]+$/.test(text)) return BigInt(text);
  throw invalid(path, `expected a decimal or 0x-hex integer, got ${JSON.stringify(text)}`);
}

/**
 * Bytes from a hex string: with `length`, exactly that many; `prefix` says whether the 0x is
 * required (`hexutil`, hashes, addresses) or optional (alloc keys). "" is empty bytes when no
 * length is required. @throws {EthError} INVALID_GENESIS
 */
export function readHex(
  value: unknown,
  path: string,
  options: { readonly length?: number; readonly prefix: 'required' | 'optional' },
): Uint8Array {
  if (typeof value !== 'string')
    throw invalid(path, `expected a hex string, got ${describe(value)}`);
  const hasPrefix = value.startsWith('0x') || value.startsWith('0X');
  if (value === '' && options.length === undefined) return new Uint8Array(0);
  if (!hasPrefix && options.prefix === 'required')
    throw invalid(path, 'hex string without 0x prefix');
  const digits = hasPrefix ? value.slice(2) : value;
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw invalid(path, 'expected an even number of hex digits');
  }
  const bytes = Uint8Array.from(Buffer.from(digits, 'hex'));
  if (options.length !== undefined && bytes.length !== options.length) {
    throw invalid(path, `expected ${options.length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * A storage slot key or value: up to 32 bytes of hex, 0x optional, padded on the left to 32
 * bytes (geth `types.storageJSON`). @throws {EthError} INVALID_GENESIS
 */
export function readWord(value: unknown, path: string): Uint8Array {
  const bytes = readHex(value, path, { prefix: 'optional' });
  if (bytes.length > 32) throw invalid(path, `expected at most 32 bytes, got ${bytes.length}`);
  const word = new Uint8Array(32);
  word.set(bytes, 32 - bytes.length);
  return word;
}

/** A JSON boolean. @throws {EthError} INVALID_GENESIS */
export function readBool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw invalid(path, `expected a boolean, got ${describe(value)}`);
  return value;
}

/**
 * Parses JSON text, keeping integers beyond 2^53 exact: such integer literals outside strings
 * are turned into decimal strings before `JSON.parse`, which the readers above accept.
 * @throws {EthError} INVALID_GENESIS if the text is not JSON
 */
export function parseJsonText(text: string): unknown {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      while (j < text.length && /[0-9eE.+-]/.test(text.charAt(j))) j++;
      const token = text.slice(i, j);
      if (/^-?[0-9]+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(copied, i)}"${token}"`;
        copied = j;
      }
      i = j;
    } else {
      i++;
    }
  }
  try {
    return JSON.parse(out + text.slice(copied));
  } catch (err) {
    throw invalid('genesis', 'not valid JSON', err);
  }
}

/** The index just past the string literal that starts at `start` (a double quote). */
function skipString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return text.length;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
