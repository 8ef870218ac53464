import { generatePrivateKey, hexToBytes } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnrValue } from '../src/enr/entries.ts';
import { Enr } from '../src/enr/record.ts';
import { EnrError } from '../src/errors.ts';
import { expectEnrError } from './helpers/enr.ts';
import { EIP778_EXAMPLE, SEQ99_RECORD } from './vectors/enr-vectors.ts';

/** Runs `fn` and asserts it either succeeds or throws an EnrError. */
function onlyEnrErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof EnrError)) throw err;
  }
}

const value: fc.Arbitrary<EnrValue> = fc.letrec<{ v: EnrValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.uint8Array({ maxLength: 40 }),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fc.string({ maxLength: 12 }),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

const entries = fc.dictionary(
  fc
    .string({ minLength: 1, maxLength: 8 })
    .filter(
      (k) =>
        !['id', 'secp256k1', 'ip', 'ip6', 'tcp', 'udp', 'tcp6', 'udp6', 'quic', 'quic6'].includes(
          k,
        ),
    ),
  value,
  { maxKeys: 4 },
);

describe('Enr properties', () => {
  const keys = Array.from({ length: 3 }, () => generatePrivateKey());

  it('sign → encode → decode gives the same record', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        entries,
        fc.option(fc.ipV4(), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
        (priv, seq, extra, ip, udp) => {
          let enr: Enr;
          try {
            enr = Enr.sign({ seq, entries: { ...extra, ip, udp } }, priv);
          } catch (err) {
            // Random entries may push the record past 300 bytes; nothing else may fail.
            expect(err).toBeInstanceOf(EnrError);
            expect((err as EnrError).code).toBe('TOO_LARGE');
            return;
          }
          const back = Enr.decode(enr.encode());
          expect(back.equals(enr)).toBe(true);
          expect(Enr.decodeText(enr.encodeText()).encode()).toEqual(enr.encode());
          expect(back.seq).toBe(seq);
          expect(back.ip).toBe(ip);
          expect(back.udp).toBe(udp);
          expect(back.entries()).toEqual(enr.entries());
          for (const key of Object.keys(extra)) expect(back.has(key)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Enr.decode throws only EnrError on untrusted input (fuzz)', () => {
  const valid = [hexToBytes(EIP778_EXAMPLE.rlp), hexToBytes(SEQ99_RECORD.rlp)];

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 320 }), (bytes) =>
        onlyEnrErrors(() => Enr.decode(bytes)),
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes behind a list header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        const bytes = Uint8Array.of(0xf8, body.length, ...body);
        onlyEnrErrors(() => Enr.decode(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a valid record', () => {
    for (const record of valid) {
      for (let n = 0; n < record.length; n++) {
        expect(() => Enr.decode(record.subarray(0, n))).toThrow(EnrError);
      }
    }
  });

  it('every single-bit flip of a valid record', () => {
    const record = valid[0] as Uint8Array;
    for (let i = 0; i < record.length * 8; i++) {
      const flipped = Uint8Array.from(record);
      flipped[i >> 3] = (flipped[i >> 3] as number) ^ (0x80 >> (i & 7));
      // Any change to a signed record must be rejected, and only with EnrError.
      expect(() => Enr.decode(flipped)).toThrow(EnrError);
    }
  });

  it('random text', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string().map((s) => `enr:${s}`),
      fc
        .base64String()
        .map((s) => `enr:${s.replace(/=/g, '').replace(/\+/g, '-').replace(/\//g, '_')}`),
    );
    fc.assert(
      fc.property(text, (t) => onlyEnrErrors(() => Enr.decodeText(t))),
      { numRuns: 3000 },
    );
  });

  it('rejects non-canonical and oversized text', () => {
    const text = EIP778_EXAMPLE.text;
    expect(() => Enr.decodeText(`${text}=`)).toThrow(EnrError);
    // 134 bytes leave 2 unused bits in the last character: '8' has them clear, '9' sets one.
    expect(text.endsWith('8')).toBe(true);
    expectEnrError(() => Enr.decodeText(`${text.slice(0, -1)}9`), 'INVALID_TEXT');
    expect(() => Enr.decodeText(`enr:${'A'.repeat(500)}`)).toThrow(EnrError);
    expect(() => Enr.decodeText(text.replace('enr:', 'ENR:'))).toThrow(EnrError);
  });
});
