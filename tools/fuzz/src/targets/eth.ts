/**
 * The eth wire protocol of `@ethp2p/eth`: every message of every version in `ETH_VERSIONS`
 * (one target per version, so a new version is fuzzed as soon as it is registered) through
 * `decodeMessage`, an input being the message code byte followed by the payload; the fork ID
 * codecs; and the block header and transaction decoders of `@ethp2p/chain`.
 * @module
 */
import { encodeBytes, encodeList, encodeRlp, type RlpInput } from '@ethp2p/base/rlp';
import { decodeHeader, transactionInfo } from '@ethp2p/chain';
import { concatBytes } from '@ethp2p/crypto';
import { EthError } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';
import {
  decodeEthEnrEntry,
  decodeForkId,
  decodeMessage,
  ETH_VERSIONS,
  type EthVersion,
  encodeForkId,
  type MessageCodec,
} from '@ethp2p/eth/messages';
import { typedErrors } from '../errors.ts';
import type { FuzzTarget, TargetSpec } from '../target.ts';
import { attempt, expectSameBytes } from './fixtures.ts';

const expected = typedErrors(EthError);
/** The chain decoders wrap their RLP errors in `ChainError` (`MALFORMED_BLOCK`). */
const expectedChain = typedErrors(ChainError);
/** Messages up to this size hold fewer items than any limit cuts a request to (124 hashes). */
const ROUNDTRIP_MAX_BYTES = 4096;
const hash = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const forkId = { hash: Uint8Array.of(0xfc, 0x64, 0xec, 0x04), next: 1_150_000n };

/** A legacy transaction `[nonce, gas-price, gas, to, value, data, v, r, s]`. */
const legacyTx = encodeRlp([
  1,
  20_000_000_000n,
  21_000,
  new Uint8Array(20).fill(7),
  10n ** 18n,
  new Uint8Array(0),
  37,
  hash(1),
  hash(2),
]);
/** A dynamic-fee transaction: the byte string `0x02 ‖ rlp(fields)`. */
const typedTx = concatBytes(
  Uint8Array.of(2),
  encodeRlp([
    1,
    0,
    2n,
    3n,
    21_000,
    new Uint8Array(20),
    0,
    new Uint8Array(4),
    [[new Uint8Array(20), [hash(3)]]],
    1,
    hash(4),
    hash(5),
  ]),
);
/** A header with the 17 fields of a Shanghai block (as a list of RLP inputs). */
const headerFields: RlpInput[] = [
  hash(1),
  hash(2),
  new Uint8Array(20),
  hash(3),
  hash(4),
  hash(5),
  new Uint8Array(256),
  0,
  1_000_000,
  30_000_000,
  21_000,
  1_700_000_000,
  new Uint8Array(0),
  hash(6),
  new Uint8Array(8),
  7,
  hash(7),
];
const header = encodeRlp(headerFields);
/** The typed transaction as an item of a list: a byte string. */
const typedTxItem = encodeBytes(typedTx);
const body = encodeList([encodeList([legacyTx, typedTxItem]), encodeList([]), encodeList([])]);
const log = [new Uint8Array(20), [hash(8)], new Uint8Array(3)];
const receipt68 = encodeRlp([Uint8Array.of(1), 21_000, new Uint8Array(256), [log]]);
const receipt69 = encodeRlp([2, Uint8Array.of(1), 21_000, [log]]);

/** Values of every message by name; a value of another version's shape fails to encode and is skipped. */
const SAMPLES: Readonly<Record<string, readonly unknown[]>> = {
  Status: [
    { version: 68, networkId: 1n, td: 2n ** 70n, head: hash(1), genesis: hash(2), forkId },
    {
      version: 69,
      networkId: 1n,
      genesis: hash(2),
      forkId,
      earliest: 0n,
      latest: 22_000_000n,
      latestHash: hash(3),
    },
  ],
  NewBlockHashes: [
    [
      { hash: hash(1), number: 5n },
      { hash: hash(2), number: 6n },
    ],
  ],
  Transactions: [[legacyTx, typedTxItem], []],
  GetBlockHeaders: [
    { requestId: 1n, origin: { hash: hash(1) }, amount: 192n, skip: 0n, reverse: false },
    { requestId: 2n ** 64n - 1n, origin: { number: 100n }, amount: 1n, skip: 5n, reverse: true },
  ],
  BlockHeaders: [{ requestId: 3n, headers: [header, header] }],
  GetBlockBodies: [{ requestId: 4n, hashes: [hash(1), hash(2), hash(3)] }],
  BlockBodies: [{ requestId: 5n, bodies: [body] }],
  NewBlock: [{ block: encodeList([header, encodeList([legacyTx]), encodeList([])]), td: 17n }],
  NewPooledTransactionHashes: [
    { types: Uint8Array.of(0, 2), sizes: [120, 300], hashes: [hash(1), hash(2)] },
  ],
  GetPooledTransactions: [{ requestId: 6n, hashes: [hash(4)] }],
  PooledTransactions: [{ requestId: 7n, transactions: [legacyTx, typedTxItem] }],
  GetReceipts: [{ requestId: 8n, hashes: [hash(5), hash(6)] }],
  Receipts: [
    { requestId: 9n, receipts: [[receipt68, receipt68], []] },
    { requestId: 9n, receipts: [[receipt69], [receipt69, receipt69]] },
  ],
  BlockRangeUpdate: [{ earliest: 0n, latest: 22_000_000n, latestHash: hash(9) }],
};

/** Generic shapes for a message without samples (a version added later). */
const GENERIC: readonly Uint8Array[] = [
  encodeRlp([1, [hash(1), hash(2)]]),
  encodeRlp([1, 0, [[legacyTx]]]),
  encodeRlp([]),
];

/** The seeds of one codec: its samples that encode, else generic shapes. */
function seedsOf(codec: MessageCodec): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const value of SAMPLES[codec.name] ?? []) {
    try {
      out.push(codec.encode(value));
    } catch {
      // a value of another version's shape
    }
  }
  return (out.length > 0 ? out : GENERIC).map((p) => concatBytes(Uint8Array.of(codec.code), p));
}

/** One target per eth version, named `eth<version>`. */
export const ethTargets: readonly TargetSpec[] = (
  ETH_VERSIONS as readonly EthVersion<unknown>[]
).map((version) => ({
  name: `eth${version.version}`,
  decoders: `@ethp2p/eth/messages decodeMessage(ETH${version.version}, ...): ${Object.keys(version.codecs).join(', ')}`,
  create(): FuzzTarget {
    const codecs = Object.values(version.codecs as Record<string, MessageCodec>);
    return {
      modes: codecs.map((codec) => ({ name: codec.name, seeds: seedsOf(codec) })),
      maxInputBytes: 11 * 1024 * 1024,
      expected,
      run(input) {
        const code = input[0] ?? 0;
        const data = input.subarray(1);
        const { value } = decodeMessage(version, { code, data, size: data.length }) as {
          value: unknown;
        };
        // below every list limit, what decodes is canonical: it re-encodes to the same bytes
        if (data.length <= ROUNDTRIP_MAX_BYTES) {
          const codec = (version.messages as Record<number, MessageCodec>)[code] as MessageCodec;
          expectSameBytes(codec.name, data, codec.encode(value));
        }
      },
    };
  },
}));

/** The `eth-forkid` target. */
export const forkIdTarget: TargetSpec = {
  name: 'eth-forkid',
  decoders: '@ethp2p/eth/messages decodeForkId and decodeEthEnrEntry (the `eth` ENR entry)',
  create(): FuzzTarget {
    const id = encodeForkId(forkId);
    return {
      modes: [
        {
          name: 'forkid',
          seeds: [id, encodeList([id]), encodeRlp([[hash(1).subarray(0, 4), 0], 'extra'])],
        },
      ],
      maxInputBytes: 1024,
      expected,
      run(input) {
        attempt(() => decodeForkId(input), expected);
        attempt(() => decodeEthEnrEntry(input), expected);
      },
    };
  },
};

/** The `eth-chain` target. */
export const chainTarget: TargetSpec = {
  name: 'eth-chain',
  decoders: '@ethp2p/chain decodeHeader (15 to 23 fields) and transactionInfo',
  create(): FuzzTarget {
    const headers = [
      header,
      encodeRlp(headerFields.slice(0, 15)),
      encodeRlp([...headerFields, 1, 2, hash(8), hash(9)]),
    ];
    return {
      modes: [
        { name: 'header', seeds: headers },
        { name: 'transaction', seeds: [legacyTx, typedTxItem] },
      ],
      maxInputBytes: 64 * 1024,
      expected: expectedChain,
      run(input) {
        attempt(() => decodeHeader(input), expectedChain);
        attempt(() => transactionInfo(input), expectedChain);
      },
    };
  },
};
