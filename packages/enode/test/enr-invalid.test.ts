import { RLP } from '@ethereumjs/rlp';
import { RlpError } from '@ethp2p/base/rlp';
import { hexToBytes, keccak256, verify } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { Enr } from '../src/enr/record.ts';
import { expectEnrError, IDENTITY_B, pair, rawList, signedRecord } from './helpers/enr.ts';
import { EIP778_EXAMPLE } from './vectors/enr-vectors.ts';

const [ID, SECP] = IDENTITY_B;
const example = hexToBytes(EIP778_EXAMPLE.rlp);

/** A valid record padded with a `z` entry to exactly `size` bytes. */
function recordOfSize(size: number): Uint8Array {
  for (let pad = 0; pad < size; pad++) {
    const bytes = signedRecord([ID, SECP, pair('z', new Uint8Array(pad))]);
    if (bytes.length === size) return bytes;
  }
  throw new Error(`no padding gives ${size} bytes`);
}

describe('Enr.decode rejects hand-built bad records', () => {
  it('accepts the hand-built baseline', () => {
    const enr = Enr.decode(signedRecord([ID, pair('ip', hexToBytes('7f000001')), SECP]));
    expect(enr.ip).toBe('127.0.0.1');
  });

  it('rejects the high-s twin of a valid signature (geth VerifySignature)', () => {
    // The EIP-778 example is f884 b840 <64-byte r‖s> ...: s sits at bytes 36..68.
    const bytes = Uint8Array.from(example);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${Buffer.from(bytes.subarray(36, 68)).toString('hex')}`);
    bytes.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 36);
    // Still a valid ECDSA signature by the same key, so only the low-s rule can reject it.
    const content = RLP.encode(RLP.decode(bytes).slice(1) as Uint8Array[]);
    const pub = Enr.decode(example).publicKey;
    expect(verify(keccak256(content), bytes.subarray(4, 68), pub)).toBe(true);
    expectEnrError(() => Enr.decode(bytes), 'INVALID_SIGNATURE');
  });

  it('rejects a bad signature', () => {
    const bytes = signedRecord([ID, SECP]);
    bytes[5] = (bytes[5] as number) ^ 1; // inside the 64-byte signature
    expectEnrError(() => Enr.decode(bytes), 'INVALID_SIGNATURE');
  });

  it('rejects a signature of the wrong length', () => {
    const good = RLP.decode(signedRecord([ID, SECP])) as Uint8Array[];
    const items = [
      RLP.encode(good[0]?.subarray(0, 63)),
      ...good.slice(1).map((x) => RLP.encode(x)),
    ];
    expectEnrError(() => Enr.decode(rawList(items)), 'INVALID_SIGNATURE');
  });

  it('rejects unsorted keys', () => {
    expectEnrError(() => Enr.decode(signedRecord([SECP, ID])), 'UNSORTED_KEYS');
  });

  it('rejects a duplicate key', () => {
    expectEnrError(() => Enr.decode(signedRecord([ID, ID, SECP])), 'DUPLICATE_KEY');
  });

  it('accepts 300 bytes and rejects 301 bytes', () => {
    expect(Enr.decode(recordOfSize(300)).encode().length).toBe(300);
    expectEnrError(() => Enr.decode(recordOfSize(301)), 'TOO_LARGE');
  });

  it('rejects trailing bytes', () => {
    expectEnrError(() => Enr.decode(Uint8Array.of(...example, 0x00)), 'TRAILING_BYTES');
    expectEnrError(() => Enr.decode(Uint8Array.of(...example, 0xc0)), 'TRAILING_BYTES');
  });

  it('rejects an odd key/value count and too few elements', () => {
    const sig = RLP.encode(new Uint8Array(64));
    const seq = RLP.encode(1n);
    expectEnrError(() => Enr.decode(rawList([sig, seq, RLP.encode('id')])), 'MALFORMED');
    expectEnrError(() => Enr.decode(rawList([sig])), 'MALFORMED');
    expectEnrError(() => Enr.decode(rawList([])), 'MALFORMED');
  });

  it('rejects a scheme other than v4, or none', () => {
    expectEnrError(() => Enr.decode(signedRecord([pair('id', 'v5'), SECP])), 'UNKNOWN_SCHEME');
    expectEnrError(() => Enr.decode(signedRecord([SECP])), 'UNKNOWN_SCHEME');
  });

  it('rejects a missing or malformed secp256k1 entry', () => {
    expectEnrError(() => Enr.decode(signedRecord([ID])), 'INVALID_ENTRY');
    const short = pair('secp256k1', new Uint8Array(32).fill(2));
    expectEnrError(() => Enr.decode(signedRecord([ID, short])), 'INVALID_ENTRY');
    const offCurve = pair('secp256k1', Uint8Array.of(5, ...new Uint8Array(32)));
    expectEnrError(() => Enr.decode(signedRecord([ID, offCurve])), 'INVALID_ENTRY');
  });

  it('rejects non-canonical seq values', () => {
    const seq = (bytes: Uint8Array): Uint8Array =>
      rawList([RLP.encode(new Uint8Array(64)), RLP.encode(bytes), ...[ID, SECP].flatMap(flat)]);
    expectEnrError(() => Enr.decode(seq(Uint8Array.of(0, 1))), 'MALFORMED');
    expectEnrError(() => Enr.decode(seq(new Uint8Array(9).fill(1))), 'MALFORMED');
  });

  it('rejects non-canonical RLP and list keys', () => {
    const sig = RLP.encode(new Uint8Array(64));
    const nonCanonical = rawList([sig, Uint8Array.of(0x81, 0x01), ...[ID, SECP].flatMap(flat)]);
    expectEnrError(() => Enr.decode(nonCanonical), 'MALFORMED');
    const listKey = rawList([sig, RLP.encode(1n), RLP.encode([]), RLP.encode(1n)]);
    expectEnrError(() => Enr.decode(listKey), 'MALFORMED');
    expectEnrError(() => Enr.decode(RLP.encode(new Uint8Array(10))), 'MALFORMED');
    expectEnrError(() => Enr.decode(new Uint8Array(0)), 'MALFORMED');
  });

  it('rejects a non-canonical item nested in a value, with the RlpError as cause', () => {
    const nested = Uint8Array.of(0xc3, 0xc2, 0x81, 0x05); // [[0x05 wrapped in a string header]]
    const bytes = signedRecord([['eth', nested], ID, SECP]);
    let caught: unknown;
    try {
      Enr.decode(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'EnrError', code: 'MALFORMED' });
    expect((caught as Error).cause).toBeInstanceOf(RlpError);
  });

  it('gives TRAILING_BYTES only for a record that is canonical RLP', () => {
    expectEnrError(() => Enr.decode(Uint8Array.of(0xc2, 0x81, 0x05, 0x00)), 'MALFORMED');
    expectEnrError(() => Enr.decode(Uint8Array.of(0x80, 0x00)), 'TRAILING_BYTES');
  });

  it('copies values out of the input: changing it later changes nothing', () => {
    const input = Uint8Array.from(example);
    const enr = Enr.decode(input);
    const before = enr.entries();
    const signature = Uint8Array.from(enr.signature);
    input.fill(0);
    expect(enr.entries()).toEqual(before);
    expect(enr.signature).toEqual(signature);
    expect(enr.encode()).toEqual(example);
  });

  it('keeps the largest seq', () => {
    const enr = Enr.decode(signedRecord([ID, SECP], 2n ** 64n - 1n));
    expect(enr.seq).toBe(2n ** 64n - 1n);
  });
});

describe('malformed standard values fail on access', () => {
  it.each([
    ['ip', hexToBytes('7f0000'), 'ip'],
    ['ip6', new Uint8Array(4), 'ip6'],
    ['udp', hexToBytes('010000'), 'udp'],
    ['tcp', hexToBytes('0005'), 'tcp'],
    ['tcp6', new Uint8Array(3), 'tcp6'],
  ] as const)('%s = %o', (key, value, getter) => {
    const enr = Enr.decode(signedRecord([ID, pair(key, value), SECP].sort(byKey)));
    expectEnrError(() => enr[getter], 'INVALID_ENTRY');
    expect(enr.getBytes(key)).toEqual(value);
  });

  it('reads a port that is a list as an invalid entry', () => {
    const enr = Enr.decode(signedRecord([ID, SECP, ['udp', RLP.encode([])]]));
    expectEnrError(() => enr.udp, 'INVALID_ENTRY');
  });
});

function flat([key, raw]: readonly [string, Uint8Array]): Uint8Array[] {
  return [RLP.encode(new TextEncoder().encode(key)), raw];
}

function byKey(a: readonly [string, Uint8Array], b: readonly [string, Uint8Array]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
