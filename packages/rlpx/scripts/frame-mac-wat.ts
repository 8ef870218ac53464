/**
 * The generator of the frame-MAC WebAssembly module (`src/frame/wasm/module.ts`): writes the
 * module as WAT text, computing its constant tables here (keccak-f rotation offsets and round
 * constants from their LFSR definitions, the AES S-box from GF(2^8) inversion and the affine
 * map, the T-table from the S-box), and compiles it with wabt (a devDependency: nothing here
 * has a WebAssembly toolchain, and no npm keccak can digest without copying its state out).
 *
 * Regenerate with `WASM_UPDATE=1 npx vitest run packages/rlpx/test/frame/wasm-module.test.ts`;
 * that test fails when the committed bytes differ from what this file makes.
 *
 * Exports of the module (all state is the context at `CTX`, see `layout.ts`):
 * - `absorb(n)`: absorbs `INPUT[0, n)`.
 * - `digest()`: keccak-256 of the state into `SCRATCH[0, 32)`, leaving the state usable.
 * - `expandKey()`: expands the AES-256 key at `INPUT[0, 32)` into the context's round keys.
 * - `encryptBlock()`: AES-256 of `INPUT[0, 16)` into `OUT`.
 * - `macHeader()`: the header MAC of the ciphertext at `INPUT[0, 16)` into `OUT`.
 * - `macFrame(n)`: absorbs `INPUT[0, n)` (the end of a frame body) and writes the frame MAC into
 *   `OUT`.
 * @module
 */
import {
  AES_SBOX,
  AES_TABLE,
  CTX_DIGEST,
  CTX_HAVE_DIGEST,
  CTX_LANES,
  CTX_POS,
  CTX_ROUND_KEYS,
  INPUT,
  MEMORY_PAGES,
  OUT,
  RATE_BYTES,
  ROUND_CONSTANTS,
  SCRATCH,
} from '../src/frame/wasm/layout.ts';

/** keccak-f[1600] rotation offsets r[x + 5y] (FIPS 202 §3.2.2: the triangular numbers walk). */
export function keccakRotations(): number[] {
  const r = new Array<number>(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    r[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return r;
}

/** The 24 keccak-f[1600] round constants (FIPS 202 §3.2.5: the rc(t) LFSR). */
export function keccakRoundConstants(): bigint[] {
  const rc = (t: number): number => {
    let r = 1;
    for (let i = 0; i < t % 255; i++) {
      r <<= 1;
      if (r & 0x100) r ^= 0x171;
    }
    return r & 1;
  };
  const out: bigint[] = [];
  for (let round = 0; round < 24; round++) {
    let c = 0n;
    for (let j = 0; j <= 6; j++) {
      if (rc(j + 7 * round) === 1) c |= 1n << BigInt(2 ** j - 1);
    }
    out.push(c);
  }
  return out;
}

/** Multiplication by x in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1. */
function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x11b : 0)) & 0xff;
}

/** Multiplication in GF(2^8). */
function gfMul(a: number, b: number): number {
  let p = 0;
  let power = a;
  for (let i = 0; i < 8; i++) {
    if (b & (1 << i)) p ^= power;
    power = xtime(power);
  }
  return p;
}

/** The AES S-box (FIPS 197 §5.1.1): multiplicative inverse, then the affine transformation. */
export function aesSbox(): number[] {
  const sbox: number[] = [];
  for (let a = 0; a < 256; a++) {
    let inv = 0;
    for (let b = 1; b < 256 && a !== 0; b++) {
      if (gfMul(a, b) === 1) {
        inv = b;
        break;
      }
    }
    let s = 0x63;
    for (let i = 0; i < 5; i++) s ^= ((inv << i) | (inv >>> (8 - i))) & 0xff;
    sbox.push(s);
  }
  return sbox;
}

/**
 * The AES encryption T-table for little-endian column words (row r in bits 8r): SubBytes then
 * the MixColumns column of a row-0 byte, (2s, s, s, 3s). Rows 1-3 use it rotated left by 8r.
 */
export function aesTable(sbox: readonly number[]): number[] {
  return sbox.map((s) => (xtime(s) | (s << 8) | (s << 16) | ((xtime(s) ^ s) << 24)) >>> 0);
}

/** Bytes as a WAT data string. */
function dataString(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

function u32Bytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (const [i, w] of words.entries()) view.setUint32(i * 4, w, true);
  return out;
}

function u64Bytes(words: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(words.length * 8);
  const view = new DataView(out.buffer);
  for (const [i, w] of words.entries()) view.setBigUint64(i * 8, w, true);
  return out;
}

/**
 * Lanes kept complemented inside the permutation (the Keccak team's lane-complementing
 * transform, P = {(1,0), (2,0), (3,1), (2,2), (2,3), (0,4)}): with them, χ needs one NOT per
 * plane instead of five. The lanes are complemented on entry and restored on exit.
 */
const COMPLEMENTED: readonly number[] = [1, 2, 8, 12, 17, 20];

/** One χ output as computed: `(B[x] ^ n0) ^ op(B[x+1] ^ n1, B[x+2] ^ n2)` on stored lanes. */
interface ChiForm {
  readonly n: readonly [boolean, boolean, boolean];
  readonly op: 'and' | 'or';
}

/**
 * The χ forms of one plane with the fewest distinct complemented operands, found by search:
 * `stored[k]` says whether B lane k of the plane is stored complemented, `wanted[x]` whether
 * output lane x must be. Every form is checked on the 8 combinations of its three input bits.
 */
export function chiPlane(stored: readonly boolean[], wanted: readonly boolean[]): ChiForm[] {
  const candidates: ChiForm[][] = [];
  for (let x = 0; x < 5; x++) {
    const s = [stored[x], stored[(x + 1) % 5], stored[(x + 2) % 5]].map(Number) as number[];
    const valid: ChiForm[] = [];
    for (let mask = 0; mask < 16; mask++) {
      const n: [boolean, boolean, boolean] = [!!(mask & 1), !!(mask & 2), !!(mask & 4)];
      const op = mask & 8 ? 'or' : 'and';
      let ok = true;
      for (let bits = 0; bits < 8 && ok; bits++) {
        const b = [bits & 1, (bits >> 1) & 1, (bits >> 2) & 1] as number[];
        const truth = (b[0] as number) ^ ((1 - (b[1] as number)) & (b[2] as number));
        const u = b.map((v, k) => v ^ (s[k] as number) ^ Number(n[k]));
        const got =
          (u[0] as number) ^
          (op === 'or' ? (u[1] as number) | (u[2] as number) : (u[1] as number) & (u[2] as number));
        ok = got === (truth ^ Number(wanted[x]));
      }
      if (ok) valid.push({ n, op });
    }
    candidates.push(valid);
  }
  let best: ChiForm[] = [];
  let bestCost = Number.POSITIVE_INFINITY;
  const pick = (x: number, chosen: ChiForm[]): void => {
    if (x === 5) {
      const negated = new Set<number>();
      chosen.forEach((f, i) => {
        f.n.forEach((neg, k) => {
          if (neg) negated.add((i + k) % 5);
        });
      });
      if (negated.size < bestCost) {
        bestCost = negated.size;
        best = [...chosen];
      }
      return;
    }
    for (const form of candidates[x] as ChiForm[]) pick(x + 1, [...chosen, form]);
  };
  pick(0, []);
  return best;
}

/** keccak-f[1600] on the 200 bytes at `$p`: lanes in locals, 24 rounds in a loop. */
function permuteFunc(): string {
  const rot = keccakRotations();
  const complemented = Array.from({ length: 25 }, (_, i) => COMPLEMENTED.includes(i));
  // Which lanes θ flips: D[x] is complemented when exactly one of columns x-1, x+1 has an odd
  // number of complemented lanes; B lanes inherit their A lane's state through ρ and π.
  const parity = Array.from({ length: 5 }, (_, x) =>
    [0, 1, 2, 3, 4].reduce((p, y) => p !== complemented[x + 5 * y], false),
  );
  const afterTheta = complemented.map(
    (c, i) => c !== (parity[(i + 4) % 5] !== parity[(i + 1) % 5]),
  );
  const storedB = new Array<boolean>(25).fill(false);
  const lines: string[] = [];
  const locals = [
    ...Array.from({ length: 25 }, (_, i) => `(local $a${i} i64)`),
    ...Array.from({ length: 25 }, (_, i) => `(local $b${i} i64)`),
    ...Array.from({ length: 5 }, (_, i) => `(local $c${i} i64)`),
    ...Array.from({ length: 5 }, (_, i) => `(local $n${i} i64)`),
    '(local $d i64)',
    '(local $round i32)',
  ];
  const flip = (i: number): string => (complemented[i] ? ' i64.const -1 i64.xor' : '');
  for (let i = 0; i < 25; i++) {
    lines.push(`local.get $p i64.load offset=${8 * i}${flip(i)} local.set $a${i}`);
  }
  lines.push('loop $rounds');
  // θ: column parities, then each lane XOR D[x] = C[x-1] ^ rotl(C[x+1], 1).
  for (let x = 0; x < 5; x++) {
    lines.push(
      `local.get $a${x} local.get $a${x + 5} i64.xor local.get $a${x + 10} i64.xor ` +
        `local.get $a${x + 15} i64.xor local.get $a${x + 20} i64.xor local.set $c${x}`,
    );
  }
  for (let x = 0; x < 5; x++) {
    lines.push(
      `local.get $c${(x + 4) % 5} local.get $c${(x + 1) % 5} i64.const 1 i64.rotl i64.xor local.set $d`,
    );
    for (let y = 0; y < 5; y++) {
      const i = x + 5 * y;
      lines.push(`local.get $a${i} local.get $d i64.xor local.set $a${i}`);
    }
  }
  // ρ and π: B[y, 2x + 3y] = rotl(A[x, y], r[x, y]).
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      const from = x + 5 * y;
      const to = y + 5 * ((2 * x + 3 * y) % 5);
      storedB[to] = afterTheta[from] as boolean;
      const r = rot[from] as number;
      lines.push(
        r === 0
          ? `local.get $a${from} local.set $b${to}`
          : `local.get $a${from} i64.const ${r} i64.rotl local.set $b${to}`,
      );
    }
  }
  // χ: A[x, y] = B[x, y] ^ (~B[x+1, y] & B[x+2, y]), in the forms the lane states allow.
  for (let y = 0; y < 5; y++) {
    const plane = (k: number): number => (k % 5) + 5 * y;
    const forms = chiPlane(
      [0, 1, 2, 3, 4].map((k) => storedB[plane(k)] as boolean),
      [0, 1, 2, 3, 4].map((k) => complemented[plane(k)] as boolean),
    );
    const negated = new Set<number>();
    forms.forEach((f, x) => {
      f.n.forEach((neg, k) => {
        if (neg) negated.add((x + k) % 5);
      });
    });
    for (const k of negated) {
      lines.push(`local.get $b${plane(k)} i64.const -1 i64.xor local.set $n${k}`);
    }
    forms.forEach((f, x) => {
      const operand = (k: number): string =>
        f.n[k] ? `local.get $n${(x + k) % 5}` : `local.get $b${plane(x + k)}`;
      lines.push(
        `${operand(0)} ${operand(1)} ${operand(2)} i64.${f.op} i64.xor local.set $a${plane(x)}`,
      );
    });
  }
  // ι.
  lines.push(
    `local.get $a0 local.get $round i32.const 3 i32.shl i64.load offset=${ROUND_CONSTANTS} ` +
      'i64.xor local.set $a0',
  );
  lines.push(
    'local.get $round i32.const 1 i32.add local.tee $round i32.const 24 i32.lt_u br_if $rounds',
  );
  lines.push('end');
  for (let i = 0; i < 25; i++) {
    lines.push(`local.get $p local.get $a${i}${flip(i)} i64.store offset=${8 * i}`);
  }
  return `(func $permute (param $p i32) ${locals.join(' ')}\n    ${lines.join('\n    ')})`;
}

/**
 * Absorbs `$n` bytes at `$src` into the context's state: single bytes up to a lane boundary,
 * then whole lanes, then the tail; permutes whenever the rate is full. Drops the cached digest.
 */
function absorbFunc(): string {
  const permuteIfFull = `local.get $pos i32.const ${RATE_BYTES} i32.eq if i32.const ${CTX_LANES} call $permute i32.const 0 local.set $pos end`;
  const xorByte =
    `local.get $pos local.get $pos i32.load8_u offset=${CTX_LANES} local.get $src i32.load8_u ` +
    `i32.xor i32.store8 offset=${CTX_LANES}`;
  const advance = (k: number): string =>
    `local.get $pos i32.const ${k} i32.add local.set $pos local.get $src i32.const ${k} i32.add ` +
    `local.set $src local.get $n i32.const ${k} i32.sub local.set $n`;
  return `(func $absorb (param $src i32) (param $n i32) (local $pos i32)
    i32.const 0 i32.const 0 i32.store offset=${CTX_HAVE_DIGEST}
    i32.const 0 i32.load offset=${CTX_POS} local.set $pos
    block $aligned loop $head
      local.get $n i32.eqz br_if $aligned
      local.get $pos i32.const 7 i32.and i32.eqz br_if $aligned
      ${xorByte}
      ${advance(1)}
      ${permuteIfFull}
      br $head
    end end
    block $done loop $lanes
      local.get $n i32.const 8 i32.lt_u br_if $done
      local.get $pos local.get $pos i64.load offset=${CTX_LANES} local.get $src i64.load i64.xor i64.store offset=${CTX_LANES}
      ${advance(8)}
      ${permuteIfFull}
      br $lanes
    end end
    block $end loop $tail
      local.get $n i32.eqz br_if $end
      ${xorByte}
      ${advance(1)}
      br $tail
    end end
    i32.const 0 local.get $pos i32.store offset=${CTX_POS})`;
}

/** Non-consuming keccak-256 digest: pad and permute a copy of the state in `SCRATCH`. */
function digestFunc(): string {
  const lines: string[] = [];
  for (let i = 0; i < 25; i++) {
    lines.push(
      `i32.const 0 i32.const 0 i64.load offset=${CTX_LANES + 8 * i} i64.store offset=${SCRATCH + 8 * i}`,
    );
  }
  // Keccak padding (pad10*1 with domain byte 0x01): 0x01 at the position, 0x80 at the rate's end.
  lines.push(
    `i32.const 0 i32.load offset=${CTX_POS} local.tee $pos local.get $pos i32.load8_u offset=${SCRATCH} ` +
      `i32.const 1 i32.xor i32.store8 offset=${SCRATCH}`,
  );
  const last = SCRATCH + RATE_BYTES - 1;
  lines.push(
    `i32.const 0 i32.const 0 i32.load8_u offset=${last} i32.const 0x80 i32.xor i32.store8 offset=${last}`,
  );
  lines.push(`i32.const ${SCRATCH} call $permute`);
  return `(func $digest (local $pos i32)\n    ${lines.join('\n    ')})`;
}

/** SubWord of the word on the stack, kept in `$t`. */
function subWord(): string {
  const parts: string[] = ['local.set $t'];
  for (let r = 0; r < 4; r++) {
    parts.push(
      `local.get $t i32.const ${8 * r} i32.shr_u i32.const 255 i32.and i32.load8_u offset=${AES_SBOX}` +
        (r === 0 ? '' : ` i32.const ${8 * r} i32.shl i32.or`),
    );
  }
  return parts.join(' ');
}

/** AES-256 key expansion (FIPS 197 §5.2) of the key at `INPUT` into the context, unrolled. */
function expandKeyFunc(): string {
  const lines: string[] = [];
  const rk = (i: number): number => CTX_ROUND_KEYS + 4 * i;
  for (let i = 0; i < 8; i++) {
    lines.push(
      `i32.const 0 i32.const 0 i32.load offset=${INPUT + 4 * i} i32.store offset=${rk(i)}`,
    );
  }
  let rcon = 1;
  for (let i = 8; i < 60; i++) {
    const prev = `i32.const 0 i32.load offset=${rk(i - 1)}`;
    let temp: string;
    if (i % 8 === 0) {
      // RotWord on a little-endian word is a right rotation by one byte.
      temp = `${prev} i32.const 8 i32.rotr ${subWord()} i32.const ${rcon} i32.xor`;
      rcon = xtime(rcon);
    } else if (i % 8 === 4) {
      temp = `${prev} ${subWord()}`;
    } else {
      temp = prev;
    }
    lines.push(
      `i32.const 0 i32.const 0 i32.load offset=${rk(i - 8)} ${temp} i32.xor i32.store offset=${rk(i)}`,
    );
  }
  return `(func $expandKey (local $t i32)\n    ${lines.join('\n    ')})`;
}

/** AES-256 encryption of the block at `$src` into `$dst` with the T-table, unrolled. */
function aesFunc(): string {
  const lines: string[] = [];
  const rk = (i: number): string => `i32.const 0 i32.load offset=${CTX_ROUND_KEYS + 4 * i}`;
  for (let j = 0; j < 4; j++) {
    lines.push(`local.get $src i32.load offset=${4 * j} ${rk(j)} i32.xor local.set $s${j}`);
  }
  const byteOf = (v: string, r: number): string =>
    r === 3
      ? `local.get ${v} i32.const 24 i32.shr_u`
      : r === 0
        ? `local.get ${v} i32.const 255 i32.and`
        : `local.get ${v} i32.const ${8 * r} i32.shr_u i32.const 255 i32.and`;
  for (let round = 1; round < 14; round++) {
    for (let j = 0; j < 4; j++) {
      const terms: string[] = [];
      for (let r = 0; r < 4; r++) {
        const rotl = r === 0 ? '' : ` i32.const ${8 * r} i32.rotl`;
        terms.push(
          `${byteOf(`$s${(j + r) % 4}`, r)} i32.const 2 i32.shl i32.load offset=${AES_TABLE}${rotl}` +
            (r === 0 ? '' : ' i32.xor'),
        );
      }
      lines.push(`${terms.join(' ')} ${rk(4 * round + j)} i32.xor local.set $t${j}`);
    }
    for (let j = 0; j < 4; j++) lines.push(`local.get $t${j} local.set $s${j}`);
  }
  for (let j = 0; j < 4; j++) {
    const terms: string[] = [];
    for (let r = 0; r < 4; r++) {
      const shl = r === 0 ? '' : ` i32.const ${8 * r} i32.shl i32.or`;
      terms.push(`${byteOf(`$s${(j + r) % 4}`, r)} i32.load8_u offset=${AES_SBOX}${shl}`);
    }
    lines.push(`local.get $dst ${terms.join(' ')} ${rk(56 + j)} i32.xor i32.store offset=${4 * j}`);
  }
  const locals =
    '(local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $t0 i32) (local $t1 i32) (local $t2 i32) (local $t3 i32)';
  return `(func $aes (param $src i32) (param $dst i32) ${locals}\n    ${lines.join('\n    ')})`;
}

/** `OUT[0, 16) ^= 16 bytes at $src`, as two i64 XORs. */
function xorIntoOut(src: string): string {
  return [0, 8]
    .map(
      (k) =>
        `i32.const 0 i32.const 0 i64.load offset=${OUT + k} ${src} i64.load offset=${k} i64.xor i64.store offset=${OUT + k}`,
    )
    .join('\n    ');
}

/** Copies 16 bytes from `$from` (a constant offset) to `$to`. */
function copy16(from: number, to: number): string {
  return [0, 8]
    .map((k) => `i32.const 0 i32.const 0 i64.load offset=${from + k} i64.store offset=${to + k}`)
    .join('\n    ');
}

/**
 * The header MAC: `seed = AES(digest[0:16]) ^ header-ct`, absorb the seed, `digest[0:16]`;
 * the digest is the one the last frame MAC kept when there is one.
 */
function macHeaderFunc(): string {
  return `(func $macHeader
    i32.const 0 i32.load offset=${CTX_HAVE_DIGEST}
    if (result i32) i32.const ${CTX_DIGEST} else call $digest i32.const ${SCRATCH} end
    i32.const ${OUT} call $aes
    ${xorIntoOut(`i32.const ${INPUT}`)}
    i32.const ${OUT} i32.const 16 call $absorb
    call $digest
    ${copy16(SCRATCH, OUT)})`;
}

/**
 * The frame MAC: absorb the body's (last piece of) ciphertext, `d = digest`,
 * `seed = AES(d[0:16]) ^ d[0:16]`, absorb the seed, `digest[0:16]`, kept for the next header.
 */
function macFrameFunc(): string {
  return `(func $macFrame (param $n i32)
    i32.const ${INPUT} local.get $n call $absorb
    call $digest
    i32.const ${SCRATCH} i32.const ${OUT} call $aes
    ${xorIntoOut(`i32.const ${SCRATCH}`)}
    i32.const ${OUT} i32.const 16 call $absorb
    call $digest
    ${copy16(SCRATCH, OUT)}
    ${copy16(SCRATCH, CTX_DIGEST)}
    i32.const 0 i32.const 1 i32.store offset=${CTX_HAVE_DIGEST})`;
}

/** The whole module as WAT text. */
export function frameMacWat(): string {
  const sbox = aesSbox();
  return `(module
  (memory (export "memory") ${MEMORY_PAGES} ${MEMORY_PAGES})
  (data (i32.const ${ROUND_CONSTANTS}) "${dataString(u64Bytes(keccakRoundConstants()))}")
  (data (i32.const ${AES_TABLE}) "${dataString(u32Bytes(aesTable(sbox)))}")
  (data (i32.const ${AES_SBOX}) "${dataString(Uint8Array.from(sbox))}")
  ${permuteFunc()}
  ${absorbFunc()}
  ${digestFunc()}
  ${expandKeyFunc()}
  ${aesFunc()}
  ${macHeaderFunc()}
  ${macFrameFunc()}
  (func (export "absorb") (param $n i32) i32.const ${INPUT} local.get $n call $absorb)
  (func (export "digest") call $digest)
  (func (export "expandKey") call $expandKey)
  (func (export "encryptBlock") i32.const ${INPUT} i32.const ${OUT} call $aes)
  (func (export "macHeader") call $macHeader)
  (func (export "macFrame") (param $n i32) local.get $n call $macFrame))
`;
}

/** Compiles {@link frameMacWat} to WebAssembly bytes with wabt (MVP features only). */
export async function compileFrameMac(): Promise<Uint8Array> {
  const { default: initWabt } = await import('wabt');
  const wabt = await initWabt();
  const module = wabt.parseWat('frame-mac.wat', frameMacWat(), { mutable_globals: false });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/** The text of `src/frame/wasm/module.ts` for `bytes`. */
export function frameMacModuleSource(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,96}/g) ?? [];
  return `/**
 * The frame-MAC WebAssembly module (${bytes.length} bytes), generated by
 * \`packages/rlpx/scripts/frame-mac-wat.ts\`: do not edit. Regenerate with
 * \`WASM_UPDATE=1 npx vitest run packages/rlpx/test/frame/wasm-module.test.ts\`.
 * @module
 */

/** The module's bytes, base64. */
export const FRAME_MAC_WASM_BASE64: string =
${lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n')}
`;
}
