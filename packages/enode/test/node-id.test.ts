import { seededRandom } from '@ethp2p/base';
import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distance,
  distCmp,
  logDistance,
  nodeIdFromHex,
  nodeIdFromPublicKey,
  nodeIdToHex,
  randomIdAtDistance,
} from '../src/node-id.ts';
import { KEY_A, KEY_B } from './vectors/enr-vectors.ts';

const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

function idWithFirstByte(b: number, last = 0): Uint8Array {
  const id = new Uint8Array(32);
  id[0] = b;
  id[31] = last;
  return id;
}

describe('node IDs', () => {
  it.each([KEY_A, KEY_B])('derives the ID of $id from its public key (spec-vectors §1)', (key) => {
    expect(bytesToHex(nodeIdFromPublicKey(hexToBytes(key.pub)))).toBe(key.id);
  });

  it('converts to and from hex', () => {
    const id = nodeIdFromHex(KEY_B.id);
    expect(nodeIdToHex(id)).toBe(KEY_B.id);
    expect(nodeIdToHex(nodeIdFromHex(`0x${KEY_B.id}`))).toBe(KEY_B.id);
    expect(() => nodeIdFromHex('abcd')).toThrow(RangeError);
    expect(() => nodeIdFromHex('zz'.repeat(32))).toThrow(TypeError);
    expect(() => nodeIdFromPublicKey(new Uint8Array(65))).toThrow(RangeError);
  });

  it('computes log distances like geth LogDist', () => {
    const zero = new Uint8Array(32);
    expect(logDistance(zero, zero)).toBe(0);
    expect(logDistance(zero, idWithFirstByte(0x80))).toBe(256);
    expect(logDistance(zero, idWithFirstByte(0x01))).toBe(249);
    expect(logDistance(zero, idWithFirstByte(0, 1))).toBe(1);
    expect(logDistance(zero, idWithFirstByte(0, 2))).toBe(2);
  });

  it('computes the XOR distance as a bigint', () => {
    const a = idWithFirstByte(0, 5);
    const b = idWithFirstByte(0, 3);
    expect(distance(a, b)).toBe(6n);
    expect(distance(idWithFirstByte(0x80), new Uint8Array(32))).toBe(2n ** 255n);
  });

  it('orders by distance like geth DistCmp', () => {
    const target = new Uint8Array(32);
    expect(distCmp(target, idWithFirstByte(0, 1), idWithFirstByte(0, 2))).toBe(-1);
    expect(distCmp(target, idWithFirstByte(1), idWithFirstByte(0, 2))).toBe(1);
    expect(distCmp(target, idWithFirstByte(7), idWithFirstByte(7))).toBe(0);
  });

  it('agrees with the bigint metric (property)', () => {
    fc.assert(
      fc.property(id32, id32, id32, (t, a, b) => {
        const da = distance(t, a);
        const db = distance(t, b);
        expect(distCmp(t, a, b)).toBe(da < db ? -1 : da > db ? 1 : 0);
        expect(logDistance(t, a)).toBe(da === 0n ? 0 : da.toString(2).length);
      }),
    );
  });

  it('makes random IDs at every log distance', () => {
    const random = seededRandom(7);
    fc.assert(
      fc.property(id32, fc.integer({ min: 0, max: 256 }), (target, d) => {
        expect(logDistance(target, randomIdAtDistance(target, d, random))).toBe(d);
      }),
    );
    expect(() => randomIdAtDistance(new Uint8Array(32), 257)).toThrow(RangeError);
  });
});
