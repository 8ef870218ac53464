import { createKeccak256, hexToBytes, keccak256 } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMacKeccak, FrameMac } from '../../src/frame/index.ts';
import { frameMacEngine, MacContext } from '../../src/frame/wasm/engine.ts';
import { INPUT_BYTES } from '../../src/frame/wasm/layout.ts';
import { hex, splitAt, testBytes } from './helpers.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('keccak-256 on the frame-MAC module', () => {
  it('hashes the published vectors', () => {
    // keccak-256 (original padding) of "" and "abc", as Ethereum uses it.
    expect(hex(createMacKeccak().digest())).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(hex(createMacKeccak().update(text('abc')).digest())).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('agrees with @ethp2p/crypto on inputs around the rate and the input window', () => {
    const lengths = [1, 7, 8, 9, 135, 136, 137, 271, 272, 273, 1000, INPUT_BYTES, INPUT_BYTES + 17];
    for (const length of lengths) {
      const data = testBytes(length, length);
      expect(hex(createMacKeccak().update(data).digest()), `length ${length}`).toBe(
        hex(keccak256(data)),
      );
    }
  });

  it('agrees with @ethp2p/crypto on any input fed in any pieces, digesting as it goes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (data, cuts) => {
          const ours = createMacKeccak();
          const theirs = createKeccak256();
          for (const piece of splitAt(data, cuts)) {
            ours.update(piece);
            theirs.update(piece);
            expect(hex(ours.digest())).toBe(hex(theirs.digest()));
          }
          expect(hex(ours.digest())).toBe(hex(keccak256(data)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps interleaved states apart', () => {
    const a = createMacKeccak();
    const b = createMacKeccak();
    const left = testBytes(300, 1);
    const right = testBytes(500, 2);
    a.update(left.subarray(0, 100));
    b.update(right.subarray(0, 250));
    a.update(left.subarray(100));
    expect(hex(b.digest())).toBe(hex(keccak256(right.subarray(0, 250))));
    b.update(right.subarray(250));
    expect(hex(a.digest())).toBe(hex(keccak256(left)));
    expect(hex(b.digest())).toBe(hex(keccak256(right)));
  });
});

describe('AES-256 on the frame-MAC module', () => {
  it('encrypts the FIPS-197 appendix C.3 block', () => {
    const engine = frameMacEngine();
    const ctx = new MacContext();
    engine.setKey(
      ctx,
      hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
    );
    const out = engine.encryptBlock(ctx, hexToBytes('00112233445566778899aabbccddeeff'));
    expect(hex(out)).toBe('8ea2b7ca516745bfeafc49904b496089');
  });
});

/** One MAC step: a header ciphertext, or a frame body of `blocks` 16-byte blocks. */
type Step = { header: Uint8Array } | { body: Uint8Array };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((header) => ({ header })),
  fc
    .integer({ min: 0, max: 80 })
    .chain((blocks) => fc.uint8Array({ minLength: 16 * blocks, maxLength: 16 * blocks }))
    .map((body) => ({ body })),
);

function run(mac: FrameMac, step: Step): string {
  return 'header' in step ? hex(mac.header(step.header)) : hex(mac.frame(step.body));
}

describe('FrameMac on the module', () => {
  const macSecret = keccak256(text('mac secret'));

  it('matches the generic KeccakState path on random step sequences of two connections', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.tuple(fc.boolean(), stepArb), { maxLength: 24 }),
        (seed, steps) => {
          const fast = [0, 1].map(
            (i) => new FrameMac(createMacKeccak().update(seed).update(Uint8Array.of(i)), macSecret),
          );
          const generic = [0, 1].map(
            (i) => new FrameMac(createKeccak256().update(seed).update(Uint8Array.of(i)), macSecret),
          );
          for (const [second, step] of steps) {
            const i = second ? 1 : 0;
            expect(run(fast[i] as FrameMac, step)).toBe(run(generic[i] as FrameMac, step));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('matches the generic path on a frame larger than the input window', () => {
    const body = testBytes(2 * INPUT_BYTES + 48, 3);
    const header = testBytes(16, 4);
    const fast = new FrameMac(createMacKeccak().update(text('seed')), macSecret);
    const generic = new FrameMac(createKeccak256().update(text('seed')), macSecret);
    for (let i = 0; i < 2; i++) {
      expect(hex(fast.header(header))).toBe(hex(generic.header(header)));
      expect(hex(fast.frame(body))).toBe(hex(generic.frame(body)));
    }
  });

  it('takes a copy of the state it is given and returns MACs the caller owns', () => {
    const state = createMacKeccak().update(text('seed'));
    const mac = new FrameMac(state, macSecret);
    const twin = new FrameMac(createMacKeccak().update(text('seed')), macSecret);
    const first = mac.header(new Uint8Array(16));
    state.update(text('later'));
    const second = mac.frame(new Uint8Array(32));
    expect(hex(twin.header(new Uint8Array(16)))).toBe(hex(first));
    expect(hex(twin.frame(new Uint8Array(32)))).toBe(hex(second));
    const kept = hex(first);
    mac.header(new Uint8Array(16));
    expect(hex(first)).toBe(kept);
  });

  it('refuses a mac-secret or header of the wrong length', () => {
    expect(() => new FrameMac(createMacKeccak(), new Uint8Array(16))).toThrow(RangeError);
    const mac = new FrameMac(createMacKeccak(), macSecret);
    expect(() => mac.header(new Uint8Array(15))).toThrow(RangeError);
  });
});
