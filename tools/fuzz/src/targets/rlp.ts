/**
 * The strict RLP reader of `@ethp2p/base/rlp`: whole-tree decoding with and without limits
 * (which must re-encode to the input), and the field readers every codec is built from.
 * @module
 */
import {
  decodeRlp,
  encodeRlp,
  fields,
  iterateItems,
  listItems,
  minFields,
  RlpError,
  readBigUint,
  readBool,
  readFixed,
  readRoot,
  readU64,
  readUint,
  takeItems,
} from '@ethp2p/base/rlp';
import { typedErrors } from '../errors.ts';
import type { TargetSpec } from '../target.ts';
import { attempt, expectSameBytes } from './fixtures.ts';

/** Inputs up to this size are also decoded without limits and re-encoded. */
const UNLIMITED_MAX_BYTES = 64 * 1024;
/** Elements of the root list handed to the field readers. */
const READ_ELEMENTS = 64;

const expected = typedErrors(RlpError);

/** The `rlp` target. */
export const rlpTarget: TargetSpec = {
  name: 'rlp',
  decoders:
    '@ethp2p/base/rlp: decodeRlp (limited, and unlimited with re-encoding), readRoot, ' +
    'iterateItems, listItems, takeItems, fields, minFields, readU64, readUint, readBigUint, ' +
    'readBool, readFixed',
  create() {
    const seeds = [
      [],
      [[]],
      [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0x7f), Uint8Array.of(0x80)],
      [1, 127, 128, 255, 256, 2n ** 64n - 1n, 2n ** 256n - 1n],
      ['a', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(300)],
      [
        [1, [2, [3, [4, [5]]]]],
        [new Uint8Array(32), new Uint8Array(20)],
      ],
      Array.from({ length: 100 }, (_, i) => i),
      new Uint8Array(1024).fill(7),
    ].map((v) => encodeRlp(v));
    return {
      modes: [{ name: 'rlp', seeds }],
      maxInputBytes: 8 * 1024 * 1024,
      expected,
      run(input) {
        attempt(() => {
          decodeRlp(input, { maxListItems: 1024, maxDepth: 16, maxTotalItems: 8192 });
        }, expected);
        if (input.length <= UNLIMITED_MAX_BYTES) {
          attempt(() => expectSameBytes('decodeRlp', input, encodeRlp(decodeRlp(input))), expected);
        }
        attempt(() => {
          const root = readRoot(input, 'root', { trailing: true });
          attempt(() => fields(root, 3, 'fields'), expected);
          attempt(() => minFields(root, 2, 'minFields', 16), expected);
          attempt(() => listItems(root, 'listItems', 1024), expected);
          const elements = takeItems(root, READ_ELEMENTS, 'takeItems');
          for (const it of elements) {
            attempt(() => readU64(it, 'u64'), expected);
            attempt(() => readUint(it, 6, 'uint'), expected);
            attempt(() => readBigUint(it, 32, 'bigUint'), expected);
            attempt(() => readBool(it, 'bool'), expected);
            attempt(() => readFixed(it, 32, 'fixed'), expected);
          }
          let n = 0;
          for (const _ of iterateItems(root, 'iterate')) if (++n > 1024) break;
        }, expected);
      },
    };
  },
};
