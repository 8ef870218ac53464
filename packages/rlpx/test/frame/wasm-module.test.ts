import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  aesSbox,
  compileFrameMac,
  frameMacModuleSource,
  keccakRotations,
  keccakRoundConstants,
} from '../../scripts/frame-mac-wat.ts';

const MODULE_FILE = fileURLToPath(new URL('../../src/frame/wasm/module.ts', import.meta.url));

describe('frame-MAC wasm generator', () => {
  it('derives the published keccak and AES tables', () => {
    // FIPS 202 table 2 (rotation offsets) and the first, last round constants of keccak-f[1600].
    expect(keccakRotations()).toEqual([
      0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
    ]);
    const rc = keccakRoundConstants();
    expect(rc[0]).toBe(0x0000000000000001n);
    expect(rc[1]).toBe(0x0000000000008082n);
    expect(rc[23]).toBe(0x8000000080008008n);
    // FIPS 197 figure 7: S(0x00) = 0x63, S(0x53) = 0xed, S(0xff) = 0x16.
    const sbox = aesSbox();
    expect([sbox[0x00], sbox[0x53], sbox[0xff]]).toEqual([0x63, 0xed, 0x16]);
    expect(new Set(sbox).size).toBe(256);
  });

  it('matches the committed module (WASM_UPDATE=1 rewrites it)', async () => {
    const source = frameMacModuleSource(await compileFrameMac());
    if (process.env.WASM_UPDATE === '1') writeFileSync(MODULE_FILE, source);
    expect(readFileSync(MODULE_FILE, 'utf8')).toBe(source);
  });
});
