/**
 * The rlp suite: the one strict codec of @ethp2p/base/rlp against @ethereumjs/rlp (what
 * @ethereumjs/devp2p decodes with) on payload shapes the stack meets on the wire, in one run, with
 * the ratio. Ours also checks canonical form as it reads; @ethereumjs/rlp checks less.
 * @module
 */
import { RLP } from '@ethereumjs/rlp';
import { decodeRlp, encodeRlp, type RlpInput } from '@ethp2p/base/rlp';
import { formatMicros, formatTable, microsPerOp, type TimingOptions } from './timing.ts';

const DEFAULT_TIMING: TimingOptions = { warmupMs: 40, durationMs: 300 };

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

/** Payload shapes, built once: a value to encode and its encoding to decode. */
function shapes(): { label: string; value: RlpInput }[] {
  const header = [
    bytes(32, 1),
    bytes(32, 2),
    bytes(20, 3),
    bytes(32, 4),
    bytes(32, 5),
    bytes(32, 6),
    bytes(256, 7),
    0,
    21_000_000,
    30_000_000,
    12_345_678,
    1_733_300_000,
    bytes(32, 8),
    bytes(32, 9),
    bytes(8, 10),
    7n,
    bytes(32, 11),
    0,
    0,
    bytes(32, 12),
    bytes(32, 13),
  ];
  const hello = [
    5,
    'ethp2p/v0.1.0/linux-x64/node20',
    [
      ['eth', 68],
      ['eth', 69],
      ['snap', 1],
    ],
    0,
    bytes(64, 14),
  ];
  const neighbors = [
    Array.from({ length: 12 }, (_, i) => [bytes(4, i), 30303, 30303, bytes(64, i)]),
    1_733_300_020,
  ];
  const hashes = [123456789n, Array.from({ length: 1024 }, (_, i) => bytes(32, i))];
  return [
    { label: 'Hello', value: hello },
    { label: 'discv4 Neighbors (12)', value: neighbors },
    { label: 'block header', value: header },
    { label: '1024 hashes', value: hashes },
  ];
}

/** Runs the suite and prints one table. */
export async function runRlpBench(timing: TimingOptions = DEFAULT_TIMING): Promise<void> {
  const rows: string[][] = [];
  for (const { label, value } of shapes()) {
    const encoded = encodeRlp(value);
    const same = Buffer.from(RLP.encode(value as never)).equals(encoded);
    if (!same) throw new Error(`${label}: the two encoders disagree`);
    const oursDecode = microsPerOp(() => decodeRlp(encoded), timing);
    const ejsDecode = microsPerOp(() => RLP.decode(encoded), timing);
    const oursEncode = microsPerOp(() => encodeRlp(value), timing);
    const ejsEncode = microsPerOp(() => RLP.encode(value as never), timing);
    rows.push([
      `${label} (${encoded.length} B)`,
      formatMicros(oursDecode),
      formatMicros(ejsDecode),
      `${(ejsDecode / oursDecode).toFixed(1)}x`,
      formatMicros(oursEncode),
      formatMicros(ejsEncode),
      `${(ejsEncode / oursEncode).toFixed(1)}x`,
    ]);
  }
  console.log('\nrlp: µs per operation, @ethp2p/base/rlp against @ethereumjs/rlp (same bytes)\n');
  console.log(
    formatTable(
      ['payload', 'decode ours', 'decode ejs', 'ratio', 'encode ours', 'encode ejs', 'ratio'],
      rows,
    ),
  );
}
