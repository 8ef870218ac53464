import { describe, expect, it } from 'vitest';
import { LOOKUP_REQUEST_LIMIT, lookupDistances } from '../../src/v5/lookup/distances.ts';

/** An ID at log distance `d` from the all-zero ID (its bit `d - 1` from the right is set). */
function idAt(d: number): Uint8Array {
  const id = new Uint8Array(32);
  if (d > 0) id[31 - Math.floor((d - 1) / 8)] = 1 << ((d - 1) % 8);
  return id;
}

describe('lookupDistances (geth lookupDistances)', () => {
  const target = new Uint8Array(32);

  it('asks the target distance, then one above and one below', () => {
    expect(lookupDistances(target, idAt(200))).toEqual([200, 201, 199]);
    expect(lookupDistances(target, idAt(9))).toEqual([9, 10, 8]);
  });

  it('stays within 1-256 at the edges', () => {
    expect(lookupDistances(target, idAt(256))).toEqual([256, 255, 254]);
    expect(lookupDistances(target, idAt(1))).toEqual([1, 2, 3]);
  });

  it('asks distance 0 only when the node is the target', () => {
    expect(lookupDistances(target, target)).toEqual([0, 1, 2]);
  });

  it(`always lists ${LOOKUP_REQUEST_LIMIT} distinct distances`, () => {
    for (let d = 0; d <= 256; d++) {
      const got = lookupDistances(target, idAt(d));
      expect(got).toHaveLength(LOOKUP_REQUEST_LIMIT);
      expect(new Set(got).size).toBe(LOOKUP_REQUEST_LIMIT);
      for (const x of got) expect(x >= 0 && x <= 256).toBe(true);
    }
  });
});
