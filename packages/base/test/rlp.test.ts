// The strict RLP codec, checked against @ethereumjs/rlp (an independent implementation) and
// against go-ethereum's canonical-form rules (rlp/decode_test.go: "non-canonical size",
// "non-canonical integer (leading zero bytes)").
import { RLP } from '@ethereumjs/rlp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesSize,
  decodeRlp,
  encodeBool,
  encodeBytes,
  encodeList,
  encodeRlp,
  encodeUint,
  fields,
  itemValue,
  iterateItems,
  listHeaderSize,
  listItems,
  minFields,
  type RlpDecoded,
  RlpError,
  type RlpErrorCode,
  type RlpItem,
  readBigUint,
  readBool,
  readFixed,
  readItem,
  readRoot,
  readU64,
  readUint,
  stringPayload,
  takeItems,
  uintSize,
  writeBytes,
  writeListHeader,
  writeUint,
} from '../src/rlp/index.ts';
import { thrownError } from '../src/testing/index.ts';

type Nested = Uint8Array | Nested[];
const nested: fc.Arbitrary<Nested> = fc.letrec<{ item: Nested }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('item'), { maxLength: 5 }),
  ),
})).item;

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function expectRlpError(fn: () => unknown, code: RlpErrorCode): void {
  thrownError(fn, RlpError, code);
}

/** Re-encodes a tree of items read by our reader, with our writer. */
function reencode(it: RlpItem): Uint8Array {
  if (!it.list) return encodeBytes(it.payload);
  return encodeList(listItems(it, 'x').map(reencode));
}

describe('rlp reader', () => {
  it('reads what @ethereumjs/rlp writes, and writes the same bytes back', () => {
    fc.assert(
      fc.property(nested, (n) => {
        const enc = RLP.encode(n);
        const root = readRoot(enc, 'x');
        expect(root.raw.length).toBe(enc.length);
        expect(reencode(root)).toEqual(enc);
        expect(itemValue(root)).toEqual(RLP.decode(enc));
        expect(decodeRlp(enc)).toEqual(RLP.decode(enc));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['8100', 'NON_CANONICAL', 'a single byte below 0x80 wrapped in a string header'],
    ['817f', 'NON_CANONICAL', 'a single byte below 0x80 wrapped in a string header'],
    ['b800', 'NON_CANONICAL', 'long form for a short string'],
    [`b837${'00'.repeat(55)}`, 'NON_CANONICAL', 'long form for a 55-byte string'],
    [`b90038${'00'.repeat(56)}`, 'NON_CANONICAL', 'a length with a leading zero'],
    ['f800', 'NON_CANONICAL', 'long form for a short list'],
    ['83aabb', 'TRUNCATED', 'a string longer than the input'],
    ['81', 'TRUNCATED', 'a one-byte string with no byte'],
    ['c3aabb', 'TRUNCATED', 'a list longer than the input'],
    ['b9', 'TRUNCATED', 'a truncated length'],
    ['bbffffffff', 'TRUNCATED', 'a length far beyond the input'],
    ['', 'TRUNCATED', 'empty input'],
  ] as const)('rejects %s with %s (%s)', (input, code, _why) => {
    expectRlpError(() => readRoot(hex(input), 'x'), code);
    expectRlpError(() => decodeRlp(hex(input)), code);
  });

  it('rejects trailing bytes after the root item unless asked to keep them', () => {
    expectRlpError(() => readRoot(hex('8001'), 'x'), 'TRAILING_BYTES');
    expectRlpError(() => decodeRlp(hex('c0ff')), 'TRAILING_BYTES');
    expect(readRoot(hex('8001'), 'x', { trailing: true }).raw).toEqual(hex('80'));
    expect(decodeRlp(hex('c10102'), { trailing: true })).toEqual([hex('01')]);
  });

  it('rejects list elements that overrun the list', () => {
    // A list of 2 payload bytes whose element claims 3.
    const it = readItem(hex('c2830102'), 0);
    expectRlpError(() => listItems(it, 'x'), 'TRUNCATED');
  });

  it('returns views into the input, not copies, except readFixed', () => {
    const input = hex('c3820102ff').subarray(0, 4);
    const [el] = listItems(readRoot(input, 'x'), 'x');
    const view = stringPayload(el, 'x');
    expect(view.buffer).toBe(input.buffer);
    const copy = readFixed(el, 2, 'x');
    expect(copy).toEqual(hex('0102'));
    expect(copy.buffer).not.toBe(input.buffer);
  });

  it('checks shapes and names the field in the message', () => {
    const list = readRoot(hex('c3010203'), 'x');
    expect(fields(list, 3, 'x')).toHaveLength(3);
    expect(minFields(list, 2, 'x')).toHaveLength(3);
    expectRlpError(() => fields(list, 2, 'x'), 'UNEXPECTED');
    expect(() => fields(list, 2, 'status')).toThrow('status: expected 2 elements, got 3');
    expectRlpError(() => minFields(list, 4, 'x'), 'UNEXPECTED');
    expectRlpError(() => listItems(readRoot(hex('01'), 'x'), 'x'), 'UNEXPECTED');
    expectRlpError(() => listItems(undefined, 'x'), 'UNEXPECTED');
    expectRlpError(() => stringPayload(list, 'x'), 'UNEXPECTED');
    expectRlpError(() => stringPayload(undefined, 'x'), 'UNEXPECTED');
    expectRlpError(() => readFixed(readRoot(hex('820102'), 'x'), 3, 'hash'), 'UNEXPECTED');
  });

  it('never throws anything but RlpError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeRlp(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(RlpError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

/** The canonical header of a list whose payload is `size` bytes. */
function listHeader(size: number): Uint8Array {
  if (size < 56) return Uint8Array.of(0xc0 + size);
  const len: number[] = [];
  for (let s = size; s > 0; s = Math.floor(s / 256)) len.unshift(s % 256);
  return Uint8Array.of(0xf7 + len.length, ...len);
}

/** `depth` lists nested in one another around an empty list, in canonical RLP. */
function deeplyNested(depth: number): Uint8Array {
  const headers: Uint8Array[] = [];
  let size = 1; // the innermost c0
  for (let i = 0; i < depth; i++) {
    const header = listHeader(size);
    headers.push(header);
    size += header.length;
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    const h = headers[i] as Uint8Array;
    out.set(h, pos);
    pos += h.length;
  }
  out[pos] = 0xc0;
  return out;
}

describe('rlp nesting', () => {
  it('decodes nesting far deeper than the call stack allows, and refuses it truncated', () => {
    const depth = 50_000;
    const data = deeplyNested(depth);
    let level = decodeRlp(data);
    let seen = 0;
    while (Array.isArray(level) && level.length === 1) {
      level = level[0] as RlpDecoded;
      seen++;
    }
    expect(seen).toBe(depth);
    expect(level).toEqual([]);
    expectRlpError(() => decodeRlp(data.subarray(0, -1)), 'TRUNCATED');
  });
});

/** A list of `n` one-byte items, the shape of an RLP bomb; `tail` replaces the last byte. */
function bomb(n: number, tail?: number): Uint8Array {
  const body = new Uint8Array(n).fill(0x01);
  if (tail !== undefined) body[n - 1] = tail;
  return encodeList([body]);
}

/** An iterator over the list `it` that counts the elements it has read. */
function countingIterator(it: RlpItem): { items: IterableIterator<RlpItem>; read: () => number } {
  let read = 0;
  const inner = iterateItems(it, 'x');
  const items: IterableIterator<RlpItem> = {
    next: () => {
      const r = inner.next();
      if (r.done !== true) read++;
      return r;
    },
    [Symbol.iterator]: () => items,
  };
  return { items, read: () => read };
}

describe('rlp limits', () => {
  const million = bomb(1_000_000);
  const root = readRoot(million, 'x');

  it('refuses a list longer than its limit at the first element past it', () => {
    const err = thrownError(() => listItems(root, 'bomb', 1024), RlpError, 'TOO_LARGE');
    expect(err.message).toBe('bomb: more than 1024 elements');
    expect(listItems(readRoot(bomb(2000), 'x'), 'bomb', 2000)).toHaveLength(2000);
    // A bad element past the limit is never reached: the limit is what refuses.
    const badTail = readRoot(bomb(10_000, 0x81), 'x');
    expectRlpError(() => listItems(badTail, 'x'), 'TRUNCATED');
    expectRlpError(() => listItems(badTail, 'x', 100), 'TOO_LARGE');
  });

  it('iterates lazily: stopping after n elements reads n elements', () => {
    const counted = countingIterator(root);
    let seen = 0;
    for (const item of counted.items) {
      expect(item.payload).toEqual(Uint8Array.of(1));
      if (++seen === 3) break;
    }
    expect(counted.read()).toBe(3);
    expect(takeItems(root, 5, 'x').map((it) => it.raw[0])).toEqual([1, 1, 1, 1, 1]);
    expect(takeItems(readRoot(bomb(3), 'x'), 5, 'x')).toHaveLength(3);
    expect(takeItems(root, 0, 'x')).toEqual([]);
    // The bad last byte is past what is taken: never read.
    expect(takeItems(readRoot(bomb(10_000, 0x81), 'x'), 10, 'x')).toHaveLength(10);
    expectRlpError(() => takeItems(readRoot(hex('80'), 'x'), 0, 'x'), 'UNEXPECTED');
    expectRlpError(() => iterateItems(undefined, 'x'), 'UNEXPECTED');
  });

  it('reads only a few elements past what fields and minFields expect', () => {
    expect(() => fields(root, 7, 'status')).toThrow(
      'status: expected 7 elements, got more than 23',
    );
    // A bad element far into the list is not reached: the count is what refuses.
    expectRlpError(() => fields(readRoot(bomb(10_000, 0x81), 'x'), 7, 'x'), 'UNEXPECTED');
    expectRlpError(() => minFields(root, 5, 'hello', 64), 'TOO_LARGE');
    expect(minFields(readRoot(bomb(70), 'x'), 5, 'hello', 70)).toHaveLength(70);
  });

  it('bounds a decoded tree by list length, depth and total items', () => {
    expectRlpError(() => decodeRlp(million, { maxListItems: 1000 }), 'TOO_LARGE');
    expectRlpError(() => decodeRlp(million, { maxTotalItems: 999 }), 'TOO_LARGE');
    expect(decodeRlp(bomb(1000), { maxTotalItems: 1000 })).toHaveLength(1000);
    const deep = deeplyNested(50_000);
    const err = thrownError(() => decodeRlp(deep, { maxDepth: 16 }), RlpError, 'TOO_LARGE');
    expect(err.message).toBe('rlp: nesting deeper than 16');
    const three = encodeRlp([[['a']]]);
    expect(decodeRlp(three, { maxDepth: 3 })).toEqual([[[Uint8Array.of(0x61)]]]);
    expectRlpError(() => decodeRlp(three, { maxDepth: 2 }), 'TOO_LARGE');
    expectRlpError(() => decodeRlp(encodeRlp([]), { maxDepth: 0 }), 'TOO_LARGE');
    expect(decodeRlp(encodeRlp('a'), { maxDepth: 0 })).toEqual(Uint8Array.of(0x61));
    // Two lists of three under a per-list limit of three, but five items in total at most.
    const wide = encodeRlp([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(decodeRlp(wide, { maxListItems: 3 })).toHaveLength(2);
    expectRlpError(() => decodeRlp(wide, { maxListItems: 3, maxTotalItems: 5 }), 'TOO_LARGE');
    expect(itemValue(readRoot(wide, 'x'), { maxTotalItems: 8 })).toHaveLength(2);
  });
});

describe('rlp integers', () => {
  const u64 = (h: string): bigint => readU64(readRoot(hex(h), 'x'), 'x');

  it('reads canonical u64 values', () => {
    expect(u64('80')).toBe(0n);
    expect(u64('01')).toBe(1n);
    expect(u64('7f')).toBe(0x7fn);
    expect(u64('8180')).toBe(0x80n);
    expect(u64('88ffffffffffffffff')).toBe(2n ** 64n - 1n);
  });

  it.each([
    ['00', 'NON_CANONICAL', 'the byte 0x00 (zero is the empty string)'],
    ['820001', 'NON_CANONICAL', 'a leading zero'],
    ['89010000000000000000', 'UNEXPECTED', 'nine bytes'],
    ['c0', 'UNEXPECTED', 'a list'],
  ] as const)('rejects %s as a u64 with %s (%s)', (input, code, _why) => {
    expectRlpError(() => u64(input), code);
  });

  it('limits number and big integers to their byte width', () => {
    expect(readUint(readRoot(hex('84ffffffff'), 'x'), 4, 'x')).toBe(0xffffffff);
    expect(readUint(readRoot(hex('86ffffffffffff'), 'x'), 6, 'x')).toBe(2 ** 48 - 1);
    expectRlpError(() => readUint(readRoot(hex('850100000000'), 'x'), 4, 'x'), 'UNEXPECTED');
    expect(() => readUint(readRoot(hex('01'), 'x'), 7, 'x')).toThrow(RangeError);
    const big = readRoot(encodeUint(2n ** 256n - 1n), 'x');
    expect(readBigUint(big, 32, 'x')).toBe(2n ** 256n - 1n);
    expectRlpError(() => readBigUint(readRoot(encodeUint(2n ** 256n), 'x'), 32, 'x'), 'UNEXPECTED');
  });

  it('writes a sized list of byte strings and integers into one array as @ethereumjs/rlp encodes it', () => {
    const field: fc.Arbitrary<Uint8Array | number> = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 8 }), (values) => {
        const size = (v: Uint8Array | number) =>
          typeof v === 'number' ? uintSize(v) : bytesSize(v);
        const payload = values.reduce<number>((n, v) => n + size(v), 0);
        const out = new Uint8Array(listHeaderSize(payload) + payload);
        let pos = writeListHeader(out, 0, payload);
        for (const v of values)
          pos = typeof v === 'number' ? writeUint(out, pos, v) : writeBytes(out, pos, v);
        expect(pos).toBe(out.length);
        expect(out).toEqual(RLP.encode(values));
      }),
    );
    expect(() => uintSize(-1)).toThrow(RangeError);
    expect(() => writeUint(new Uint8Array(8), 0, 1.5)).toThrow(RangeError);
  });

  it('round-trips unsigned integers like @ethereumjs/rlp', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (v) => {
        const enc = encodeUint(v);
        expect(enc).toEqual(RLP.encode(v));
        expect(readBigUint(readRoot(enc, 'x'), 32, 'x')).toBe(v);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (v) => {
        expect(encodeUint(v)).toEqual(RLP.encode(v));
      }),
    );
  });

  it('refuses to encode negative or fractional numbers', () => {
    expect(() => encodeUint(-1)).toThrow(RangeError);
    expect(() => encodeUint(1.5)).toThrow(RangeError);
    expect(() => encodeUint(-1n)).toThrow(RangeError);
  });

  it('reads booleans as geth writes them', () => {
    expect(toHex(encodeBool(true))).toBe('01');
    expect(toHex(encodeBool(false))).toBe('80');
    expect(readBool(readRoot(encodeBool(true), 'x'), 'x')).toBe(true);
    expect(readBool(readRoot(encodeBool(false), 'x'), 'x')).toBe(false);
    expectRlpError(() => readBool(readRoot(hex('02'), 'x'), 'x'), 'UNEXPECTED');
    expectRlpError(() => readBool(readRoot(hex('820001'), 'x'), 'x'), 'UNEXPECTED');
  });
});

describe('rlp writer', () => {
  it('writes what @ethereumjs/rlp writes', () => {
    const encodeNested = (n: Nested): Uint8Array =>
      Array.isArray(n) ? encodeList(n.map(encodeNested)) : encodeBytes(n);
    fc.assert(
      fc.property(nested, (n) => {
        expect(encodeNested(n)).toEqual(RLP.encode(n));
        expect(encodeRlp(n)).toEqual(RLP.encode(n));
      }),
    );
  });

  it('encodes strings as UTF-8 (never as hex) and numbers as integers', () => {
    expect(encodeRlp('dog')).toEqual(hex('83646f67'));
    expect(encodeRlp('0x01')).toEqual(hex('8430783031'));
    expect(encodeRlp(['cat', 1024, 0n, []])).toEqual(RLP.encode(['cat', 1024, 0n, []]));
  });

  it('never aliases its input', () => {
    const one = hex('01');
    const enc = encodeBytes(one);
    enc[0] = 2;
    expect(one).toEqual(hex('01'));
  });

  it('writes list headers around the reserved prefix', () => {
    const big = new Uint8Array(300);
    const out = encodeList([encodeBytes(big)], 5);
    expect(out.subarray(5)).toEqual(RLP.encode([big]));
    expect(out.subarray(0, 5)).toEqual(new Uint8Array(5));
  });
});
